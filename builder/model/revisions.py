"""Where restated figures are: a stable anchor for each revision, and the figures that carry a
mark linking to it."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from builder.inputs.revisions import Revision

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
