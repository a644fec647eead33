"""The lists of jurisdictions and of companies."""

from __future__ import annotations

import functools

from builder.model.site import SiteData, Tables
from builder.output.outputs import Outputs
from builder.pages.route import Route


def routes(site: SiteData, site_url: str) -> list[Route]:
    return [
        Route("jurisdictions index", "jurisdictions/index.md", functools.partial(jurisdictions, site.tables),
              requests=True),
        Route("companies index", "companies/index.md", functools.partial(companies, site.tables), requests=True),
    ]


def jurisdictions(tables: Tables, outputs: Outputs, path: str) -> None:
    outputs.page(path, "jurisdictions", "jurisdictions", summaries=tables.summaries, latest=tables.latest_volumes)


def companies(tables: Tables, outputs: Outputs, path: str) -> None:
    outputs.page(path, "companies", "companies", companies=tables.company_rows)
