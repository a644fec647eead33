"""One module per kind of page. Each says, in its ``routes``, which inputs a page reads, the
address it writes and how to build it; the run loops over :func:`routes`.

To add a kind of page: a module here with ``routes(site, site_url)``, listed in ``KINDS``, and
its template in ``builder/output/templates/pages/``; a new top folder under ``docs_dir`` goes in
``GENERATED_DIRS`` (:mod:`builder.build.run`).
"""

from __future__ import annotations

from builder.model.site import SiteData
from builder.pages import (
    announcements,
    assets,
    company,
    data,
    home,
    indexes,
    jurisdiction,
    methodology,
    redirects,
    revisions,
)
from builder.pages.route import Route

KINDS = (jurisdiction, company, home, indexes, methodology, data, assets, revisions, announcements, redirects)


def routes(site: SiteData, site_url: str) -> list[Route]:
    """Every route of the site, in the order they are built."""
    return [route for kind in KINDS for route in kind.routes(site, site_url)]
