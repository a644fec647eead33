"""Totals of requests for user data, composed in the open from what each company published.

A company publishes one figure per request type; how those make up its total is declared in
``data/companies.yml`` (:class:`builder.inputs.registry.Composition`). A total is the company's own
figure where it published one, otherwise the sum of the parts it published, and then marked
derived with its parts listed. The arithmetic keeps the three kinds of figure apart:

* exact + exact is exact; a range in any part makes the total a range (lows, highs summed);
* a part whose figure was not reported makes the total a lower bound ("at least N");
* no part published at all: the total is not reported. Never a midpoint, never a silent 0.

Where a part publishes only a rounded percentage of requests with data (Google), its count
with data is every whole number consistent with that percentage: exact when only one is.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from builder.core.values import Count, Period
from builder.inputs.registry import TOTAL, Company, Composition, Registry
from builder.model.figures import Figure

# A share drawn from fewer requests than this says little; the share chart marks such points.
FEW_REQUESTS = 10


def counts_for_percent(requests: int, percent: Decimal) -> Count | None:
    """The counts with data that a published, rounded ``percent`` of ``requests`` admits.

    A percentage published with ``d`` decimals stands for every value within half a unit of
    its last digit: 42 requests at "5%" admits only 2 (4.8%), 7 at "43%" only 3 (42.9%).
    ``None`` when no whole number fits (the company's figures contradict each other).
    """
    exponent = percent.as_tuple().exponent
    decimals = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    half_unit = Fraction(1, 2 * 10**decimals)
    centre = Fraction(percent)
    low = max(0, math.ceil((centre - half_unit) * requests / 100))
    high = min(requests, math.floor((centre + half_unit) * requests / 100))
    return Count(low, high) if low <= high else None


def add(counts: Iterable[Count | None]) -> Count | None:
    """The sum of parts: a range if any part is one, at least the rest if any part is unknown,
    ``None`` if every part is unknown."""
    known = [count for count in counts]
    if not known or all(count is None for count in known):
        return None
    total = Count(0, 0)
    for count in known:
        total = total.or_more() if count is None else total + count
    return total


@dataclass(frozen=True)
class Share:
    """The share of requests where data was produced, in percent, from ``low`` to ``high``:
    as the company published it (``published``), or computed from counts."""

    low: Fraction
    high: Fraction
    at_least: bool = False
    published: Decimal | None = None

    @property
    def is_exact(self) -> bool:
        return self.low == self.high and not self.at_least


def share_of(with_data: Count | None, requests: Count | None) -> Share | None:
    """``with_data`` as a share of ``requests``; ``None`` where it cannot be computed (a total
    that is itself a lower bound, or a range that may be 0)."""
    if with_data is None or requests is None or requests.at_least or requests.low == 0:
        return None
    low = Fraction(100 * with_data.low, requests.high)
    high = low if with_data.at_least else Fraction(100 * with_data.high, requests.low)
    return Share(low, min(high, Fraction(100)), with_data.at_least)


@dataclass(frozen=True)
class Part:
    """One published figure inside a total; ``requests`` is ``None`` where not reported."""

    figure: Figure
    with_data: Count | None
    with_data_from_percent: bool

    @property
    def request_type(self) -> str:
        return self.figure.request_type

    @property
    def requests(self) -> Count | None:
        return self.figure.requests


@dataclass(frozen=True)
class Headline:
    """What charts and tables compare: one company's total for one jurisdiction and period."""

    company: str
    jurisdiction: str
    period: Period
    requests: Count | None
    accounts: Count | None
    requests_with_data: Count | None
    share: Share | None
    own: bool  # the company's own total, as published
    parts: tuple[Part, ...]  # the figures added up (the company's own total alone when ``own``)
    apart: tuple[Figure, ...]  # figures of request types the total does not include

    @property
    def derived(self) -> bool:
        """Is the total composed here (a sum of parts, or a part standing for the total), and
        not a figure the company published as its total? Nothing is derived from no figure."""
        return self.requests is not None and not self.own

    @property
    def composition(self) -> tuple[str, ...]:
        """The request types the total is made of; a change over time is a change of definition."""
        return tuple(sorted(part.request_type for part in self.parts))

    @property
    def few_requests(self) -> bool:
        return self.requests is not None and self.requests.high < FEW_REQUESTS


def _part(figure: Figure) -> Part:
    requests = figure.requests
    if figure.requests_with_data is not None:
        return Part(figure, figure.requests_with_data, "requests_with_data" in figure.derived)
    if requests is not None and requests.is_exact and figure.percent_with_data is not None:
        return Part(figure, counts_for_percent(requests.low, figure.percent_with_data), True)
    if requests is not None and requests.high == 0:
        return Part(figure, Count(0, 0), False)
    return Part(figure, None, False)


def _leaves(request_type: str, rows: dict[str, Figure], composition: Composition) -> list[Figure]:
    """The figures that give ``request_type``: its own where reported, else its parts'."""
    own = rows.get(request_type)
    if own is not None and own.requests is not None:
        return [own]
    found = [leaf for part in composition.parts.get(request_type, ())
             for leaf in _leaves(part, rows, composition)]
    if not found and own is not None:
        return [own]  # published as "not reported": the total is at least the other parts
    return found


def compose(figures: Iterable[Figure], composition: Composition) -> Headline | None:
    """The total of one company's figures for one jurisdiction and period (service ``all``)."""
    rows = {figure.request_type: figure for figure in figures if figure.service == "all"}
    if not rows:
        return None
    first = next(iter(rows.values()))
    members = composition.members()
    leaves = _leaves(TOTAL, rows, composition)
    apart = tuple(sorted((f for t, f in rows.items() if t not in members), key=lambda f: f.request_type))
    parts = tuple(_part(figure) for figure in sorted(leaves, key=lambda f: f.request_type))
    own = len(parts) == 1 and parts[0].request_type == TOTAL and parts[0].requests is not None
    requests = add(part.requests for part in parts)
    with_data = add(part.with_data for part in parts)
    share = share_of(with_data, requests)
    if len(parts) == 1 and parts[0].figure.percent_with_data is not None:
        # One figure: its share is the percentage the company published for it.
        value = Fraction(parts[0].figure.percent_with_data)
        share = Share(value, value, published=parts[0].figure.percent_with_data)
    return Headline(
        company=first.company, jurisdiction=first.jurisdiction, period=first.period,
        requests=requests, accounts=add(part.figure.accounts for part in parts), requests_with_data=with_data,
        share=share, own=own, parts=parts, apart=apart,
    )


def headlines(figures: Iterable[Figure], registry: Registry) -> list[Headline]:
    """Every total in ``figures``, per company, jurisdiction and period, in period order."""
    groups: dict[tuple[str, str, Period], list[Figure]] = {}
    for figure in figures:
        groups.setdefault((figure.company, figure.jurisdiction, figure.period), []).append(figure)
    result = []
    for (company, _, _), group in groups.items():
        if company not in registry:
            continue
        headline = compose(group, registry[company].composition)
        if headline is not None:
            result.append(headline)
    result.sort(key=lambda h: (h.period, h.company, h.jurisdiction))
    return result


@dataclass(frozen=True)
class DefinitionChange:
    """From ``period`` on, a company's total for a jurisdiction is defined otherwise: its own
    total gave way to a sum of parts (or back), or a request type is added for the first time."""

    company: str
    period: Period
    own: bool  # is the total from here on the company's own?
    added: tuple[str, ...]  # request types in the sum for the first time


def definition_changes(series: Iterable[Headline]) -> list[DefinitionChange]:
    """Where a company's series (one jurisdiction's) changes what its total is made of. A part
    missing from one period is not a change: the company listed no request of that kind."""
    changes = []
    own_before: dict[str, bool] = {}
    seen: dict[str, set[str]] = {}
    for headline in sorted(series, key=lambda h: (h.company, h.period)):
        if not headline.parts:
            continue
        company = headline.company
        types = set(headline.composition) - {TOTAL}
        added = tuple(sorted(types - seen.get(company, set()))) if company in seen and not headline.own else ()
        if company in own_before and (own_before[company] != headline.own or added):
            changes.append(DefinitionChange(company, headline.period, headline.own, added))
        own_before[company] = headline.own
        seen.setdefault(company, set()).update(types)
    return changes


@dataclass(frozen=True)
class Latest:
    """A company's most recent total for one jurisdiction."""

    company: Company
    figure: Headline


def latest_by_company(series: Iterable[Headline], registry: Registry) -> list[Latest]:
    """For each company, its latest total in ``series``, in registry order."""
    latest: dict[str, Headline] = {}
    for headline in series:
        if not headline.parts:
            continue  # only request types counted apart: no total to show
        held = latest.get(headline.company)
        if held is None or (headline.period.end, headline.period.start) > (held.period.end, held.period.start):
            latest[headline.company] = headline
    return [Latest(company, latest[slug]) for slug, company in registry.companies.items() if slug in latest]


@dataclass(frozen=True)
class Sum:
    """A sum over jurisdictions of one company's totals for one period."""

    period: Period
    requests: Count | None
    reported: int  # jurisdictions whose total went into the sum
    not_reported: int  # jurisdictions listed for the period without a total


def sums_by_period(series: Iterable[Headline]) -> list[Sum]:
    """Per period, the sum of the totals of every jurisdiction (one company's series)."""
    by_period: dict[Period, list[Headline]] = {}
    for headline in series:
        by_period.setdefault(headline.period, []).append(headline)
    result = []
    for period in sorted(by_period):
        group = by_period[period]
        reported = [h.requests for h in group if h.requests is not None]
        result.append(Sum(period, add(reported) if reported else None, len(reported), len(group) - len(reported)))
    return result


def top_jurisdictions(series: Iterable[Headline], limit: int) -> tuple[Period | None, list[Headline]]:
    """The jurisdictions with most requests in the latest period of one company's ``series``."""
    reported = [h for h in series if h.requests is not None]
    if not reported:
        return None, []
    last = max(h.period.end for h in reported)
    latest = [h for h in reported if h.period.end == last]
    latest.sort(key=lambda h: (-h.requests.high, -h.requests.low, h.jurisdiction))  # type: ignore[union-attr]
    return latest[0].period, latest[:limit]


@dataclass(frozen=True)
class LatestVolume:
    """A jurisdiction's latest period with a total, and the sum of the companies' totals for it."""

    period: Period
    requests: Count
    companies: int  # companies whose total went into the sum
    derived: bool  # a sum of several companies' totals, or a total the company did not publish itself


def latest_volumes(series: Iterable[Headline]) -> dict[str, LatestVolume]:
    """Per jurisdiction in ``series`` (every company's totals), its latest period with a total."""
    latest: dict[str, list[Headline]] = {}
    for headline in series:
        if headline.requests is None:
            continue
        found = latest.get(headline.jurisdiction)
        if found is None or headline.period.end > found[0].period.end:
            latest[headline.jurisdiction] = [headline]
        elif headline.period == found[0].period:
            found.append(headline)
    result = {}
    for code, group in latest.items():
        requests = add(h.requests for h in group)
        if requests is not None:
            result[code] = LatestVolume(group[0].period, requests, len(group),
                                        len(group) > 1 or any(h.derived for h in group))
    return result
