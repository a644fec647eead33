"""Twitter's (X's) information-requests download, one file per half-year."""

from __future__ import annotations

from builder.importers.layout import Block, Layout, Metric, MonthSpan

INFORMATION_REQUESTS = Layout(
    name="twitter-information-requests",
    period=MonthSpan("TIME PERIOD"),
    blocks=(Block("all", "Account information requests", requests=Metric("ACCOUNT INFORMATION REQUESTS"),
                  accounts=Metric("ACCOUNTS SPECIFIED"),
                  percent_with_data=Metric("PERCENTAGE WHERE SOME INFORMATION PRODUCED")),),
    ignored=dict.fromkeys(("FLAGS", "LINKS", "REPORT LINKS"), "links to images and pages of Twitter's site"),
    place_name="COUNTRY",
    place_code="ISO CODE",
    # The last row adds up every country: the dataset holds jurisdictions only, and any total
    # can be computed from them.
    totals=frozenset({"TOTAL"}),
)

LAYOUTS: tuple[Layout, ...] = (INFORMATION_REQUESTS,)
