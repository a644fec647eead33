"""`validate` passes => the build succeeds, and what the data says reaches the pages as text.

Hypothesis writes request rows and an announcement from the whole range of what `validate`
accepts (edge counts and ranges, any Unicode text, Markdown and HTML syntax, dates from 1900
to 2199), keeps the ones `validate` accepts, builds the site with the builder and MkDocs, and
checks every output: no script, handler or active address from the data on any page, no cell
of any download that a spreadsheet would run, and the note shown on its jurisdiction's page.
"""

from __future__ import annotations

import csv
import io
import shutil
import sys
from html.parser import HTMLParser

import pytest
from conftest import SOURCE_DATE_EPOCH, build_env, copy_project, mkdocs_build, run
from hypothesis import HealthCheck, Phase, assume, given, settings
from hypothesis import strategies as st

from builder.core import patterns
from builder.core.schema import COLUMN_NAMES
from builder.inputs.requests import validate_data_dir

pytestmark = pytest.mark.slow

HEADER = list(COLUMN_NAMES)
# Any character but surrogates and controls (which validate refuses by name, tested elsewhere),
# with HTML and Markdown syntax made likely.
TEXT = st.text(st.one_of(st.characters(exclude_categories=("Cs", "Cc")),
                         st.sampled_from("<>&\"'`*_[](){}#|!-+=@:;/\\ ")), min_size=1, max_size=80)
COUNT = st.one_of(st.just(""), st.integers(0, 10**15 - 1).map(str),
                  st.tuples(st.integers(0, 10**6), st.integers(0, 10**6)).map(lambda b: f"{min(b)}-{max(b)}"))
PERCENT = st.one_of(st.just(""), st.sampled_from(["0", "100", "0.5", "99.999999"]))
YEAR = st.one_of(st.sampled_from([1900, 2199]), st.integers(1900, 2199))


@st.composite
def rows(draw: st.DrawFn) -> list[dict[str, str]]:
    result = []
    for year in sorted(draw(st.sets(YEAR, min_size=1, max_size=3))):
        half = draw(st.sampled_from([("01-01", "06-30"), ("07-01", "12-31")]))
        result.append({
            "company": "meta", "service": draw(st.sampled_from(["all", "Facebook", "Instagram"])),
            "jurisdiction": "HK", "period_start": f"{year}-{half[0]}", "period_end": f"{year}-{half[1]}",
            "request_type": "all", "company_label": draw(TEXT), "requests": draw(COUNT), "accounts": draw(COUNT),
            "requests_with_data": draw(COUNT), "percent_with_data": draw(PERCENT),
            "source_url": "https://transparency.meta.com/reports/government-data-requests",
            "source_file": draw(TEXT), "derived": "", "note": draw(TEXT),
        })
    return result


def _announcement(title: str, summary: str) -> str:
    quoted = title.replace("\\", "\\\\").replace('"', '\\"')
    return (f'---\ndate: 2020-07-09\ncompany: meta\nservices: [all]\njurisdictions: [HK]\naction: paused\n'
            f'scope: user_data\ntitle: "{quoted}"\nsources:\n  - url: https://example.org/news\n'
            f'    publisher: Example News\n    date: 2020-07-09\n---\n{summary}\n')


class _Active(HTMLParser):
    """What on a page could run or load: handlers, script-like addresses, inline scripts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.words: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}>")
            if name in {"href", "src", "action", "formaction"} and (value or "").strip().lower().startswith(
                    ("javascript:", "data:", "vbscript:")):
                self.found.append(f"<{tag} {name}={value}>")
        if tag in {"iframe", "object", "embed", "base"}:  # (the theme's own forms: search, colours)
            self.found.append(f"<{tag}>")
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if not self._in_script:
            self.words.append(data)


# Each example is a whole build (about 15 s): a few, and no shrinking, which would take minutes.
@settings(max_examples=6, deadline=None, derandomize=True, database=None,
          phases=[Phase.explicit, Phase.generate],
          suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow,
                                 HealthCheck.function_scoped_fixture])
@given(rows=rows(), title=TEXT, summary=TEXT)
def test_data_that_validates_builds_and_stays_text(tmp_path_factory: pytest.TempPathFactory,
                                                   rows: list[dict[str, str]], title: str, summary: str) -> None:
    project = copy_project(tmp_path_factory.mktemp("property"))
    data = project / "data"
    shutil.rmtree(data / "revisions", ignore_errors=True)
    stream = io.StringIO()
    writer = csv.DictWriter(stream, fieldnames=HEADER, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    (data / "requests" / "meta.csv").write_text(stream.getvalue(), encoding="utf-8")
    (data / "announcements" / "2020-07-09-meta-property.md").write_text(_announcement(title, summary),
                                                                        encoding="utf-8")
    assume(not [p for p in validate_data_dir(data) if p.is_error])

    env = build_env(SOURCE_DATE_EPOCH=SOURCE_DATE_EPOCH)
    run([sys.executable, "-m", "builder", "build"], project, env)  # fails the test on any error
    site = project / "built"
    mkdocs_build(project, site, env)

    for page in site.rglob("*.html"):
        parser = _Active()
        parser.feed(page.read_text(encoding="utf-8"))
        assert not parser.found, f"{page.relative_to(site)}: {parser.found}"
    hk = _Active()
    hk.feed((site / "jurisdictions" / "hk" / "index.html").read_text(encoding="utf-8"))
    shown = " ".join(" ".join(hk.words).split())
    for row in rows:
        assert " ".join(row["note"].split()) in shown
    for download in [*site.rglob("*.csv")]:
        with download.open(newline="", encoding="utf-8") as csv_stream:
            for record in csv.reader(csv_stream):
                assert not [cell for cell in record if patterns.FORMULA.search(cell)], download.name
