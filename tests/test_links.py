"""Link integrity: every internal link, #anchor and asset of the built site resolves to a file of the build."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import BuiltSite, check_links, problem_with

pytestmark = pytest.mark.slow


def test_every_internal_link_anchor_and_asset_resolves(built_site: BuiltSite) -> None:
    report = check_links(built_site)
    assert report.broken == []
    # Every page links its navigation, stylesheets and scripts: a crawl that found few links found none.
    assert report.checked > 20 * len(built_site.html_files())


def test_sitemap_and_feed_addresses_resolve(built_site: BuiltSite) -> None:
    sitemap = (built_site.root / "sitemap.xml").read_text(encoding="utf-8")
    feed = (built_site.root / "feed.xml").read_text(encoding="utf-8")
    addresses = re.findall(r"<loc>([^<]+)</loc>", sitemap) + re.findall(r'href="([^"]+)"', feed)
    own = [address for address in addresses if address.startswith(built_site.url)]
    assert len(own) > len(built_site.html_files()) // 2
    assert [(a, problem_with(built_site, a)) for a in own if problem_with(built_site, a)] == []


def _copy(site: BuiltSite, tmp_path: Path) -> BuiltSite:
    root = tmp_path / "site"
    shutil.copytree(site.root, root)
    return BuiltSite(site.project, root, site.url)


def test_a_missing_chart_image_is_reported(built_site: BuiltSite, tmp_path: Path) -> None:
    site = _copy(built_site, tmp_path)
    svg = next((site.root / "charts").glob("*.svg"))
    svg.unlink()
    assert any(svg.name in broken for broken in check_links(site).broken)


def test_a_link_to_a_missing_heading_is_reported(built_site: BuiltSite, tmp_path: Path) -> None:
    site = _copy(built_site, tmp_path)
    page = site.root / "data" / "index.html"
    html = page.read_text(encoding="utf-8")
    page.write_text(html.replace("</article>", '<a href="../methodology/#no-such-heading">x</a></article>'),
                    encoding="utf-8")
    assert any("#no-such-heading" in broken for broken in check_links(site).broken)
