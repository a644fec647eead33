"""The canonical request dataset: its columns and the vocabulary of request types.

This module is the single description of ``data/requests/<company>.csv``; the validator,
the importers, the methodology page and the published Data Package all read it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # "text", "code", "date", "count", "percent", "url", "list"
    required: bool  # must the cell be filled?
    description: str
    # May the header leave the column out? Columns added to the dataset after files were
    # written without them: a file that lacks one reads it as empty ("not reported").
    optional_in_header: bool = False


COLUMNS: tuple[Column, ...] = (
    Column("company", "code", True, "Slug of the company, as in data/companies.yml (e.g. “meta”)."),
    Column(
        "service",
        "code",
        True,
        "The service the figures cover: “all” where the company does not split by service, "
        "otherwise one of the company's services in data/companies.yml.",
    ),
    Column(
        "jurisdiction",
        "code",
        True,
        "The requesting jurisdiction: ISO 3166-1 alpha-2 / CLDR territory code, upper case "
        "(e.g. “HK”, “US”, “XK” for Kosovo).",
    ),
    Column("period_start", "date", True, "First day of the reporting period (ISO date, inclusive)."),
    Column("period_end", "date", True, "Last day of the reporting period (ISO date, inclusive)."),
    Column("request_type", "code", True, "What kind of request the figures count (see the vocabulary)."),
    Column("company_label", "text", False, "The company's own name for this kind of request."),
    Column("requests", "count", False, "Number of requests received."),
    Column("accounts", "count", False, "Number of users or accounts specified in those requests."),
    Column(
        "requests_with_data",
        "count",
        False,
        "Number of requests where the company produced some data.",
    ),
    Column(
        "percent_with_data",
        "percent",
        False,
        "Percentage of requests where the company produced some data, 0-100, without a % sign.",
    ),
    Column(
        "requests_content",
        "count",
        False,
        "Number of requests where the company disclosed content (messages, files, photos).",
        optional_in_header=True,
    ),
    Column(
        "requests_non_content_only",
        "count",
        False,
        "Number of requests where the company disclosed only non-content data (subscriber or traffic data).",
        optional_in_header=True,
    ),
    Column(
        "requests_no_data",
        "count",
        False,
        "Number of requests where no data was disclosed because none was found or none was provided.",
        optional_in_header=True,
    ),
    Column(
        "requests_rejected",
        "count",
        False,
        "Number of requests the company rejected in full or challenged in part.",
        optional_in_header=True,
    ),
    Column(
        "identifiers",
        "count",
        False,
        "Number of devices, payment identifiers or push tokens the requests specified, where a request "
        "names things other than accounts (Apple).",
        optional_in_header=True,
    ),
    Column(
        "accounts_preserved",
        "count",
        False,
        "Number of accounts whose data was preserved (preservation requests).",
        optional_in_header=True,
    ),
    Column("source_url", "url", True, "The company's report page that publishes these figures (https)."),
    Column("source_file", "text", False, "The file name of the company's download the row was read from."),
    Column(
        "source_date",
        "date",
        False,
        "When the company published the download the row was read from (its vintage): the date given "
        "on import, or else the last day of the latest period the download covers (a period with only "
        "a stray row or two is left out). Of two versions of a figure, the one from the later download "
        "(for two of one date, the newer layout) is current; the other is kept as a revision, in "
        "data/revisions.",
        optional_in_header=True,
    ),
    Column(
        "derived",
        "list",
        False,
        "Metric columns of this row that were computed rather than published, separated by spaces "
        "(e.g. “requests_with_data”); the note says how.",
    ),
    Column("note", "text", False, "Footnotes: the company's own, and how any derived value was computed."),
)

COLUMN_NAMES: tuple[str, ...] = tuple(column.name for column in COLUMNS)
HEADER_REQUIRED: tuple[str, ...] = tuple(c.name for c in COLUMNS if not c.optional_in_header)
COUNT_COLUMNS: tuple[str, ...] = tuple(c.name for c in COLUMNS if c.kind == "count")
PERCENT_COLUMNS: tuple[str, ...] = tuple(c.name for c in COLUMNS if c.kind == "percent")
METRIC_COLUMNS: tuple[str, ...] = COUNT_COLUMNS + PERCENT_COLUMNS
# A series: one company's figures of one kind for one service and jurisdiction, over time.
KEY_COLUMNS: tuple[str, ...] = ("company", "service", "jurisdiction", "request_type")
# A row: one period of a series; no two rows share it. In the order of the file's columns.
ROW_KEY: tuple[str, ...] = ("company", "service", "jurisdiction", "period_start", "period_end", "request_type")
SORT_COLUMNS: tuple[str, ...] = ("jurisdiction", "period_start", "period_end", "service", "request_type")

# slug -> (reader's name, definition)
REQUEST_TYPES: dict[str, tuple[str, str]] = {
    "all": ("All requests", "Every request for user data the company counted, of any legal kind."),
    "legal_process": (
        "Legal process",
        "Requests made with legal process (subpoenas, court orders, warrants), excluding emergencies.",
    ),
    "emergency": (
        "Emergency",
        "Emergency disclosure requests, made without legal process where life is said to be at risk.",
    ),
    "preservation": (
        "Preservation",
        "Requests to preserve an account's data while legal process is obtained; no data is disclosed.",
    ),
    "national_security": (
        "US national security",
        "US national security requests (FISA orders and National Security Letters), published as bands.",
    ),
    "fisa_content": ("FISA content", "US Foreign Intelligence Surveillance Act requests for content."),
    "fisa_non_content": (
        "FISA non-content",
        "US Foreign Intelligence Surveillance Act requests for non-content data.",
    ),
    "nsl": ("National Security Letters", "US National Security Letters."),
    "diplomatic": (
        "Diplomatic",
        "Requests issued through diplomatic procedures, such as a mutual legal assistance treaty.",
    ),
    "search_warrant": ("Search warrant", "Requests made with a search warrant."),
    "subpoena": ("Subpoena", "Requests made with a subpoena."),
    "court_order": ("Court order", "Requests made with a court order other than a warrant."),
    "pen_register": ("Pen register", "Pen register or trap-and-trace orders."),
    "wiretap": ("Wiretap", "Wiretap orders (US Title III)."),
    "mlat": ("Mutual legal assistance", "Requests received through a mutual legal assistance treaty."),
    "device": ("Device", "Apple: requests about devices, identified by serial number or IMEI."),
    "financial_identifier": (
        "Financial identifier",
        "Apple: requests about credit cards or other payment identifiers, usually suspected fraud.",
    ),
    "account": ("Account", "Apple: requests about Apple ID accounts."),
    "push_token": ("Push token", "Apple: requests about push notification tokens."),
    "court_order_2703d": (
        "Court order 2703(d)",
        "US court orders under 18 USC 2703(d), for records other than content (Meta reports them apart).",
    ),
    "mlat_search_warrant": (
        "MLAT search warrant",
        "Search warrants obtained through a mutual legal assistance treaty (Meta reports them apart).",
    ),
    "police": ("Police request", "Google: requests from police without a court order (Ireland)."),
    "local_subsidiary": (
        "Local subsidiary",
        "Google: requests for data held by its subsidiary in the requesting country (e.g. Russia).",
    ),
    "cloud_act_order": (
        "CLOUD Act production order",
        "UK overseas production orders served under the US-UK CLOUD Act agreement.",
    ),
    "cloud_act_ipa": (
        "CLOUD Act IPA request",
        "UK Investigatory Powers Act requests for communications data, under the US-UK CLOUD Act agreement.",
    ),
    "cloud_act_interception": (
        "CLOUD Act interception warrant",
        "UK Investigatory Powers Act targeted interception warrants, for the content of communications as "
        "they are sent, under the US-UK CLOUD Act agreement.",
    ),
    "civil": (
        "Civil legal requests",
        "Microsoft: the requests its workbook lists in a sheet of their own, “Civil Legal Request "
        "Disclosures”, apart from its criminal and emergency law-enforcement requests; the workbook "
        "does not say who made them.",
    ),
}
