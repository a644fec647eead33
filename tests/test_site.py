"""The whole site from data: the Hong Kong page as a reader gets it, and a quiet rebuild."""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from conftest import BuiltSite, fixture_project

from builder.build.run import generate
from builder.core.settings import from_mkdocs_config

REPO = Path(__file__).resolve().parent.parent


class _Page(HTMLParser):
    """The parts of a page a reader sees: figures, table cells, images."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.figures: list[dict[str, str | None]] = []
        self.images: list[str] = []
        self.cells: list[str] = []
        self._in_cell = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "div" and "data-spec" in attributes:
            self.figures.append(attributes)
        if tag == "img" and attributes.get("src"):
            self.images.append(str(attributes["src"]))
        self._in_cell = tag in {"td", "th"} or (self._in_cell and tag not in {"tr"})
        if tag in {"td", "th"}:
            self.cells.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag in {"td", "th"}:
            self._in_cell = False

    def handle_data(self, data: str) -> None:
        if self._in_cell:
            self.cells[-1] += data


def read_page(site: BuiltSite, path: str) -> _Page:
    page = _Page()
    page.feed((site.root / path / "index.html").read_text(encoding="utf-8"))
    return page


def test_hong_kong_page_holds_charts_their_tables_and_sources(built_site: BuiltSite) -> None:
    page = read_page(built_site, "jurisdictions/hk")
    assert len(page.figures) == 3  # requests, share, and what each total is made of
    site_path = urlsplit(built_site.url).path
    for figure in page.figures:
        spec_file = built_site.root / str(figure["data-spec"]).removeprefix(site_path)
        spec = json.loads(spec_file.read_text(encoding="utf-8"))
        assert "Hong Kong" in spec["title"] and spec["description"]
    assert any(src.endswith(".svg") for src in page.images)
    for src in page.images:
        assert src.startswith(site_path) and (built_site.root / src.removeprefix(site_path)).is_file(), src
    cells = [cell.strip() for cell in page.cells]
    # Meta's published figures for Hong Kong, 2019 H1 and H2 (143 + 241 = 384 in the year)
    assert "143" in cells and "241" in cells
    assert "not reported" in cells
    source = (built_site.root / "jurisdictions" / "hk" / "index.html").read_text(encoding="utf-8")
    assert "transparency.meta.com/reports/government-data-requests" in source


def test_not_reported_is_never_shown_as_zero(built_site: BuiltSite) -> None:
    page = read_page(built_site, "jurisdictions/hk")
    rows = [cell.strip() for cell in page.cells]
    # Google 2013 H1, in the table of every published figure: 253 requests, "with data" not
    # published -> not reported, not 0
    index = next(i for i, cell in enumerate(rows) if cell == "253" and rows[i - 1] == "All")
    assert rows[index + 2] == "not reported"


def test_every_fixed_url_exists(built_site: BuiltSite) -> None:
    for path in ("", "jurisdictions", "jurisdictions/hk", "companies", "companies/meta", "methodology",
                 "data", "announcements"):
        assert (built_site.root / path / "index.html").is_file(), path


def test_methodology_documents_every_column_code_and_request_type(built_site: BuiltSite) -> None:
    from builder.core.problems import CODES
    from builder.core.schema import COLUMN_NAMES, REQUEST_TYPES

    text = html.unescape((built_site.root / "methodology" / "index.html").read_text(encoding="utf-8"))
    missing = [name for name in [*COLUMN_NAMES, *CODES, *REQUEST_TYPES] if f"<code>{name}</code>" not in text]
    assert missing == []


def test_a_second_generation_writes_nothing(tmp_path: Path) -> None:
    project = fixture_project(tmp_path / "project").parent
    (project / "site_src").mkdir()
    settings = from_mkdocs_config(project / "mkdocs.yml")
    first = generate(settings)
    stamps = {p: p.stat().st_mtime_ns for p in (project / "site_src").rglob("*") if p.is_file()}
    second = generate(settings)
    assert first.files_written > 0 and second.files_written == 0 and second.svgs_rendered == 0
    assert stamps == {p: p.stat().st_mtime_ns for p in (project / "site_src").rglob("*") if p.is_file()}


def test_a_jurisdiction_that_leaves_the_data_loses_its_page(tmp_path: Path) -> None:
    project = fixture_project(tmp_path / "project").parent
    settings = from_mkdocs_config(project / "mkdocs.yml")
    generate(settings)
    assert (project / "site_src" / "jurisdictions" / "ar.md").is_file()
    google = project / "data" / "requests" / "google.csv"
    google.write_text("".join(line for line in google.read_text().splitlines(keepends=True) if ",AR," not in line))
    report = generate(settings)
    assert not (project / "site_src" / "jurisdictions" / "ar.md").exists()
    assert report.files_removed >= 1


def test_build_command_refuses_broken_data_and_writes_nothing(tmp_path: Path) -> None:
    project = fixture_project(tmp_path / "project").parent
    meta = project / "data" / "requests" / "meta.csv"
    meta.write_text(meta.read_text().replace(",HK,2019-01-01", ",ZZ,2019-01-01"))
    done = subprocess.run([sys.executable, "-m", "builder", "build", "-f", str(project / "mkdocs.yml")],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 1
    assert "unknown-jurisdiction" in done.stderr and "Traceback" not in done.stderr
    assert not (project / "site_src").exists() or not any((project / "site_src").rglob("*.md"))


@pytest.mark.parametrize("page", ["jurisdictions/hk", "companies/meta"])
def test_pages_link_the_companys_report(built_site: BuiltSite, page: str) -> None:
    source = (built_site.root / page / "index.html").read_text(encoding="utf-8")
    assert 'href="https://transparency.meta.com/reports/government-data-requests"' in source


def test_a_revised_figure_is_marked_and_its_entry_names_both_sources(built_site: BuiltSite) -> None:
    hong_kong = (built_site.root / "jurisdictions" / "hk" / "index.html").read_text(encoding="utf-8")
    revisions = (built_site.root / "revisions" / "index.html").read_text(encoding="utf-8")
    anchors = set(re.findall(r'href="[^"]*/revisions/#(rev-[0-9a-f]+)"', hong_kong))
    assert anchors, "the Hong Kong page marks X's restated 2018 H2 figures"
    for anchor in anchors:
        entry = re.search(rf'<li id="{anchor}"[^>]*>(.*?)</li>', revisions, re.S)
        assert entry is not None, anchor
        text = re.sub(r"<[^>]+>", "", entry.group(1))
        assert "2018 H2" in text and "information-requests-report-jul-dec-2018.csv" in text
        assert "Twitter&#95;Transparency" in entry.group(1) or "Twitter_Transparency" in text


def test_the_status_board_says_when_a_companys_figures_stopped(built_site: BuiltSite) -> None:
    source = (built_site.root / "jurisdictions" / "hk" / "index.html").read_text(encoding="utf-8")
    cards = [" ".join(html.unescape(re.sub(r"<[^>]+>", "", card)).split())
             for card in re.findall(r'<li class="tc-board__card">(.*?)</li>', source, re.S)]
    # The fixture's X figures end in 2018 H2, Apple's in 2022 H1: more than a year apart.
    assert any("Latest figures: 2018 H2 (2018-07-01 to 2018-12-31); no figures published after 2018 H2" in card
               for card in cards)


def test_every_page_links_the_feed_from_its_head(built_site: BuiltSite) -> None:
    pages = built_site.html_files()
    assert len(pages) > 5
    for path in pages:
        head = path.read_text(encoding="utf-8").split("</head>")[0]
        if 'http-equiv="refresh"' in head:
            continue  # a former company address, which sends the reader on at once
        found = re.search(r'<link rel="alternate" type="application/atom\+xml"[^>]* href="([^"]+)"', head)
        assert found, f"{path.relative_to(built_site.root)} does not link the feed"
        address = built_site.url + path.relative_to(built_site.root).as_posix()
        assert urljoin(address, html.unescape(found.group(1))) == built_site.url + "feed.xml", path


def test_a_former_company_name_leads_to_its_page(built_site: BuiltSite) -> None:
    for guessed, slug in (("x", "twitter"), ("facebook", "meta")):
        page = (built_site.root / "companies" / guessed / "index.html").read_text(encoding="utf-8")
        target = re.search(r'<meta http-equiv="refresh" content="0; url=([^"]+)"', page)
        assert target is not None, guessed
        assert target.group(1) == urlsplit(built_site.url).path + f"companies/{slug}/"
        assert (built_site.root / "companies" / slug / "index.html").is_file()
        assert f'href="{target.group(1)}"' in page  # a link too, for a reader whose browser does not refresh


def test_the_404_page_offers_search_and_the_sections(built_site: BuiltSite) -> None:
    page = (built_site.root / "404.html").read_text(encoding="utf-8")
    site_path = urlsplit(built_site.url).path
    for section in ("jurisdictions/", "companies/", "announcements/", "methodology/", "data/"):
        assert f'href="{site_path}{section}"' in page, section
    assert "Search the site" in page and 'data-md-component="search"' in page
