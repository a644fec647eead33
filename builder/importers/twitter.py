"""Twitter's (X's) information-requests downloads, of two kinds.

The report pages offered one file per half-year, 2012-H1 … 2018-H2
(``information-requests-report-jan-jun-2017.csv``): one row per country, the period written
``January - June 2017``, a ``TOTAL`` row last. Twitter reordered the columns (2012–2015 start
``COUNTRY,ISO CODE,TIME PERIOD``, 2016–2018-H1 ``TIME PERIOD,COUNTRY,ISO CODE``; a header is
matched as a set of names, so one layout reads both orders) and for 2018-H2 dropped the ISO
code and the links and moved ``ACCOUNTS SPECIFIED`` before the percentage.

Its last Transparency Center offered one cumulative download
(``Twitter_Transparency-Information_Requests_Jul-Dec-2020.csv``): every half-year from 2012-H1,
keyed by the day it starts, in two titled tables. The first holds government requests:
routine, emergency and combined requests, rates written as fractions, preservation requests,
places by name only. The second holds requests from other parties, which the dataset leaves
out. A country that sent no request has no row.

``-`` and ``NULL`` are "not reported"; ``1*`` is a count with a footnote, kept in the note.
"""

from __future__ import annotations

import datetime as dt
import re

from builder.importers.layout import Block, Layout, Metric, MonthSpan, StartOfHalfYear

# The dataset holds jurisdictions only; any total can be computed from them.
_TOTAL = {"TOTAL": "adds up all places; it is not a jurisdiction"}


def _per_period(name: str, *, place_code: str | None, ignored: dict[str, str]) -> Layout:
    return Layout(
        name=name,
        period=MonthSpan("TIME PERIOD"),
        blocks=(Block("all", "Account information requests", requests=Metric("ACCOUNT INFORMATION REQUESTS"),
                      accounts=Metric("ACCOUNTS SPECIFIED"),
                      percent_with_data=Metric("PERCENTAGE WHERE SOME INFORMATION PRODUCED")),),
        ignored=ignored,
        place_name="COUNTRY",
        place_code=place_code,
        # Twitter writes the United Kingdom's code as UK (its 2017-H1 file alone says GB).
        place_codes={"UK": "GB"},
        not_jurisdictions=_TOTAL,
    )


PER_PERIOD = _per_period(
    "twitter-2012H1-to-2018H1",
    place_code="ISO CODE",
    ignored=dict.fromkeys(("FLAGS", "LINKS", "REPORT LINKS"), "links to images and pages of Twitter's site"),
)

PER_PERIOD_2018H2 = _per_period("twitter-2018H2", place_code=None, ignored={})

# The cumulative download splits requests into routine and emergency ones, and counts
# preservation requests, from 2016-H2 on; for every earlier period it writes 0 in those
# columns for every country, which means "not published", not "none".
_SPLIT_FIRST_REPORTED = dt.date(2016, 12, 31)

# As Twitter named it: ``Twitter_Transparency-Information_Requests_Jul-Dec-2020.csv``.
_CUMULATIVE_FILE_NAME = re.compile(r"^Twitter_Transparency-Information_Requests_[A-Za-z-]+\d{4}\b.*\.csv$")

NOT_A_GOVERNMENT = "requests from parties other than governments; not a government's request"


def _requests(request_type: str, kind: str, first_reported: dt.date | None = None) -> Block:
    return Block(request_type, f"{kind} requests", requests=Metric(f"{kind} requests"),
                 accounts=Metric(f"{kind} accounts specified"),
                 percent_with_data=Metric(f"{kind} compliance rate", fraction=True),
                 first_reported=first_reported)


CUMULATIVE_GOVERNMENT = Layout(
    name="twitter-cumulative-government",
    period=StartOfHalfYear("Time period start"),
    blocks=(
        _requests("all", "Combined"),
        _requests("legal_process", "Routine", _SPLIT_FIRST_REPORTED),
        _requests("emergency", "Emergency", _SPLIT_FIRST_REPORTED),
        # "Preservation accounts" stands where the other kinds of request have their
        # "accounts specified", and behaves as such a count: never 0 where there were
        # requests, and (but for one row) never fewer than the requests. It is the accounts
        # the requests named, not accounts whose data was preserved (accounts_preserved).
        Block("preservation", "Preservation requests", requests=Metric("Preservation requests"),
              accounts=Metric("Preservation accounts"), first_reported=_SPLIT_FIRST_REPORTED),
    ),
    place_name="Country",
    not_jurisdictions={"Other": "groups places Twitter does not name; it is not a jurisdiction"},
    file_name=_CUMULATIVE_FILE_NAME,
    # Where a per-period file gives the same row, this later download's figure is kept.
    rank=2,
)

# The second table: civil litigants and other non-government parties. Recognised, so that the
# file is not refused as unknown, and left out whole.
CUMULATIVE_NON_GOVERNMENT = Layout(
    name="twitter-cumulative-non-government",
    period=StartOfHalfYear("Time period start"),
    blocks=(),
    ignored=dict.fromkeys(("Information requests", "Compliance", "Accounts specified", "User notice"),
                          NOT_A_GOVERNMENT),
    place_name="Country",
    file_name=_CUMULATIVE_FILE_NAME,
    rank=2,
    left_out=NOT_A_GOVERNMENT,
)

LAYOUTS: tuple[Layout, ...] = (PER_PERIOD, PER_PERIOD_2018H2, CUMULATIVE_GOVERNMENT, CUMULATIVE_NON_GOVERNMENT)
