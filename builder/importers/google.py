"""Google's "Global requests for user information" downloads.

Google's own README.txt (data/sources/official/google/) defines every field. One row is a
period x country x legal process; the period is given by the day it ends.
"""

from __future__ import annotations

import datetime as dt
import re

from builder.importers.layout import Block, EndOfHalfYear, Layout, Metric

# The `Legal Process` values and the request types they are. Google's labels have changed
# (`Legal Requests` became `Other Legal Requests`; `Court Orders` is Ireland's, `Other Court
# Orders` the United States'); the company_label column keeps Google's own word.
LEGAL_PROCESS: dict[str, str] = {
    "All": "all",
    "Emergency Disclosure Requests": "emergency",
    "Preservation Requests": "preservation",
    "Other Legal Requests": "legal_process",
    "Legal Requests": "legal_process",
    "Search Warrants": "search_warrant",
    "Subpoenas": "subpoena",
    "Other Court Orders": "court_order",
    "Court Orders": "court_order",
    "Pen Register Orders": "pen_register",
    "Wiretap Orders": "wiretap",
    "Police Requests": "police",
    "Requests for data of local subsidiary": "local_subsidiary",
    "CLOUD ACT - OPOs": "cloud_act_order",
    "CLOUD Act - IPA CDRs": "cloud_act_ipa",  # communications data requests
    "CLOUD Act - IPA TIWs": "cloud_act_interception",  # targeted interception warrants
}

# NOT REPORTED IS NOT ZERO. Google's current download writes 0 where it had not yet published
# a figure; its 2017 download leaves those cells blank, which shows exactly which periods:
# every percentage is blank for the periods ending 2009-12-31 and 2010-06-30, every account
# count for those and the period ending 2010-12-31. So: the first period end each was published for.
FIRST_REPORTED: dict[str, dt.date] = {
    "percent_with_data": dt.date(2010, 12, 31),
    "accounts": dt.date(2011, 6, 30),
}

def _requests_layout(name: str, *, place: str, date_formats: tuple[str, ...], percent: str, accounts: str,
                     file_name: str, rank: int) -> Layout:
    return Layout(
        name=name,
        period=EndOfHalfYear("Period Ending", date_formats),
        blocks=(Block(None, None, requests=Metric("User Data Requests"), accounts=Metric(accounts),
                      percent_with_data=Metric(percent)),),
        # The code is used; the name only where the code is blank (Google's one
        # "United Nations" row, which builder.core.jurisdictions codes as CLDR's UN).
        place_name=place,
        place_code="CLDR Territory Code",
        type_column="Legal Process",
        type_values=LEGAL_PROCESS,
        file_name=re.compile(file_name),
        rank=rank,
        first_reported=FIRST_REPORTED,
    )


CURRENT = _requests_layout(
    "google-user-data-requests",
    place="Country/Region",
    date_formats=("%Y-%m-%d",),
    percent="Percentage disclosed",
    accounts="Accounts",
    file_name=r"^google-global-user-data-requests\b.*\.csv$",
    rank=2,
)

LEGACY = _requests_layout(
    "google-user-data-requests-2017",
    place="Country",
    date_formats=("%d/%m/%y",),
    percent="Percentage of requests where some data produced",
    accounts="Users/Accounts Specified",
    file_name=r"^google-user-data-requests\b.*\.csv$",
    rank=1,
)

DIPLOMATIC = Layout(
    name="google-diplomatic-requests",
    period=EndOfHalfYear("Period Ending"),
    blocks=(Block("diplomatic", "User Data Diplomatic Legal requests",
                  requests=Metric("User Data Diplomatic Legal requests")),),
    place_name="Country/Region of Origin",
    place_code="CLDR Territory Code",
    # One row per country whose authorities passed the request on to Google (United States
    # or Ireland): the parts of one figure, added up with the parts listed in the note.
    parts_column="Assisting Country",
    file_name=re.compile(r"^google-global-user-data-dlr-requests\b.*\.csv$"),
)


def _national_security(request_type: str, label: str, file_part: str) -> Layout:
    # The three files share one header; only the file name tells FISA content, FISA
    # non-content and National Security Letters apart.
    return Layout(
        name=f"google-{file_part}-requests",
        period=EndOfHalfYear("Reporting period ending date"),
        blocks=(Block(request_type, label,
                      requests=Metric("Number of requests (range MIN)", "Number of requests (range MAX)"),
                      accounts=Metric("Number of accounts (range MIN)", "Number of accounts (range MAX)")),),
        jurisdiction="US",
        file_name=re.compile(rf"^google-usnationalsecurity-{file_part}-requests\b.*\.csv$"),
    )


LAYOUTS: tuple[Layout, ...] = (
    CURRENT,
    LEGACY,
    DIPLOMATIC,
    _national_security("fisa_content", "FISA content requests", "fisa-content"),
    _national_security("fisa_non_content", "FISA non-content requests", "fisa-non-content"),
    _national_security("nsl", "National Security Letters", "nsl"),
)
