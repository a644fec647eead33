"""``/revisions/``: every figure a company restated, with both versions and both sources."""

from __future__ import annotations

import functools
from collections.abc import Sequence

from builder.core import jurisdictions
from builder.core.schema import COLUMNS
from builder.inputs.registry import Registry
from builder.inputs.revisions import Revision, format_figure
from builder.model.revisions import anchor
from builder.model.site import SiteData, Tables
from builder.output.outputs import Outputs
from builder.pages.route import Route

METRIC_NAMES = {column.name: column.name.replace("_", " ") for column in COLUMNS}


def routes(site: SiteData, site_url: str) -> list[Route]:
    return [Route("revisions", "revisions/index.md", functools.partial(build, site.tables), requests=True)]


def value_text(revision: Revision, which: str) -> str:
    value = getattr(revision, f"{which}_value")
    return format_figure(revision.metric, value) or "not reported"


def build(tables: Tables, outputs: Outputs, path: str) -> None:
    revisions: Sequence[Revision] = tables.revisions
    registry: Registry = tables.registry
    companies = sorted({r.company for r in revisions}, key=lambda slug: registry[slug].name)
    codes = sorted({r.jurisdiction for r in revisions}, key=jurisdictions.name)
    outputs.page(path, "revisions", "revisions", revisions=revisions, registry=registry,
                 companies=[registry[slug] for slug in companies], codes=codes,
                 names={code: jurisdictions.name(code) for code in codes}, anchor=anchor,
                 value_text=value_text, metric_names=METRIC_NAMES)
