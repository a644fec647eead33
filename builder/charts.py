"""Chart specifications, built with Altair and returned as Vega-Lite dictionaries.

How values are drawn follows the site's rules: an exact count is a point on a line; a range
is a vertical bar from its low to its high end (never a midpoint); "not reported" is a gap
in the line. Lines are broken at gaps by giving each run of consecutive reported periods its
own ``segment``. Every chart carries a title and a description that screen readers announce.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import altair as alt

from builder.format import count_text, percent_text
from builder.model import Figure, Total
from builder.registry import Company
from builder.values import Count, Period

# The width of the static image; on the page, charts.js makes the live chart follow its column.
WIDTH = 720
HEIGHT = 300
Spec = dict[str, Any]


@dataclass(frozen=True)
class Marker:
    """A dated event drawn on a time axis (an announcement)."""

    date: str
    label: str
    colour: str


@dataclass(frozen=True)
class SeriesPoint:
    company: Company
    period: Period
    value: Count | None
    text: str


def _colour_scale(companies: Sequence[Company]) -> alt.Scale:
    return alt.Scale(domain=[c.name for c in companies], range=[c.colour for c in companies])


def _rows(points: Iterable[SeriesPoint]) -> list[dict[str, Any]]:
    """Chart rows; a new ``segment`` starts after every period that was not reported."""
    rows, segment, previous_company = [], 0, None
    for point in sorted(points, key=lambda p: (p.company.name, p.period)):
        if point.company.slug != previous_company or point.value is None:
            segment += 1
            previous_company = point.company.slug
        if point.value is None:
            continue
        rows.append({
            "company": point.company.name,
            "period": point.period.label,
            "date": point.period.midpoint.isoformat(),
            "low": point.value.low,
            "high": point.value.high,
            "exact": point.value.is_exact,
            "segment": segment,
            "shown": point.text,
        })
    return rows


def _time_layers(rows: list[dict[str, Any]], companies: Sequence[Company], y_title: str,
                 markers: Sequence[Marker], percent: bool,
                 kinds: tuple[bool, bool] = (True, True)) -> alt.LayerChart:
    """The layers of a time chart; ``kinds`` says whether it has exact counts and ranges (a
    layer without data would only make Vega warn of an empty scale)."""
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
    points = exact.mark_point(filled=True, size=40).encode(x=x, y=y, color=colour, tooltip=tooltip)
    ranges = base.transform_filter("!datum.exact").mark_rule(strokeWidth=6, opacity=0.55).encode(
        x=x, y=y, y2="high:Q", color=colour, tooltip=tooltip)
    has_exact, has_ranges = kinds
    layers: list[alt.Chart] = [lines, points] if has_exact or not has_ranges else []
    if has_ranges:
        layers.append(ranges)
    if markers:
        layers.append(_marker_layer(markers))
    legend = [[c.name, c.colour] for c in companies]
    return alt.layer(*layers, data=alt.Data(values=rows)).properties(
        usermeta={"legend": legend, "announcements": bool(markers)})


def _marker_layer(markers: Sequence[Marker]) -> alt.Chart:
    data = alt.Data(values=[{"date": m.date, "label": m.label} for m in markers])
    return alt.Chart(data).mark_rule(strokeDash=[4, 3], color="#777777", strokeWidth=1.5).encode(
        x="date:T", tooltip=[alt.Tooltip("date:T", title="Date", format="%Y-%m-%d"),
                             alt.Tooltip("label:N", title="Announcement")])


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
    kinds = (any(row["exact"] for row in rows), not all(row["exact"] for row in rows))
    skeleton = _time_skeleton(tuple(companies), y_title, bool(markers), percent, kinds)
    values = {_ROWS: rows, _MARKERS: [{"date": m.date, "label": m.label} for m in markers],
              _TITLE: title, _DESCRIPTION: description}
    return _fill(skeleton, values)


@functools.lru_cache(maxsize=256)
def _time_skeleton(companies: tuple[Company, ...], y_title: str, has_markers: bool, percent: bool,
                   kinds: tuple[bool, bool]) -> Spec:
    placeholder_markers = [Marker(_MARKERS, _MARKERS, "#000000")] if has_markers else []
    layers = _time_layers([{_ROWS: _ROWS}], companies, y_title, placeholder_markers, percent, kinds)
    return _finish(layers, _TITLE, _DESCRIPTION)


def _fill(node: Any, values: dict[str, Any]) -> Any:
    """A copy of ``node`` with every placeholder replaced by its value."""
    if isinstance(node, dict):
        return {key: _fill(value, values) for key, value in node.items()}
    if isinstance(node, list):
        if node == [{_ROWS: _ROWS}]:
            return values[_ROWS]
        if node == [{"date": _MARKERS, "label": _MARKERS}]:
            return values[_MARKERS]
        return [_fill(item, values) for item in node]
    if isinstance(node, str) and node in values:
        return values[node]
    return node


def request_points(figures: Iterable[Figure], companies: dict[str, Company]) -> list[SeriesPoint]:
    return [SeriesPoint(companies[f.company], f.period, f.requests, count_text(f.requests)) for f in figures]


def percent_points(figures: Iterable[Figure], companies: dict[str, Company]) -> list[SeriesPoint]:
    points = []
    for figure in figures:
        value = figure.percent_with_data
        count = None if value is None else Count(round(value), round(value))
        points.append(SeriesPoint(companies[figure.company], figure.period, count, percent_text(value)))
    return points


def total_points(totals: Iterable[Total], company: Company) -> list[SeriesPoint]:
    return [SeriesPoint(company, t.period, t.requests, count_text(t.requests)) for t in totals]


def top_jurisdictions(figures: Sequence[Figure], names: dict[str, str], company: Company, title: str,
                      description: str) -> Spec:
    """Horizontal bars, longest first; a range is a bar from its low to its high end."""
    rows = [{
        "jurisdiction": names[f.jurisdiction],
        "low": f.requests.low if f.requests else 0,
        "high": f.requests.high if f.requests else 0,
        "start": 0 if f.requests and f.requests.is_exact else (f.requests.low if f.requests else 0),
        "shown": count_text(f.requests),
        "order": position,
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
