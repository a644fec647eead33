"""MkDocs hook: ``mkdocs build`` and ``mkdocs serve`` run the same generation as
``python -m builder build``, reading its settings from the same ``mkdocs.yml``.

Listed in ``mkdocs.yml`` as ``hooks: [builder/adapters/mkdocs_hook.py]``.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort
from mkdocs.plugins import event_priority

from builder.adapters.publish import StagedBuild
from builder.build.run import generate
from builder.core.problems import ProblemsFound, format_table
from builder.core.reproducible import ensure_source_date_epoch
from builder.core.settings import from_mkdocs_config

log = logging.getLogger("mkdocs.hooks.builder")
SKIP_GENERATE = "TRANSPARENCY_SKIP_GENERATE"
# `mkdocs build` writes into a staging folder published only when the build succeeded (see
# builder/staging.py); `mkdocs serve` builds into its own temporary folder and is left alone.
_invocation: dict[str, Any] = {"command": None, "dirty": False, "staged": None}


def on_startup(command: str, dirty: bool, **kwargs: Any) -> None:
    _invocation.update(command=command, dirty=dirty)


def on_config(config: MkDocsConfig, **kwargs: Any) -> MkDocsConfig:
    """Date the build by the last commit, before MkDocs stamps pages and the sitemap with "today"."""
    epoch = ensure_source_date_epoch(Path(config.config_file_path).parent)
    log.debug("builder: SOURCE_DATE_EPOCH=%s", epoch)
    # A --dirty build only adds to the old site, so it has nothing to stage.
    if _invocation["command"] in ("build", "gh-deploy") and not _invocation["dirty"]:
        staged = StagedBuild(Path(config.site_dir))
        _invocation["staged"] = staged
        config.site_dir = str(staged.staging)
    return config


@event_priority(-100)  # after every plugin has written its files (the search index)
def on_post_build(config: MkDocsConfig, **kwargs: Any) -> None:
    staged: StagedBuild | None = _invocation.pop("staged", None)
    if staged is None:
        return
    config.site_dir = str(staged.site_dir)  # gh-deploy publishes from here
    if not staged.finish(bool(config.strict)):
        log.info("builder: strict mode fails this build on its warnings; %s was left as it was",
                 staged.site_dir)


def on_build_error(error: Exception, **kwargs: Any) -> None:
    staged: StagedBuild | None = _invocation.pop("staged", None)
    if staged is not None:
        staged.fail()
        log.info("builder: the build failed; %s was left as it was", staged.site_dir)


def on_pre_build(config: MkDocsConfig, **kwargs: Any) -> None:
    # TRANSPARENCY_SKIP_GENERATE=1: build docs_dir as it is, e.g. right after `python -m builder
    # build`, so that the benchmark can time MkDocs apart from the builder.
    if os.environ.get(SKIP_GENERATE) == "1":
        log.info("builder: %s=1, generation skipped", SKIP_GENERATE)
        return
    settings = from_mkdocs_config(Path(config.config_file_path), dict(config))
    try:
        report = generate(settings)
    except ProblemsFound as found:
        raise Abort("The data has errors; nothing was built.\n" + format_table(found.problems)) from None
    for warning in report.warnings:
        log.info("%s: %s", " ".join(filter(None, (warning.file, warning.where))), warning.message)
    log.info("builder: %d pages, %d charts (%d SVGs rendered), %d files written in %.2f s",
             report.pages, report.charts, report.svgs_rendered, report.files_written, report.seconds)


def on_serve(server: Any, config: MkDocsConfig, builder: Any, **kwargs: Any) -> Any:
    """Rebuild when data changes, not only when docs_dir does."""
    settings = from_mkdocs_config(Path(config.config_file_path), dict(config))
    server.watch(str(settings.data_dir))
    return server
