"""One generation run: ``data/`` in, the generated part of ``docs_dir`` out.

A run is a list of *units*: a page with its charts, the timeline with the feed, the
downloads... Each unit has a key, a digest of everything it reads (the builder's code and
settings, the registry, and the request files and announcements it shows), and a unit whose
key and files are as the last run left them is not built again. So editing one announcement
rebuilds the pages that show it, not the site; with nothing changed at all, the run stops
after comparing its inputs (:mod:`builder.manifest`).

Units write into a staging folder; chart images are rendered there in the background while
the next units are built. Only when every unit succeeded are the files moved into
``docs_dir``, each only if its content changed (so ``mkdocs serve`` sees no change when there
is none); a failed run leaves ``docs_dir`` as it was. Files no unit produces any more are
removed from the generated folders.
"""

from __future__ import annotations

import datetime as dt
import filecmp
import functools
import gc
import os
import shutil
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pandas as pd

from builder import cache, datapackage, manifest, model, pages, revision_pages, svg, timeline, totals, totals_csv
from builder.announcements import ACTIONS, Announcement, load_announcement, load_announcements
from builder.dataset import load_requests
from builder.feed import is_http_url, render_feed
from builder.forked import Forked
from builder.pages import OutputOutsideDocsDir, check_inside
from builder.problems import CODES, Problem, ProblemsFound, errors
from builder.registry import Registry, load_registry
from builder.revisions import COLUMNS as REVISION_COLUMNS
from builder.revisions import Revision, load_revisions
from builder.schema import COLUMNS
from builder.settings import Settings
from builder.values import Period

# Folders and files under docs_dir that belong to the builder; hand-written pages live beside them.
GENERATED_DIRS = ("jurisdictions", "companies", "announcements", "revisions", "charts", "data", "assets/vega")
GENERATED_FILES = ("index.md", "methodology.md", "feed.xml")
GC_THRESHOLD = 200_000  # allocations between two collections of the youngest objects (Python: 700)

__all__ = ["OutputOutsideDocsDir", "Report", "check_inside", "generate", "load"]


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
    renderer_peak_rss_mb: float = 0.0  # the largest rendering process's own peak
    separate_peak_rss_mb: float = 0.0  # the largest process of a separate unit (it shares the table)

    def clock(self, phase: str, since: float) -> float:
        """Add the time from ``since`` to ``phase``; the time now."""
        now = time.perf_counter()
        self.phases[phase] = round(self.phases.get(phase, 0.0) + now - since, 3)
        return now


# --- loading: data/ in, checked, with what is unchanged since the last run from the cache ---


@dataclass(frozen=True)
class Digests:
    """Digests of the run's inputs, from the manifest's signature of them."""

    base: str  # the builder's code, settings, libraries, mkdocs.yml and the registry
    requests: str  # every file under data/requests, with the base
    announcements: dict[str, str]  # slug -> digest of its file

    @classmethod
    def of(cls, settings: Settings, inputs: dict[str, Any]) -> Digests:
        shas = {Path(path): entry["sha256"] for path, entry in inputs["files"].items()}
        folders = {settings.data_dir / "requests": {}, settings.data_dir / "announcements": {}}
        code = {}
        for path, sha in shas.items():
            if path.parent in folders:
                folders[path.parent][path.name] = sha
            elif path.parent == settings.data_dir / "revisions":  # checked against the requests, published with them
                folders[settings.data_dir / "requests"][f"revisions/{path.name}"] = sha
            elif not path.is_relative_to(settings.data_dir):
                code[str(path)] = sha
        base = cache.key(inputs["context"], code, shas.get(settings.data_dir / "companies.yml"))
        return cls(base, cache.key(base, folders[settings.data_dir / "requests"]),
                   {Path(name).stem: sha for name, sha in folders[settings.data_dir / "announcements"].items()})

    def key(self, *, requests: bool = False, announcements: Sequence[Announcement] = (), **parts: Any) -> str:
        """The key of a unit that reads the request table (if ``requests``), these announcements
        and ``parts``, besides the base."""
        return cache.key(self.requests if requests else self.base,
                         sorted((a.slug, self.announcements.get(a.slug)) for a in announcements), parts)


class Tables:
    """The request table and its views that pages share, each made when first asked for: a run
    that rebuilds only the pages of an edited announcement reads little of a world-size table.

    """

    def __init__(self, load_table: Callable[[], CheckedTable], registry: Registry, data_dir: Path) -> None:
        self._load_table = load_table
        self.registry = registry
        self._data_dir = data_dir
        self._company_series: dict[str, list[totals.Headline]] = {}

    @functools.cached_property
    def _table(self) -> CheckedTable:
        return self._load_table()

    @property
    def frame(self) -> pd.DataFrame:
        return self._table.frame

    @property
    def revisions(self) -> list[Revision]:
        """The figures of earlier downloads that differ from the current ones (data/revisions)."""
        return self._table.revisions

    @functools.cached_property
    def revision_marks(self) -> dict[revision_pages.FigureKey, dict[str, str]]:
        return revision_pages.marks(self.revisions)

    def rows(self, column: str, value: str) -> pd.DataFrame:
        """The rows whose ``column`` ("jurisdiction" or "company") is ``value``."""
        positions = self._table.positions[column].get(value)
        return self.frame.iloc[0:0] if positions is None else self.frame.take(positions)

    def series(self, column: str, value: str) -> list[totals.Headline]:
        """The totals of the rows whose ``column`` is ``value`` (:func:`totals.headlines`); a
        company's are kept, since the home page and the company's page both show them."""
        if column == "company":
            if value not in self._company_series:
                self._company_series[value] = totals.headlines(model.figures(self.rows(column, value)), self.registry)
            return self._company_series[value]
        return totals.headlines(model.figures(self.rows(column, value)), self.registry)

    @functools.cached_property
    def published_periods(self) -> dict[str, set[Period]]:
        """The periods each company published figures for, in any jurisdiction."""
        bounds = self.frame[["company", "period_start_date", "period_end_date"]].drop_duplicates()
        result: dict[str, set[Period]] = {}
        for company, start, end in bounds.itertuples(index=False):
            result.setdefault(company, set()).add(Period(start.date(), end.date()))
        return result

    @functools.cached_property
    def company_newest(self) -> dict[str, dt.date]:
        """The end of the latest period each company published, in any jurisdiction."""
        return {slug: max(period.end for period in periods) for slug, periods in self.published_periods.items()}

    @functools.cached_property
    def newest_period_end(self) -> dt.date | None:
        """The end of the latest period any company published."""
        return None if self.frame.empty else self.frame["period_end_date"].max().date()

    @functools.cached_property
    def summaries(self) -> list[pages.JurisdictionSummary]:
        return pages.jurisdiction_summaries(self.frame, self.registry)

    @functools.cached_property
    def company_rows(self) -> list[tuple[Any, int, Any, Any]]:
        rows = []
        for slug, company in self.registry.companies.items():
            own = self.rows("company", slug)
            first, last = pages.span(own)
            rows.append((company, own["jurisdiction"].nunique(), first, last))
        return rows


@dataclass(frozen=True)
class CheckedTable:
    """The checked request table, with the positions of each jurisdiction's and each company's
    rows (grouping a world-size table takes longer than reading it from the cache)."""

    frame: pd.DataFrame
    positions: dict[str, dict[str, Any]]
    revisions: list[Revision]


def _checked_table(data_dir: Path, registry: Registry) -> tuple[CheckedTable, list[Problem]]:
    data = load_requests(data_dir, registry)
    frame = data.frame
    positions = {column: frame.groupby(column).indices for column in ("jurisdiction", "company")}
    # Checked with the requests (a stale record fails the build as validate does), and cached with them.
    revisions, revision_problems = load_revisions(data_dir, frame, registry) if data.ok else ([], [])
    return CheckedTable(frame, positions, revisions), data.problems + revision_problems


@dataclass(frozen=True)
class SiteData:
    registry: Registry
    tables: Tables
    jurisdictions: list[str]  # the codes with published figures
    announcements: list[Announcement]
    problems: list[Problem]  # warnings only: errors are raised
    digests: Digests


def _announcements(settings: Settings, registry: Registry,
                   digests: Digests) -> tuple[list[Announcement], list[Problem]]:
    """Every announcement and its problems; a file read before (same digest) comes from the cache."""
    known = cache.load(settings, "announcements", digests.base) or {}
    seen: dict[tuple[str, str | None], Any] = {}

    def remembered(path: Path, registry: Registry) -> Any:
        file_key = (path.name, digests.announcements.get(path.stem))
        seen[file_key] = known[file_key] if file_key in known else load_announcement(path, registry)
        return seen[file_key]

    result = load_announcements(settings.data_dir / "announcements", registry, remembered)
    if seen != known:  # a failed run keeps them too: the files are the same however the run ends
        cache.store(settings, "announcements", digests.base, seen)
    return result


def load(settings: Settings, inputs: dict[str, Any] | None = None) -> SiteData:
    """Load and check all of ``data/``; raises :class:`ProblemsFound` on any error.

    The checked request table is cached under a digest of the request files (with the
    builder's code and the registry), and each announcement under its file's digest, so a run
    after an edit reads again only what was edited.
    """
    if not is_http_url(settings.site_url):  # the feed, the canonical links and the downloads need it
        raise ProblemsFound([Problem(
            settings.config_file.as_posix(), None, "site_url", settings.site_url, "bad-site-url",
            "set site_url in mkdocs.yml to the address the site is published at, e.g. "
            "https://example.org/transparency/ (the SITE_URL environment variable overrides it)")])
    inputs = inputs or manifest.inputs(settings)
    digests = Digests.of(settings, inputs)
    registry, problems = load_registry(settings.data_dir / "companies.yml")
    if errors(problems):
        raise ProblemsFound(problems)
    # The announcements are read in another process meanwhile (a thousand files take seconds).
    parsing = Forked("reading the announcements", functools.partial(_announcements, settings, registry, digests))
    try:
        summary = cache.load(settings, "requests-summary", digests.requests)
        fresh = None
        if summary is None:
            fresh, request_problems = _checked_table(settings.data_dir, registry)
            summary = (request_problems, sorted(fresh.positions["jurisdiction"]))
        request_problems, codes = summary
        announcements, announcement_problems = parsing.result()
    finally:
        parsing.abort()
    problems += request_problems + announcement_problems
    if errors(problems):
        raise ProblemsFound(problems)
    if fresh is not None:
        cache.store(settings, "requests-table", digests.requests, fresh)
        cache.store(settings, "requests-summary", digests.requests, summary)

    def load_table() -> CheckedTable:
        if fresh is not None:
            return fresh
        table = cache.load(settings, "requests-table", digests.requests)
        if table is None:  # the cache went missing since the summary was read
            table = _checked_table(settings.data_dir, registry)[0]
        return table

    return SiteData(registry, Tables(load_table, registry, settings.data_dir), codes, announcements, problems,
                    digests)


# --- the units of a run ---------------------------------------------------------------------


@dataclass(frozen=True)
class Unit:
    name: str
    key: str
    build: Callable[[pages.Outputs], None]
    # Built in a process of its own while the others are built here: for a long unit that
    # draws no chart (the downloads), so that it does not hold up the rest on a busy core.
    separate: bool = False


def plan(data: SiteData, site_url: str) -> list[Unit]:
    """Every unit of the site, with its key."""
    registry, tables, announcements, digests = data.registry, data.tables, data.announcements, data.digests
    units = []
    announced = {code for a in announcements for code in a.jurisdictions}
    for code in sorted(set(data.jurisdictions) | announced):
        own = timeline.for_jurisdiction(announcements, code)
        units.append(Unit(f"jurisdiction {code}", digests.key(requests=True, announcements=own),
                          functools.partial(_jurisdiction_page, tables, code, own)))
    for slug, company in registry.companies.items():
        own = timeline.for_company(announcements, slug)
        units.append(Unit(f"company {slug}", digests.key(requests=True, announcements=own),
                          functools.partial(_company_page, tables, company, own)))
    hk = timeline.for_jurisdiction(announcements, "HK")
    units += [
        Unit("home", digests.key(requests=True, announcements=hk), functools.partial(_home, tables, hk)),
        Unit("jurisdictions index", digests.key(requests=True), functools.partial(_jurisdictions_index, tables)),
        Unit("companies index", digests.key(requests=True), functools.partial(_companies_index, tables)),
        Unit("methodology", digests.key(), functools.partial(_methodology, registry)),
        Unit("data", digests.key(requests=True, site_url=site_url), functools.partial(_data, tables, site_url),
             separate=True),
        Unit("vega bundle", digests.key(), _vega_bundle),
        Unit("revisions", digests.key(requests=True), functools.partial(_revisions, tables)),
        Unit("timeline", digests.key(announcements=announcements, site_url=site_url),
             functools.partial(_timeline, announcements, registry, site_url)),
    ]
    for announcement in announcements:
        units.append(Unit(f"announcement {announcement.slug}", digests.key(announcements=[announcement]),
                          functools.partial(_announcement_page, announcement, registry)))
    return units


def _jurisdiction_page(tables: Tables, code: str, own: list[Announcement], outputs: pages.Outputs) -> None:
    registry = tables.registry
    series = tables.series("jurisdiction", code)
    latest = totals.latest_by_company(series, registry)
    pages.jurisdiction_page(outputs, code, tables.rows("jurisdiction", code), series, registry,
                            tables.published_periods, {
        "markers": timeline.markers(own, registry),
        "status_board": timeline.status_board(own, latest, code, registry),
        "newest_period_end": tables.newest_period_end,
        "company_newest": tables.company_newest,
        "revised": tables.revision_marks,
        "announcements": own, "registry": registry, "actions": ACTIONS,
    })


def _company_page(tables: Tables, company: Any, own: list[Announcement], outputs: pages.Outputs) -> None:
    pages.company_page(outputs, company, tables.rows("company", company.slug),
                       tables.series("company", company.slug),
                       {"announcements": own, "registry": tables.registry, "actions": ACTIONS})


def _home(tables: Tables, hk_announcements: list[Announcement], outputs: pages.Outputs) -> None:
    registry = tables.registry
    world = []
    for slug, company in registry.companies.items():
        sums = totals.sums_by_period(tables.series("company", slug))
        if sums:
            world.append((company, sums[-1]))
    hk = totals.latest_by_company(tables.series("jurisdiction", "HK"), registry)
    outputs.page("index.md", "home", "home", hk=hk, world=world,
                 status_board=timeline.status_board(hk_announcements, hk, "HK", registry), actions=ACTIONS,
                 newest_period_end=tables.newest_period_end, company_newest=tables.company_newest,
                 jurisdiction_count=len(tables.summaries),
                 company_count=sum(1 for _, count, _, _ in tables.company_rows if count))


def _jurisdictions_index(tables: Tables, outputs: pages.Outputs) -> None:
    outputs.page("jurisdictions/index.md", "jurisdictions", "jurisdictions", summaries=tables.summaries)


def _companies_index(tables: Tables, outputs: pages.Outputs) -> None:
    outputs.page("companies/index.md", "companies", "companies", companies=tables.company_rows)


def _methodology(registry: Registry, outputs: pages.Outputs) -> None:
    outputs.page("methodology.md", "methodology", "methodology", companies=list(registry.companies.values()),
                 columns=COLUMNS, problem_codes=CODES, totals_columns=totals_csv.COLUMNS,
                 revision_columns=REVISION_COLUMNS)


def _data(tables: Tables, site_url: str, outputs: pages.Outputs) -> None:
    """The open-data files under data/, and the Data page that lists them."""
    written = datapackage.publish(tables.frame, tables.registry, site_url, outputs.add, tables.revisions)
    outputs.page("data/index.md", "data", "data",
                 downloads=datapackage.downloads(written, len(tables.frame), len(tables.revisions)),
                 checksums=[(path, file.sha256) for path, file in sorted(written.items())],
                 jurisdiction_files=[(s.code, s.name) for s in tables.summaries],
                 company_files=[c for c, count, _, _ in tables.company_rows if count])


def _revisions(tables: Tables, outputs: pages.Outputs) -> None:
    revision_pages.revisions_index(outputs, tables.revisions, tables.registry)


def _announcement_page(announcement: Announcement, registry: Registry, outputs: pages.Outputs) -> None:
    timeline.announcement_page(outputs, announcement, registry)


def _vega_bundle(outputs: pages.Outputs) -> None:
    outputs.add(svg.BUNDLE_PATH, svg.javascript_bundle())


def _timeline(announcements: list[Announcement], registry: Registry, site_url: str,
              outputs: pages.Outputs) -> None:
    timeline.announcements_index(outputs, announcements, registry)
    outputs.add("feed.xml", render_feed(announcements, registry, site_url).encode("utf-8"))


# --- a run ----------------------------------------------------------------------------------


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
    report = Report()
    now = report.clock("check inputs", started)
    data = load(settings, inputs)
    report.warnings = data.problems
    now = report.clock("load", now)
    docs_dir = settings.docs_dir
    staging = cache.folder(settings) / "staging"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    site_path = urlsplit(settings.site_url).path or "/"
    units: dict[str, dict[str, Any]] = {}
    to_build = []
    for unit in plan(data, settings.site_url):
        kept = manifest.unit_outputs(settings, previous, unit.name, unit.key)
        if kept is None:
            to_build.append(unit)
        else:
            units[unit.name] = {"key": unit.key, "outputs": kept}
            report.units_kept += 1
    separate = [unit for unit in to_build if unit.separate]
    if separate:
        data.tables.frame  # read once, here, and shared with the separate processes  # noqa: B018
    # Started before the renderer's threads: a process forked while other threads run may
    # inherit a lock one of them held.
    children = [(unit, Forked(f"building {unit.name}", functools.partial(_build_separately, unit, staging, site_path)))
                for unit in separate]
    renderer = svg.Renderer(staging)
    try:
        for unit in to_build:
            if unit.separate:
                continue
            outputs = _build(unit, staging, site_path)
            produced = list(outputs.paths)
            for chart in outputs.charts.values():
                images = svg.image_paths(chart.digest)
                if not all((docs_dir / image).is_file() for image in images):
                    renderer.submit(chart.digest, chart.json)
                produced += images
            units[unit.name] = {"key": unit.key, "outputs": produced}
            report.built.append(unit.name)
            now = report.clock(unit.name.split()[0], now)
        for unit, child in children:
            units[unit.name] = {"key": unit.key, "outputs": child.result()}
            report.built.append(unit.name)
            report.separate_peak_rss_mb = max(report.separate_peak_rss_mb, child.peak_rss_mb)
        now = report.clock("wait for separate units", now)
        report.svgs_rendered = 2 * renderer.close()
        report.renderer_peak_rss_mb = renderer.peak_rss_mb
        now = report.clock("wait for chart images", now)
    except BaseException:
        renderer.abort()
        for _, child in children:
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


def _build(unit: Unit, staging: Path, site_path: str) -> pages.Outputs:
    outputs = pages.Outputs(site_path=site_path, staging=staging)
    unit.build(outputs)
    return outputs


def _build_separately(unit: Unit, staging: Path, site_path: str) -> list[str]:
    outputs = _build(unit, staging, site_path)
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


def _unchanged(previous: dict[str, Any], started: float) -> Report:
    """The report of a run skipped because its inputs and outputs are as the last run left them."""
    summary = previous["summary"]
    return Report(pages=summary["pages"], charts=summary["charts"], files_unchanged=len(previous["outputs"]),
                  units_kept=len(previous.get("units", {})), warnings=manifest.warnings_of(previous),
                  seconds=time.perf_counter() - started)
