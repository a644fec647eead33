"""Everything a page may show, checked: the registry, the announcements, and the request table
with the views of it that pages share."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from builder.core.problems import Problem
from builder.core.values import Period
from builder.inputs.announcements import Announcement
from builder.inputs.events import Event
from builder.inputs.registry import Registry
from builder.inputs.revisions import Revision
from builder.model import figures as model
from builder.model import revisions, summaries, totals


@dataclass(frozen=True)
class CheckedTable:
    """The checked request table, with the positions of each jurisdiction's and each company's
    rows (grouping a world-size table takes longer than reading it from the cache)."""

    frame: pd.DataFrame
    positions: dict[str, dict[str, Any]]
    revisions: list[Revision]


class Tables:
    """The request table and its views that pages share, each made when first asked for: a run
    that rebuilds only the pages of an edited announcement reads little of a world-size table.

    """

    def __init__(self, load_table: Callable[[], CheckedTable], registry: Registry, data_dir: Path) -> None:
        self._load_table = load_table
        self.registry = registry
        self._data_dir = data_dir
        self._company_series: dict[str, list[totals.Headline]] = {}

    @functools.cached_property
    def _table(self) -> CheckedTable:
        return self._load_table()

    @property
    def frame(self) -> pd.DataFrame:
        return self._table.frame

    @property
    def revisions(self) -> list[Revision]:
        """The figures of earlier downloads that differ from the current ones (data/revisions)."""
        return self._table.revisions

    @functools.cached_property
    def revision_marks(self) -> dict[revisions.FigureKey, dict[str, str]]:
        return revisions.marks(self.revisions)

    def rows(self, column: str, value: str) -> pd.DataFrame:
        """The rows whose ``column`` ("jurisdiction" or "company") is ``value``."""
        positions = self._table.positions[column].get(value)
        return self.frame.iloc[0:0] if positions is None else self.frame.take(positions)

    def series(self, column: str, value: str) -> list[totals.Headline]:
        """The totals of the rows whose ``column`` is ``value`` (:func:`totals.headlines`); a
        company's are kept, since the home page and the company's page both show them."""
        if column == "company":
            if value not in self._company_series:
                self._company_series[value] = totals.headlines(model.figures(self.rows(column, value)), self.registry)
            return self._company_series[value]
        return totals.headlines(model.figures(self.rows(column, value)), self.registry)

    @functools.cached_property
    def published_periods(self) -> dict[str, set[Period]]:
        """The periods each company published figures for, in any jurisdiction."""
        bounds = self.frame[["company", "period_start_date", "period_end_date"]].drop_duplicates()
        result: dict[str, set[Period]] = {}
        for company, start, end in bounds.itertuples(index=False):
            result.setdefault(company, set()).add(Period(start.date(), end.date()))
        return result

    @functools.cached_property
    def company_newest(self) -> dict[str, dt.date]:
        """The end of the latest period each company published, in any jurisdiction."""
        return {slug: max(period.end for period in periods) for slug, periods in self.published_periods.items()}

    @functools.cached_property
    def newest_period_end(self) -> dt.date | None:
        """The end of the latest period any company published."""
        return None if self.frame.empty else self.frame["period_end_date"].max().date()

    @functools.cached_property
    def summaries(self) -> list[summaries.JurisdictionSummary]:
        return summaries.jurisdiction_summaries(self.frame, self.registry)

    @functools.cached_property
    def latest_volumes(self) -> dict[str, totals.LatestVolume]:
        """Each jurisdiction's latest period with a total (from the companies' series, kept)."""
        return totals.latest_volumes(h for slug in self.registry.companies for h in self.series("company", slug))

    @functools.cached_property
    def company_rows(self) -> list[tuple[Any, int, Any, Any]]:
        rows = []
        for slug, company in self.registry.companies.items():
            own = self.rows("company", slug)
            first, last = summaries.span(own)
            rows.append((company, own["jurisdiction"].nunique(), first, last))
        return rows


@dataclass(frozen=True)
class SiteData:
    registry: Registry
    tables: Tables
    jurisdictions: list[str]  # the codes with published figures
    announcements: list[Announcement]
    problems: list[Problem]  # warnings only: errors are raised
    events: list[Event] = field(default_factory=list)  # dated events that are no company's (data/events.yml)
