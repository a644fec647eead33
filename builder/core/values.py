"""The values a dataset cell can hold, parsed from and written back to canonical text.

A metric cell is one of three different things, and they stay different all the way to the page:

* an exact count (``384``),
* a range the company published instead of a count (``0-249``),
* nothing, because the company did not report it (an empty cell).

Percentages are kept as the decimal text the company published (``43``, ``83.5``) so that
no rounding is introduced on the way through.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from builder.core import patterns

MAX_CELL_LENGTH = 1000
_COUNT = re.compile(patterns.COUNT)
_RANGE = re.compile(f"({patterns.COUNT})-({patterns.COUNT})")
_PERCENT = re.compile(patterns.PERCENT)
_DATE = re.compile(patterns.DATE)
# Every date the data may hold, declared once. pandas keeps timestamps in nanoseconds, which
# reach only from 1677-09-21 to 2262-04-11; no report or announcement lies outside these years.
FIRST_DATE = dt.date(1900, 1, 1)
LAST_DATE = dt.date(2199, 12, 31)


class ValueProblem(ValueError):
    """A cell that cannot be read. ``code`` is an error code from :mod:`builder.core.problems`."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True, order=True)
class Count:
    """A count: exact when ``low == high``, otherwise the published range; or, for a total
    one of whose parts was not reported, a lower bound (``at_least``: ``low`` or more, the
    upper end unknown; ``high`` then equals ``low``)."""

    low: int
    high: int
    at_least: bool = False

    @property
    def is_exact(self) -> bool:
        return self.low == self.high and not self.at_least

    def __str__(self) -> str:
        if self.at_least:
            return f"{self.low}+"
        return str(self.low) if self.is_exact else f"{self.low}-{self.high}"

    def __add__(self, other: Count) -> Count:
        if self.at_least or other.at_least:
            low = self.low + other.low
            return Count(low, low, at_least=True)
        return Count(self.low + other.low, self.high + other.high)

    def or_more(self) -> Count:
        """This count as the lower bound of a total that also holds an unknown part."""
        return Count(self.low, self.low, at_least=True)


def parse_count(text: str) -> Count | None:
    """Parse a canonical count cell; ``None`` means "not reported"."""
    if text == "":
        return None
    if len(text) > MAX_CELL_LENGTH:
        raise ValueProblem("cell-too-long", f"the cell holds {len(text)} characters")
    if _COUNT.fullmatch(text):
        value = int(text)
        return Count(value, value)
    match = _RANGE.fullmatch(text)
    if match:
        low, high = int(match[1]), int(match[2])
        if low > high:
            raise ValueProblem(
                "range-reversed",
                f"the range starts at {low}, above its end {high}; write it as {high}-{low}",
            )
        return Count(low, high)
    raise ValueProblem(
        "bad-count",
        "expected a whole number (384), a range LOW-HIGH (0-249), "
        "or an empty cell for 'not reported'; no spaces, signs, separators or words",
    )


def format_count(value: Count | None) -> str:
    return "" if value is None else str(value)


def parse_percent(text: str) -> Decimal | None:
    """Parse a canonical percentage cell (0-100, no % sign); ``None`` means "not reported"."""
    if text == "":
        return None
    if len(text) > MAX_CELL_LENGTH:
        raise ValueProblem("cell-too-long", f"the cell holds {len(text)} characters")
    if not _PERCENT.fullmatch(text):
        raise ValueProblem(
            "bad-percent",
            "expected a percentage as a plain number between 0 and 100 (43 or 83.5), "
            "without a % sign, or an empty cell for 'not reported'",
        )
    try:
        value = Decimal(text)
    except InvalidOperation as error:  # pragma: no cover - the pattern admits only decimals
        raise ValueProblem("bad-percent", str(error)) from error
    if value > 100:
        raise ValueProblem("percent-out-of-bounds", "a percentage must lie between 0 and 100")
    return value


def format_percent(value: Decimal | None) -> str:
    return "" if value is None else str(value)


def parse_date(text: str) -> dt.date:
    """Parse an ISO date (``2020-12-31``) between :data:`FIRST_DATE` and :data:`LAST_DATE`."""
    if len(text) > MAX_CELL_LENGTH:
        raise ValueProblem("cell-too-long", f"the cell holds {len(text)} characters")
    if not _DATE.fullmatch(text):
        raise ValueProblem("bad-date", "expected an ISO date YYYY-MM-DD, e.g. 2020-12-31")
    try:
        day = dt.date.fromisoformat(text)
    except ValueError as error:
        raise ValueProblem("bad-date", f"not a real date: {error}") from error
    if not FIRST_DATE <= day <= LAST_DATE:
        raise ValueProblem("bad-date", f"the date lies outside the dates the builder supports, {FIRST_DATE} "
                                       f"to {LAST_DATE}; check the year")
    return day


def is_supported_date(text: str) -> bool:
    """Is ``text`` written YYYY-MM-DD and within the supported dates? (It may still be no real
    day, such as 2021-02-30.) ISO dates sort as text."""
    return _DATE.fullmatch(text) is not None and FIRST_DATE.isoformat() <= text <= LAST_DATE.isoformat()


@dataclass(frozen=True, order=True)
class Period:
    """A reporting period, both ends inclusive."""

    start: dt.date
    end: dt.date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueProblem(
                "period-reversed",
                f"the period ends ({self.end}) before it starts ({self.start}); swap the dates",
            )

    @functools.cached_property  # asked for in every cell of every table of a period
    def label(self) -> str:
        """A reader's name for the period: ``2020 H2``, ``2019``, ``2021 Q1`` or the two dates."""
        start, end = self.start, self.end
        if start.day == 1 and start.year == end.year and _is_month_end(end):
            months = (start.month, end.month)
            if months == (1, 12):
                return str(start.year)
            if months == (1, 6):
                return f"{start.year} H1"
            if months == (7, 12):
                return f"{start.year} H2"
            if end.month - start.month == 2 and start.month % 3 == 1:
                return f"{start.year} Q{start.month // 3 + 1}"
        return f"{start.isoformat()} to {end.isoformat()}"

    @property
    def midpoint(self) -> dt.date:
        return self.start + (self.end - self.start) / 2


def _is_month_end(day: dt.date) -> bool:
    return (day + dt.timedelta(days=1)).day == 1
