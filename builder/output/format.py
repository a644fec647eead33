"""How values read on the page: ``1,234``, ``0–249``, ``at least 12``, ``43%``, ``7% — 3 of 43``,
``not reported``."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import TYPE_CHECKING

from builder.core.values import Count

if TYPE_CHECKING:
    from builder.model.totals import Headline, Share

NOT_REPORTED = "not reported"
# The company published the period, but this jurisdiction is not in it: not a 0.
NOT_LISTED = "not listed in this report"


def number_text(value: int) -> str:
    return f"{value:,}"


def count_text(value: Count | None) -> str:
    if value is None:
        return NOT_REPORTED
    if value.at_least:
        return f"at least {number_text(value.low)}"
    if value.is_exact:
        return number_text(value.low)
    return f"{number_text(value.low)}–{number_text(value.high)}"


def percent_text(value: Decimal | None) -> str:
    if value is None:
        return NOT_REPORTED
    return f"{format(value.normalize(), 'f')}%"


def share_value_text(value: Fraction) -> str:
    """A computed percentage for reading: whole numbers, one decimal below 1%."""
    if value == 0 or value >= 1:
        return str(int((Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal(1), ROUND_HALF_UP)))
    return str((Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.1"), ROUND_HALF_UP))


def share_percent_text(share: Share) -> str:
    """``7%``, ``42–43%``, ``at least 5%``; a published percentage as the company wrote it."""
    if share.published is not None:
        return percent_text(share.published)
    low = share_value_text(share.low)
    if share.at_least:
        return f"at least {low}%"
    high = share_value_text(share.high)
    return f"{low}%" if low == high else f"{low}–{high}%"


def share_text(headline: Headline | None) -> str:
    """A share with the counts it is made of: ``7% — 3 of 43``."""
    if headline is None or headline.requests is None:
        return NOT_REPORTED
    if headline.share is None:
        if headline.requests_with_data is None:
            return NOT_REPORTED
        return f"{count_text(headline.requests_with_data)} of {count_text(headline.requests)}"
    counts = f"{count_text(headline.requests_with_data)} of {count_text(headline.requests)}"
    if headline.requests_with_data is None:
        return f"{share_percent_text(headline.share)} of {count_text(headline.requests)}"
    return f"{share_percent_text(headline.share)} — {counts}"
