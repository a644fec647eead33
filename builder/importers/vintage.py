"""A download's vintage: which periods it holds figures for, and when it was published.

A company's cumulative download restates every period each time it is published, so two
downloads of different dates are two versions of the same figures; the later one is current
(:mod:`builder.importers.merge`). The date is the one given on import (``--published``), or
else the last day of the latest period the file covers.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from builder.core.values import Period
from builder.importers.records import ImportedRow

# A period with a row or two, in a file whose median period has dozens, is an early row for a
# period the company has not published yet (Google's 2025 download ends with a lone 2025-H2
# row), not that period's figures. A download that lists places lists dozens a period (Google
# about 150, Apple 24 to 51); a file that lists one place a period (the US national security
# files) has a small median and is never touched. Three periods at least,
# so that the median is a typical period and not the mean of two.
STRAY_MAX_ROWS = 2
TYPICAL_MIN_ROWS = 20
MIN_PERIODS = 3


@dataclass(frozen=True)
class StrayPeriod:
    period: Period
    rows: tuple[int, ...]  # the file's spreadsheet rows for it
    typical: float  # the rows of the file's median period

    def reason(self, row: int) -> str:
        count = len(self.rows)
        return (f"row {row}: period {self.period.label} has {count} row{'s' if count > 1 else ''} in this file, "
                f"against {self.typical:g} in its median period; not yet the period's figures")


def _period(row: ImportedRow) -> Period:
    return Period(dt.date.fromisoformat(row.cells["period_start"]), dt.date.fromisoformat(row.cells["period_end"]))


def stray_periods(rows: Sequence[ImportedRow]) -> list[StrayPeriod]:
    """The periods of one file that hold too few rows to be the period's figures."""
    source_rows: dict[Period, set[int]] = defaultdict(set)
    for row in rows:
        source_rows[_period(row)].add(row.row)  # a source row may give several request types
    if len(source_rows) < MIN_PERIODS:
        return []
    typical = statistics.median(len(numbers) for numbers in source_rows.values())
    if typical < TYPICAL_MIN_ROWS:
        return []
    return [StrayPeriod(period, tuple(sorted(numbers)), typical)
            for period, numbers in sorted(source_rows.items()) if len(numbers) <= STRAY_MAX_ROWS]


def latest_period_end(rows: Sequence[ImportedRow]) -> dt.date | None:
    """The last day of the latest period the rows cover: a download's default vintage."""
    return max((_period(row).end for row in rows), default=None)
