"""Views of the request table that the pages and charts show.

Every function here takes the parsed table and returns plain records; no page text is made
here. A :class:`Figure` is one published row, with its values kept as exact / range / not
reported (``None``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd

from builder.registry import Company, Registry
from builder.schema import COUNT_COLUMNS
from builder.values import Count, Period


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


def headline(frame: pd.DataFrame, registry: Registry) -> pd.DataFrame:
    """What charts compare: per company, jurisdiction and period, the row of the company's most
    preferred headline request type that it published (service ``all``)."""
    preference = {
        (slug, request_type): rank
        for slug, company in registry.companies.items()
        for rank, request_type in enumerate(company.headline_request_types)
    }
    ranks = pd.Series(
        [preference.get(key) for key in zip(frame["company"], frame["request_type"], strict=True)],
        index=frame.index, dtype="Float64",
    )
    mask = (frame["service"] == "all") & ranks.notna()
    chosen = frame[mask].assign(headline_rank=ranks[mask])
    chosen = chosen.sort_values("headline_rank", kind="stable")
    key = ["company", "jurisdiction", "period_start", "period_end"]
    return chosen.drop_duplicates(subset=key, keep="first").drop(columns="headline_rank").sort_index()


def by_jurisdiction(frame: pd.DataFrame) -> Iterator[tuple[str, pd.DataFrame]]:
    yield from frame.groupby("jurisdiction", sort=True)


def by_company(frame: pd.DataFrame) -> Iterator[tuple[str, pd.DataFrame]]:
    yield from frame.groupby("company", sort=True)


@dataclass(frozen=True)
class Latest:
    """A company's most recent headline figures for one jurisdiction."""

    company: Company
    figure: Figure


def latest_by_company(rows: pd.DataFrame, registry: Registry) -> list[Latest]:
    """For each company, its latest row of ``rows`` (headline rows, see :func:`headline`), in
    registry order."""
    if rows.empty:
        return []
    # One sort and one pass for all companies, not a filter and a sort per company.
    latest = rows.sort_values(["period_end_date", "period_start_date"]).groupby("company", sort=False).tail(1)
    by_company = {figure.company: figure for figure in figures(latest)}
    return [Latest(company, by_company[slug]) for slug, company in registry.companies.items() if slug in by_company]


def periods_of(frame: pd.DataFrame) -> list[Period]:
    """The distinct reporting periods in ``frame``, in order."""
    bounds = frame[["period_start_date", "period_end_date"]].drop_duplicates()
    return sorted(Period(start.date(), end.date())
                  for start, end in zip(bounds["period_start_date"], bounds["period_end_date"], strict=True))


@dataclass(frozen=True)
class Total:
    """A sum over jurisdictions of reported figures; ranges add up to a range."""

    period: Period
    requests: Count | None
    reported: int  # jurisdictions whose figure went into the sum
    not_reported: int  # jurisdictions listed for the period without a figure


def totals_by_period(rows: pd.DataFrame, metric: str = "requests") -> list[Total]:
    """Per period, the sum of ``metric`` over the jurisdictions that reported it."""
    result = []
    grouped = rows.groupby(["period_start_date", "period_end_date"], sort=True)
    for (start, end), group in grouped:
        reported = group[group[f"{metric}_low"].notna()]
        total = None
        if not reported.empty:
            total = Count(int(reported[f"{metric}_low"].sum()), int(reported[f"{metric}_high"].sum()))
        result.append(Total(Period(start.date(), end.date()), total, len(reported), len(group) - len(reported)))
    return result


def top_jurisdictions(rows: pd.DataFrame, limit: int) -> tuple[Period | None, list[Figure]]:
    """The jurisdictions with most requests in the latest period of ``rows`` (headline rows)."""
    reported = rows[rows["requests_low"].notna()]
    if reported.empty:
        return None, []
    last_end = reported["period_end_date"].max()
    latest = reported[reported["period_end_date"] == last_end]
    latest = latest.sort_values(["requests_high", "requests_low", "jurisdiction"], ascending=[False, False, True])
    chosen = figures(latest.head(limit))
    chosen.sort(key=lambda f: (-f.requests.high, -f.requests.low, f.jurisdiction))  # type: ignore[union-attr]
    return chosen[0].period if chosen else None, chosen


def periods(figures_: Iterable[Figure]) -> list[Period]:
    return sorted({figure.period for figure in figures_})
