"""Results kept between runs in ``.cache/builder/`` beside ``mkdocs.yml``, each stored with a
key: a digest of everything it was computed from. A result is used only under the same key,
so an edit of its inputs, of the builder or of a library is never hidden by the cache.

Delete ``.cache/`` to start afresh; nothing there is needed to build the site.
"""

from __future__ import annotations

import hashlib
import json
import pickle
from pathlib import Path
from typing import Any

from builder.core.files import atomic_writer
from builder.core.settings import Settings


def folder(settings: Settings) -> Path:
    return settings.root / ".cache" / "builder"


def key(*parts: Any) -> str:
    """A digest of ``parts`` (anything JSON can write)."""
    text = json.dumps(parts, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def load(settings: Settings, name: str, wanted: str) -> Any | None:
    """The result stored as ``name`` under the key ``wanted``, or ``None``."""
    try:
        with (folder(settings) / f"{name}.pickle").open("rb") as stream:
            # The key comes first, so a stale result is never read. Only the builder's own
            # files are read here, written by store().
            if pickle.load(stream) != wanted:  # noqa: S301
                return None
            return pickle.load(stream)  # noqa: S301
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError, ValueError):
        return None


def store(settings: Settings, name: str, stored_key: str, value: Any) -> None:
    with atomic_writer(folder(settings) / f"{name}.pickle") as stream:
        pickle.dump(stored_key, stream, protocol=pickle.HIGHEST_PROTOCOL)
        pickle.dump(value, stream, protocol=pickle.HIGHEST_PROTOCOL)
