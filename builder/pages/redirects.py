"""A page at every company address a reader may guess from its name or a former name
(``companies/x/``, ``companies/facebook/``) that sends them on to the company's page: a static
page with a refresh and a link, since GitHub Pages has no server-side redirects."""

from __future__ import annotations

import functools
import re

from builder.inputs.registry import SLUG_PATTERN, Company
from builder.model.site import SiteData
from builder.output.outputs import Outputs
from builder.output.render import render
from builder.pages.route import Route

_NOT_IN_A_SLUG = re.compile(r"[^a-z0-9]+")


def slug_of(name: str) -> str:
    """``Twitter`` -> ``twitter``, ``Meta Platforms`` -> ``meta-platforms``."""
    return _NOT_IN_A_SLUG.sub("-", name.lower()).strip("-")


def routes(site: SiteData, site_url: str) -> list[Route]:
    companies = site.registry.companies
    taken = set(companies)
    result, seen = [], set()
    for company in companies.values():
        for name in (company.name, *company.former_names):
            slug = slug_of(name)
            if slug in taken or slug in seen or not re.fullmatch(SLUG_PATTERN, slug):
                continue
            seen.add(slug)
            result.append(Route(f"redirect {slug}", f"companies/{slug}/index.html",
                                functools.partial(build, company, site_url),
                                parts={"slug": company.slug, "name": company.name, "site_url": site_url}))
    return result


def build(company: Company, site_url: str, outputs: Outputs, path: str) -> None:
    page = render("redirect.html.j2", company=company, root=outputs.site_path, site_url=site_url)
    outputs.add(path, page.encode("utf-8"))
