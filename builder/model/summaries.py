"""Short accounts of the request table: which companies published for a jurisdiction, and the
first and last period of a set of figures."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from builder.core import jurisdictions
from builder.core.values import Period
from builder.inputs.registry import Company, Registry
from builder.model import figures as model


def companies_in(frame: pd.DataFrame, registry: Registry) -> list[Company]:
    present = set(frame["company"].unique())
    return [company for slug, company in registry.companies.items() if slug in present]


@dataclass(frozen=True)
class JurisdictionSummary:
    code: str
    name: str
    companies: list[Company]
    first: Period | None
    last: Period | None


def span(frame: pd.DataFrame) -> tuple[Period | None, Period | None]:
    """The first and the last reporting period in ``frame``."""
    if frame.empty:
        return None, None
    first = frame.loc[frame["period_start_date"].idxmin()]
    last = frame.loc[frame["period_end_date"].idxmax()]
    return (Period(first["period_start_date"].date(), first["period_end_date"].date()),
            Period(last["period_start_date"].date(), last["period_end_date"].date()))


def jurisdiction_summaries(frame: pd.DataFrame, registry: Registry) -> list[JurisdictionSummary]:
    summaries = []
    for code, group in model.by_jurisdiction(frame):
        first, last = span(group)
        summaries.append(JurisdictionSummary(code, jurisdictions.name(code), companies_in(group, registry),
                                             first, last))
    summaries.sort(key=lambda s: s.name)
    return summaries
