"""The parsers of counts, ranges, percents, dates and periods: what they accept round-trips,
anything else is a clear error with a code."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from builder.core.problems import CODES
from builder.core.values import (
    FIRST_DATE,
    LAST_DATE,
    Count,
    Period,
    ValueProblem,
    format_count,
    format_percent,
    parse_count,
    parse_date,
    parse_percent,
)
from builder.output.format import count_text, percent_text

counts = st.integers(min_value=0, max_value=10**15 - 1)


@given(counts)
def test_exact_counts_round_trip(value: int) -> None:
    parsed = parse_count(str(value))
    assert parsed == Count(value, value) and format_count(parsed) == str(value)


@given(counts, counts)
def test_ranges_round_trip_and_keep_both_ends(a: int, b: int) -> None:
    low, high = sorted((a, b))
    text = f"{low}-{high}"
    parsed = parse_count(text)
    assert parsed is not None and (parsed.low, parsed.high) == (low, high)
    assert format_count(parsed) == (str(low) if low == high else text)


@given(st.text(max_size=30))
def test_anything_else_is_a_clear_error(text: str) -> None:
    try:
        parsed = parse_count(text)
    except ValueProblem as problem:
        assert problem.code in CODES and problem.message
    else:
        assert text == "" if parsed is None else parse_count(format_count(parsed)) == parsed


def test_empty_is_not_reported_never_zero() -> None:
    assert parse_count("") is None
    assert count_text(None) == "not reported"
    assert count_text(Count(0, 0)) == "0"


@pytest.mark.parametrize("text", ["1,234", " 12", "12 ", "-3", "0 - 249", "1e3", "12.0", "١٢"])
def test_published_spellings_are_refused_in_canonical_data(text: str) -> None:
    with pytest.raises(ValueProblem) as error:
        parse_count(text)
    assert error.value.code == "bad-count"


def test_reversed_range() -> None:
    with pytest.raises(ValueProblem) as error:
        parse_count("250-0")
    assert error.value.code == "range-reversed" and "0-250" in error.value.message


def test_range_reads_as_a_range() -> None:
    assert count_text(Count(0, 249)) == "0–249"
    assert count_text(Count(11000, 12000)) == "11,000–12,000"


@given(st.decimals(min_value=0, max_value=100, places=2, allow_nan=False, allow_infinity=False))
def test_percents_round_trip(value: Decimal) -> None:
    text = format(value, "f")
    assert parse_percent(text) == value
    assert format_percent(parse_percent(text)) == text


@pytest.mark.parametrize(("text", "code"), [("66%", "bad-percent"), ("100.5", "percent-out-of-bounds"),
                                             ("-1", "bad-percent"), ("NaN", "bad-percent")])
def test_bad_percents(text: str, code: str) -> None:
    with pytest.raises(ValueProblem) as error:
        parse_percent(text)
    assert error.value.code == code


def test_percent_reads_without_trailing_zeros() -> None:
    assert percent_text(Decimal("83.00")) == "83%"
    assert percent_text(Decimal("100")) == "100%"
    assert percent_text(None) == "not reported"


@given(st.dates(min_value=FIRST_DATE, max_value=LAST_DATE))
def test_supported_dates_round_trip(day: dt.date) -> None:
    assert parse_date(day.isoformat()) == day


@given(st.text(max_size=12))
def test_non_dates_are_errors(text: str) -> None:
    try:
        day = parse_date(text)
    except ValueProblem as problem:
        assert problem.code == "bad-date"
    else:
        assert day.isoformat() == text


@given(st.dates(), st.dates())
def test_periods_accept_ordered_dates_only(a: dt.date, b: dt.date) -> None:
    if b < a:
        with pytest.raises(ValueProblem) as error:
            Period(a, b)
        assert error.value.code == "period-reversed"
    else:
        period = Period(a, b)
        assert period.start <= period.midpoint <= period.end


@pytest.mark.parametrize(("start", "end", "label"), [
    ("2020-07-01", "2020-12-31", "2020 H2"), ("2019-01-01", "2019-06-30", "2019 H1"),
    ("2021-01-01", "2021-12-31", "2021"), ("2021-04-01", "2021-06-30", "2021 Q2"),
    ("2021-02-01", "2021-06-30", "2021-02-01 to 2021-06-30"),
])
def test_period_labels(start: str, end: str, label: str) -> None:
    assert Period(dt.date.fromisoformat(start), dt.date.fromisoformat(end)).label == label
