"""Views of the request table that the pages and charts show.

Every function here takes the parsed table and returns plain records; no page text is made
here. A :class:`Figure` is one published row, with its values kept as exact / range / not
reported (``None``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd

from builder.core.schema import COUNT_COLUMNS
from builder.core.values import Count, Period


@dataclass(frozen=True)
class Figure:
    company: str
    service: str
    jurisdiction: str
    period: Period
    request_type: str
    company_label: str
    requests: Count | None
    accounts: Count | None
    requests_with_data: Count | None
    percent_with_data: Decimal | None
    requests_content: Count | None
    requests_non_content_only: Count | None
    requests_no_data: Count | None
    requests_rejected: Count | None
    identifiers: Count | None
    accounts_preserved: Count | None
    source_url: str
    source_file: str
    source_date: str
    derived: tuple[str, ...]
    note: str
    warning: str


def _counts(frame: pd.DataFrame, name: str) -> list[Count | None]:
    """The column pair ``<name>_low``/``_high`` as counts; ``None`` where either is missing."""
    low, high = frame[f"{name}_low"], frame[f"{name}_high"]
    missing = (low.isna() | high.isna()).tolist()
    shared: dict[tuple[int, int], Count] = {}  # a Count is immutable; equal ones can be one object
    result: list[Count | None] = []
    for gap, a, b in zip(missing, low.tolist(), high.tolist(), strict=True):
        if gap:
            result.append(None)
        else:
            count = shared.get((a, b))
            if count is None:
                count = shared[(a, b)] = Count(int(a), int(b))
            result.append(count)
    return result


_FIGURE_TEXT = ("company", "service", "jurisdiction", "request_type", "company_label", "percent_with_data",
                "source_url", "source_file", "source_date", "derived", "note", "warning")


def figures(frame: pd.DataFrame) -> list[Figure]:
    """The rows of ``frame`` as figures, in period order."""
    # Built column-wise, with the few distinct periods, percentages and derived lists parsed once
    # each: a world-size jurisdiction has thousands of rows.
    columns = {name: frame[name].tolist() for name in _FIGURE_TEXT}
    # Period bounds as integers: turning every cell into a Timestamp costs more than the rest.
    for name in ("period_start_date", "period_end_date"):
        columns[name] = frame[name].to_numpy(dtype="datetime64[ns]").view("int64").tolist()
    counts = {name: _counts(frame, name) for name in COUNT_COLUMNS}
    periods: dict[tuple[object, object], Period] = {}
    percents: dict[str, Decimal | None] = {}
    derived: dict[str, tuple[str, ...]] = {}
    result = []
    for i in range(len(frame)):
        bounds = (columns["period_start_date"][i], columns["period_end_date"][i])
        if bounds not in periods:
            periods[bounds] = Period(pd.Timestamp(bounds[0]).date(), pd.Timestamp(bounds[1]).date())
        percent_text = columns["percent_with_data"][i]
        if percent_text not in percents:
            percents[percent_text] = Decimal(percent_text) if percent_text else None
        derived_text = columns["derived"][i]
        if derived_text not in derived:
            derived[derived_text] = tuple(derived_text.split())
        result.append(Figure(
            company=columns["company"][i],
            service=columns["service"][i],
            jurisdiction=columns["jurisdiction"][i],
            period=periods[bounds],
            request_type=columns["request_type"][i],
            company_label=columns["company_label"][i],
            percent_with_data=percents[percent_text],
            source_url=columns["source_url"][i],
            source_file=columns["source_file"][i],
            source_date=columns["source_date"][i],
            derived=derived[derived_text],
            note=columns["note"][i],
            warning=columns["warning"][i],
            **{name: values[i] for name, values in counts.items()},
        ))
    result.sort(key=lambda f: (f.period, f.company, f.service, f.request_type))
    return result


def by_jurisdiction(frame: pd.DataFrame) -> Iterator[tuple[str, pd.DataFrame]]:
    yield from frame.groupby("jurisdiction", sort=True)


def by_company(frame: pd.DataFrame) -> Iterator[tuple[str, pd.DataFrame]]:
    yield from frame.groupby("company", sort=True)


def periods_of(frame: pd.DataFrame) -> list[Period]:
    """The distinct reporting periods in ``frame``, in order."""
    bounds = frame[["period_start_date", "period_end_date"]].drop_duplicates()
    return sorted(Period(start.date(), end.date())
                  for start, end in zip(bounds["period_start_date"], bounds["period_end_date"], strict=True))
