"""The builder's settings, read from the site's ``mkdocs.yml``.

The builder's own keys live under ``extra.transparency`` so that MkDocs (and any tool that
reads the same file) accepts the file unchanged::

    docs_dir: site_src
    extra:
      transparency:
        data_dir: data        # relative to mkdocs.yml
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from yaml_env_tag import construct_env_tag


@dataclass(frozen=True)
class Settings:
    config_file: Path
    data_dir: Path
    docs_dir: Path
    site_dir: Path
    site_url: str  # always ends with "/"; "/" when mkdocs.yml sets none
    site_name: str

    @property
    def root(self) -> Path:
        return self.config_file.parent


class _TolerantLoader(yaml.SafeLoader):
    """mkdocs.yml may carry tags (``!!python/name``, ``!relative``) that only MkDocs resolves.

    ``!ENV`` is resolved as MkDocs resolves it (``site_url`` may come from ``SITE_URL``), so the
    builder and MkDocs agree on every value they both read.
    """


def _ignore_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> None:
    return None


_TolerantLoader.add_constructor("!ENV", construct_env_tag)
_TolerantLoader.add_multi_constructor("!", _ignore_tag)
_TolerantLoader.add_multi_constructor("tag:yaml.org,2002:python/", _ignore_tag)


def read_mkdocs_yml(config_file: Path) -> dict[str, Any]:
    document = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_TolerantLoader)  # noqa: S506
    return document if isinstance(document, dict) else {}


def from_mkdocs_config(config_file: Path, config: dict[str, Any] | None = None) -> Settings:
    """Settings for the site described by ``config_file`` (or its already-loaded ``config``)."""
    config_file = config_file.resolve()
    config = read_mkdocs_yml(config_file) if config is None else config
    root = config_file.parent
    extra = (config.get("extra") or {}).get("transparency") or {}
    site_url = str(config.get("site_url") or "/")
    return Settings(
        config_file=config_file,
        data_dir=(root / str(extra.get("data_dir", "data"))).resolve(),
        docs_dir=(root / str(config.get("docs_dir", "docs"))).resolve(),
        site_dir=(root / str(config.get("site_dir", "site"))).resolve(),
        site_url=site_url if site_url.endswith("/") else site_url + "/",
        site_name=str(config.get("site_name", "")),
    )
