"""Files the pages need that no page writes: the Vega bundle that draws the live charts."""

from __future__ import annotations

from builder.model.site import SiteData
from builder.output import svg
from builder.output.outputs import Outputs
from builder.pages.route import Route


def routes(site: SiteData, site_url: str) -> list[Route]:
    return [Route("vega bundle", svg.BUNDLE_PATH, build)]


def build(outputs: Outputs, path: str) -> None:
    outputs.add(path, svg.javascript_bundle())
