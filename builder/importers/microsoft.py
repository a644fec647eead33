"""Microsoft's Law Enforcement Requests Report workbooks (``.xlsx``), one per half-year.

Each sheet is one kind of request: one row per country, a TOTAL row first. Every outcome is
published twice, as a count (``#``) and as its share of the requests (``%``, stored as a
fraction: ``0.0925``). The counts are imported; each share is checked against its count.
Microsoft changed the sheets three times; :mod:`builder.importers.workbook` turns each sheet
into a table, and each kind of header is a layout below:

* 2013-H2 to 2016-H2: one sheet of all law-enforcement requests; 2017-H1 and 2017-H2: a
  criminal and an emergency sheet. A header of three rows (group, figure, ``#`` or ``%``),
  the countries in column A.
* From 2018-H1: a criminal, an emergency and a civil sheet, a header of two rows (each
  outcome's heading spans its ``%`` and its ``#`` column, in that order), the countries in
  column B. Beside the criminal rows stands a side table of US warrants.
* 2017-H2's civil sheet: the three-row header, with the civil sheets' words.

The period is the one the file name states. The sheets' titles say the same, except 2017-H2's
civil sheet, titled "January 2017 - June 2017" in the report for July to December 2017: the
file name decides, as for every Microsoft sheet.
"""

from __future__ import annotations

from builder.importers.layout import Block, HalfYearInFileName, Layout, Metric, Share
from builder.importers.workbook import SHEET_COLUMN

# Sheet name -> request type. Until 2016-H2 the one sheet counts every law-enforcement
# request ("Total Number of Law Enforcement Requests", for all Microsoft services), whatever
# its name; from 2017-H1 criminal and emergency requests have sheets of their own. In 2017-H2
# the criminal sheet is still named "TOTAL (2)", beside "Emergencies (2)": the same table is
# named "Criminal" from 2018-H1 on.
LAW_ENFORCEMENT_SHEETS: dict[str, str] = {
    "All Microsoft Services": "all",
    "Combined LERR": "all",
    "LERR": "all",
    "Sheet1": "all",
    "TOTAL": "all",
    "Total - Criminal": "legal_process",
    "TOTAL (2)": "legal_process",
    "Criminal": "legal_process",
    "Total - Emergencies": "emergency",
    "Emergencies (2)": "emergency",
    "Emergencies": "emergency",
}
CIVIL_SHEETS: dict[str, str] = {"Civil Legal Requests": "civil"}

_GIVEN = "Some Customer Data Disclosed"
_NOT_GIVEN = "No Customer Data Disclosed"
_REQUESTS = "Total Requests"

# The headings of each outcome, by the canonical count column it fills.
LAW_ENFORCEMENT_OUTCOMES: dict[str, str] = {
    "requests_content": f"{_GIVEN} | Law Enforcement Requests Resulting in Disclosure of Content",
    "requests_non_content_only": (f"{_GIVEN} | Law Enforcement Requests Resulting in Disclosure of Only "
                                  "Subscriber/Transactional (Non-Content) Data"),
    "requests_no_data": (f"{_NOT_GIVEN} | Law Enforcement Requests Resulting in Disclosure of No Customer "
                         "Data (No Data Found)"),
    "requests_rejected": (f"{_NOT_GIVEN} | Law Enforcement Requests Resulting in Disclosure of No Customer "
                          "Data (Request Rejected for Not Meeting Legal Requirements)"),
}
CIVIL_OUTCOMES: tuple[str, ...] = (
    f"{_GIVEN} | Disclosure of Content",
    f"{_GIVEN} | Only Subscriber/ Transactional (Non-Content) Data",
    f"{_NOT_GIVEN} | No Data Found",
    f"{_NOT_GIVEN} | Rejected",
)

# From 2018-H1 the civil sheets count accounts by outcome, not requests: each % is its count
# divided by the accounts, and the four counts add up to the accounts. The dataset's outcome
# columns count requests. 2017-H2's civil sheet does divide by the requests, but its counts
# do not add up to them (the United States: 115 outcomes of 108 requests, and 10 "no data
# found" published as 0%); it is read as the later ones are.
_CIVIL_OUTCOMES_LEFT_OUT = ("Microsoft's civil outcomes count accounts from 2018-H1 on, and do not add up in "
                            "2017-H2; the dataset's outcome columns count requests")

_SIDE_TABLE = ("a side table beside the criminal rows: US warrants for content stored outside the United "
               "States (its headings stand in the Taiwan row, its figures in the United States row); not "
               "figures of the row it stands in")

_TOTAL_ROW = {"TOTAL": "adds up all places; it is not a jurisdiction"}

# In 2015-H2 the workbook adds up Microsoft's and Skype's figures by formula, and for four
# countries it adds a fraction from another column of Skype's sheet to the count of
# non-content disclosures, so that count and the requests (their sum) are fractions, such as
# 20.142857 requests for Israel. Which whole numbers were meant the workbook does not say.
_FRACTION_ADDED = ("has fractional counts of requests and of non-content disclosures: the company's workbook "
                   "adds a fraction from another column of its Skype sheet to the count (a formula error)")
BROKEN_ROWS: dict[tuple[str, str], str] = {
    ("Microsoft-LERR_2015_H2.xlsx", place): _FRACTION_ADDED
    for place in ("Israel", "Italy", "Japan", "Korea, Republic Of")
}


def _three_rows(heading: str) -> tuple[str, str]:
    """The share and count columns under ``heading``, where a third header row says ``%`` or ``#``."""
    return f"{heading} | %", f"{heading} | #"


def _two_rows(heading: str) -> tuple[str, str]:
    """The share and count columns under ``heading``, where it spans both: the share comes first."""
    return f"{heading} (1 of 2)", f"{heading} (2 of 2)"


def _law_enforcement_block(*, third_row: bool) -> Block:
    columns = _three_rows if third_row else _two_rows
    count_mark = " | #" if third_row else ""
    outcomes = {count: columns(heading) for count, heading in LAW_ENFORCEMENT_OUTCOMES.items()}
    return Block(
        None,
        None,
        requests=Metric(f"{_REQUESTS} | Total Number of Law Enforcement Requests{count_mark}"),
        accounts=Metric(f"{_REQUESTS} | Accounts / Users Specified in Requests{count_mark}"),
        **{count: Metric(count_column) for count, (_, count_column) in outcomes.items()},
        shares=tuple(Share(share_column, count) for count, (share_column, _) in outcomes.items()),
        with_data=("requests_content", "requests_non_content_only"),
    )


def _law_enforcement(name: str, *, third_row: bool, place: str, side_table: bool = False) -> Layout:
    ignored = dict.fromkeys(("(column Q)", "(column R)"), _SIDE_TABLE) if side_table else {}
    return Layout(
        name=name,
        period=HalfYearInFileName(),
        blocks=(_law_enforcement_block(third_row=third_row),),
        ignored=ignored,
        place_name=place,
        type_column=SHEET_COLUMN,
        type_values=LAW_ENFORCEMENT_SHEETS,
        not_jurisdictions=_TOTAL_ROW,
        broken_rows=BROKEN_ROWS,
    )


def _civil(name: str, *, third_row: bool, place: str) -> Layout:
    columns = _three_rows if third_row else _two_rows
    count_mark = " | #" if third_row else ""
    return Layout(
        name=name,
        period=HalfYearInFileName(),
        blocks=(Block(None, None, requests=Metric(f"{_REQUESTS} | Total Number of Requests{count_mark}"),
                      accounts=Metric(f"{_REQUESTS} | Accounts / Users Specified in Requests{count_mark}")),),
        ignored=dict.fromkeys((column for heading in CIVIL_OUTCOMES for column in columns(heading)),
                              _CIVIL_OUTCOMES_LEFT_OUT),
        place_name=place,
        type_column=SHEET_COLUMN,
        type_values=CIVIL_SHEETS,
        not_jurisdictions=_TOTAL_ROW,
    )


LAYOUTS: tuple[Layout, ...] = (
    _law_enforcement("microsoft-2013H2-to-2017H2", third_row=True, place="(column A)"),
    _law_enforcement("microsoft-2018H1-on-criminal", third_row=False, place="(column B)", side_table=True),
    _law_enforcement("microsoft-2018H1-on", third_row=False, place="(column B)"),
    _civil("microsoft-civil-2017H2", third_row=True, place="(column A)"),
    _civil("microsoft-civil-2018H1-on", third_row=False, place="(column B)"),
)
