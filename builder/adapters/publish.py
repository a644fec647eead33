"""Publishing a MkDocs build whole or not at all.

``mkdocs build`` empties ``site_dir`` before it writes, and in strict mode it fails only after
the last page is written, so a failed build would leave the published folder half-replaced.
The MkDocs hook builds into a staging folder beside ``site_dir`` instead; only a build that
succeeded is swapped into place, and a failed one is deleted. The swap is two renames in
the same parent folder, so a reader of ``site_dir`` sees the old site or the new one.
"""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

STAGING_SUFFIX = ".tmp-"
BACKUP_SUFFIX = ".old-"


class WarningCounter(logging.Handler):
    """Counts the warnings MkDocs' strict mode will fail on, which it checks only after the
    last plugin event, too late to keep a failed build from being published."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


def staging_dir(site_dir: Path) -> Path:
    """The folder a build writes into: a sibling of ``site_dir``, so that the swap is a rename."""
    return site_dir.with_name(f"{site_dir.name}{STAGING_SUFFIX}{os.getpid()}")


def publish(staging: Path, site_dir: Path) -> None:
    """Put the finished build ``staging`` in the place of ``site_dir``; remove the old site."""
    backup = site_dir.with_name(f"{site_dir.name}{BACKUP_SUFFIX}{os.getpid()}")
    shutil.rmtree(backup, ignore_errors=True)
    had_site = site_dir.exists()
    if had_site:
        site_dir.rename(backup)
    try:
        staging.rename(site_dir)
    except OSError:
        if had_site:
            backup.rename(site_dir)  # put the old site back before reporting the failure
        raise
    shutil.rmtree(backup, ignore_errors=True)


def discard(staging: Path) -> None:
    """Delete a failed build; the published site was never touched."""
    shutil.rmtree(staging, ignore_errors=True)


class StagedBuild:
    """One ``mkdocs build`` into a staging folder: published by :meth:`finish` if it succeeded."""

    def __init__(self, site_dir: Path, logger: str = "mkdocs") -> None:
        self.site_dir = site_dir
        self.staging = staging_dir(site_dir)
        self.warnings = WarningCounter()
        self._logger = logging.getLogger(logger)
        discard(self.staging)  # left over by a build of the same process id that was killed
        self._logger.addHandler(self.warnings)

    def finish(self, strict: bool) -> bool:
        """Publish the build, unless strict mode is about to fail it; True if published."""
        self._logger.removeHandler(self.warnings)
        if strict and self.warnings.count:
            discard(self.staging)
            return False
        publish(self.staging, self.site_dir)
        return True

    def fail(self) -> None:
        self._logger.removeHandler(self.warnings)
        discard(self.staging)
