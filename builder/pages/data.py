"""The open-data files under ``data/``, and the Data page that lists them."""

from __future__ import annotations

import functools

from builder.model.site import SiteData, Tables
from builder.output import datapackage
from builder.output.outputs import Outputs
from builder.pages.route import Route


def routes(site: SiteData, site_url: str) -> list[Route]:
    return [Route("data", "data/index.md", functools.partial(build, site.tables, site_url), requests=True,
                  parts={"site_url": site_url}, separate=True)]


def build(tables: Tables, site_url: str, outputs: Outputs, path: str) -> None:
    written = datapackage.publish(tables.frame, tables.registry, site_url, outputs.add, tables.revisions)
    outputs.page(path, "data", "data",
                 downloads=datapackage.downloads(written, len(tables.frame), len(tables.revisions)),
                 checksums=[(name, file.sha256) for name, file in sorted(written.items())],
                 jurisdiction_files=[(s.code, s.name) for s in tables.summaries],
                 company_files=[c for c, count, _, _ in tables.company_rows if count])
