"""MkDocs hook: ``mkdocs build`` and ``mkdocs serve`` run the same generation as
``python -m builder build``, reading its settings from the same ``mkdocs.yml``.

Listed in ``mkdocs.yml`` as ``hooks: [builder/mkdocs_hook.py]``.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort

from builder.problems import ProblemsFound, format_table
from builder.reproducible import ensure_source_date_epoch
from builder.settings import from_mkdocs_config
from builder.site import generate

log = logging.getLogger("mkdocs.hooks.builder")


def on_config(config: MkDocsConfig, **kwargs: Any) -> MkDocsConfig:
    """Date the build by the last commit, before MkDocs stamps pages and the sitemap with "today"."""
    epoch = ensure_source_date_epoch(Path(config.config_file_path).parent)
    log.debug("builder: SOURCE_DATE_EPOCH=%s", epoch)
    return config


def on_pre_build(config: MkDocsConfig, **kwargs: Any) -> None:  # noqa: ANN401
    settings = from_mkdocs_config(Path(config.config_file_path), dict(config))
    try:
        report = generate(settings)
    except ProblemsFound as found:
        raise Abort("The data has errors; nothing was built.\n" + format_table(found.problems)) from None
    for warning in report.warnings:
        log.info("%s row %s: %s", warning.file, warning.row, warning.message)
    log.info("builder: %d pages, %d charts (%d SVGs rendered), %d files written in %.2f s",
             report.pages, report.charts, report.svgs_rendered, report.files_written, report.seconds)


def on_serve(server: Any, config: MkDocsConfig, builder: Any, **kwargs: Any) -> Any:  # noqa: ANN401
    """Rebuild when data changes, not only when docs_dir does."""
    settings = from_mkdocs_config(Path(config.config_file_path), dict(config))
    server.watch(str(settings.data_dir))
    return server
