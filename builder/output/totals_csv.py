"""The totals a page shows, as a CSV download: each total with the figures it is made of.

A count is written as in the dataset (``43``, ``0-249``), and a lower bound as ``12+`` (at
least 12: a part of the total was not reported). An empty cell means not reported.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from fractions import Fraction

from builder.core.values import Count
from builder.model.totals import Headline

# column -> what it holds (the methodology page lists them)
COLUMNS: dict[str, str] = {
    "company": "Slug of the company.",
    "jurisdiction": "The requesting jurisdiction's code.",
    "period_start": "First day of the reporting period.",
    "period_end": "Last day of the reporting period.",
    "requests": "The total of requests for user data: exact, LOW-HIGH, or N+ (at least N).",
    "accounts": "The accounts those requests specified, summed the same way.",
    "requests_with_data": "Requests where some data was produced, published or derived (see share_rule).",
    "share_low": "Lowest share of requests with data produced that the figures admit, in percent (2 decimals).",
    "share_high": "Highest such share; equal to share_low when exact, empty for a lower bound.",
    "share_published": "The percentage the company published, where the total is one published figure.",
    "derived": "yes where the total is a sum of parts composed by this site, no for the company's own figure.",
    "parts": "The figures the total adds up: request_type=requests, separated by semicolons.",
    "counted_apart": "Figures of request types the total does not include, the same way.",
}


def _count(value: Count | None) -> str:
    return "" if value is None else str(value)


def _percent(value: Fraction) -> str:
    return f"{float(value):.2f}"


def render(series: Sequence[Headline]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for h in sorted(series, key=lambda h: (h.company, h.period, h.jurisdiction)):
        share = h.share
        writer.writerow([
            h.company, h.jurisdiction, h.period.start.isoformat(), h.period.end.isoformat(),
            _count(h.requests), _count(h.accounts), _count(h.requests_with_data),
            "" if share is None else _percent(share.low),
            "" if share is None or share.at_least else _percent(share.high),
            "" if share is None or share.published is None else str(share.published),
            "no" if h.own else "yes",
            "; ".join(f"{p.request_type}={_count(p.requests)}" for p in h.parts),
            "; ".join(f"{f.request_type}={_count(f.requests)}" for f in h.apart),
        ])
    return buffer.getvalue().encode("utf-8")
