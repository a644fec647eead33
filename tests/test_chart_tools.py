"""What a reader can take away from every chart, on the built site: its data as drawn (CSV), its
image (SVG, PNG), a citation and a link that every build keeps; and the marked events, numbered
alike on the chart and in the list under it, with the events of data/events.yml checked as the
announcements are."""

from __future__ import annotations

import csv
import io
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import SITE_URL, BuiltSite

from builder.core.problems import errors
from builder.inputs.events import load_events
from builder.output.format import NOT_LISTED, NOT_REPORTED

REPO = Path(__file__).resolve().parent.parent
BUILD_DAY = "2100-01-01"  # conftest.SOURCE_DATE_EPOCH's


class _Figures(HTMLParser):
    """Each chart figure of a page: its id, its links (by text), its cells' and citations' text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.figures: list[dict] = []
        self._link: str | None = None
        self._cite = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "figure" and "tc-chart" in (values.get("class") or ""):
            self.figures.append({"id": values.get("id"), "links": {}, "cites": [], "marks": []})
        elif self.figures and tag == "a":
            self._link = values.get("href")
            self.figures[-1].setdefault("_text", "")
        elif self.figures and tag == "span" and values.get("class") == "tc-cite":
            self._cite = True
            self.figures[-1]["cites"].append("")
        elif self.figures and tag == "li" and values.get("value"):
            self.figures[-1]["marks"].append(int(values["value"]))

    def handle_data(self, data: str) -> None:
        if self._link is not None and self.figures:
            self.figures[-1]["links"][data] = self._link
        if self._cite:
            self.figures[-1]["cites"][-1] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            self._link = None
        elif tag == "span":
            self._cite = False


def _figures(page: Path) -> list[dict]:
    parser = _Figures()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.figures


def _file(site: BuiltSite, address: str) -> Path:
    assert address.startswith("/transparency/"), address
    return site.root / address.removeprefix("/transparency/")


def _pages_with_charts(site: BuiltSite) -> list[Path]:
    return [page for page in site.html_files() if 'class="tc-chart"' in page.read_text(encoding="utf-8")]


def test_every_chart_offers_its_data_its_images_a_citation_and_a_lasting_link(built_site: BuiltSite) -> None:
    pages = _pages_with_charts(built_site)
    assert len(pages) >= 5  # home, jurisdictions, companies
    for page in pages:
        figures = _figures(page)
        ids = [f["id"] for f in figures]
        assert all(ids) and len(set(ids)) == len(ids), (page, ids)
        address = SITE_URL + page.parent.relative_to(built_site.root).as_posix() + "/"
        address = address.replace("transparency/./", "transparency/")
        for figure in figures:
            links = figure["links"]
            csv_file, svg_file, png_file = (_file(built_site, links[name]) for name in
                                            ("Data (CSV)", "Image (SVG)", "Image (PNG)"))
            assert csv_file.read_text(encoding="utf-8").startswith("company,"), csv_file
            assert svg_file.read_bytes().startswith(b"<svg"), svg_file
            assert png_file.read_bytes().startswith(b"\x89PNG\r\n\x1a\n"), png_file
            assert links["Link to this chart"] == f"#{figure['id']}"
            short, full = figure["cites"]
            assert short.endswith(f"{address}#{figure['id']}"), short
            assert f"built {BUILD_DAY}" in full and re.search(r"dataset version [0-9a-f]{12}\b", full), full


def test_the_anchor_of_a_chart_is_its_kind_not_its_data(built_site: BuiltSite) -> None:
    # A link to the Hong Kong share chart must survive the next report: the id names the chart.
    figures = _figures(built_site.root / "jurisdictions" / "hk" / "index.html")
    assert [f["id"] for f in figures][:2] == ["chart-requests", "chart-share"]


def _table_cells(page: Path, caption_start: str) -> dict[tuple[str, str], str]:
    """The cells of the page's table whose summary starts so: (company, period) -> text shown."""
    html = page.read_text(encoding="utf-8")
    table = html[html.index(caption_start):]
    table = table[:table.index("</table>")]
    header = re.findall(r"<th[^>]*>(.*?)</th>", table[:table.index("</thead>")])
    names = [re.sub(r"<sup.*", "", cell) for cell in header[1:]]
    cells = {}
    for row in re.findall(r"<tr><td[^>]*>(.*?)</tr>", table[table.index("<tbody>"):]):
        values = re.findall(r"(?:^|<td[^>]*>)(.*?)</td>", row)
        period, rest = values[0], values[1:]
        for name, value in zip(names, rest, strict=True):
            text = re.sub(r"<sup.*?</sup>|<a .*?</a>|\s*\(derived\)", "", value).strip()
            cells[name, period] = text
    return cells


def test_a_chart_csv_holds_exactly_the_values_its_table_shows_as_published(built_site: BuiltSite) -> None:
    page = built_site.root / "jurisdictions" / "hk" / "index.html"
    cells = _table_cells(page, "<summary>The figures in this chart, as a table")
    drawn = {key: text for key, text in cells.items() if text not in {NOT_REPORTED, NOT_LISTED}}
    assert drawn and len(drawn) < len(cells)  # the fixture has gaps: they must not be rows
    figure = _figures(page)[0]
    rows = list(csv.DictReader(io.StringIO(_file(built_site, figure["links"]["Data (CSV)"]).read_text("utf-8"))))
    assert {(r["company"], r["period"]): r["shown"] for r in rows} == drawn
    assert len(rows) == len(drawn)
    meta = next(r for r in rows if (r["company"], r["period"]) == ("Meta", "2021 H1"))
    assert (meta["shown"], meta["low"], meta["high"], meta["kind"]) == ("152", "152", "152", "exact")
    assert meta["source"].startswith("https://")


def test_the_events_are_numbered_alike_in_the_list_and_named_from_their_file(built_site: BuiltSite) -> None:
    html = (built_site.root / "jurisdictions" / "hk" / "index.html").read_text(encoding="utf-8")
    figure = _figures(built_site.root / "jurisdictions" / "hk" / "index.html")[0]
    assert figure["marks"] == list(range(1, len(figure["marks"]) + 1)) and len(figure["marks"]) >= 3
    assert "Hong Kong&#39;s National Security Law takes effect" in html or \
        "Hong Kong's National Security Law takes effect" in html
    assert re.search(r"2020-07-01 to 2020-07-07</span> 10 announcements", html)


def _events_dir(tmp_path: Path, text: str) -> Path:
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(REPO / "data" / "companies.yml", data / "companies.yml")
    (data / "events.yml").write_text(text, encoding="utf-8")
    return data


@pytest.mark.parametrize(("text", "code", "place"), [
    ("events:\n  - date: 2020-06-31\n    jurisdictions: [HK]\n    title: A law\n    label: Law\n"
     "    sources: [{url: 'https://example.org/', publisher: P, date: 2020-06-30}]\n", "bad-date", "events.0.date"),
    ("events:\n  - date: 2020-06-30\n    jurisdictions: [XX]\n    title: A law\n    label: Law\n"
     "    sources: [{url: 'https://example.org/', publisher: P, date: 2020-06-30}]\n", "unknown-jurisdiction",
     "events.0.jurisdictions.0"),
    ("events:\n  - date: 2020-06-30\n    jurisdictions: [HK]\n    title: A law\n    label: Law\n",
     "missing-source", "events.0.sources"),
    ("events:\n  - date: 2020-06-30\n    jurisdictions: [HK]\n    title: A law\n    label: Law\n    colour: red\n"
     "    sources: [{url: 'https://example.org/', publisher: P, date: 2020-06-30}]\n", "event-invalid",
     "events.0.colour"),
    ("events:\n  - date: 2020-06-30\n    jurisdictions: [HK]\n    title: \"A law\\nwith a break\"\n    label: Law\n"
     "    sources: [{url: 'https://example.org/', publisher: P, date: 2020-06-30}]\n", "bad-text", "events.0.title"),
    ("events:\n  - date: 2020-06-30\n    jurisdictions: [HK]\n    title: A law\n    label: Law\n"
     "    sources: [{url: 'javascript:alert(1)', publisher: P, date: 2020-06-30}]\n", "bad-url",
     "events.0.sources.0.url"),
])
def test_a_wrong_event_is_refused_by_name_at_its_key(tmp_path: Path, text: str, code: str, place: str) -> None:
    events, problems = load_events(_events_dir(tmp_path, text))
    assert events == []
    assert [(p.code, str(p.row)) for p in errors(problems)] == [(code, place)], problems


def test_the_shipped_events_are_valid_and_each_has_a_source(tmp_path: Path) -> None:
    events, problems = load_events(REPO / "data")
    assert problems == [] and events
    assert all(event.sources for event in events)


def test_a_chart_csv_says_what_kind_of_value_each_row_is() -> None:
    from builder.output import chart_csv
    spec = {"data": {"values": [
        {"company": "A", "period": "2020 H1", "low": 3.0, "high": 3.0, "exact": True, "shown": "3"},
        {"company": "A", "period": "2020 H2", "low": 0.0, "high": 249.0, "exact": False, "shown": "0–249"},
        {"company": "A", "period": "2021 H1", "low": 12.0, "high": 12.0, "exact": False, "bound": True,
         "shown": "at least 12"},
    ]}}
    rows = list(csv.DictReader(io.StringIO(chart_csv.render(spec, {"A": "https://a.example/"}).decode())))
    assert [(r["shown"], r["low"], r["high"], r["kind"]) for r in rows] == [
        ("3", "3", "3", "exact"), ("0–249", "0", "249", "range"), ("at least 12", "12", "12", "at least")]
    assert {r["source"] for r in rows} == {"https://a.example/"}
