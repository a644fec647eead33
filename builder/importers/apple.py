"""Apple's transparency report downloads: one file per kind of request.

Every file has the period three times (a label such as ``2013 H1`` and ``m/d/yy`` start and
end dates; the import checks they agree) and writes ``-`` for figures not reported.
"""

from __future__ import annotations

from builder.importers.layout import Block, Layout, Metric, StartAndEnd

_PERIOD = StartAndEnd("TR Period", "TR Start Date", "TR End Date", ("%m/%d/%y",))
_PLACE = "Country/Region"
_PERCENT = Metric("Percentage of Requests where Data Provided")


def _identifier_layout(name: str, request_type: str, subject: str, noun: str) -> Layout:
    # Devices, financial identifiers and push tokens are not users or accounts, so their
    # number is the identifiers column rather than the accounts column.
    received = f"{subject} Requests Received"
    return Layout(
        name=name,
        period=_PERIOD,
        blocks=(Block(request_type, received, requests=Metric(received),
                      requests_with_data=Metric("Requests where Data Provided"), percent_with_data=_PERCENT,
                      identifiers=Metric(f"{noun} Specified in Requests")),),
        place_name=_PLACE,
    )


ACCOUNT = Layout(
    name="apple-account-requests",
    period=_PERIOD,
    blocks=(Block("account", "Account Requests Received", requests=Metric("Account Requests Received"),
                  accounts=Metric("Accounts Specified in Requests"), percent_with_data=_PERCENT,
                  requests_rejected=Metric("Requests Challenged in Part or Rejected in Full"),
                  requests_non_content_only=Metric("Requests where Only Non-Content Data Provided"),
                  requests_content=Metric("Requests where Content Provided")),),
    place_name=_PLACE,
)

ACCOUNT_PRESERVATION = Layout(
    name="apple-account-preservation-requests",
    # This one file labels the period "TR Date" where the others say "TR Period".
    period=StartAndEnd("TR Date", "TR Start Date", "TR End Date", ("%m/%d/%y",)),
    blocks=(Block("preservation", "Account Preservation Requests Received",
                  requests=Metric("Account Preservation Requests Received"),
                  accounts=Metric("Accounts Specified in Requests"),
                  accounts_preserved=Metric("Accounts where Data Preserved")),),
    place_name=_PLACE,
)

EMERGENCY = Layout(
    name="apple-emergency-requests",
    period=_PERIOD,
    blocks=(Block("emergency", "Emergency Requests Received", requests=Metric("Emergency Requests Received"),
                  requests_with_data=Metric("Requests where Data Provided"), percent_with_data=_PERCENT,
                  requests_rejected=Metric("Requests Rejected/Challenged and No Data Provided"),
                  requests_no_data=Metric("Requests where No Data Provided")),),
    place_name=_PLACE,
)

NATIONAL_SECURITY = Layout(
    name="apple-us-national-security-requests",
    period=_PERIOD,
    blocks=(Block(None, None, requests=Metric("Requests Received"), accounts=Metric("Users/Accounts")),),
    place_name=_PLACE,
    # Bands for all national security requests until 2017-H2, then one band per kind.
    type_column="National Security Requests Type+",
    type_values={
        "National Security": "national_security",
        "FISA Content": "fisa_content",
        "FISA Non-Content": "fisa_non_content",
        "NSLs": "nsl",
    },
)

LAYOUTS: tuple[Layout, ...] = (
    _identifier_layout("apple-device-requests", "device", "Device", "Devices"),
    _identifier_layout("apple-financial-identifier-requests", "financial_identifier", "Financial Identifier",
                       "Financial Identifiers"),
    _identifier_layout("apple-push-token-requests", "push_token", "Push Token", "Push Tokens"),
    ACCOUNT,
    ACCOUNT_PRESERVATION,
    EMERGENCY,
    NATIONAL_SECURITY,
)
