"""The methodology page: the columns, the companies' compositions, the problem codes."""

from __future__ import annotations

import functools

from builder.core.problems import CODES
from builder.core.schema import COLUMNS
from builder.core.values import FIRST_DATE, LAST_DATE
from builder.inputs.registry import Registry
from builder.inputs.revisions import COLUMNS as REVISION_COLUMNS
from builder.model.site import SiteData
from builder.output import chart_csv, totals_csv
from builder.output.outputs import Outputs
from builder.pages import common
from builder.pages.route import Route


def routes(site: SiteData, site_url: str) -> list[Route]:
    return [Route("methodology", "methodology.md", functools.partial(build, site.registry))]


def build(registry: Registry, outputs: Outputs, path: str) -> None:
    outputs.page(path, "methodology", "methodology", companies=list(registry.companies.values()),
                 columns=COLUMNS, problem_codes=CODES, totals_columns=totals_csv.COLUMNS,
                 chart_columns=chart_csv.COLUMNS, close_days=common.CLOSE_DAYS,
                 revision_columns=REVISION_COLUMNS, first_date=FIRST_DATE, last_date=LAST_DATE)
