"""What a reader of the real site meets in Chromium: pages short enough to read with their folds
closed, note markers announced as notes, and data tables left out of search."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext
from test_browser import (  # noqa: F401 - fixtures
    DESKTOP,
    PHONE,
    Site,
    browser,
    open_context,
    site,
    visit,
    wait_for_live_charts,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# The tallest a page may be at 1280 px with its folds closed.
HEIGHTS = {"jurisdictions/hk/": 8_000, "jurisdictions/us/": 10_000}


@pytest.mark.parametrize("path", list(HEIGHTS))
def test_long_pages_are_short_with_their_folds_closed(browser: Browser, site: Site, path: str) -> None:  # noqa: F811
    context = open_context(browser, site, viewport=DESKTOP)
    try:
        page = visit(context, site, path).page
        assert page.locator("details.tc-fold").count() > 0
        assert page.locator("details.tc-fold[open]").count() == 0
        height = page.evaluate("document.documentElement.scrollHeight")
        assert height < HEIGHTS[path], f"{path} is {height} px tall"
    finally:
        context.close()


def test_a_note_marker_is_announced_as_a_note_apart_from_its_figure(browser: Browser, site: Site) -> None:  # noqa: F811
    # The real Armenia page notes periods whose figures are all counted apart from the total.
    context = open_context(browser, site)
    try:
        page = visit(context, site, "jurisdictions/am/").page
        for summary in page.locator("details.tc-fold--table > summary").all():
            summary.click()
        markers = page.locator("sup.tc-note a")
        assert markers.count() > 0
        tree = page.locator("article").aria_snapshot()
        links = re.findall(r'link "([^"]*)":\n\s*- /url: [^\n]*#note-', tree)
        assert links and all(re.fullmatch(r"note \d+", name) for name in links), links[:5]
        noted = re.findall(r'cell "([^"]*note \d+)"', tree)
        assert noted and all(re.search(r"\S note \d+$", name) for name in noted), noted[:5]
    finally:
        context.close()


def test_the_status_board_reads_on_a_phone_without_scrolling_sideways(browser: Browser, site: Site) -> None:  # noqa: F811
    context = open_context(browser, site, viewport=PHONE)
    try:
        page = visit(context, site, "jurisdictions/hk/").page
        cards = page.locator(".tc-board__card")
        assert cards.count() > 3
        for card in cards.all():
            box = card.bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    finally:
        context.close()


def test_data_tables_are_left_out_of_search(site: Site) -> None:  # noqa: F811
    page = (site.root / "jurisdictions" / "hk" / "index.html").read_text(encoding="utf-8")
    tables = re.findall(r"<table", page)
    wrapped = re.findall(r'<div class="tc-table" data-search-exclude>\s*<table', page)
    assert tables and len(wrapped) == len(tables)
    index = json.loads((site.root / "search" / "search_index.json").read_text(encoding="utf-8"))
    texts = [doc["text"] for doc in index["docs"] if doc["location"].startswith("jurisdictions/hk/")]
    assert texts and not any("<table" in text or "156–159 of 367" in text for text in texts)


def test_the_jurisdiction_index_sorts_by_latest_requests(desktop_context: BrowserContext, site: Site) -> None:  # noqa: F811
    page = visit(desktop_context, site, "jurisdictions/").page
    heading = page.locator("th", has_text="Latest requests")
    assert page.locator("td", has_text="60,933").count() == 1  # the United States, 2025 H1 (derived)
    heading.get_by_role("button").click()
    heading.get_by_role("button").click()
    assert heading.get_attribute("aria-sort") == "descending"
    values = [float(v) for v in page.locator("tbody tr td:nth-child(7)").evaluate_all(
        "cells => cells.map(c => c.getAttribute('data-sort'))")]
    assert len(values) > 100 and values == sorted(values, reverse=True)
    assert page.locator("tbody tr").first.locator("a").inner_text() != "Afghanistan"  # first by name


@pytest.fixture
def desktop_context(browser: Browser, site: Site) -> Iterator[BrowserContext]:  # noqa: F811
    context = open_context(browser, site)
    yield context
    context.close()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375", "1280"])
@pytest.mark.parametrize("path", ["", "jurisdictions/hk/"])
def test_the_first_screen_holds_the_hong_kong_chart(browser: Browser, site: Site, path: str,  # noqa: F811
                                                     viewport: dict[str, int]) -> None:
    context = open_context(browser, site, viewport=viewport)
    try:
        page = visit(context, site, path).page
        chart = page.locator(".tc-chart").first
        assert "Hong Kong" in (chart.locator(".tc-chart__canvas").get_attribute("aria-label") or "")
        box = chart.bounding_box()
        # At least its title and the top of its plot on the first screen.
        assert box is not None and box["y"] + 150 <= viewport["height"], f"the chart starts {box['y']} px down"
    finally:
        context.close()


@pytest.mark.parametrize(("guessed", "slug"), [("x", "twitter"), ("facebook", "meta")])
def test_a_former_company_address_reaches_its_page(desktop_context: BrowserContext, site: Site,  # noqa: F811
                                                   guessed: str, slug: str) -> None:
    page = desktop_context.new_page()
    page.goto(site.url + f"companies/{guessed}/")
    page.wait_for_url(site.url + f"companies/{slug}/")
    assert page.locator("h1").first.inner_text().startswith({"twitter": "X", "meta": "Meta"}[slug])


def test_timeline_filters_are_kept_in_the_address(desktop_context: BrowserContext, site: Site) -> None:  # noqa: F811
    page = visit(desktop_context, site, "announcements/?company=apple").page
    items = page.locator("#tc-timeline > li")
    apple = page.locator("li[data-company~='apple']")
    assert apple.count() > 0
    assert page.locator("select[data-filter='company']").input_value() == "apple"
    visible = [item for item in items.all() if item.is_visible()]
    assert len(visible) == apple.count()
    page.locator("select[data-filter='jurisdiction']").select_option("HK")
    assert "company=apple" in page.url and "jurisdiction=HK" in page.url
    page.reload()
    assert page.locator("select[data-filter='jurisdiction']").input_value() == "HK"


def test_the_law_and_the_pauses_are_labelled_in_the_static_image_without_overlapping(
        browser: Browser, site: Site) -> None:  # noqa: F811
    context = open_context(browser, site, viewport=DESKTOP, javascript=False)
    try:
        page = visit(context, site, "jurisdictions/hk/").page
        image = page.locator("#chart-requests img.tc-chart__static--light").get_attribute("src")
        assert image
        page.goto(site.url.rstrip("/").rsplit("/", 1)[0] + image if image.startswith("/") else site.url + image)
        labels = page.evaluate("""() => [...document.querySelectorAll('g.role-mark text')].map(t => {
            const box = t.getBoundingClientRect(); return [t.textContent, box.x, box.y, box.width, box.height]; })""")
    finally:
        context.close()
    texts = [label[0] for label in labels]
    assert "1 National Security Law" in texts
    assert any(re.fullmatch(r"2 \d+ announcements \(\d+ paused\)", text) for text in texts), texts
    numbers = sorted(int(text.split()[0]) for text in texts)
    assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) >= 4

    def overlap(a: list, b: list) -> bool:
        return a[1] < b[1] + b[3] and b[1] < a[1] + a[3] and a[2] < b[2] + b[4] and b[2] < a[2] + a[4]

    crossing = [(a[0], b[0]) for i, a in enumerate(labels) for b in labels[i + 1:] if overlap(a, b)]
    assert crossing == []


def test_a_chart_downloads_its_data_and_images_and_offers_a_citation_without_javascript(
        browser: Browser, site: Site) -> None:  # noqa: F811
    # Plain links with a file name to save under (Playwright cancels downloads of the routed
    # responses this server gives, so each link's address is read from the server instead).
    context = open_context(browser, site, viewport=DESKTOP, javascript=False)
    try:
        page = visit(context, site, "jurisdictions/hk/").page
        figure = page.locator("#chart-share")
        files = {}
        for name in ("Data (CSV)", "Image (SVG)", "Image (PNG)"):
            link = figure.get_by_role("link", name=name)
            address = link.evaluate("a => a.href")
            target = site.server.file_for(address)
            assert target is not None, address
            files[name] = (link.get_attribute("download"), target.read_bytes())
        assert files["Data (CSV)"][0] == "jurisdictions-hk-share.csv"
        assert files["Data (CSV)"][1].startswith(b"company,jurisdiction,period,")
        assert files["Image (SVG)"][0].endswith(".svg") and files["Image (SVG)"][1].startswith(b"<svg")
        assert files["Image (PNG)"][0].endswith(".png") and files["Image (PNG)"][1].startswith(b"\x89PNG")
        figure.locator("summary", has_text="Cite this chart").click()
        short = figure.locator(".tc-cite").first
        assert short.is_visible()
        assert short.inner_text().endswith(site.url + "jurisdictions/hk/#chart-share")
        assert short.evaluate("e => getComputedStyle(e).userSelect") == "all"
        figure.get_by_role("link", name="Link to this chart").click()
        assert page.url.endswith("/jurisdictions/hk/#chart-share")
    finally:
        context.close()


@pytest.mark.parametrize(("viewport", "labelled"), [(DESKTOP, True), (PHONE, False)])
def test_the_live_chart_keeps_its_event_labels_inside_it_at_any_width(
        browser: Browser, site: Site, viewport: dict[str, int], labelled: bool) -> None:  # noqa: F811
    context = open_context(browser, site, viewport=viewport)
    try:
        page = visit(context, site, "jurisdictions/hk/").page
        wait_for_live_charts(page)
        live = page.locator("#chart-requests .tc-chart__live svg")
        box = live.bounding_box()
        labels = page.evaluate("""() => [
            ...document.querySelectorAll('#chart-requests .tc-chart__live g.role-mark text')
        ].map(t => { const b = t.getBoundingClientRect(); return [t.textContent, b.left, b.right]; })""")
    finally:
        context.close()
    assert box is not None and labels
    assert any("National Security Law" in text for text, _, _ in labels) == labelled
    assert all(box["x"] - 1 <= left and right <= box["x"] + box["width"] + 1 for _, left, right in labels), labels
