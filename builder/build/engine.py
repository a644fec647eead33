"""The engine of a run that has something to do: ``data/`` in, the generated part of ``docs_dir`` out.

A run is a list of *units*: a page with its charts, the timeline with the feed, the
downloads... Each unit has a key, a digest of everything it reads (the builder's code and
settings, the registry, and the request files and announcements it shows), and a unit whose
key and files are as the last run left them is not built again. So editing one announcement
rebuilds the pages that show it, not the site; with nothing changed at all, the run stops
after comparing its inputs (:mod:`builder.build.manifest`).

Units write into a staging folder; chart images are rendered there in the background while
the next units are built. Only when every unit succeeded are the files moved into
``docs_dir``, each only if its content changed (so ``mkdocs serve`` sees no change when there
is none); a failed run leaves ``docs_dir`` as it was. Files no unit produces any more are
removed from the generated folders.
"""

from __future__ import annotations

import filecmp
import functools
import os
import shutil
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from builder import pages
from builder.build import cache, manifest, probes, rendering
from builder.build.forked import Forked
from builder.build.load import Digests, load
from builder.build.run import GENERATED_DIRS, GENERATED_FILES, Report
from builder.core.reproducible import build_date
from builder.core.settings import Settings
from builder.model.site import SiteData
from builder.output import svg
from builder.output.outputs import Citation, OutputOutsideDocsDir, Outputs, check_inside
from builder.pages.route import Route

__all__ = ["OutputOutsideDocsDir", "Route", "build", "check_inside", "load", "plan"]


def plan(data: SiteData, digests: Digests, site_url: str) -> list[tuple[Route, str]]:
    """Every route of the site (:func:`builder.pages.routes`), with its key."""
    return [(route, digests.key(requests=route.requests, announcements=route.announcements, **route.parts))
            for route in pages.routes(data, site_url)]




def _build(unit: Route, staging: Path, site_path: str, citation: Citation) -> Outputs:
    outputs = Outputs(site_path=site_path, staging=staging, citation=citation)
    unit.build(outputs, unit.path)
    return outputs


def _build_separately(unit: Route, staging: Path, site_path: str, citation: Citation) -> list[str]:
    outputs = _build(unit, staging, site_path, citation)
    if outputs.charts:
        raise RuntimeError(f"the unit {unit.name} draws charts; it cannot be built separately")
    return list(outputs.paths)


def _commit(staging: Path, docs_dir: Path) -> int:
    """Move every staged file into docs_dir unless the file there is the same; the number moved."""
    moved = 0
    for folder, _, names in os.walk(staging):
        for name in names:
            staged = Path(folder) / name
            target = docs_dir / staged.relative_to(staging)
            if target.is_file() and filecmp.cmp(staged, target, shallow=False):
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            os.chmod(staged, 0o644)
            shutil.move(staged, target)
            moved += 1
    shutil.rmtree(staging, ignore_errors=True)
    return moved


def _stale_files(docs_dir: Path, produced: set[str]) -> list[Path]:
    stale = []
    for folder in GENERATED_DIRS:
        for path in sorted((docs_dir / folder).rglob("*")):
            relative = path.relative_to(docs_dir).as_posix()
            if path.is_file() and relative not in produced:
                stale.append(path)
    stale += [docs_dir / name for name in GENERATED_FILES if name not in produced and (docs_dir / name).exists()]
    return stale


def build(settings: Settings, previous: dict[str, Any] | None, inputs: dict[str, Any], report: Report,
          started: float) -> Report:
    """Build every unit whose key or files changed since ``previous`` (the last run's manifest)."""
    now = report.clock("check inputs", started)
    data, digests = load(settings, inputs)
    report.warnings = data.problems
    now = report.clock("load", now)
    docs_dir = settings.docs_dir
    staging = cache.folder(settings) / "staging"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    site_path = urlsplit(settings.site_url).path or "/"
    citation = Citation(settings.site_name, settings.site_url, digests.dataset, build_date().isoformat())
    units: dict[str, dict[str, Any]] = {}
    to_build = []
    for unit, key in plan(data, digests, settings.site_url):
        kept = manifest.unit_outputs(settings, previous, unit.name, key)
        if kept is None:
            to_build.append((unit, key))
        else:
            units[unit.name] = {"key": key, "outputs": kept}
            report.units_kept += 1
    separate = [(unit, key) for unit, key in to_build if unit.separate]
    if separate:
        data.tables.frame  # read once, here, and shared with the separate processes  # noqa: B018
    # Started before the renderer's threads: a process forked while other threads run may
    # inherit a lock one of them held.
    children = [(unit, key, Forked(f"building {unit.name}",
                                   functools.partial(_build_separately, unit, staging, site_path, citation)))
                for unit, key in separate]
    renderer = rendering.Renderer(staging)
    try:
        for unit, key in to_build:
            if unit.separate:
                continue
            outputs = _build(unit, staging, site_path, citation)
            produced = list(outputs.paths)
            for chart in outputs.charts.values():
                images = svg.image_paths(chart.digest)
                if not all((docs_dir / image).is_file() for image in images):
                    renderer.submit(chart.digest, chart.json)
                produced += images
            units[unit.name] = {"key": key, "outputs": produced}
            report.built.append(unit.name)
            now = report.clock(unit.name.split()[0], now)
        for unit, key, child in children:
            units[unit.name] = {"key": key, "outputs": child.result()}
            report.built.append(unit.name)
            probes.record("separate_peak_rss_mb", child.peak_rss_mb)  # the largest separate unit's process
        now = report.clock("wait for separate units", now)
        report.svgs_rendered = 2 * renderer.close()
        probes.record("renderer_peak_rss_mb", renderer.peak_rss_mb)  # the largest rendering process
        now = report.clock("wait for chart images", now)
    except BaseException:
        renderer.abort()
        for _, _, child in children:
            child.abort()
        shutil.rmtree(staging, ignore_errors=True)
        raise
    manifest.forget(settings)  # docs_dir is about to change: until recorded again, trust nothing
    produced = {path for unit in units.values() for path in unit["outputs"]}
    check_inside(docs_dir, produced)  # kept units' paths come from the manifest on disk, not from Outputs.add
    report.files_written = _commit(staging, docs_dir)
    report.files_unchanged = len(produced) - report.files_written
    for path in _stale_files(docs_dir, produced):
        path.unlink()
        report.files_removed += 1
    report.pages = sum(1 for path in produced if path.endswith(".md"))
    report.charts = sum(1 for path in produced if path.endswith(".vl.json"))
    manifest.record(settings, inputs, produced, units, {"pages": report.pages, "charts": report.charts},
                    data.problems)
    report.clock("write", now)
    report.seconds = time.perf_counter() - started
    return report
