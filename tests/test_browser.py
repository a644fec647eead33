"""The built site as readers get it, in a real Chromium: charts, tables, themes, phones,
keyboard and screen-reader semantics, search, and no request to any other origin.

The site is built once for the module from a copy of the project (the real data/), then
served at its own address through request interception (see browser_support.py).
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from axe_playwright_python.base import AXE_SCRIPT
from browser_support import CHROMIUM, CHROMIUM_ARGS, REPO, SiteServer, build_site, built_site_url, copy_project
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, sync_playwright

from bench import readers

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"needs Chromium at {CHROMIUM} (CI installs it)"),
]

ARTIFACTS = REPO / "test-artifacts" / "screenshots"
README_SCREENSHOTS = REPO / "docs" / "screenshots"
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 800}
CHART_TIMEOUT_MS = 20_000
# Page types a reader meets; "announcement" is resolved to the first announcement page built.
PAGES = {"home": "", "jurisdiction": "jurisdictions/hk/", "company": "companies/meta/",
         "announcement": None, "data": "data/"}
CHART_PAGES = ("jurisdiction", "company")


@dataclass
class Site:
    root: Path
    url: str
    server: SiteServer

    def path(self, page_type: str) -> str:
        path = PAGES[page_type]
        if path is not None:
            return path
        announcements = sorted(p for p in (self.root / "announcements").glob("*/index.html"))
        if not announcements:
            pytest.skip("the build has no announcement page (no data/announcements/*.md published yet)")
        return announcements[0].parent.relative_to(self.root).as_posix() + "/"


@dataclass
class Visit:
    """A page and everything it logged."""

    page: Page
    errors: list[str] = field(default_factory=list)

    def on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.errors.append(f"{message.text} ({message.location.get('url')})")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    project = tmp_path_factory.mktemp("project")
    copy_project(project)
    root = tmp_path_factory.mktemp("site")
    build_site(project, root)
    url = built_site_url(root)
    return Site(root, url, SiteServer(root, url))


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def open_context(browser: Browser, site: Site, viewport: dict[str, int] = DESKTOP,
                 javascript: bool = True, scheme: str = "light") -> BrowserContext:
    context = browser.new_context(viewport=viewport, java_script_enabled=javascript, color_scheme=scheme)
    context.route("**/*", site.server.handle)
    return context


def visit(context: BrowserContext, site: Site, path: str) -> Visit:
    page = context.new_page()
    seen = Visit(page)
    page.on("console", seen.on_console)
    page.on("pageerror", lambda error: seen.errors.append(f"uncaught: {error}"))
    response = page.goto(site.url + path)
    assert response is not None and response.ok, f"{path}: {response.status if response else 'no response'}"
    page.wait_for_load_state("networkidle")
    return seen


def wait_for_live_charts(page: Page) -> int:
    """Point at a chart, as a reader does before the live charts load (charts.js), and wait until
    every chart is drawn by Vega; returns how many there are. The pointer rests on the caption,
    so that no tooltip covers the chart."""
    page.locator(".tc-chart figcaption").first.hover()
    page.wait_for_function(
        "(figures => figures.length > 0 && figures.every(f => f.querySelector('.tc-chart__live svg')))"
        "([...document.querySelectorAll('.tc-chart')])",
        timeout=CHART_TIMEOUT_MS)
    return page.locator(".tc-chart").count()


@pytest.fixture
def desktop(browser: Browser, site: Site) -> Iterator[BrowserContext]:
    context = open_context(browser, site)
    yield context
    context.close()


@pytest.fixture(autouse=True)
def no_foreign_requests(site: Site) -> Iterator[None]:
    """Every test fails if the pages asked any other origin for anything."""
    site.server.foreign.clear()
    yield
    assert site.server.foreign == [], "requests left the site"


def test_following_a_source_link_tells_the_source_nothing(desktop: BrowserContext, site: Site) -> None:
    page = visit(desktop, site, site.path("jurisdiction")).page
    link = page.locator(f'article a[href^="http"]:not([href^="{site.url}"])').first
    target = link.get_attribute("href")
    with page.expect_request(lambda request: request.url.startswith(target)) as leaving:
        link.click()
    assert leaving.value.headers.get("referer") is None, "the source learned which page the reader came from"
    assert site.server.foreign == [leaving.value.url]
    site.server.foreign.clear()


def test_search_index_holds_jurisdictions_and_companies(site: Site) -> None:
    index = json.loads((site.root / "search" / "search_index.json").read_text(encoding="utf-8"))
    titles = {doc["location"]: doc["title"] for doc in index["docs"]}
    assert titles.get("jurisdictions/hk/") == "Hong Kong"
    assert titles.get("companies/meta/", "").startswith("Meta")


@pytest.mark.parametrize("page_type", list(PAGES))
def test_page_loads_cleanly_with_live_charts(desktop: BrowserContext, site: Site, page_type: str) -> None:
    path = site.path(page_type)
    seen = visit(desktop, site, path)
    figures = seen.page.locator(".tc-chart").count()
    if page_type in CHART_PAGES:
        assert figures > 0, f"{path} shows no chart"
    if figures:
        assert wait_for_live_charts(seen.page) == figures
        assert seen.page.locator(".tc-chart__static:visible").count() == 0, "static chart left beside the live one"
    assert seen.errors == []
    assert desktop.cookies() == [], "the site set a cookie"


def _follow(page: Page, link: str, url: str, title: str) -> None:
    """Click, then wait for the new page's content: instant navigation changes the address first."""
    page.locator(link).first.click()
    page.wait_for_url(url)
    page.wait_for_function("title => document.title.startsWith(title)", arg=title)


def test_instant_navigation_draws_the_charts(desktop: BrowserContext, site: Site) -> None:
    """Home -> Hong Kong -> Companies -> Meta, all without reloading the page."""
    seen = visit(desktop, site, "")
    page = seen.page
    page.evaluate("window.__sameDocument = true")
    _follow(page, 'article a[href$="jurisdictions/hk/"]', site.url + "jurisdictions/hk/", "Hong Kong")
    wait_for_live_charts(page)
    _follow(page, 'nav a.md-tabs__link[href$="companies/"]', site.url + "companies/", "Companies")
    _follow(page, 'article a[href$="companies/meta/"]', site.url + "companies/meta/", "Meta")
    wait_for_live_charts(page)
    assert page.evaluate("window.__sameDocument === true"), "a click reloaded the page"
    assert seen.errors == []


@pytest.mark.parametrize("page_type", CHART_PAGES)
def test_without_javascript_static_chart_and_table_show(browser: Browser, site: Site, page_type: str) -> None:
    context = open_context(browser, site, javascript=False)
    try:
        page = visit(context, site, site.path(page_type)).page
        figure = page.locator(".tc-chart").first
        figure.scroll_into_view_if_needed()
        image = figure.locator(".tc-chart__static--light")
        image.wait_for(state="visible")
        assert image.evaluate("img => img.complete && img.naturalWidth > 0"), "static chart image did not load"
        assert figure.locator(".tc-chart__static--dark").is_hidden()
        # Screen readers meet the chart once, as an image named by its title; the static
        # pictures inside it are not announced a second time.
        title = figure.locator(".tc-chart__canvas").get_attribute("aria-label")
        assert page.get_by_role("img", name=title, exact=True).count() == 1
        # A table under a chart may be folded; a click opens it without JavaScript.
        for summary in page.locator("article details.tc-fold--table > summary").all():
            summary.click()
        table = page.locator("article table").first
        assert table.is_visible()
        assert table.locator("tbody tr").count() > 0
    finally:
        context.close()


def serious_violations(page: Page) -> list[str]:
    """axe-core's serious and critical findings, from the copy bundled with axe-playwright-python."""
    page.evaluate(AXE_SCRIPT)
    results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
            for v in results["violations"] if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("page_type", list(PAGES))
def test_axe_finds_no_serious_problem(desktop: BrowserContext, site: Site, page_type: str) -> None:
    seen = visit(desktop, site, site.path(page_type))
    if seen.page.locator(".tc-chart").count():
        wait_for_live_charts(seen.page)
    assert serious_violations(seen.page) == []


def test_axe_finds_no_serious_problem_in_dark_mode(browser: Browser, site: Site) -> None:
    context = open_context(browser, site, scheme="dark")
    try:
        page = visit(context, site, site.path("jurisdiction")).page
        assert page.locator("body").get_attribute("data-md-color-scheme") == "slate"
        wait_for_live_charts(page)
        assert page.locator(".tc-chart").first.get_attribute("data-tc-theme") == "dark"
        assert serious_violations(page) == []
    finally:
        context.close()


def test_charts_are_named_and_described_for_screen_readers(desktop: BrowserContext, site: Site) -> None:
    page = visit(desktop, site, site.path("jurisdiction")).page
    wait_for_live_charts(page)
    for canvas in page.locator(".tc-chart__canvas").all():
        assert canvas.get_attribute("role") == "img"
        description_id = canvas.get_attribute("aria-describedby")
        description = page.locator(f"#{description_id}").inner_text()
        title = canvas.get_attribute("aria-label")
        assert title
        assert page.get_by_role("img", name=title, exact=True).count() == 1
        assert "Hong Kong" in description and len(description) > 40
        assert canvas.locator(".tc-chart__live").get_attribute("aria-hidden") == "true"
    caption = page.locator(".tc-chart figcaption").first.inner_text()
    assert "table below" in caption


def _screenshot(page: Page, name: str) -> None:
    """What a reader first sees: on a desktop the page from its top down to the first chart, on
    a phone the first chart; saved for review, and for the README when UPDATE_SCREENSHOTS=1."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    target = ARTIFACTS / f"{name}.png"
    charts = page.locator(".tc-chart__canvas")
    if not charts.count():
        page.screenshot(path=str(target), animations="disabled")
    elif page.viewport_size["width"] >= DESKTOP["width"]:
        bottom = charts.first.evaluate("canvas => canvas.getBoundingClientRect().bottom + window.scrollY")
        page.screenshot(path=str(target), full_page=True, animations="disabled",
                        clip={"x": 0, "y": 0, "width": page.viewport_size["width"], "height": bottom + 24})
    else:
        charts.first.evaluate("canvas => window.scrollTo(0, canvas.getBoundingClientRect().top + window.scrollY - 130)")
        page.wait_for_timeout(300)
        page.screenshot(path=str(target), animations="disabled")
    if os.environ.get("UPDATE_SCREENSHOTS") == "1" and name.startswith("hk-"):
        README_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shutil.copy2(target, README_SCREENSHOTS / target.name)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375", "1280"])
@pytest.mark.parametrize("page_type", list(PAGES))
def test_nothing_scrolls_sideways(browser: Browser, site: Site, page_type: str, viewport: dict[str, int]) -> None:
    context = open_context(browser, site, viewport=viewport)
    try:
        page = visit(context, site, site.path(page_type)).page
        charts = page.locator(".tc-chart").count()
        if charts:
            wait_for_live_charts(page)
        widths = page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
        assert widths[0] <= widths[1], f"page is {widths[0]} px wide in a {widths[1]} px window"
        for chart in page.locator(".tc-chart__live svg").all():
            chart_box, column = chart.bounding_box(), page.locator("article").bounding_box()
            assert chart_box and column and chart_box["width"] <= column["width"] + 1
        name = {"home": "home", "jurisdiction": "hk"}.get(page_type)
        if name:
            _screenshot(page, f"{name}-{viewport['width']}")
    finally:
        context.close()


def test_wide_table_scrolls_inside_itself_and_takes_focus(browser: Browser, site: Site) -> None:
    context = open_context(browser, site, viewport=PHONE)
    try:
        page = visit(context, site, site.path("jurisdiction")).page
        for summary in page.locator("details.tc-fold--table > summary").all():
            summary.click()
        boxes = page.locator(".md-typeset__scrollwrap")
        page.wait_for_function("document.querySelector('.md-typeset__scrollwrap[tabindex=\"0\"]')")
        scrolling = [box for box in boxes.all() if box.evaluate("b => b.scrollWidth > b.clientWidth + 1")]
        assert scrolling, "no table is wider than a phone; the check below would prove nothing"
        for box in scrolling:
            assert box.get_attribute("tabindex") == "0"
            assert box.get_attribute("aria-label")
        box = scrolling[0]
        box.focus()
        page.keyboard.press("ArrowRight")
        page.wait_for_function("box => box.scrollLeft > 0", arg=box.element_handle())
    finally:
        context.close()


def test_chart_follows_the_window_width(desktop: BrowserContext, site: Site) -> None:
    page = visit(desktop, site, site.path("jurisdiction")).page
    wait_for_live_charts(page)
    wide = page.locator(".tc-chart__live svg").first.bounding_box()["width"]
    page.set_viewport_size(PHONE)
    # Vega follows the narrower column; the title is drawn again in shorter lines (charts.js).
    fitted = page.wait_for_function("""wide => {
        const svg = document.querySelector('.tc-chart__live svg');
        const title = svg && svg.querySelector('.role-title-text');
        if (!title || svg.getBoundingClientRect().width > wide * 0.7 || title.querySelectorAll('tspan').length < 2) {
            return null;
        }
        const [chart, text] = [svg.getBoundingClientRect(), title.getBoundingClientRect()];
        return {left: chart.left, right: chart.right, titleLeft: text.left, titleRight: text.right};
    }""", arg=wide, timeout=CHART_TIMEOUT_MS).json_value()
    assert fitted["right"] - fitted["left"] <= PHONE["width"]
    assert fitted["left"] - 1 <= fitted["titleLeft"] and fitted["titleRight"] <= fitted["right"] + 1, "title cut off"
    assert page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")


def test_theme_switch_redraws_charts_without_reload(desktop: BrowserContext, site: Site) -> None:
    page = visit(desktop, site, site.path("jurisdiction")).page
    wait_for_live_charts(page)
    figure = page.locator(".tc-chart").first
    title = figure.locator(".tc-chart__live .role-title-text text").first
    assert figure.get_attribute("data-tc-theme") == "light"
    light_fill = title.get_attribute("fill")
    page.evaluate("window.__sameDocument = true")
    page.locator("label[title='Switch to dark mode']").click()
    page.wait_for_function("f => f.getAttribute('data-tc-theme') === 'dark'", arg=figure.element_handle())
    assert page.evaluate("window.__sameDocument === true")
    assert page.locator("body").get_attribute("data-md-color-scheme") == "slate"
    dark_fill = figure.locator(".tc-chart__live .role-title-text text").first.get_attribute("fill")
    assert dark_fill != light_fill, "the chart's text kept its light-theme colour on the dark page"
    labels = figure.locator(".tc-chart__live g.role-mark text")  # the numbers and labels of marked events
    assert labels.count() > 0
    assert {labels.nth(i).get_attribute("fill") for i in range(labels.count())} == {dark_fill}
    assert figure.locator(".tc-chart__static:visible").count() == 0
    # Switching back and forth faster than a chart draws leaves one chart, in the last theme.
    for label in ("Switch to light mode", "Switch to dark mode", "Switch to light mode"):
        page.locator(f"label[title='{label}']").click()
    page.wait_for_function("f => f.getAttribute('data-tc-theme') === 'light'", arg=figure.element_handle())
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(500)
    assert figure.get_attribute("data-tc-theme") == "light"
    assert figure.locator(".tc-chart__live svg").count() == 1
    assert figure.locator(".tc-chart__live .role-title-text text").first.get_attribute("fill") == light_fill


def test_search_box_finds_hong_kong(desktop: BrowserContext, site: Site) -> None:
    page = visit(desktop, site, "").page
    index = page.evaluate("performance.getEntriesByType('resource').map(r => r.name)")
    assert not [name for name in index if name.endswith("search_index.json")], "index loaded before search opened"
    search = page.locator("input.md-search__input")
    search.click()
    # Material reads the query only once its search worker has built the index (until then it
    # says "Initializing search"), and on key presses: typed as a reader types it.
    page.get_by_text("Type to start searching").wait_for(state="visible", timeout=CHART_TIMEOUT_MS)
    search.press_sequentially("Hong Kong", delay=20)
    first = page.locator(".md-search-result__item > a").first
    first.wait_for(state="visible", timeout=CHART_TIMEOUT_MS)
    assert first.get_attribute("href").split("?")[0] == site.url + "jurisdictions/hk/"
    assert first.locator("h1").inner_text() == "Hong Kong"


def test_a_page_opened_from_search_highlights_the_words_searched(desktop: BrowserContext, site: Site) -> None:
    page = visit(desktop, site, "jurisdictions/hk/?h=Hong+Kong").page
    page.locator("mark[data-md-highlight]").first.wait_for(state="visible", timeout=CHART_TIMEOUT_MS)


@pytest.mark.parametrize("name", list(readers.PAGES))
def test_a_first_visit_stays_within_its_budget(browser: Browser, site: Site, name: str) -> None:
    """What a reader on a phone downloads before touching anything: the page, its static
    charts, the theme; not the Vega runtime, not the search index."""
    seen = readers.first_visit(browser, site.root, readers.PAGES[name], site.url)
    assert seen.foreign == []
    assert not seen.asked_for("/vega/vega.js"), "the Vega runtime loaded before the reader touched a chart"
    assert not seen.asked_for("/search_index.json"), "the search index loaded before the reader opened search"
    budget = readers.BUDGETS_KB[name] * 1024
    assert seen.sent <= budget, f"{name}: {seen.sent} bytes gzipped, budget {budget}: {seen.requests}"


def test_live_chart_appears_when_the_reader_taps_it(browser: Browser, site: Site) -> None:
    context = browser.new_context(viewport=PHONE, has_touch=True)
    context.route("**/*", site.server.handle)
    try:
        page = visit(context, site, site.path("jurisdiction")).page
        runtime: list[str] = []
        page.on("request", lambda request: runtime.append(request.url) if "/vega/vega.js" in request.url else None)
        page.wait_for_timeout(500)
        figure = page.locator(".tc-chart").first
        figure.scroll_into_view_if_needed()
        static = figure.locator(".tc-chart__static--light")
        static.wait_for(state="visible")
        assert static.evaluate("img => img.complete && img.naturalWidth > 0"), "the reader sees no static chart"
        assert page.locator(".tc-chart__live svg").count() == 0 and runtime == []
        figure.locator(".tc-chart__canvas").tap()
        figure.locator(".tc-chart__live svg").wait_for(state="visible", timeout=CHART_TIMEOUT_MS)
        assert figure.locator(".tc-chart__static:visible").count() == 0
        assert len(runtime) == 1
    finally:
        context.close()


def test_search_index_is_slim(site: Site) -> None:
    """Names, headings and prose, not table cells: small enough for a phone to fetch and parse."""
    index = site.root / "search" / "search_index.json"
    assert index.stat().st_size <= 500 * 1024
    text = index.read_text(encoding="utf-8")
    assert "PRPL-Facebook-Government-Report" not in text, "the files behind a table are in the index"


def _search(page: Page, query: str) -> list[str]:
    """The pages Material lists for ``query``, typed into an emptied search box."""
    search = page.locator("input.md-search__input")
    search.fill("")
    search.press("Backspace")  # an empty query brings back the prompt, so old results are gone
    page.get_by_text("Type to start searching").wait_for(state="visible", timeout=CHART_TIMEOUT_MS)
    search.press_sequentially(query, delay=10)
    page.wait_for_function(
        "() => /match/i.test(document.querySelector('.md-search-result__meta').innerText)", timeout=CHART_TIMEOUT_MS)
    return [href.split("?")[0].split("#")[0] for href in
            page.locator(".md-search-result__item > a").evaluate_all("links => links.map(a => a.href)")]


def _search_by_name(context: BrowserContext, site: Site, folder: str, first: int) -> None:
    """Each page under ``folder`` is among the ``first`` results of a search for its title."""
    page = visit(context, site, "").page
    page.locator("input.md-search__input").click()
    page.get_by_text("Type to start searching").wait_for(state="visible", timeout=CHART_TIMEOUT_MS)
    index = json.loads((site.root / "search" / "search_index.json").read_text(encoding="utf-8"))
    wanted = {doc["location"]: doc["title"] for doc in index["docs"]
              if "#" not in doc["location"] and doc["location"].count("/") == 2 and doc["location"].startswith(folder)}
    assert wanted
    for location, title in wanted.items():
        name = title.replace("&amp;", "&").replace("&#x27;", "'")
        listed = _search(page, name)
        assert site.url + location in listed[:first], f"search for {name!r} does not list {location}: {listed[:10]}"


def test_search_finds_each_company_by_name(desktop: BrowserContext, site: Site) -> None:
    _search_by_name(desktop, site, "companies/", 5)


def test_search_finds_each_announcement_by_title(desktop: BrowserContext, site: Site) -> None:
    _search_by_name(desktop, site, "announcements/", 5)
