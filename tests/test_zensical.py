"""The road past Material for MkDocs: Zensical builds the same mkdocs.yml, with the same
template overrides, and readers get the same site.

Zensical runs no MkDocs hooks or plugins, so the builder runs first (``python -m builder
build``) and Zensical compiles what it wrote into docs_dir. The browser tests open the Zensical
build in Chromium as tests/test_browser.py opens the MkDocs one: header and search, charts
with and without JavaScript, the 404 page, and axe.
"""

from __future__ import annotations

import json
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import test_site
from browser_support import CHROMIUM, SiteServer
from conftest import SOURCE_DATE_EPOCH, BuiltSite, build_env, copy_project, page_url, parse_html, run
from playwright.sync_api import Browser, BrowserContext, Page
from test_browser import (  # noqa: F401 - browser is a fixture
    CHART_TIMEOUT_MS,
    DESKTOP,
    PHONE,
    Site,
    browser,
    open_context,
    serious_violations,
    visit,
    wait_for_live_charts,
)

from bench import readers

pytest.importorskip("zensical", reason="Zensical is not installed (pip install -e '.[test]')")

pytestmark = pytest.mark.slow
in_chromium = pytest.mark.skipif(not CHROMIUM.exists(), reason=f"needs Chromium at {CHROMIUM}")
VIEWPORTS = pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "375"])
CHART_PAGES = pytest.mark.parametrize("path", ["", "jurisdictions/hk/"], ids=["home", "hk"])


@pytest.fixture(scope="module")
def zensical_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    project = copy_project(tmp_path_factory.mktemp("zensical-project"))
    env = build_env(SOURCE_DATE_EPOCH=SOURCE_DATE_EPOCH)
    run([sys.executable, "-m", "builder", "build"], project, env)
    run([sys.executable, "-m", "zensical", "build", "--strict", "-f", "mkdocs.yml"], project, env)
    return BuiltSite(project, project / "site", "https://example.org/transparency/")


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _chart_images(site: BuiltSite, page: Path) -> list[str]:
    return [r for r in parse_html(page).references if r.endswith(".svg") and "/charts/" in r]


def test_hong_kong_page_has_its_chart_figure_and_static_svg(zensical_site: BuiltSite) -> None:
    page = zensical_site.root / "jurisdictions" / "hk" / "index.html"
    html = page.read_text(encoding="utf-8")
    assert '<figure class="tc-chart"' in html
    assert "Hong Kong" in html
    images = _chart_images(zensical_site, page)
    assert images
    for image in images:
        assert (zensical_site.root / "charts" / Path(image).name).is_file(), image


def test_two_zensical_builds_are_byte_identical(zensical_site: BuiltSite, tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(zensical_site.project, project, ignore=shutil.ignore_patterns("site", ".cache"))
    run([sys.executable, "-m", "zensical", "build", "--strict", "-f", "mkdocs.yml"], project,
        build_env(SOURCE_DATE_EPOCH=SOURCE_DATE_EPOCH))
    first, second = _tree(zensical_site.root), _tree(project / "site")
    assert sorted(first) == sorted(second)
    assert [path for path in first if first[path] != second[path]] == []


def test_hong_kong_chart_images_resolve_from_the_page(zensical_site: BuiltSite) -> None:
    page = zensical_site.root / "jurisdictions" / "hk" / "index.html"
    here = page_url(zensical_site, page)
    for image in _chart_images(zensical_site, page):
        address = urljoin(here, image)
        assert address.startswith(zensical_site.url), image
        assert (zensical_site.root / address.removeprefix(zensical_site.url)).is_file(), image


def test_every_page_links_the_feed_from_its_head(zensical_site: BuiltSite) -> None:
    test_site.test_every_page_links_the_feed_from_its_head(zensical_site)


def test_the_404_page_offers_search_and_the_sections(zensical_site: BuiltSite) -> None:
    test_site.test_the_404_page_offers_search_and_the_sections(zensical_site)


def test_search_leaves_out_tables_chart_captions_and_source_lists(zensical_site: BuiltSite) -> None:
    """As the MkDocs build's does (tests/test_reader_pages.py): names, headings and prose."""
    items = json.loads((zensical_site.root / "search.json").read_text(encoding="utf-8"))["items"]
    text = {item["location"]: item["text"] for item in items}
    assert "National Security Law" in text["jurisdictions/hk/#hong-kong"]
    assert text["jurisdictions/hk/#what-each-total-is-made-of"] == ""  # a fold
    for told_again in ("<table", "Line chart of", "(files:"):  # cells, a chart's caption, source files
        assert not [location for location, words in text.items() if told_again in words], told_again


# In Chromium: the Zensical build served at its own address (see browser_support.py).

@pytest.fixture(scope="module")
def zensical_served(zensical_site: BuiltSite) -> Site:
    return Site(zensical_site.root, zensical_site.url, SiteServer(zensical_site.root, zensical_site.url))


@pytest.fixture
def no_foreign_requests(zensical_served: Site) -> Iterator[None]:
    """A test using this fails if the pages asked any other origin for anything."""
    zensical_served.server.foreign.clear()
    yield
    assert zensical_served.server.foreign == [], "requests left the site"


@pytest.fixture
def desktop(browser: Browser, zensical_served: Site, no_foreign_requests: None) -> Iterator[BrowserContext]:  # noqa: F811
    context = open_context(browser, zensical_served)
    yield context
    context.close()


def _open_search(page: Page) -> None:
    """Open search as a reader does: the header's search box on a wide screen, its magnifier
    on a phone."""
    page.locator(".md-search__button:visible, label.md-header__button[for=__search]:visible").first.click()



def _header_shows_no_search_form(page: Page) -> None:
    header = page.locator("header.md-header")
    assert header.locator("input:visible").count() == 0, "a search form shows in the header"
    assert page.get_by_text("Initializing search").filter(visible=True).count() == 0
    assert header.bounding_box()["height"] <= 64, "the header is taller than its one row"


@pytest.mark.browser
@in_chromium
@VIEWPORTS
@CHART_PAGES
def test_the_header_shows_zensicals_search_and_no_stray_form(browser: Browser, zensical_served: Site,  # noqa: F811
                                                            no_foreign_requests: None,
                                                            viewport: dict[str, int], path: str) -> None:
    context = open_context(browser, zensical_served, viewport=viewport)
    try:
        page = visit(context, zensical_served, path).page
        _header_shows_no_search_form(page)
        control = page.locator(".md-search__button:visible, label.md-header__button[for=__search]:visible")
        assert control.count() == 1, "the header offers no one search control"
        assert control.inner_text().strip() == "Search"
    finally:
        context.close()


def _search(page: Page, query: str, shortcut: bool = False) -> list[str]:
    """The addresses Zensical's search lists for ``query``, typed as a reader types it into the
    search the header (or its keyboard shortcut) opens."""
    if shortcut:
        page.keyboard.press("Control+k")
    else:
        page.locator(".md-search__button:visible, label.md-header__button[for=__search]:visible").click()
    box = page.get_by_role("combobox", name="Search")
    box.wait_for(state="visible", timeout=CHART_TIMEOUT_MS)
    box.press_sequentially(query, delay=20)
    results = page.get_by_role("listbox", name="Search results").get_by_role("option")
    results.first.wait_for(state="visible", timeout=CHART_TIMEOUT_MS)
    return [href.split("?")[0].split("#")[0] for href in results.evaluate_all("links => links.map(a => a.href)")]


@pytest.mark.browser
@in_chromium
@VIEWPORTS
def test_search_lists_the_hong_kong_page_first(browser: Browser, zensical_served: Site,  # noqa: F811
                                               no_foreign_requests: None, viewport: dict[str, int]) -> None:
    context = open_context(browser, zensical_served, viewport=viewport)
    try:
        page = visit(context, zensical_served, "").page
        listed = _search(page, "Hong Kong")
        assert listed[0] == zensical_served.url + "jurisdictions/hk/", listed[:5]
    finally:
        context.close()


@pytest.mark.browser
@in_chromium
def test_a_search_result_opens_its_page_with_the_words_highlighted(desktop: BrowserContext,
                                                                   zensical_served: Site) -> None:
    page = visit(desktop, zensical_served, "").page
    _search(page, "Hong Kong")
    page.get_by_role("listbox", name="Search results").get_by_role("option").first.click()
    page.wait_for_url(zensical_served.url + "jurisdictions/hk/?h=*")
    page.locator("mark[data-md-highlight]").first.wait_for(state="visible", timeout=CHART_TIMEOUT_MS)
    page.reload()  # as a reader gets it from a link to the result
    page.locator("mark[data-md-highlight]").first.wait_for(state="visible", timeout=CHART_TIMEOUT_MS)


@pytest.mark.browser
@in_chromium
def test_the_keyboard_shortcut_opens_search_at_the_first_press(desktop: BrowserContext, zensical_served: Site) -> None:
    page = visit(desktop, zensical_served, "").page
    assert _search(page, "Hong Kong", shortcut=True)[0] == zensical_served.url + "jurisdictions/hk/"


@pytest.mark.browser
@in_chromium
@pytest.mark.parametrize("name", list(readers.PAGES))
def test_a_first_visit_stays_within_its_budget(browser: Browser, zensical_served: Site, name: str) -> None:  # noqa: F811
    """As on the MkDocs build: the search index waits until the reader opens search."""
    seen = readers.first_visit(browser, zensical_served.root, readers.PAGES[name], zensical_served.url)
    assert seen.foreign == []
    assert not seen.asked_for("/search.json"), "the search index loaded before the reader opened search"
    budget = readers.BUDGETS_KB[name] * 1024
    assert seen.sent <= budget, f"{name}: {seen.sent} bytes gzipped, budget {budget}: {seen.requests}"


@pytest.mark.browser
@in_chromium
@CHART_PAGES
def test_a_chart_shows_its_static_image_then_draws_live_when_pointed_at(
        desktop: BrowserContext, zensical_served: Site, path: str) -> None:
    seen = visit(desktop, zensical_served, path)
    page = seen.page
    runtime: list[str] = []
    page.on("request", lambda request: runtime.append(request.url) if "/vega/vega.js" in request.url else None)
    figure = page.locator(".tc-chart").first
    static = figure.locator(".tc-chart__static--light")
    static.scroll_into_view_if_needed()
    assert static.evaluate("img => img.complete && img.naturalWidth > 0"), "the reader sees no static chart"
    assert page.locator(".tc-chart__live svg").count() == 0 and runtime == []
    assert wait_for_live_charts(page) >= 1
    assert figure.locator(".tc-chart__static:visible").count() == 0
    assert seen.errors == []


@pytest.mark.browser
@in_chromium
@CHART_PAGES
def test_without_javascript_a_chart_shows_its_static_image(browser: Browser, zensical_served: Site,  # noqa: F811
                                                          no_foreign_requests: None, path: str) -> None:
    context = open_context(browser, zensical_served, javascript=False)
    try:
        page = visit(context, zensical_served, path).page
        figure = page.locator(".tc-chart").first
        image = figure.locator(".tc-chart__static--light")
        image.scroll_into_view_if_needed()
        image.wait_for(state="visible")
        assert image.evaluate("img => img.complete && img.naturalWidth > 0"), "static chart image did not load"
        assert figure.locator(".tc-chart__static--dark").is_hidden()
        title = figure.locator(".tc-chart__canvas").get_attribute("aria-label")
        assert page.get_by_role("img", name=title, exact=True).count() == 1
    finally:
        context.close()


@pytest.mark.browser
@in_chromium
def test_a_missing_address_gets_the_styled_404_page_with_search_and_links(desktop: BrowserContext,
                                                                          zensical_served: Site) -> None:
    page = desktop.new_page()
    response = page.goto(zensical_served.url + "companies/no-such-company/")
    assert response is not None and response.status == 404
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", level=1).inner_text() == "This page is not here"
    # Styled: the theme's style sheets loaded from this deeper address too.
    assert page.evaluate("[...document.styleSheets].filter(s => s.href && s.cssRules.length).length") >= 2
    _header_shows_no_search_form(page)
    site_path = urlsplit(zensical_served.url).path
    links = page.locator("article a[href]").evaluate_all("links => links.map(a => new URL(a.href).pathname)")
    for section in ("", "jurisdictions/", "companies/", "announcements/", "methodology/", "data/"):
        assert site_path + section in links, section
    _search(page, "Hong Kong")


@pytest.mark.browser
@in_chromium
@CHART_PAGES
def test_axe_finds_no_serious_problem(desktop: BrowserContext, zensical_served: Site, path: str) -> None:
    page = visit(desktop, zensical_served, path).page
    wait_for_live_charts(page)
    assert serious_violations(page) == []
