"""One generation run: ``data/`` in, the generated part of ``docs_dir`` out.

Everything is computed in memory first; only when the whole run succeeded are files written,
each atomically and only if its content changed (so ``mkdocs serve`` sees no change when
there is none). Files this run no longer produces are removed from the generated folders.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pandas as pd

from builder import datapackage, manifest, model, pages, svg, timeline
from builder.announcements import ACTIONS, Announcement, load_announcements
from builder.dataset import load_requests
from builder.feed import render_feed
from builder.output import write_if_changed
from builder.problems import CODES, Problem, ProblemsFound, errors
from builder.registry import Registry, load_registry
from builder.schema import COLUMNS
from builder.settings import Settings

# Folders and files under docs_dir that belong to the builder; hand-written pages live beside them.
GENERATED_DIRS = ("jurisdictions", "companies", "announcements", "charts", "data", "assets/vega")
GENERATED_FILES = ("index.md", "methodology.md", "feed.xml")


@dataclass
class Report:
    """What a run did, for the command line and the benchmark."""

    pages: int = 0
    charts: int = 0
    svgs_rendered: int = 0
    files_written: int = 0
    files_unchanged: int = 0
    files_removed: int = 0
    warnings: list[Problem] = field(default_factory=list)
    seconds: float = 0.0


def _downloads(outputs: pages.Outputs, frame: pd.DataFrame, registry: Registry,
               site_url: str) -> dict[str, Any]:
    """Write the open-data files under data/; return what the Data page shows of them."""
    files = datapackage.publish(frame, registry, site_url)
    outputs.files.update(files)
    return {"downloads": datapackage.downloads(files, len(frame)),
            "checksums": [(path, datapackage.sha256(content)) for path, content in sorted(files.items())]}


def build_outputs(frame: pd.DataFrame, registry: Registry, announcements: list[Announcement],
                  site_url: str) -> pages.Outputs:
    """Every generated file, in memory."""
    outputs = pages.Outputs(site_path=urlsplit(site_url).path or "/")
    groups = dict(model.by_jurisdiction(frame))
    announced = {code for a in announcements for code in a.jurisdictions}
    for code in sorted(set(groups) | announced):
        group = groups.get(code, frame.iloc[0:0])
        own = timeline.for_jurisdiction(announcements, code)
        pages.jurisdiction_page(outputs, code, group, registry, {
            "markers": timeline.markers(own, registry),
            "status_board": timeline.status_board(announcements, group, code, registry),
            "announcements": own, "registry": registry, "actions": ACTIONS,
        })
    for slug, company in registry.companies.items():
        pages.company_page(outputs, company, frame[frame["company"] == slug], registry, {
            "announcements": timeline.for_company(announcements, slug), "registry": registry, "actions": ACTIONS,
        })
    summaries = pages.jurisdiction_summaries(frame, registry)
    outputs.page("jurisdictions/index.md", "jurisdictions", "jurisdictions", summaries=summaries)
    company_rows = []
    for slug, company in registry.companies.items():
        own = frame[frame["company"] == slug]
        first, last = pages.span(own)
        company_rows.append((company, own["jurisdiction"].nunique(), first, last))
    outputs.page("companies/index.md", "companies", "companies", companies=company_rows)
    hk = frame[frame["jurisdiction"] == "HK"]
    headline = model.headline(frame, registry)
    world = []
    for slug, company in registry.companies.items():
        totals = model.totals_by_period(headline[headline["company"] == slug])
        if totals:
            world.append((company, totals[-1]))
    outputs.page("index.md", "home", "home", hk=model.latest_by_company(hk, registry), world=world,
                 status_board=timeline.status_board(announcements, hk, "HK", registry), actions=ACTIONS,
                 jurisdiction_count=frame["jurisdiction"].nunique(),
                 company_count=frame["company"].nunique())
    outputs.page("methodology.md", "methodology", "methodology", companies=list(registry.companies.values()),
                 columns=COLUMNS, problem_codes=CODES)
    timeline.announcement_pages(outputs, announcements, registry)
    outputs.files["feed.xml"] = render_feed(announcements, registry, site_url).encode("utf-8")
    outputs.page("data/index.md", "data", "data", **_downloads(outputs, frame, registry, site_url),
                 jurisdiction_files=[(s.code, s.name) for s in summaries],
                 company_files=[c for c, count, _, _ in company_rows if count])
    return outputs


def _stale_files(docs_dir: Path, produced: set[str]) -> list[Path]:
    stale = []
    for folder in GENERATED_DIRS:
        for path in sorted((docs_dir / folder).rglob("*")):
            relative = path.relative_to(docs_dir).as_posix()
            if path.is_file() and relative not in produced:
                stale.append(path)
    stale += [docs_dir / name for name in GENERATED_FILES if name not in produced and (docs_dir / name).exists()]
    return stale


@dataclass(frozen=True)
class SiteData:
    registry: Registry
    requests: pd.DataFrame
    announcements: list[Announcement]
    problems: list[Problem]  # warnings only: errors are raised


def load(settings: Settings) -> SiteData:
    """Load and check all of ``data/``; raises :class:`ProblemsFound` on any error."""
    registry, problems = load_registry(settings.data_dir / "companies.yml")
    data = load_requests(settings.data_dir, registry)
    announcements, announcement_problems = load_announcements(settings.data_dir / "announcements", registry)
    problems += data.problems + announcement_problems
    if errors(problems):
        raise ProblemsFound(problems)
    return SiteData(registry, data.frame, announcements, problems)


def generate(settings: Settings) -> Report:
    """Generate every page, chart and download from ``settings.data_dir`` into ``settings.docs_dir``."""
    started = time.perf_counter()
    previous = manifest.load(settings)
    inputs = manifest.inputs(settings, previous and previous["inputs"])
    if manifest.unchanged(settings, previous, inputs, GENERATED_DIRS, GENERATED_FILES):
        return _unchanged(previous, started)
    manifest.forget(settings)
    data = load(settings)
    outputs = build_outputs(data.requests, data.registry, data.announcements, settings.site_url)
    warnings = data.problems
    del data  # the tables are not needed any more: free them before the chart images arrive
    docs_dir = settings.docs_dir
    jobs = svg.missing_svgs(outputs.charts.values(), docs_dir)
    files = dict(outputs.files)
    files.update(svg.render_all(jobs))
    bundle = svg.javascript_bundle(docs_dir / svg.BUNDLE_PATH)
    if bundle is not None:
        files[svg.BUNDLE_PATH] = bundle
    produced = set(files) | {svg.BUNDLE_PATH}
    produced |= {getattr(chart, attr) for chart in outputs.charts.values() for attr in svg.THEMES}
    report = Report(pages=sum(1 for p in files if p.endswith(".md")), charts=len(outputs.charts),
                    svgs_rendered=len(jobs), warnings=warnings)
    check_inside(docs_dir, files)
    for path, content in sorted(files.items()):
        if write_if_changed(docs_dir / path, content):
            report.files_written += 1
        else:
            report.files_unchanged += 1
    for path in _stale_files(docs_dir, produced):
        path.unlink()
        report.files_removed += 1
    manifest.record(settings, inputs, produced, {"pages": report.pages, "charts": report.charts}, warnings)
    report.seconds = time.perf_counter() - started
    return report


class OutputOutsideDocsDir(ValueError):
    """A generated file's path leads out of docs_dir: a name from the data escaped validation."""


def check_inside(docs_dir: Path, paths: Iterable[str]) -> None:
    """Refuse, before anything is written, any path that would land outside ``docs_dir``.

    Paths are built from slugs, file names and codes in the data, which validation restricts;
    this is the last line of defence if a new route forgets to. The check is lexical, so a
    symbolic link inside docs_dir (e.g. to a shared chart cache) is still allowed.
    """
    root = Path(os.path.normpath(docs_dir))
    for path in paths:
        target = Path(os.path.normpath(docs_dir / path))
        if target == root or not target.is_relative_to(root):
            raise OutputOutsideDocsDir(f"refusing to write {path!r}: it lies outside {docs_dir}")


def _unchanged(previous: dict[str, Any], started: float) -> Report:
    """The report of a run skipped because its inputs and outputs are as the last run left them."""
    summary = previous["summary"]
    return Report(pages=summary["pages"], charts=summary["charts"], files_unchanged=len(previous["outputs"]),
                  warnings=manifest.warnings_of(previous), seconds=time.perf_counter() - started)
