"""What several kinds of page share: chart titles and descriptions in words, the dated marks of
announcements on time charts."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from builder.inputs.announcements import ACTIONS, Announcement
from builder.inputs.registry import Registry
from builder.output.charts import Marker
from builder.output.render import render_text


def words(chart: str, context: dict[str, Any]) -> tuple[str, str]:
    """A chart's title and its description in words, from ``templates/text/<chart>_*.txt.j2``."""
    return (render_text(f"text/{chart}_title.txt.j2", **context).strip(),
            render_text(f"text/{chart}_description.txt.j2", **context).strip())


def markers(announcements: Sequence[Announcement], registry: Registry) -> list[Marker]:
    """A dated rule per announcement, named by company and action, for time charts."""
    return [
        Marker(a.date.isoformat(), render_text("text/marker_label.txt.j2", announcement=a,
                                               company=registry[a.company], action=ACTIONS[a.action][0]),
               registry[a.company].colour)
        for a in sorted(announcements, key=lambda a: (a.date, a.slug))
    ]
