"""Text written to attack the site's readers is published inert, as visible text.

tests/fixtures/hostile/data/ adds to the project a company whose name is hostile, request
rows whose label and note are hostile, and an announcement whose title, summary, quote,
publisher and source note are hostile. The whole site is built (`python -m builder build`,
then `mkdocs build --strict`) and every built page is read with an HTML parser: no script,
event handler, script address or outside image may come from the data, and every hostile
string must be readable as text.
"""

from __future__ import annotations

import csv
import html
import json
import re
import shutil
import sys
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit
from xml.etree import ElementTree

import feedparser
import pytest
import yaml
from conftest import FIXTURE_DATA, SITE_URL, SOURCE_DATE_EPOCH, BuiltSite, build_env, copy_project, mkdocs_build, run

from builder.core import patterns
from builder.importers import import_files
from builder.importers import run as run_import
from builder.inputs.announcements import load_announcement, load_announcements
from builder.inputs.registry import load_registry
from builder.inputs.requests import validate_data_dir
from builder.output.outputs import SEARCH_BOOST

HOSTILE = Path(__file__).resolve().parent / "fixtures" / "hostile"
ANNOUNCEMENT = HOSTILE / "data" / "announcements" / "2020-07-08-evil-hostile.md"
JAVASCRIPT_SOURCE = HOSTILE / "invalid" / "2020-07-09-evil-javascript-url.md"
SLUG = ANNOUNCEMENT.stem

COMPANY_NAME = ("Evil </title><script>alert('name')</script> <img src=x onerror=alert(1)> "
                "[x](javascript:alert(1)) | {: onclick=alert(1) }")
FORMER_NAME = "<svg onload=alert('former')>"
LABEL = "<script>alert('label')</script> | broken | table"
NOTE = ("[click](javascript:alert('note')) ![pixel](https://evil.example/note.png) "
        "<https://evil.example/autolink> {: onclick=\"alert('attr')\" } <img src=x onerror=alert('note')>")
TITLE = ("</title><script>alert('title')</script> \" --- <img src=x onerror=alert(1)> "
         "[t](javascript:alert(1)) key: value")
PUBLISHER = "<a href=javascript:alert('publisher')>Evil Press</a> <svg onload=alert(1)>"
SOURCE_NOTE = "<iframe src=javascript:alert('source note')></iframe>"
QUOTE = "<script>alert('quote')</script> [q](data:text/html,<script>alert(1)</script>)"
QUOTED_BY = "<b onmouseover=alert('by')>Someone</b>"
BODY = [
    "<div onclick=\"alert('block')\">A raw HTML block at line start</div>",
    "[link](javascript:alert('body')) and ![pixel](https://evil.example/body.png) and "
    "<https://evil.example/autolink> {: onclick=\"alert('attr')\" }",
    "| a | b | |---|---| | c | d |",
    "<script>alert('body script')</script>",
]
URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "data", "poster", "xlink:href",
                            "data-spec", "srcset", "background"})
ACTIVE_SCHEMES = frozenset({"javascript", "data", "vbscript"})
ACTIVE_ELEMENTS = frozenset({"iframe", "object", "embed", "frame", "base", "form"})
SVG_TAGS = frozenset({"svg", "g", "path", "text", "line", "rect", "title", "desc", "defs", "clipPath", "tspan"})


# --- the built site ------------------------------------------------------------------------


def add_hostile_data(project: Path) -> None:
    data = project / "data"
    registry = data / "companies.yml"
    entry = (HOSTILE / "data" / "companies-entry.yml").read_text(encoding="utf-8")
    registry.write_text(registry.read_text(encoding="utf-8").rstrip("\n") + "\n" + entry, encoding="utf-8")
    shutil.copy(HOSTILE / "data" / "requests" / "evil.csv", data / "requests" / "evil.csv")
    shutil.copy(ANNOUNCEMENT, data / "announcements" / ANNOUNCEMENT.name)
    shutil.copy(BLOCKS, data / "announcements" / BLOCKS.name)


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    project = copy_project(tmp_path_factory.mktemp("hostile-project"))
    add_hostile_data(project)
    env = build_env(SOURCE_DATE_EPOCH=SOURCE_DATE_EPOCH)
    run([sys.executable, "-m", "builder", "build"], project, env)
    root = tmp_path_factory.mktemp("hostile-built") / "site"
    mkdocs_build(project, root, env)
    return BuiltSite(project, root, SITE_URL)


@dataclass
class PageAudit:
    """What one HTML page holds that could run, load or link something, and its visible text."""

    inline_scripts: list[str] = field(default_factory=list)
    script_sources: list[str] = field(default_factory=list)
    handlers: list[str] = field(default_factory=list)
    active_urls: list[str] = field(default_factory=list)
    images: list[str] = field(default_factory=list)
    active_elements: list[str] = field(default_factory=list)
    tables: int = 0
    title: str = ""
    text: str = ""


class _Auditor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.audit = PageAudit()
        self._open: list[str] = []
        self._words: list[str] = []
        self._title: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.audit.handlers.append(f"<{tag} {name}={value}>")
            if name in URL_ATTRIBUTES and value and urlsplit(value.strip()).scheme.lower() in ACTIVE_SCHEMES:
                self.audit.active_urls.append(f"<{tag} {name}={value}>")
        if tag == "script":
            if values.get("src"):
                self.audit.script_sources.append(values["src"] or "")
            elif values.get("type") != "application/json":
                self._open.append("script")
                self.audit.inline_scripts.append("")
                return
        if tag == "img":
            self.audit.images.append(values.get("src") or "")
        if tag in ACTIVE_ELEMENTS:
            self.audit.active_elements.append(tag)
        if tag == "table":
            self.audit.tables += 1
        if tag in ("style", "script", "title"):
            self._open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self._open and self._open[-1] == tag:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        where = self._open[-1] if self._open else None
        if where == "script" and self.audit.inline_scripts:
            self.audit.inline_scripts[-1] += data
        elif where == "title":
            self._title.append(data)
        elif where not in ("style", "script"):
            self._words.append(data)

    def close(self) -> None:
        super().close()
        self.audit.text = re.sub(r"\s+", " ", " ".join(self._words))
        self.audit.title = re.sub(r"\s+", " ", "".join(self._title)).strip()


def audit(path: Path) -> PageAudit:
    auditor = _Auditor()
    auditor.feed(path.read_text(encoding="utf-8"))
    auditor.close()
    return auditor.audit


@pytest.fixture(scope="module")
def audits(hostile_site: BuiltSite) -> dict[str, PageAudit]:
    return {path.relative_to(hostile_site.root).as_posix(): audit(path) for path in hostile_site.html_files()}


def visible(needle: str, audit_: PageAudit) -> bool:
    return re.sub(r"\s+", " ", needle) in audit_.text


# --- nothing from the data is active ---------------------------------------------------------


def test_the_hostile_pages_were_built(audits: dict[str, PageAudit]) -> None:
    hostile = {"companies/evil/index.html", f"announcements/{SLUG}/index.html", "jurisdictions/hk/index.html"}
    assert hostile <= set(audits)


def test_every_script_is_the_sites_own(hostile_site: BuiltSite, audits: dict[str, PageAudit]) -> None:
    # The theme's inline scripts are the same on every page; the 404 page shows no data at all.
    theirs = len(audits["404.html"].inline_scripts)
    for page, found in audits.items():
        assert len(found.inline_scripts) == (0 if _is_redirect(found) else theirs), page
        assert not [script for script in found.inline_scripts if "alert" in script], page
        here = urljoin(hostile_site.url, page)
        for source in found.script_sources:
            address = urlsplit(urljoin(here, source))
            assert address.netloc == urlsplit(hostile_site.url).netloc, (page, source)
            assert address.path.startswith(urlsplit(hostile_site.url).path + "assets/"), (page, source)


def test_no_event_handler_attribute_anywhere(audits: dict[str, PageAudit]) -> None:
    assert {page: found.handlers for page, found in audits.items() if found.handlers} == {}


def test_no_script_or_data_address_anywhere(audits: dict[str, PageAudit]) -> None:
    assert {page: found.active_urls for page, found in audits.items() if found.active_urls} == {}


def test_no_frame_object_or_form_from_the_data(audits: dict[str, PageAudit]) -> None:
    theirs = audits["404.html"].active_elements  # the theme's search and palette forms
    assert {page: found.active_elements for page, found in audits.items()
            if found.active_elements != ([] if _is_redirect(found) else theirs)} == {}


def _is_redirect(found: PageAudit) -> bool:
    """A page that sends a former company address on (builder/pages/redirects.py): no theme,
    so no script and no form at all."""
    return found.text.strip().startswith("This address leads to the page of")


def test_no_image_from_another_origin(hostile_site: BuiltSite, audits: dict[str, PageAudit]) -> None:
    site = urlsplit(hostile_site.url).netloc
    outside = {
        page: [src for src in found.images if urlsplit(urljoin(urljoin(hostile_site.url, page), src)).netloc != site]
        for page, found in audits.items()
    }
    assert {page: images for page, images in outside.items() if images} == {}


# --- every hostile string is there, as text --------------------------------------------------


def test_the_company_name_is_text_on_its_page(audits: dict[str, PageAudit]) -> None:
    page = audits["companies/evil/index.html"]
    assert visible(f"{COMPANY_NAME} (formerly {FORMER_NAME})", page)


def test_the_label_and_note_are_text_in_the_jurisdiction_table(audits: dict[str, PageAudit]) -> None:
    page = audits["jurisdictions/hk/index.html"]
    assert visible(LABEL, page)
    assert visible(NOTE, page)


def test_the_announcement_is_text_on_its_page(audits: dict[str, PageAudit]) -> None:
    page = audits[f"announcements/{SLUG}/index.html"]
    for part in [TITLE, PUBLISHER, SOURCE_NOTE, QUOTE, QUOTED_BY, *BODY]:
        assert visible(part, page), part


def test_a_table_in_a_summary_stays_text(audits: dict[str, PageAudit]) -> None:
    clean = audits["announcements/2020-07-06-meta-hong-kong-pause/index.html"]
    assert audits[f"announcements/{SLUG}/index.html"].tables == clean.tables


# A summary made of every block construct Markdown has, and 300 nested list markers.
BLOCKS = HOSTILE / "data" / "announcements" / "2020-07-10-evil-blocks.md"
BLOCK_LINES = [line for line in BLOCKS.read_text(encoding="utf-8").split("---\n", 2)[2].splitlines() if line.strip()]


def test_every_block_construct_in_a_summary_is_shown_as_written(audits: dict[str, PageAudit]) -> None:
    """List markers, numbers, rules, headings, quotes, tables, footnotes, comments, code: the
    reader sees each line's characters, in order, as the file has them (one paragraph)."""
    page = audits["announcements/2020-07-10-evil-blocks/index.html"]
    written = " ".join(" ".join(line.split()) for line in BLOCK_LINES[:-1])  # the first paragraph
    assert written in page.text
    assert ("- " * 300 + "deep").strip() in page.text
    assert page.title.startswith("- A title that starts like a list")
    assert "1. Numbered Press" in page.text


def test_every_line_of_a_summary_reaches_the_feed(hostile_site: BuiltSite) -> None:
    entries = feedparser.parse((hostile_site.project / "site_src" / "feed.xml").read_bytes()).entries
    summary = next(e.summary for e in entries if e.link.rstrip("/").endswith("2020-07-10-evil-blocks"))
    assert summary.split() == " ".join(BLOCK_LINES).split()


def test_a_hostile_title_is_the_page_title_as_text(audits: dict[str, PageAudit]) -> None:
    assert audits[f"announcements/{SLUG}/index.html"].title.startswith(TITLE + " - ")
    assert audits["companies/evil/index.html"].title.startswith(f"{COMPANY_NAME} (formerly {FORMER_NAME}) - ")


def test_a_hostile_title_keeps_the_generated_front_matter_whole(hostile_site: BuiltSite) -> None:
    markdown = (hostile_site.project / "site_src" / "announcements" / f"{SLUG}.md").read_text(encoding="utf-8")
    assert markdown.startswith("---\n")
    front_matter, _, body = markdown[4:].partition("\n---\n")
    meta = yaml.safe_load(front_matter)
    assert set(meta) == {"title", "description", "search"}  # search: the page's weight in search only
    assert meta["search"] == {"boost": SEARCH_BOOST["announcement"]}
    # MkDocs treats page.title as HTML (Material prints it unescaped in the header and search).
    assert html.unescape(meta["title"]) == TITLE
    assert "<" not in meta["title"]
    assert body.lstrip().startswith("<!-- Generated")


def test_the_search_index_holds_titles_as_escaped_text(hostile_site: BuiltSite) -> None:
    index = json.loads((hostile_site.root / "search" / "search_index.json").read_text(encoding="utf-8"))
    titles = {doc["location"]: doc["title"] for doc in index["docs"]}
    assert html.unescape(titles[f"announcements/{SLUG}/"]) == TITLE
    assert all("<" not in title for title in titles.values())


def test_chart_specs_carry_the_name_as_data_only(hostile_site: BuiltSite) -> None:
    specs = [json.loads(path.read_text(encoding="utf-8")) for path in (hostile_site.root / "charts").glob("*.vl.json")]
    text = json.dumps(specs, ensure_ascii=False)
    assert COMPANY_NAME in text  # as a JSON string: Vega draws it as SVG text
    assert not re.search(r'"href"\s*:', text)  # no chart mark links anywhere
    charts_js = (hostile_site.root / "assets" / "charts.js").read_text(encoding="utf-8")
    # vega-embed's own tooltip handler escapes HTML; a custom one or `sanitize` would not.
    assert "sanitize" not in charts_js
    assert not re.search(r"tooltip\s*:", charts_js)


def test_static_chart_images_hold_the_name_as_svg_text_only(hostile_site: BuiltSite) -> None:
    # An SVG opened on its own (e.g. "open image in new tab") runs any script it holds.
    texts = []
    for path in sorted((hostile_site.root / "charts").glob("*.svg")):
        root = ElementTree.parse(path).getroot()
        elements = list(root.iter())
        assert {element.tag.split("}")[-1] for element in elements} <= SVG_TAGS, path.name
        assert not [name for element in elements for name in element.attrib if name.lower().startswith("on")]
        assert not [value for element in elements for name, value in element.attrib.items()
                    if name.endswith("href") and urlsplit(value).scheme.lower() in ACTIVE_SCHEMES]
        texts += ["".join(element.itertext()) for element in elements if element.tag.endswith("text")]
    assert any(COMPANY_NAME in text for text in texts)


def test_the_feed_holds_the_announcement_as_text(hostile_site: BuiltSite) -> None:
    feed = feedparser.parse((hostile_site.root / "feed.xml").read_bytes())
    assert feed.bozo == 0
    entry = next(e for e in feed.entries if e.id.endswith(f"/{SLUG}/"))
    assert entry.title == TITLE
    assert entry.title_detail.type == "text/plain"
    assert entry.summary_detail.type == "text/plain"
    assert [link.href for link in entry.links if link.rel == "related"] == ["https://evil.example/source?a=1&b=2"]
    addresses = [feed.feed.link] + [link.href for e in feed.entries for link in e.links]
    assert all(urlsplit(address).scheme in {"http", "https"} for address in addresses)


# --- input that must be refused --------------------------------------------------------------


def test_a_javascript_source_address_is_an_error(tmp_path: Path) -> None:
    registry = tmp_path / "companies.yml"
    registry.write_text("companies:\n" + (HOSTILE / "data" / "companies-entry.yml").read_text(encoding="utf-8"),
                        encoding="utf-8")
    announcement, problems = load_announcement(JAVASCRIPT_SOURCE, load_registry(registry)[0])
    assert announcement is None
    assert [(p.row, p.code, p.severity) for p in problems] == [("sources.0.url", "bad-url", "error")]
    assert "https://" in problems[0].message


# OWASP's triggers: =, +, -, @, tab, carriage return, line feed; and an operator after spaces
# or after the operator itself and a space ("= 1+1", which spreadsheets still evaluate).
FORMULAS = ['=HYPERLINK("https://evil.example/","Click")', "+1+1", "-2+3+cmd|' /C calc'!A0", "@SUM(A1:A9)",
            "= 1+1", "- as published", "\t=1+1", "  =1+1", " @SUM(A1)"]


def _data_with_cell(tmp_path: Path, column: str, value: str) -> Path:
    data = tmp_path / "data"
    shutil.copytree(FIXTURE_DATA, data)
    path = data / "requests" / "meta.csv"
    with path.open(newline="", encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
    rows[0][column] = value
    with path.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.DictWriter(stream, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return data


@pytest.mark.parametrize("formula", FORMULAS)
@pytest.mark.parametrize("column", ["company_label", "note", "service", "source_file"])
def test_a_cell_a_spreadsheet_would_run_as_a_formula_is_refused(column: str, formula: str, tmp_path: Path) -> None:
    problems = [p for p in validate_data_dir(_data_with_cell(tmp_path, column, formula)) if p.is_error]
    assert (2, column, "bad-text") in [(p.row, p.column, p.code) for p in problems]
    assert any("formula" in p.message for p in problems if p.column == column)


@pytest.mark.parametrize("text", [*FORMULAS, "\r=1+1", "\n=1+1", "\r", "\n"])
def test_the_formula_rule_names_every_trigger(text: str) -> None:
    assert patterns.FORMULA.search(text)


@pytest.mark.parametrize("text", ["as published - see the footnote", "1 request", "Note: =1 is text here"])
def test_a_cell_with_an_operator_inside_is_text(text: str, tmp_path: Path) -> None:
    problems = validate_data_dir(_data_with_cell(tmp_path, "note", text))
    assert [p for p in problems if p.is_error] == []


# --- in a real browser: no script runs, nothing loads from elsewhere ---------------------------


TOOLTIP_TAGS = {"table", "tbody", "tr", "td"}
# Elements under a selector that could run or load something: scripts, frames, images from
# anywhere but the site (the static charts are the site's own), event-handler attributes.
ACTIVE_IN_DOM = """([root, site]) => [...document.querySelectorAll(root + ' *')].filter(e =>
    ['SCRIPT', 'IFRAME', 'OBJECT', 'EMBED'].includes(e.tagName) ||
    (e.tagName === 'IMG' && !e.src.startsWith(site)) ||
    [...e.attributes].some(a => a.name.startsWith('on'))).map(e => e.outerHTML)"""


@pytest.mark.browser
def test_in_a_browser_no_hostile_text_runs_or_loads(hostile_site: BuiltSite) -> None:
    playwright_api = pytest.importorskip("playwright.sync_api")
    if not Path("/usr/bin/chromium").exists():
        pytest.skip("needs /usr/bin/chromium")
    dialogs: list[str] = []
    foreign: list[str] = []
    tooltips: list[tuple[str, str, list[str]]] = []

    def serve(route: object) -> None:
        url = route.request.url
        if not url.startswith(hostile_site.url):
            foreign.append(url)
            route.abort()
            return
        relative = urlsplit(url).path[len(urlsplit(hostile_site.url).path):]
        path = hostile_site.root / relative
        path = path / "index.html" if path.is_dir() else path
        if not path.is_file():
            route.fulfill(status=404, body="not found")
            return
        types = {".js": "text/javascript", ".json": "application/json", ".svg": "image/svg+xml",
                 ".css": "text/css", ".html": "text/html", ".xml": "application/xml"}
        content_type = types.get(path.suffix, "application/octet-stream")
        route.fulfill(status=200, body=path.read_bytes(), content_type=content_type)

    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                             args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                                                   "--disable-component-update", "--disable-sync"])
        try:
            context = browser.new_context()
            context.route("**/*", serve)
            page = context.new_page()
            page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
            for address in ("companies/evil/", f"announcements/{SLUG}/", "jurisdictions/hk/"):
                page.goto(hostile_site.url + address)
                if page.query_selector("figure.tc-chart") is not None:
                    # The live charts load when a reader points at one (assets/charts.js).
                    page.locator(".tc-chart figcaption").first.hover()
                    page.wait_for_selector("figure.tc-chart--live", timeout=20_000)
                assert page.evaluate(ACTIVE_IN_DOM, ["article", hostile_site.url]) == [], address
                for mark in page.query_selector_all("figure.tc-chart--live svg g.mark-symbol path, "
                                                    "figure.tc-chart--live svg g.mark-rect path"):
                    mark.hover(force=True)
                    tip = page.query_selector("#vg-tooltip-element")
                    if tip is not None and tip.is_visible():
                        tags = page.evaluate("(e) => [...e.querySelectorAll('*')].map(n => n.tagName.toLowerCase())",
                                             tip)
                        tooltips.append((address, tip.inner_text(), tags))
            search = page.locator("input.md-search__input")
            search.click()
            search.press_sequentially("Evil", delay=50)  # typed: the search worker may still be loading
            page.locator(".md-search-result__item > a").first.wait_for(state="visible", timeout=20_000)
            assert page.evaluate(ACTIVE_IN_DOM, [".md-search-result", hostile_site.url]) == []
            assert COMPANY_NAME in page.inner_text(".md-search-result")
        finally:
            browser.close()
    assert dialogs == []
    assert foreign == []  # the pixel and autolink addresses on evil.example were never requested
    assert any(COMPANY_NAME in text for _, text, _ in tooltips), tooltips
    assert all(set(tags) <= TOOLTIP_TAGS for _, _, tags in tooltips), tooltips


def test_hostile_text_in_a_download_does_not_reach_the_dataset(tmp_path: Path) -> None:
    """The importer keeps codes and numbers from a download, not its free text: a place name
    carrying a script is matched by its code and left behind."""
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(Path(__file__).resolve().parent.parent / "data" / "companies.yml", data / "companies.yml")
    files = sorted((HOSTILE / "import" / "hostile-label").glob("*.csv"))
    assert "<script>" in files[0].read_text(encoding="utf-8")
    assert import_files("twitter", files, data).problems == []
    assert run_import("twitter", files, data) == 0
    written = (data / "requests" / "twitter.csv").read_text(encoding="utf-8")
    assert "<script" not in written and "alert" not in written
    assert ",AR,2017-01-01,2017-06-30," in written


RIGHT_TO_LEFT_OVERRIDE = "\u202e"  # shows "Evil\u202egnp.exe" as "Evilexe.png"


def test_a_text_direction_override_is_refused_everywhere(tmp_path: Path) -> None:
    registry = tmp_path / "companies.yml"
    entry = (HOSTILE / "data" / "companies-entry.yml").read_text(encoding="utf-8")
    registry.write_text("companies:\n" + entry.replace("name: \"Evil", f"name: \"Evil{RIGHT_TO_LEFT_OVERRIDE}"),
                        encoding="utf-8")
    assert [(p.row, p.code) for p in load_registry(registry)[1]] == [("companies.0.name", "registry-invalid")]
    folder = tmp_path / "announcements"
    folder.mkdir()
    text = ANNOUNCEMENT.read_text(encoding="utf-8").replace("title: \"", f"title: \"{RIGHT_TO_LEFT_OVERRIDE}", 1)
    (folder / ANNOUNCEMENT.name).write_text(text.replace("A raw HTML", f"A{RIGHT_TO_LEFT_OVERRIDE} raw HTML"),
                                            encoding="utf-8")
    registry.write_text("companies:\n" + entry, encoding="utf-8")
    problems = load_announcements(folder, load_registry(registry)[0])[1]
    assert sorted((p.row, p.code) for p in problems) == [("body", "bad-text"), ("title", "bad-text")]
    data = _data_with_cell(tmp_path, "note", f"as published{RIGHT_TO_LEFT_OVERRIDE}")
    assert [(p.column, p.code) for p in validate_data_dir(data) if p.is_error] == [("note", "bad-text")]
