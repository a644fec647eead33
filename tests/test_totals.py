"""Totals composed from the request types each company published, on the real dataset."""

from __future__ import annotations

import datetime as dt
import functools
import math
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from builder.core.values import Count, Period
from builder.inputs.registry import Composition, Registry, load_registry
from builder.inputs.requests import load_requests
from builder.model import figures as model
from builder.model import totals
from builder.output.format import NOT_LISTED, NOT_REPORTED, share_text
from builder.pages import tables as pages

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "data"


@functools.cache
def _real() -> tuple[Registry, list[model.Figure]]:
    registry, problems = load_registry(DATA / "companies.yml")
    assert not problems
    data = load_requests(DATA, registry)
    assert data.ok
    return registry, model.figures(data.frame)


def _series(code: str) -> list[totals.Headline]:
    registry, figures = _real()
    return totals.headlines([f for f in figures if f.jurisdiction == code], registry)


def _total(code: str, company: str, label: str) -> totals.Headline:
    found = [h for h in _series(code) if h.company == company and h.period.label == label]
    assert len(found) == 1, (code, company, label)
    return found[0]


# --- the cross-checks -------------------------------------------------------------------------


def test_google_hong_kong_2020_h2_is_43_requests_with_data_for_3() -> None:
    total = _total("HK", "google", "2020 H2")
    assert total.requests == Count(43, 43)
    assert total.requests_with_data == Count(3, 3)
    assert total.derived
    assert sorted(part.request_type for part in total.parts) == ["emergency", "legal_process"]
    assert share_text(total) == "7% — 3 of 43"


def test_meta_hong_kong_2019_is_384() -> None:
    first, second = _total("HK", "meta", "2019 H1"), _total("HK", "meta", "2019 H2")
    assert first.own and second.own
    assert first.requests + second.requests == Count(384, 384)


def test_google_hong_kong_2014_h2_is_367_requests_at_43_percent() -> None:
    total = _total("HK", "google", "2014 H2")
    assert total.requests == Count(367, 367)
    assert total.share is not None and total.share.published == Decimal("43")


def test_google_united_states_is_the_sum_of_its_kinds_of_legal_process() -> None:
    total = _total("US", "google", "2022 H2")
    parts = {part.request_type: part.requests for part in total.parts}
    assert parts == {"search_warrant": Count(30442, 30442), "subpoena": Count(19834, 19834),
                     "court_order": Count(2450, 2450), "pen_register": Count(464, 464),
                     "emergency": Count(2128, 2128)}
    assert total.requests == Count(55318, 55318)
    # National security bands and preservation requests are shown apart, never added.
    assert {"fisa_content", "nsl", "preservation"} <= {f.request_type for f in total.apart}


def test_google_united_states_has_a_total_in_every_period_it_published() -> None:
    series = [h for h in _series("US") if h.company == "google" and h.period.start.year in range(2013, 2023)]
    assert len(series) == 20
    assert all(h.requests is not None and h.requests.low > 1000 for h in series)


def test_apple_totals_add_up_every_kind_of_request() -> None:
    figures = _real()[1]
    total = _total("HK", "apple", "2020 H1")
    own = [f for f in figures if f.company == "apple" and f.jurisdiction == "HK" and f.period == total.period
           and f.request_type != "preservation"]
    assert {f.request_type for f in own} == {p.request_type for p in total.parts}
    assert total.requests == Count(sum(f.requests.low for f in own), sum(f.requests.high for f in own))
    assert total.derived


def test_no_total_reads_not_reported_where_a_part_was_published() -> None:
    registry, figures = _real()
    published: set[tuple[str, str, Period]] = set()
    for figure in figures:
        members = registry[figure.company].composition.members()
        if figure.service == "all" and figure.request_type in members and figure.requests is not None:
            published.add((figure.company, figure.jurisdiction, figure.period))
    series = totals.headlines(figures, registry)
    composed = {(h.company, h.jurisdiction, h.period): h for h in series}
    missing = [key for key in published if composed[key].requests is None]
    assert not missing


def test_a_change_from_the_companys_own_total_to_a_sum_breaks_the_series() -> None:
    changes = totals.definition_changes(_series("HK"))
    google = [c for c in changes if c.company == "google"]
    assert google[0].period.label == "2014 H2" and not google[0].own


# --- the arithmetic -------------------------------------------------------------------------

counts = st.builds(lambda low, width: Count(low, low + width), st.integers(0, 10**6), st.integers(0, 10**4))
parts = st.lists(st.one_of(st.none(), counts), min_size=1, max_size=8)


@given(parts)
def test_a_sum_keeps_exact_range_lower_bound_and_not_reported_apart(values: list[Count | None]) -> None:
    total = totals.add(values)
    known = [v for v in values if v is not None]
    if not known:
        assert total is None
        return
    assert total is not None
    assert total.low == sum(v.low for v in known)
    if len(known) < len(values):
        assert total.at_least and not total.is_exact
    else:
        assert not total.at_least
        assert total.high == sum(v.high for v in known)
        assert total.is_exact == all(v.is_exact for v in known)


def test_a_sum_is_never_a_midpoint_nor_a_silent_zero() -> None:
    assert totals.add([Count(0, 249), Count(10, 10)]) == Count(10, 259)
    assert totals.add([None, Count(10, 10)]) == Count(10, 10, at_least=True)
    assert totals.add([None, None]) is None


@pytest.mark.parametrize(("requests", "percent", "expected"), [
    (42, "5", Count(2, 2)),
    (7, "43", Count(3, 3)),
    (1, "100", Count(1, 1)),
    (367, "43", Count(156, 159)),
    (10117, "89", Count(8954, 9054)),
    (2, "83.5", None),
])
def test_a_rounded_percentage_admits_the_counts_that_round_to_it(requests: int, percent: str,
                                                                  expected: Count | None) -> None:
    assert totals.counts_for_percent(requests, Decimal(percent)) == expected


@given(st.integers(1, 5000), st.integers(0, 5000))
def test_every_admitted_count_rounds_to_the_published_percentage(requests: int, produced: int) -> None:
    produced = min(produced, requests)
    published = Decimal(round(Fraction(100 * produced, requests)))
    admitted = totals.counts_for_percent(requests, published)
    assert admitted is not None and admitted.low <= produced <= admitted.high
    for k in (admitted.low - 1, admitted.high + 1):
        if 0 <= k <= requests:
            assert abs(Fraction(100 * k, requests) - Fraction(published)) > Fraction(1, 2)
    for k in (admitted.low, admitted.high):
        assert abs(Fraction(100 * k, requests) - Fraction(published)) <= Fraction(1, 2)
        assert math.isclose(float(Fraction(100 * k, requests)), float(published), abs_tol=0.5 + 1e-9)


# --- the registry ---------------------------------------------------------------------------


@pytest.mark.parametrize(("parts", "apart", "reason"), [
    ({"all": ("legal_process",), "legal_process": ("all",)}, {}, "part of"),
    ({"all": ("emergency", "legal_process"), "legal_process": ("emergency",)}, {}, "part of both"),
    ({"all": ("legal_process",)}, {"legal_process": "why"}, "counted apart"),
])
def test_a_composition_that_is_not_a_tree_is_refused(parts: dict, apart: dict, reason: str) -> None:
    problems = Composition(parts, apart).problems()
    assert problems and any(reason in problem for problem in problems)


def test_a_bad_composition_in_the_registry_names_the_file_and_key(tmp_path: Path) -> None:
    path = tmp_path / "companies.yml"
    path.write_text("companies:\n  - slug: acme\n    name: Acme\n    services: [all]\n    colour: \"#000000\"\n"
                    "    total:\n      all: [legal_process]\n      legal_process: [emergency, all]\n",
                    encoding="utf-8")
    registry, problems = load_registry(path)
    assert "acme" not in registry
    assert {(p.row, p.code) for p in problems} == {("companies.0.total", "bad-composition")}


def test_a_jurisdiction_a_report_leaves_out_reads_not_listed_never_0() -> None:
    registry, figures = _real()
    published: dict[str, set[Period]] = {}
    for figure in figures:
        published.setdefault(figure.company, set()).add(figure.period)
    series = _series("HK")
    companies = [registry[slug] for slug in dict.fromkeys(h.company for h in series)]
    table = pages.comparison_table(series, companies, "requests", published, pages.Footnotes())
    shown = {(row.period, company.slug): cell.text
             for row in table.rows for company, cell in zip(companies, row.cells, strict=True)}
    have = {(h.period, h.company) for h in series}
    unlisted = [key for key in shown if key not in have and key[0] in published[key[1]]]
    assert unlisted, "the real data has company reports that leave Hong Kong out"
    assert all(shown[key] == NOT_LISTED for key in unlisted)
    assert all(shown[key] == NOT_REPORTED for key in shown if key not in have and key not in unlisted)


def test_a_figure_the_company_did_not_report_is_not_reported_not_derived() -> None:
    # X's 2014-H1 file lists Hong Kong with "-": nothing reported.
    total = _total("HK", "twitter", "2014 H1")
    assert total.requests is None and not total.derived
    assert pages._cell(total, _real()[0]["twitter"], "requests", True, pages.Footnotes(), {}).text == NOT_REPORTED


def test_a_note_every_cell_of_a_column_shares_is_written_once_in_its_header() -> None:
    first = Period(dt.date(2020, 1, 1), dt.date(2020, 6, 30))
    second = Period(dt.date(2020, 7, 1), dt.date(2020, 12, 31))
    rows = [pages.TableRow(first, [pages.Cell("1", footnote=1), pages.Cell("2", footnote=2)]),
            pages.TableRow(second, [pages.Cell("3", footnote=1), pages.Cell("4")])]
    table = pages._notes_in_headers(rows, 2)
    assert table.column_notes == [1, None]
    assert [[cell.footnote for cell in row.cells] for row in table.rows] == [[None, 2], [None, None]]
