"""Meta's (Facebook's) per-half-year "Government Report" downloads.

One row per country, one group of columns per kind of request (a count, the accounts it
named, the percentage where some data was produced). The period is in the file name only.
Meta changed the header at least four times between 2013 and 2022; each variant is a layout
below, built from the same column groups.
"""

from __future__ import annotations

import re

from builder.importers.layout import Block, HalfYearInFileName, Layout, Metric

# Meta's US-only sub-types of legal process: column prefix -> request type.
LEGAL_PROCESS_KINDS: tuple[tuple[str, str], ...] = (
    ("Search Warrant", "search_warrant"),
    ("Subpoena", "subpoena"),
    ("Court Order (Other)", "court_order"),
    ("MLAT Search Warrant", "mlat_search_warrant"),
    ("MLAT Order", "mlat"),
    ("Court Order (18 USC 2703(d))", "court_order_2703d"),
    ("Pen Register/Trap and Trace", "pen_register"),
    ("Title III", "wiretap"),  # US Title III orders are wiretap orders
    ("FISA Content Requests", "fisa_content"),
    ("FISA Non-Content Requests", "fisa_non_content"),
    ("NSLs", "nsl"),
)

_NOT_USER_DATA = "content restrictions, takedowns and internet disruptions are not requests for user data"

_CURRENT_FILE_NAME = re.compile(r"Facebook-Government-Report-\d{4}_H[12]\b.*\.csv$")


def _group(request_type: str, total: str, prefix: str, produced: str | None = None) -> Block:
    return Block(
        request_type,
        total,
        requests=Metric(total),
        accounts=Metric(f"{prefix} Accounts"),
        requests_with_data=Metric(produced) if produced else None,
        percent_with_data=Metric(f"{prefix} Percentage"),
        optional=True,
    )


def _blocks(*, with_produced: bool, with_emergency_disclosures: bool) -> tuple[Block, ...]:
    def produced(column: str) -> str | None:
        return column if with_produced else None

    blocks = [
        _group("all", "Total Requests", "Total Requests", produced("Number of Requests Where Some Data Produced")),
        _group("legal_process", "Legal Process Request Total", "Legal Process Request Total",
               produced("Legal Number of Requests Where Some Data Produced")),
        _group("emergency", "Emergency Request Total", "Emergency Request Total",
               produced("ER Number of Requests Where Some Data Produced")),
    ]
    if with_emergency_disclosures:
        # The older name of the emergency figures, filled for the US before Meta filled
        # "Emergency Request Total"; where both are filled they agree (checked on import).
        blocks.append(_group("emergency", "Emergency Disclosures", "Emergency Disclosures"))
    # "Preservation Accounts Preserved" counts accounts preserved, not the accounts the
    # requests named, so it is not the accounts column.
    blocks.append(Block("preservation", "Preservation Requests", requests=Metric("Preservation Requests"),
                        accounts_preserved=Metric("Preservation Accounts Preserved"), optional=True))
    blocks += [_group(request_type, prefix, prefix) for prefix, request_type in LEGAL_PROCESS_KINDS]
    return tuple(blocks)


def _layout(name: str, blocks: tuple[Block, ...], ignored: tuple[str, ...]) -> Layout:
    return Layout(
        name=name,
        period=HalfYearInFileName(),
        blocks=blocks,
        ignored=dict.fromkeys(ignored, _NOT_USER_DATA),
        place_name="Country",
        file_name=_CURRENT_FILE_NAME,
        rank=2,
    )


_CONTENT_2013 = ("Content Restricted", "Takedown reports", "Percent Witheld", "Internet Disruptions")
_CONTENT_2017 = ("Content Restrictions", "Takedown reports", "Percent Witheld", "Internet Disruptions")

LAYOUTS: tuple[Layout, ...] = (
    _layout("meta-2013H1-to-2017H1", _blocks(with_produced=False, with_emergency_disclosures=True),
            _CONTENT_2013),
    _layout("meta-2017H2-to-2018H2", _blocks(with_produced=False, with_emergency_disclosures=False),
            _CONTENT_2017),
    _layout("meta-2019H1", _blocks(with_produced=True, with_emergency_disclosures=False), _CONTENT_2017),
    _layout("meta-2019H2-on", _blocks(with_produced=True, with_emergency_disclosures=False), ()),
    # The first download of 2013-H1: superseded by Meta's later file for the same half-year.
    Layout(
        name="meta-2013-first-download",
        period=HalfYearInFileName(),
        blocks=(Block("all", "Requests for User Data", requests=Metric("Requests for User Data"),
                      accounts=Metric("User Accounts Referenced"),
                      percent_with_data=Metric("Percentage of requests where some data produced")),),
        place_name="Country",
        file_name=re.compile(r"^facebook-government-report-\d{4}-H[12]\b.*\.csv$"),
        rank=1,
    ),
)
