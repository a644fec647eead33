"""One generation run: ``data/`` in, the generated part of ``docs_dir`` out.

A run first compares its inputs and outputs with what the last run recorded
(:mod:`builder.build.manifest`): with nothing changed it stops there, before it imports
pandas, Altair or anything else the build needs. Otherwise the engine
(:mod:`builder.build.engine`) builds the units whose inputs changed.

A run is a list of *units*: a page with its charts, the timeline with the feed, the
downloads... Each unit has a key, a digest of everything it reads (the builder's code and
settings, the registry, and the request files and announcements it shows), and a unit whose
key and files are as the last run left them is not built again. So editing one announcement
rebuilds the pages that show it, not the site.

Units write into a staging folder; chart images are rendered there in the background while
the next units are built. Only when every unit succeeded are the files moved into
``docs_dir``, each only if its content changed (so ``mkdocs serve`` sees no change when there
is none); a failed run leaves ``docs_dir`` as it was. Files no unit produces any more are
removed from the generated folders.
"""

from __future__ import annotations

import gc
import time
from dataclasses import dataclass, field
from typing import Any

from builder.build import manifest
from builder.core.problems import Problem
from builder.core.settings import Settings

# Folders and files under docs_dir that belong to the builder; hand-written pages live beside them.
GENERATED_DIRS = ("jurisdictions", "companies", "announcements", "revisions", "charts", "data", "assets/vega")
GENERATED_FILES = ("index.md", "methodology.md", "feed.xml")
GC_THRESHOLD = 200_000  # allocations between two collections of the youngest objects (Python: 700)


@dataclass
class Report:
    """What a run did, for the command line and the benchmark."""

    pages: int = 0
    charts: int = 0
    svgs_rendered: int = 0
    built: list[str] = field(default_factory=list)  # the units built (the others were kept)
    units_kept: int = 0
    files_written: int = 0
    files_unchanged: int = 0
    files_removed: int = 0
    warnings: list[Problem] = field(default_factory=list)
    seconds: float = 0.0
    # Seconds spent in each phase of the run, and by each kind of unit ("jurisdiction", "data"...).
    phases: dict[str, float] = field(default_factory=dict)

    def clock(self, phase: str, since: float) -> float:
        """Add the time from ``since`` to ``phase``; the time now."""
        now = time.perf_counter()
        self.phases[phase] = round(self.phases.get(phase, 0.0) + now - since, 3)
        return now


def generate(settings: Settings) -> Report:
    """Generate every page, chart and download from ``settings.data_dir`` into ``settings.docs_dir``."""
    # A world-size run makes tens of millions of objects that live until it ends; Python's
    # cycle collector would walk them again and again, for a fifth of the run's time.
    thresholds = gc.get_threshold()
    gc.set_threshold(GC_THRESHOLD, *thresholds[1:])
    try:
        return _generate(settings)
    finally:
        gc.set_threshold(*thresholds)


def _generate(settings: Settings) -> Report:
    started = time.perf_counter()
    previous = manifest.load(settings)
    inputs = manifest.inputs(settings, previous and previous["inputs"])
    if manifest.unchanged(settings, previous, inputs, GENERATED_DIRS, GENERATED_FILES):
        return _unchanged(previous, started)
    from builder.build import engine  # only now: it imports pandas, Altair and the pages

    return engine.build(settings, previous, inputs, Report(), started)


def _unchanged(previous: dict[str, Any], started: float) -> Report:
    """The report of a run skipped because its inputs and outputs are as the last run left them."""
    summary = previous["summary"]
    return Report(pages=summary["pages"], charts=summary["charts"], files_unchanged=len(previous["outputs"]),
                  units_kept=len(previous.get("units", {})), warnings=manifest.warnings_of(previous),
                  seconds=time.perf_counter() - started)
