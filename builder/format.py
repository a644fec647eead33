"""How values read on the page: ``1,234``, ``0–249``, ``43%``, ``not reported``."""

from __future__ import annotations

from decimal import Decimal

from builder.values import Count

NOT_REPORTED = "not reported"


def number_text(value: int) -> str:
    return f"{value:,}"


def count_text(value: Count | None) -> str:
    if value is None:
        return NOT_REPORTED
    if value.is_exact:
        return number_text(value.low)
    return f"{number_text(value.low)}–{number_text(value.high)}"


def percent_text(value: Decimal | None) -> str:
    if value is None:
        return NOT_REPORTED
    return f"{format(value.normalize(), 'f')}%"
