"""What several kinds of page share: chart titles and descriptions in words, the numbered marks
of events and announcements on time charts."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from builder.inputs.announcements import ACTIONS, Announcement
from builder.inputs.events import Event
from builder.inputs.registry import Registry
from builder.output.charts import Marker
from builder.output.render import render_text


def words(chart: str, context: dict[str, Any]) -> tuple[str, str]:
    """A chart's title and its description in words, from ``templates/text/<chart>_*.txt.j2``."""
    return (render_text(f"text/{chart}_title.txt.j2", **context).strip(),
            render_text(f"text/{chart}_description.txt.j2", **context).strip())


# Announcements within this many days of the first of a run are one mark: a band, labelled.
CLOSE_DAYS = 14


@dataclass(frozen=True)
class MarkedEvents:
    """One numbered mark of a time chart, as the list under the chart names it: an event (a
    law), or the announcements made within :data:`CLOSE_DAYS` of each other."""

    number: int
    start: dt.date
    end: dt.date
    event: Event | None
    announcements: tuple[Announcement, ...] = ()


def marked_events(announcements: Sequence[Announcement], events: Sequence[Event]) -> list[MarkedEvents]:
    """The marks of a time chart, numbered in date order (an event before announcements of its day)."""
    groups: list[tuple[dt.date, dt.date, Event | None, list[Announcement]]] = []
    for a in sorted(announcements, key=lambda a: (a.date, a.slug)):
        if groups and groups[-1][2] is None and (a.date - groups[-1][0]).days <= CLOSE_DAYS:
            groups[-1] = (groups[-1][0], a.date, None, [*groups[-1][3], a])
        else:
            groups.append((a.date, a.date, None, [a]))
    groups += [(e.date, e.date, e, []) for e in events]
    groups.sort(key=lambda g: (g[0], g[2] is None))
    return [MarkedEvents(number, start, end, event, tuple(own))
            for number, (start, end, event, own) in enumerate(groups, 1)]


def markers(marks: Sequence[MarkedEvents], registry: Registry) -> list[Marker]:
    """What a time chart draws of its marks: a number, and words where a number alone would
    not tell what happened (an event, a band of announcements)."""
    result = []
    for mark in marks:
        context = {"mark": mark, "registry": registry, "actions": ACTIONS,
                   "action_counts": Counter(a.action for a in mark.announcements).most_common()}
        label = render_text("text/marker_label.txt.j2", **context).strip()
        tooltip = render_text("text/marker_tooltip.txt.j2", **context).strip()
        result.append(Marker(mark.number, mark.start.isoformat(), mark.end.isoformat(), label, tooltip,
                             "event" if mark.event else "announcements"))
    return result
