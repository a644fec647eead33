"""One generation run: ``data/`` in, the generated part of ``docs_dir`` out.

Everything is computed in memory first; only when the whole run succeeded are files written,
each atomically and only if its content changed (so ``mkdocs serve`` sees no change when
there is none). Files this run no longer produces are removed from the generated folders.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from builder import model, pages, svg
from builder.dataset import load_requests
from builder.output import write_if_changed
from builder.problems import CODES, Problem, ProblemsFound, errors
from builder.registry import Registry, load_registry
from builder.requests_csv import render_rows
from builder.schema import COLUMN_NAMES, COLUMNS
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


@dataclass(frozen=True)
class Download:
    path: str
    rows: int
    title: str


def _csv(frame: pd.DataFrame) -> bytes:
    return render_rows(frame[list(COLUMN_NAMES)].to_dict("records")).encode("utf-8")


def _downloads(outputs: pages.Outputs, frame: pd.DataFrame) -> list[Download]:
    outputs.files["data/requests.csv"] = _csv(frame)
    for code, group in model.by_jurisdiction(frame):
        outputs.files[f"data/jurisdictions/{code.lower()}.csv"] = _csv(group)
    for slug, group in model.by_company(frame):
        outputs.files[f"data/companies/{slug}.csv"] = _csv(group)
    return [Download("data/requests.csv", len(frame), "Every row of every company")]


def build_outputs(frame: pd.DataFrame, registry: Registry) -> pages.Outputs:
    """Every generated file, in memory."""
    outputs = pages.Outputs()
    for code, group in model.by_jurisdiction(frame):
        pages.jurisdiction_page(outputs, code, group, registry, {})
    for slug, company in registry.companies.items():
        pages.company_page(outputs, company, frame[frame["company"] == slug], registry, {})
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
                 jurisdiction_count=frame["jurisdiction"].nunique(),
                 company_count=frame["company"].nunique())
    outputs.page("methodology.md", "methodology", "methodology", companies=list(registry.companies.values()),
                 columns=COLUMNS, problem_codes=CODES)
    downloads = _downloads(outputs, frame)
    outputs.page("data/index.md", "data", "data", downloads=downloads,
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


def load(settings: Settings) -> tuple[Registry, pd.DataFrame, list[Problem]]:
    """Load and check all of ``data/``; raises :class:`ProblemsFound` on any error."""
    registry, problems = load_registry(settings.data_dir / "companies.yml")
    data = load_requests(settings.data_dir, registry)
    problems += data.problems
    if errors(problems):
        raise ProblemsFound(problems)
    return registry, data.frame, problems


def generate(settings: Settings) -> Report:
    """Generate every page, chart and download from ``settings.data_dir`` into ``settings.docs_dir``."""
    started = time.perf_counter()
    registry, frame, problems = load(settings)
    outputs = build_outputs(frame, registry)
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
                    svgs_rendered=len(jobs), warnings=[p for p in problems if not p.is_error])
    for path, content in sorted(files.items()):
        if write_if_changed(docs_dir / path, content):
            report.files_written += 1
        else:
            report.files_unchanged += 1
    for path in _stale_files(docs_dir, produced):
        path.unlink()
        report.files_removed += 1
    report.seconds = time.perf_counter() - started
    return report


