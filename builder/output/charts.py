"""Chart specifications, built with Altair and returned as Vega-Lite dictionaries.

How values are drawn follows the site's rules: an exact count is a point on a line; a range
is a vertical bar from its low to its high end (never a midpoint); a lower bound ("at least")
is an open triangle at its value, off the line; "not reported" is a gap in the line. Lines
are broken at gaps, and where a total's definition changes, by giving each run of
consecutive periods its own ``segment``. Every chart carries a title and a description that
screen readers announce.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import altair as alt

from builder.core.values import Count, Period
from builder.inputs.registry import Company
from builder.model.totals import DefinitionChange, Headline, Sum
from builder.output.format import count_text, share_text

# The width of the static image; on the page, charts.js makes the live chart follow its column.
WIDTH = 720
HEIGHT = 300
Spec = dict[str, Any]


@dataclass(frozen=True)
class Marker:
    """A numbered mark on a time axis: one dated event, or a band over several close together.

    ``label`` is drawn beside the number ("" for the number alone); ``tooltip`` is what the
    list under the chart says of it. An ``event`` (a law taking effect) is a solid rule, the
    companies' ``announcements`` a dashed one.
    """

    number: int
    start: str  # ISO dates
    end: str
    label: str
    tooltip: str
    kind: str = "announcements"


# Labels above the plot, in as many rows as it takes for none to overlap (at most MARKER_ROWS:
# beyond that they wrap to the first row again); a label's width is guessed from its length.
MARKER_ROWS = 3
MARKER_ROW_HEIGHT = 13
CHARACTER_WIDTH = 6.2  # pixels, at the 11 px label font


@dataclass(frozen=True)
class SeriesPoint:
    """One company's value for one period: from ``low`` to ``high`` (equal when exact), a lower
    bound when ``at_least``, or ``None`` (not reported)."""

    company: Company
    period: Period
    value: tuple[float, float] | None
    text: str
    at_least: bool = False
    few: bool = False  # a share drawn from few requests
    break_before: bool = False  # the total is defined otherwise from this period on


def count_point(company: Company, period: Period, count: Count | None, text: str,
                break_before: bool = False) -> SeriesPoint:
    value = None if count is None else (float(count.low), float(count.high))
    return SeriesPoint(company, period, value, text, bool(count and count.at_least), break_before=break_before)


def _colour_scale(companies: Sequence[Company]) -> alt.Scale:
    return alt.Scale(domain=[c.name for c in companies], range=[c.colour for c in companies])


def _rows(points: Iterable[SeriesPoint]) -> list[dict[str, Any]]:
    """Chart rows; a new ``segment`` starts after every period that was not reported."""
    rows, segment, previous_company = [], 0, None
    for point in sorted(points, key=lambda p: (p.company.name, p.period)):
        if point.company.slug != previous_company or point.value is None or point.at_least or point.break_before:
            segment += 1
            previous_company = point.company.slug
        if point.value is None:
            continue
        low, high = point.value
        row = {
            "company": point.company.name,
            "period": point.period.label,
            "date": point.period.midpoint.isoformat(),
            "low": low,
            "high": high,
            "exact": low == high and not point.at_least,
            "segment": segment,
            "shown": point.text,
        }
        if point.at_least:
            row["bound"] = True
        if point.few:
            row["few"] = True
        rows.append(row)
    return rows


# What a time chart has rows of: exact values, ranges, lower bounds, exact values from few requests.
Kinds = tuple[bool, bool, bool, bool]


def _kinds(rows: list[dict[str, Any]]) -> Kinds:
    return (any(r["exact"] and not r.get("few") for r in rows),
            any(not r["exact"] and not r.get("bound") for r in rows),
            any(r.get("bound") for r in rows),
            any(r["exact"] and r.get("few") for r in rows))


def _time_layers(rows: list[dict[str, Any]], companies: Sequence[Company], y_title: str,
                 markers: Sequence[Marker], percent: bool,
                 kinds: Kinds = (True, True, False, False)) -> alt.LayerChart:
    """The layers of a time chart; ``kinds`` says which kinds of value it has (see
    :func:`_kinds`: a layer without data would only make Vega warn of an empty scale)."""
    # The rows are the layer's data, shared by its marks: given to each mark, they would be
    # written into the spec and parsed by Vega once per mark.
    base = alt.Chart()
    # The legend is HTML under the chart (``usermeta.legend``): it reflows on a phone and is
    # read as text, and the static image need not spend a third of its rendering on it.
    colour = alt.Color("company:N", scale=_colour_scale(companies), title="Company", legend=None)
    x = alt.X("date:T", title="Reporting period (midpoint)", axis=alt.Axis(format="%Y", labelOverlap=True))
    y_scale = alt.Scale(domain=[0, 100]) if percent else alt.Scale(zero=True)
    y = alt.Y("low:Q", title=y_title, scale=y_scale)
    tooltip = [alt.Tooltip("company:N", title="Company"), alt.Tooltip("period:N", title="Period"),
               alt.Tooltip("shown:N", title=y_title)]
    exact = base.transform_filter("datum.exact")
    lines = exact.mark_line(strokeWidth=2).encode(x=x, y=y, color=colour, detail="segment:N")
    points = exact.transform_filter("!datum.few").mark_point(filled=True, size=40).encode(
        x=x, y=y, color=colour, tooltip=tooltip)
    few = exact.transform_filter("datum.few").mark_point(filled=False, size=40, strokeWidth=1.5).encode(
        x=x, y=y, color=colour, tooltip=tooltip)
    ranges = base.transform_filter("!datum.exact && !datum.bound").mark_rule(strokeWidth=6, opacity=0.55).encode(
        x=x, y=y, y2="high:Q", color=colour, tooltip=tooltip)
    bounds = base.transform_filter("datum.bound").mark_point(shape="triangle-up", filled=False, size=70,
                                                              strokeWidth=1.5).encode(
        x=x, y=y, color=colour, tooltip=tooltip)
    has_exact, has_ranges, has_bounds, has_few = kinds
    layers: list[alt.Chart] = [lines] if has_exact or has_few or not (has_ranges or has_bounds) else []
    if has_exact or not (has_ranges or has_bounds or has_few):
        layers.append(points)
    if has_few:
        layers.append(few)
    if has_ranges:
        layers.append(ranges)
    if has_bounds:
        layers.append(bounds)
    if markers:
        layers.extend(_marker_layers())
    legend = [[c.name, c.colour] for c in companies]
    return alt.layer(*layers, data=alt.Data(values=rows)).properties(
        usermeta={"legend": legend, "announcements": bool(markers)})


def _marker_layers() -> list[alt.Chart]:
    """Rules (solid for an event, dashed for announcements), a band where a mark spans days,
    and each mark's number and label above the plot, so that the static image shows them too."""
    data = alt.Data(values=[{_MARKERS: _MARKERS}])
    base = alt.Chart(data)
    tooltip = [alt.Tooltip("number:N", title="Mark"), alt.Tooltip("tooltip:N", title="Event")]
    dash = alt.condition("datum.kind === 'event'", alt.value([1, 0]), alt.value([4, 3]))
    rules = base.mark_rule(color="#777777", strokeWidth=1.5).encode(x="start:T", strokeDash=dash, tooltip=tooltip)
    bands = base.transform_filter("datum.end !== datum.start").mark_rect(color="#777777", opacity=0.18).encode(
        x="start:T", x2="end:T", tooltip=tooltip)
    y = alt.Y("y:Q", scale=None, axis=None)
    labels = [base.transform_filter(f"datum.align === '{align}'").mark_text(
        align=align, baseline="bottom", dx=3 if align == "left" else -3, fontSize=11, fill="#000").encode(
        x="start:T", y=y, text="text:N") for align in ("left", "right")]
    return [bands, rules, *labels]


def _marker_rows(markers: Sequence[Marker], rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The marks' data: each label with its row and its side of the rule, placed so that no two
    overlap where that can be done in :data:`MARKER_ROWS` rows. The longest labels are placed
    first, each in the first free place: right of its rule, then left of it, row by row."""
    if not markers:
        return []
    dates = [dt.date.fromisoformat(r["date"]) for r in rows]
    dates += [dt.date.fromisoformat(d) for m in markers for d in (m.start, m.end)]
    first, span = min(dates), max((max(dates) - min(dates)).days, 1)
    taken: list[list[tuple[float, float]]] = [[] for _ in range(MARKER_ROWS)]  # pixel spans per row
    placed = {}
    for marker in sorted(markers, key=lambda m: (-len(m.label), m.start, m.number)):
        text = f"{marker.number} {marker.label}".strip()
        x = (dt.date.fromisoformat(marker.start) - first).days / span * WIDTH
        width = len(text) * CHARACTER_WIDTH + 3
        places = [(row, align, (x, x + width) if align == "left" else (x - width, x))
                  for row in range(MARKER_ROWS) for align in ("left", "right")]
        places = [p for p in places if p[2][0] >= 0 and p[2][1] <= WIDTH] or places

        def overlap(place: tuple[int, str, tuple[float, float]]) -> float:
            low, high = place[2]
            return sum(max(0.0, min(high, b) - max(low, a)) for a, b in taken[place[0]])

        row, align, span_px = min(places, key=lambda p: (overlap(p) > 0, overlap(p), places.index(p)))
        taken[row].append(span_px)
        placed[marker.number] = {"number": marker.number, "start": marker.start, "end": marker.end,
                                 "kind": marker.kind, "tooltip": marker.tooltip, "text": text, "align": align,
                                 "y": -4 - MARKER_ROW_HEIGHT * row}
    return [placed[m.number] for m in sorted(markers, key=lambda m: m.number)]


def _finish(chart: alt.TopLevelMixin, title: str, description: str) -> Spec:
    spec = chart.properties(
        width=WIDTH, height=HEIGHT, title=title, description=description, background="transparent",
    ).configure_view(stroke=None).to_dict(validate=False)
    spec.pop("$schema", None)
    return spec


def requests_over_time(points: Sequence[SeriesPoint], companies: Sequence[Company], title: str,
                       description: str, markers: Sequence[Marker] = ()) -> Spec:
    return _time_chart(_rows(points), companies, "Requests", markers, False, title, description)


def share_over_time(points: Sequence[SeriesPoint], companies: Sequence[Company], title: str,
                    description: str, markers: Sequence[Marker] = ()) -> Spec:
    return _time_chart(_rows(points), companies, "Share with data produced (%)", markers, True, title, description)


# Building a chart with Altair costs tens of milliseconds (it copies and checks its objects),
# and a site has hundreds of time charts that differ only in their data, title and description.
# So Altair builds each distinct shape once, with placeholders, and each chart is that skeleton
# with its own values put in: the same dictionary Altair would have returned.
_ROWS = "\x00rows"
_MARKERS = "\x00markers"
_TITLE = "\x00title"
_DESCRIPTION = "\x00description"


def _time_chart(rows: list[dict[str, Any]], companies: Sequence[Company], y_title: str,
                markers: Sequence[Marker], percent: bool, title: str, description: str) -> Spec:
    kinds = _kinds(rows)
    skeleton = _time_skeleton(tuple(companies), y_title, bool(markers), percent, kinds)
    values = {_ROWS: rows, _MARKERS: _marker_rows(markers, rows),
              _TITLE: title, _DESCRIPTION: description}
    return _fill(skeleton, values)


@functools.lru_cache(maxsize=256)
def _time_skeleton(companies: tuple[Company, ...], y_title: str, has_markers: bool, percent: bool,
                   kinds: Kinds) -> Spec:
    placeholder_markers = [Marker(0, _MARKERS, _MARKERS, _MARKERS, _MARKERS)] if has_markers else []
    layers = _time_layers([{_ROWS: _ROWS}], companies, y_title, placeholder_markers, percent, kinds)
    return _finish(layers, _TITLE, _DESCRIPTION)


def _fill(node: Any, values: dict[str, Any]) -> Any:
    """A copy of ``node`` with every placeholder replaced by its value."""
    if isinstance(node, dict):
        return {key: _fill(value, values) for key, value in node.items()}
    if isinstance(node, list):
        if node == [{_ROWS: _ROWS}]:
            return values[_ROWS]
        if node == [{_MARKERS: _MARKERS}]:
            return values[_MARKERS]
        return [_fill(item, values) for item in node]
    if isinstance(node, str) and node in values:
        return values[node]
    return node


def request_points(series: Iterable[Headline], companies: dict[str, Company],
                   changes: Iterable[DefinitionChange] = ()) -> list[SeriesPoint]:
    breaks = {(change.company, change.period) for change in changes}
    return [count_point(companies[h.company], h.period, h.requests, count_text(h.requests),
                        (h.company, h.period) in breaks) for h in series]


def percent_points(series: Iterable[Headline], companies: dict[str, Company],
                   changes: Iterable[DefinitionChange] = ()) -> list[SeriesPoint]:
    breaks = {(change.company, change.period) for change in changes}
    points = []
    for headline in series:
        share = headline.share
        value = None if share is None else (float(share.low), float(share.high))
        points.append(SeriesPoint(companies[headline.company], headline.period, value, share_text(headline),
                                  bool(share and share.at_least), headline.few_requests,
                                  (headline.company, headline.period) in breaks))
    return points


def total_points(sums: Iterable[Sum], company: Company) -> list[SeriesPoint]:
    return [count_point(company, t.period, t.requests, count_text(t.requests)) for t in sums]


def top_jurisdictions(figures: Sequence[Headline], names: dict[str, str], company: Company, title: str,
                      description: str) -> Spec:
    """Horizontal bars, longest first; a range is a bar from its low to its high end."""
    rows = [{
        "jurisdiction": names[f.jurisdiction],
        "low": f.requests.low if f.requests else 0,
        "high": f.requests.high if f.requests else 0,
        "start": 0 if f.requests and (f.requests.is_exact or f.requests.at_least) else (
            f.requests.low if f.requests else 0),
        "shown": count_text(f.requests),
        "order": position,
        **({"bound": True} if f.requests and f.requests.at_least else {}),
    } for position, f in enumerate(figures)]
    y = alt.Y("jurisdiction:N", sort=alt.EncodingSortField("order"), title=None)
    bars = alt.Chart(alt.Data(values=rows)).mark_bar(color=company.colour).encode(
        y=y, x=alt.X("start:Q", title="Requests", axis=alt.Axis(format="~s", labelOverlap=True)), x2="high:Q",
        tooltip=[alt.Tooltip("jurisdiction:N", title="Jurisdiction"), alt.Tooltip("shown:N", title="Requests")],
    )
    spec = bars.properties(width=WIDTH, height={"step": 22}, title=title, description=description,
                           background="transparent").configure_view(stroke=None).to_dict(validate=False)
    spec.pop("$schema", None)
    return spec


# Colours of request types in breakdowns (Okabe-Ito, then Tol's muted): one per type, in order.
TYPE_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#F0E442", "#332288",
                "#117733", "#882255", "#44AA99", "#999933", "#AA4499", "#888888")


def breakdown(series: Sequence[Headline], companies: Sequence[Company], type_names: dict[str, str], title: str,
              description: str) -> Spec:
    """Per company (one panel each), the exact figures each total adds up, stacked by request type.

    A part published as a range or not reported is not stacked (it has no single height);
    the table under the chart lists every part.
    """
    types = sorted({part.request_type for h in series for part in h.parts}, key=lambda t: type_names[t])
    rows = [{
        "company": companies_by_slug[h.company].name,
        "period": h.period.label,
        "type": type_names[part.request_type],
        "requests": part.requests.low,
    } for companies_by_slug in [{c.slug: c for c in companies}]
        for h in series for part in h.parts
        if part.requests is not None and part.requests.is_exact]
    names = [type_names[t] for t in types]
    colours = [TYPE_COLOURS[i % len(TYPE_COLOURS)] for i in range(len(names))]
    periods = sorted({h.period for h in series})
    bars = alt.Chart().mark_bar().encode(
        x=alt.X("period:O", sort=[p.label for p in periods], title=None, axis=alt.Axis(labelAngle=-45)),
        y=alt.Y("sum(requests):Q", title="Requests", axis=alt.Axis(format="~s")),
        color=alt.Color("type:N", scale=alt.Scale(domain=names, range=colours), legend=None),
        tooltip=[alt.Tooltip("company:N", title="Company"), alt.Tooltip("period:N", title="Period"),
                 alt.Tooltip("type:N", title="Request type"), alt.Tooltip("requests:Q", title="Requests", format=",")],
    ).properties(width=WIDTH, height=110)
    chart = alt.FacetChart(data=alt.Data(values=rows), spec=bars,
                           facet=alt.Facet("company:N", title=None, sort=[c.name for c in companies]), columns=1)
    spec = chart.properties(title=title, description=description, background="transparent").resolve_scale(
        y="independent").configure_view(stroke=None).to_dict(validate=False)
    spec.pop("$schema", None)
    spec["usermeta"] = {"legend": [[name, colour] for name, colour in zip(names, colours, strict=True)]}
    return spec
