"""The rules a request table must follow: small checks, one job each.

Each check takes the table (text cells plus the columns earlier checks parsed) and returns
the problems it found; the parsing checks also add parsed columns. A check registers itself
with ``@check(codes...)``, naming every code it can report: it runs in the order it is written,
and a check that reports a code it did not name stops the run.
Valid cells are handled column-wide with pandas; only failing cells go through the scalar
parsers of :mod:`builder.core.values`, which explain what is wrong.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal

import numpy as np
import pandas as pd

from builder.core import jurisdictions, patterns
from builder.core.problems import CODES, FORMULA_HINT, WARNING, Problem
from builder.core.schema import COLUMNS, COUNT_COLUMNS, KEY_COLUMNS, METRIC_COLUMNS, REQUEST_TYPES, ROW_KEY
from builder.core.values import MAX_CELL_LENGTH, ValueProblem, is_supported_date, parse_count, parse_date, parse_percent
from builder.inputs.registry import Registry

Check = Callable[[pd.DataFrame, Registry], list[Problem]]
ALL_CHECKS: list[Check] = []  # in the order they run, which is the order they are written below
CHECK_CODES: dict[str, tuple[str, ...]] = {}  # check -> the problem codes it may report


def check(*codes: str) -> Callable[[Check], Check]:
    """Register the check below, with every problem code it may report (each declared in
    :data:`builder.core.problems.CODES`); checks run in the order they are written."""
    undeclared = [code for code in codes if code not in CODES]
    if undeclared:
        raise KeyError(f"undeclared problem codes {undeclared}; add them to builder.core.problems.CODES")

    def register(function: Check) -> Check:
        ALL_CHECKS.append(function)
        CHECK_CODES[function.__name__] = codes
        return function

    return register
PERCENT_TOLERANCE = Decimal(1)  # companies round percentages to whole numbers


def _problem(row: pd.Series, column: str | None, code: str, message: str, severity: str = "error") -> Problem:
    value = None if column is None else str(row[column])
    return Problem(str(row["file"]), int(row["line"]), column, value, code, message, severity)


def _each_distinct(text: pd.Series, function: Callable[[str], object]) -> pd.Series:
    """``function`` of every cell, computed once per distinct cell: a world-size column holds
    10^6 cells but few distinct ones."""
    codes, distinct = pd.factorize(text)
    results = np.empty(len(distinct), dtype=object)
    results[:] = [function(value) for value in distinct]
    return pd.Series(results[codes], index=text.index)


def _matches(text: pd.Series, pattern: str | re.Pattern[str], whole: bool = True) -> pd.Series:
    """Does each cell match ``pattern`` (all of it if ``whole``, anywhere otherwise)?"""
    compiled = re.compile(pattern)
    test = compiled.fullmatch if whole else compiled.search
    return _each_distinct(text, lambda value: test(value) is not None).astype(bool)


@check("cell-too-long")
def check_cell_length(frame: pd.DataFrame, registry: Registry) -> list[Problem]:
    problems = []
    for column in (c.name for c in COLUMNS):
        if max(map(len, frame[column].tolist()), default=0) <= MAX_CELL_LENGTH:
            continue  # the common case, found without a pandas pass per cell
        for _, row in frame[frame[column].str.len() > MAX_CELL_LENGTH].iterrows():
            problems.append(_problem(row, column, "cell-too-long",
                                     f"the cell holds {len(row[column]):,} characters; "
                                     f"at most {MAX_CELL_LENGTH} are allowed"))
            frame.loc[row.name, column] = ""  # later checks see an empty cell, not the huge one
    return problems


@check("bad-text")
def check_text(frame: pd.DataFrame, registry: Registry) -> list[Problem]:
    problems = []
    for column in (c.name for c in COLUMNS):
        # One search over the whole column (cells joined by a space) finds the common case, a
        # clean column, quickly.
        cells = frame[column].tolist()
        if not patterns.CONTROL.search(" ".join(cells)):
            continue
        for _, row in frame[_matches(frame[column], patterns.CONTROL, whole=False)].iterrows():
            problems.append(_problem(row, column, "bad-text",
                                     "remove control characters (tabs, line breaks, NUL, text-direction "
                                     "overrides) from the cell"))
    for column in (c.name for c in COLUMNS):
        for _, row in frame[_matches(frame[column], patterns.FORMULA, whole=False)].iterrows():
            problems.append(_problem(row, column, "bad-text", FORMULA_HINT))
    return problems


@check("missing-value")
def check_required(frame: pd.DataFrame, registry: Registry) -> list[Problem]:
    problems = []
    for column in (c for c in COLUMNS if c.required and c.name != "source_url"):
        for _, row in frame[frame[column.name] == ""].iterrows():
            problems.append(_problem(row, column.name, "missing-value", f"fill in {column.description}"))
    return problems


@check("bad-count", "range-reversed")
def check_counts(frame: pd.DataFrame, registry: Registry) -> list[Problem]:
    """Parse each count column into ``_low``/``_high``; report cells that are not counts."""
    problems = []
    for column in COUNT_COLUMNS:
        text = frame[column]
        valid = (text == "") | _matches(text, patterns.COUNT_OR_RANGE)
        low, high = _bounds(text, valid & (text != ""))
        reversed_range = (low > high).fillna(False)
        for _, row in frame[~valid | reversed_range].iterrows():
            try:
                parse_count(str(row[column]))
            except ValueProblem as error:
                problems.append(_problem(row, column, error.code, error.message))
        frame[f"{column}_low"] = low.mask(reversed_range)
        frame[f"{column}_high"] = high.mask(reversed_range)
    return problems


def _bounds(text: pd.Series, usable: pd.Series) -> tuple[pd.Series, pd.Series]:
    """The low and high ends of the usable count cells (``384`` or ``0-249``); missing elsewhere."""
    codes, distinct = pd.factorize(text.where(usable.fillna(False), ""))
    # Counts have at most 15 digits, which a float holds exactly; NaN marks the unusable cells.
    ends = np.full((len(distinct), 2), np.nan)
    for position, cell in enumerate(distinct):
        if cell:
            first, _, second = cell.partition("-")
            ends[position] = (int(first), int(second or first))
    return tuple(pd.Series(ends[codes, side], index=text.index).astype("Int64") for side in (0, 1))  # type: ignore[return-value]


@check("bad-percent", "percent-out-of-bounds")
def check_percents(frame: pd.DataFrame, registry: Registry) -> list[Problem]:
    problems = []
    text = frame["percent_with_data"]
    value = pd.to_numeric(text.where(_matches(text, patterns.PERCENT)), errors="coerce").astype("Float64")
    bad = (text != "") & (value.isna() | (value > 100))
    for _, row in frame[bad].iterrows():
        try:
            parse_percent(str(row["percent_with_data"]))
        except ValueProblem as error:
            problems.append(_problem(row, "percent_with_data", error.code, error.message))
    frame["percent_with_data_value"] = value.mask(bad)
    return problems


@check("bad-date")
def check_dates(frame: pd.DataFrame, registry: Registry) -> list[Problem]:
    problems = []
    for column in ("period_start", "period_end", "source_date"):
        text = frame[column]
        # Only supported dates reach pandas, which would hold others wrongly or not at all.
        supported = _each_distinct(text, is_supported_date).astype(bool)
        parsed = pd.to_datetime(text.where(supported), format="%Y-%m-%d", errors="coerce")
        for _, row in frame[(text != "") & parsed.isna()].iterrows():
            try:
                parse_date(str(row[column]))
            except ValueProblem as error:
                problems.append(_problem(row, column, error.code, error.message))
        frame[f"{column}_date"] = parsed
    return problems


@check("period-reversed")
def check_period_order(frame: pd.DataFrame, registry: Registry) -> list[Problem]:
    reversed_period = frame["period_end_date"] < frame["period_start_date"]
    return [
        _problem(row, "period_end", "period-reversed",
                 f"the period ends before it starts ({row['period_start']}); swap the two dates")
        for _, row in frame[reversed_period.fillna(False)].iterrows()
    ]


@check("unknown-company", "company-file-mismatch")
def check_company(frame: pd.DataFrame, registry: Registry) -> list[Problem]:
    problems = []
    known = ", ".join(sorted(registry.companies)) or "(none)"
    for _, row in frame[~frame["company"].isin(list(registry.companies)) & (frame["company"] != "")].iterrows():
        problems.append(_problem(row, "company", "unknown-company",
                                 f"add the company to data/companies.yml, or use one of: {known}"))
    for _, row in frame[(frame["company"] != frame["file_company"]) & (frame["company"] != "")].iterrows():
        problems.append(_problem(row, "company", "company-file-mismatch",
                                 f"rows in {row['file_company']}.csv must have company "
                                 f"`{row['file_company']}`; move the row to {row['company']}.csv"))
    return problems


@check("unknown-service")
def check_service(frame: pd.DataFrame, registry: Registry) -> list[Problem]:
    problems = []
    named = frame[(frame["service"] != "all") & (frame["service"] != "")]
    # Each company and service once (a per-service report repeats them millions of times).
    pairs = named[["company", "service"]].drop_duplicates()
    unknown = {(company, service) for company, service in zip(pairs["company"], pairs["service"], strict=True)
               if company in registry.companies and service not in registry.companies[company].services}
    if not unknown:
        return problems
    failing = [(company, service) in unknown for company, service in
               zip(named["company"], named["service"], strict=True)]
    for _, row in named[failing].iterrows():
        company = registry.companies[str(row["company"])]
        problems.append(_problem(row, "service", "unknown-service",
                                 "use `all` or one of the company's services in data/companies.yml: "
                                 + ", ".join(company.services)))
    return problems


@check("unknown-jurisdiction")
def check_jurisdiction(frame: pd.DataFrame, registry: Registry) -> list[Problem]:
    codes = frame["jurisdiction"]
    unknown = (codes != "") & ~codes.isin(jurisdictions.all_codes())
    problems = []
    for _, row in frame[unknown].iterrows():
        hint = jurisdictions.code_for_name(str(row["jurisdiction"]))
        fix = f"did you mean `{hint}`?" if hint else "see https://www.iso.org/obp/ui/#search/code/"
        problems.append(_problem(row, "jurisdiction", "unknown-jurisdiction",
                                 f"use an upper-case ISO 3166-1 alpha-2 or CLDR code; {fix}"))
    return problems


@check("unknown-request-type")
def check_request_type(frame: pd.DataFrame, registry: Registry) -> list[Problem]:
    unknown = (frame["request_type"] != "") & ~frame["request_type"].isin(list(REQUEST_TYPES))
    return [
        _problem(row, "request_type", "unknown-request-type",
                 "use one of the request types on the methodology page, or add a new one "
                 "to REQUEST_TYPES in builder/core/schema.py with its definition")
        for _, row in frame[unknown].iterrows()
    ]


@check("type-not-in-total")
def check_request_type_in_total(frame: pd.DataFrame, registry: Registry) -> list[Problem]:
    """A request type the company's total neither includes nor counts apart is shown apart, but
    without a reason: the registry should say which it is. One warning per company and type."""
    problems = []
    known = (frame["request_type"].isin(list(REQUEST_TYPES))) & frame["company"].isin(list(registry.companies))
    firsts = frame[known].drop_duplicates(subset=["company", "request_type"])
    for _, row in firsts.iterrows():
        composition = registry[str(row["company"])].composition
        if row["request_type"] in composition.members() or row["request_type"] in composition.apart:
            continue
        problems.append(_problem(
            row, "request_type", "type-not-in-total",
            f"{row['company']} publishes {row['request_type']} figures, which data/companies.yml neither "
            "makes a part of its total nor lists under counted_apart (with why); they are shown apart "
            "until it does", WARNING))
    return problems


@check("missing-source", "bad-url")
def check_source(frame: pd.DataFrame, registry: Registry) -> list[Problem]:
    problems = []
    urls = frame["source_url"]
    for _, row in frame[urls == ""].iterrows():
        problems.append(_problem(row, "source_url", "missing-source",
                                 "every row needs the address of the report it comes from"))
    for _, row in frame[(urls != "") & ~_matches(urls, patterns.HTTP_URL)].iterrows():
        problems.append(_problem(row, "source_url", "bad-url",
                                 "write the full address of the company's report, starting https://"))
    return problems


@check("bad-derived")
def check_derived(frame: pd.DataFrame, registry: Registry) -> list[Problem]:
    problems = []
    for _, row in frame[frame["derived"] != ""].iterrows():
        wrong = [name for name in str(row["derived"]).split() if name not in METRIC_COLUMNS]
        if wrong:
            problems.append(_problem(row, "derived", "bad-derived",
                                     "list metric columns separated by spaces, from: " + " ".join(METRIC_COLUMNS)))
    return problems


# Counts of requests that are some of the row's requests: none can exceed them.
SHARES_OF_REQUESTS = ("requests_with_data", "requests_content", "requests_non_content_only", "requests_no_data",
                      "requests_rejected")


@check("produced-exceeds-requests")
def check_produced_within_requests(frame: pd.DataFrame, registry: Registry) -> list[Problem]:
    problems = []
    for column in SHARES_OF_REQUESTS:
        over = (frame[f"{column}_low"] > frame["requests_high"]).fillna(False)
        problems += [
            _problem(row, column, "produced-exceeds-requests",
                     f"{column} ({row[column]}) is more than the requests ({row['requests']}); "
                     "check both figures against the company's report")
            for _, row in frame[over].iterrows()
        ]
    return problems


@check("duplicate-key")
def check_duplicate_keys(frame: pd.DataFrame, registry: Registry) -> list[Problem]:
    key = list(ROW_KEY)
    codes = pd.Series(_key_codes(frame, key), index=frame.index)
    duplicated = codes.duplicated(keep="first")
    first_line = frame["line"].groupby(codes, sort=False).transform("first")
    return [
        _problem(row, "period_start", "duplicate-key",
                 f"the same company, service, jurisdiction, period and type as row {first_line[index]}; "
                 "keep one of the two rows")
        for index, row in frame[duplicated].iterrows()
    ]


@check("overlapping-period")
def check_overlapping_periods(frame: pd.DataFrame, registry: Registry) -> list[Problem]:
    # Only the columns this check reads: each step below copies what it keeps.
    columns = [*ROW_KEY, "period_start_date", "period_end_date", "file", "line"]
    dated = frame[columns].dropna(subset=["period_start_date", "period_end_date"])
    dated = dated[~pd.Series(_key_codes(dated, list(ROW_KEY)),
                             index=dated.index).duplicated()]
    # Each series (one key) in date order, by integer codes: sorting and grouping on the text
    # columns takes seconds at world size.
    series = _key_codes(dated, list(KEY_COLUMNS))
    starts = dated["period_start_date"].to_numpy(dtype="datetime64[ns]")
    ends = dated["period_end_date"].to_numpy(dtype="datetime64[ns]")
    order = np.lexsort((ends, starts, series))
    dated, series = dated.iloc[order], series[order]
    same_series = np.r_[False, series[1:] == series[:-1]]
    ordered_ends = dated["period_end_date"].to_numpy(dtype="datetime64[ns]")
    previous_end = np.r_[ordered_ends[:1], ordered_ends[:-1]]
    overlap = pd.Series(same_series & (dated["period_start_date"].to_numpy(dtype="datetime64[ns]") <= previous_end),
                        index=dated.index)
    previous_line = dated["line"].shift()
    previous_file = dated["file"].shift()
    return [
        _problem(row, "period_start", "overlapping-period",
                 f"this period overlaps the one in {previous_file[index]} row {int(previous_line[index])} "
                 "for the same key; periods of one series must not overlap (correct the dates or "
                 "use a different request type)")
        for index, row in dated[overlap].iterrows()
    ]


def _key_codes(frame: pd.DataFrame, columns: list[str]) -> np.ndarray:
    """One integer per row, equal for rows equal in all ``columns`` (codes kept below the row count)."""
    codes = np.zeros(len(frame), dtype="int64")
    for column in columns:
        column_codes, uniques = pd.factorize(frame[column])
        combined = codes * (len(uniques) + 1) + column_codes + 1
        codes = pd.factorize(combined)[0].astype("int64")
    return codes


@check("percent-mismatch")
def check_percent_consistency(frame: pd.DataFrame, registry: Registry) -> list[Problem]:
    """A published percentage that disagrees with the published counts: kept, with a warning."""
    exact = (
        (frame["requests_low"] == frame["requests_high"])
        & (frame["requests_with_data_low"] == frame["requests_with_data_high"])
    ).fillna(False)
    columns = ["requests_low", "requests_with_data_low", "percent_with_data_value", "percent_with_data", "file", "line"]
    candidates = frame.loc[exact & frame["percent_with_data_value"].notna(), columns]  # only what it reads
    problems = []
    for index, row in candidates[_maybe_inconsistent(candidates)].iterrows():
        published = Decimal(str(row["percent_with_data"]))
        requests, produced = int(row["requests_low"]), int(row["requests_with_data_low"])
        implied = Decimal(0) if requests == 0 else Decimal(produced * 100) / Decimal(requests)
        if requests == 0 and published == 0:
            continue
        if abs(implied - published) > PERCENT_TOLERANCE:
            message = (f"The company published {published}%, but {produced} of {requests} requests is "
                       f"{implied:.0f}%; the figures are shown as published.")
            problems.append(_problem(row, "percent_with_data", "percent-mismatch", message, WARNING))
            frame.at[index, "warning"] = message
    return problems


def _maybe_inconsistent(candidates: pd.DataFrame) -> np.ndarray:
    """Rows whose percentage may be off by more than the tolerance, by float arithmetic with a
    margin; only these go through the exact decimal check (a world-size table has ~10^6 rows)."""
    requests = candidates["requests_low"].to_numpy(dtype="float64")
    produced = candidates["requests_with_data_low"].to_numpy(dtype="float64")
    published = candidates["percent_with_data_value"].to_numpy(dtype="float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        implied = np.where(requests == 0, 0.0, produced * 100 / requests)
    return np.abs(implied - published) > float(PERCENT_TOLERANCE) - 1e-6


def run_all(frame: pd.DataFrame, registry: Registry) -> tuple[pd.DataFrame, list[Problem]]:
    """Run every check in order; the returned table has the parsed columns added."""
    frame = frame.copy()
    frame["warning"] = pd.Series([""] * len(frame), dtype="string", index=frame.index)
    problems: list[Problem] = []
    for run in ALL_CHECKS:
        found = run(frame, registry)
        unregistered = {problem.code for problem in found} - set(CHECK_CODES[run.__name__])
        if unregistered:
            raise KeyError(f"{run.__name__} reported {sorted(unregistered)}, which it does not register")
        problems += found
    problems.sort(key=lambda p: (p.file, p.place, p.column or ""))
    return frame, problems
