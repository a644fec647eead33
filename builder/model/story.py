"""What a company's own figures showed after it said it would pause or stop answering a
jurisdiction's requests: the story a jurisdiction's page opens with."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from builder.inputs.announcements import Announcement
from builder.inputs.registry import Company
from builder.model import totals
from builder.model.timeline import StatusRow

# The jurisdiction whose story the home page and its own page open with.
JURISDICTION = "HK"
# Stances after which a reader asks what the figures did.
HALTS = frozenset({"paused", "stopped"})


@dataclass(frozen=True)
class AfterStance:
    company: Company
    stance: Announcement
    before: totals.Headline | None  # the last period with a total that ended before the stance
    after: list[totals.Headline]  # the first period with a total that ended after it, and the latest


def after_stances(board: Sequence[StatusRow], series: Iterable[totals.Headline]) -> list[AfterStance]:
    """Per company on ``board`` whose latest stance paused or stopped answering, its totals either side."""
    by_company: dict[str, list[totals.Headline]] = {}
    for headline in series:
        if headline.requests is not None:
            by_company.setdefault(headline.company, []).append(headline)
    result = []
    for row in board:
        if row.stance.action not in HALTS:
            continue
        own = sorted(by_company.get(row.company.slug, []), key=lambda h: (h.period.end, h.period.start))
        before = [h for h in own if h.period.end < row.stance.date]
        after = [h for h in own if h.period.end >= row.stance.date]
        result.append(AfterStance(row.company, row.stance, before[-1] if before else None,
                                  after[:1] + after[-1:] if len(after) > 1 else after))
    return result
