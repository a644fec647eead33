"""Reproducible builds: the same commit gives a byte-identical site.

The only clock a build reads is ``SOURCE_DATE_EPOCH`` (https://reproducible-builds.org/specs/
source-date-epoch/): MkDocs takes the sitemap's ``lastmod`` dates and the ``sitemap.xml.gz``
timestamp from it. When it is not given, it is set from the date of the last commit, so two
builds of one commit agree whatever day they run.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path

VARIABLE = "SOURCE_DATE_EPOCH"


def last_commit_epoch(folder: Path) -> str | None:
    """The committer date of the last commit of the repository holding ``folder``, in seconds."""
    try:
        done = subprocess.run(
            ["git", "log", "-1", "--format=%ct"],  # noqa: S607 - git from PATH, as a maintainer runs it
            cwd=folder, capture_output=True, text=True, check=False, timeout=30,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    epoch = done.stdout.strip()
    return epoch if done.returncode == 0 and epoch.isdigit() else None


def ensure_source_date_epoch(folder: Path) -> str | None:
    """Keep a given ``SOURCE_DATE_EPOCH``; otherwise set it from the last commit (outside git: leave it unset)."""
    given = os.environ.get(VARIABLE)
    if given:
        return given
    epoch = last_commit_epoch(folder)
    if epoch is not None:
        os.environ[VARIABLE] = epoch
    return epoch


def build_date() -> dt.date:
    """The day the build is dated: ``SOURCE_DATE_EPOCH``'s (in UTC), or today when it is not set."""
    given = os.environ.get(VARIABLE, "")
    if given.isdigit():
        try:
            return dt.datetime.fromtimestamp(int(given), dt.UTC).date()
        except (OverflowError, OSError, ValueError):
            pass  # beyond any calendar: dated as if it were not set
    return dt.datetime.now(dt.UTC).date()
