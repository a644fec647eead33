"""A chart's own download: exactly the values it draws, one row per mark, with their sources.

The rows are the chart's data (its Vega-Lite ``data.values``), so the file cannot hold more or
less than the picture: a period nobody reported is not drawn and not listed (the table under
the chart says "not reported" for it). Each row names the company's report; where the page's
table gives a figure a note or marks it derived, the row says so too.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from typing import Any

# column -> what it holds (the methodology page lists them)
COLUMNS: dict[str, str] = {
    "company": "The company, as the chart's legend names it.",
    "jurisdiction": "The requesting jurisdiction, for a chart that compares jurisdictions.",
    "period": "The reporting period, e.g. 2020 H2.",
    "request_type": "The request type, for a chart that stacks them.",
    "shown": "The value as the chart and its table show it: exact, a range, or at least a value.",
    "low": "The value's low end (equal to high when exact).",
    "high": "The value's high end.",
    "kind": "exact, range, or at least (a part of the total was not reported).",
    "plotted_at": "The date the value is drawn at: the middle of its reporting period.",
    "derived": "yes where the value is composed by this site from the company's figures.",
    "note": "The note the page's table gives the value, if any.",
    "source": "The company's transparency report.",
}

Cells = Mapping[tuple[str, str], tuple[bool, str]]  # (company, period or jurisdiction) -> (derived, note)


def _kind(row: dict[str, Any]) -> str:
    if row.get("bound"):
        return "at least"
    if "low" in row and row["low"] != row.get("high", row["low"]):
        return "range"
    return "exact"


def _number(value: Any) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else f"{float(value):.2f}"


def render(spec: Mapping[str, Any], sources: Mapping[str, str | None], cells: Cells | None = None,
           period: str = "") -> bytes:
    """The CSV of the chart ``spec``; ``sources`` gives each company's report address (a chart of
    one company's jurisdictions names that company alone, and ``period`` the period it shows)."""
    rows = spec.get("data", {}).get("values", [])
    only = next(iter(sources)) if len(sources) == 1 else None
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        company = row.get("company", only)
        derived, note = (cells or {}).get((company, row.get("period") or row.get("jurisdiction", "")), (False, ""))
        low = row.get("low", row.get("requests"))
        high = row.get("high", row.get("requests"))
        writer.writerow([
            company or "", row.get("jurisdiction", ""), row.get("period", period), row.get("type", ""),
            row.get("shown", _number(low)), _number(low), _number(high), _kind(row), row.get("date", ""),
            "yes" if derived else "no", note, sources.get(company or "") or "",
        ])
    return buffer.getvalue().encode("utf-8")
