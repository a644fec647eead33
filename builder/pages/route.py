"""A route: one unit of the site, as the run builds it.

A route names what it reads (the request table, which announcements, anything else its output
depends on), the page it writes and how it builds it. The run keys each route by a digest of
what it names, and builds again only the routes whose key or files changed
(:mod:`builder.build.engine`): a route that reads something it does not name would be kept stale.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from builder.inputs.announcements import Announcement
from builder.output.outputs import Outputs


@dataclass(frozen=True)
class Route:
    name: str  # unique in a run: "jurisdiction HK", "home"
    path: str  # the page it writes, relative to docs_dir (besides its charts and downloads)
    build: Callable[[Outputs, str], None]  # called with the run's outputs and ``path``
    requests: bool = False  # reads the request table
    announcements: Sequence[Announcement] = ()  # the announcements it shows
    parts: Mapping[str, Any] = field(default_factory=dict)  # anything else its output depends on
    # Built in a process of its own while the others are built here: for a long unit that
    # draws no chart (the downloads), so that it does not hold up the rest on a busy core.
    separate: bool = False
