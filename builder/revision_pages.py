"""The record of revisions on the site: a page listing every figure a company restated, and
the anchors that marks on revised figures link to."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from builder import jurisdictions
from builder.pages import Outputs
from builder.registry import Registry
from builder.revisions import Revision, format_figure
from builder.schema import COLUMNS

METRIC_NAMES = {column.name: column.name.replace("_", " ") for column in COLUMNS}
# Revisions are keyed as figures are: company, service, jurisdiction, period bounds, request type.
FigureKey = tuple[str, str, str, str, str, str]


def anchor(revision: Revision) -> str:
    """A stable anchor for a revision's entry: a digest of its figure and earlier download."""
    text = "|".join((revision.company, revision.service, revision.jurisdiction, revision.period_start.isoformat(),
                     revision.period_end.isoformat(), revision.request_type, revision.metric,
                     revision.earlier_source_file))
    return "rev-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def figure_key(revision: Revision) -> FigureKey:
    return (revision.company, revision.service, revision.jurisdiction, revision.period_start.isoformat(),
            revision.period_end.isoformat(), revision.request_type)


def marks(revisions: Sequence[Revision]) -> dict[FigureKey, dict[str, str]]:
    """Figure key -> metric -> the anchor of its (first) revision entry."""
    result: dict[FigureKey, dict[str, str]] = {}
    for revision in revisions:
        result.setdefault(figure_key(revision), {}).setdefault(revision.metric, anchor(revision))
    return result


def value_text(revision: Revision, which: str) -> str:
    value = getattr(revision, f"{which}_value")
    return format_figure(revision.metric, value) or "not reported"


def revisions_index(outputs: Outputs, revisions: Sequence[Revision], registry: Registry) -> None:
    """``/revisions/``: every restated figure, with both versions and both sources."""
    companies = sorted({r.company for r in revisions}, key=lambda slug: registry[slug].name)
    codes = sorted({r.jurisdiction for r in revisions}, key=jurisdictions.name)
    outputs.page("revisions/index.md", "revisions", "revisions", revisions=revisions, registry=registry,
                 companies=[registry[slug] for slug in companies], codes=codes,
                 names={code: jurisdictions.name(code) for code in codes}, anchor=anchor,
                 value_text=value_text, metric_names=METRIC_NAMES)
