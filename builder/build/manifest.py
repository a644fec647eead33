"""What the last run read and wrote, so that the next one does only what changed.

After each successful run the builder records, in ``.cache/builder/manifest.json`` beside
``mkdocs.yml``:
- a signature of everything the run read: every file under ``data_dir``, every file of the
  builder package, ``requirements.lock``, the settings, and every installed library's version;
- the size and modification time of every file it produced;
- each unit's key and files (see :mod:`builder.build.run`).

The next run compares. When the inputs are the same and every output is still on disk as it
was left (none edited, deleted or added in the generated folders), the run stops after a
fraction of a second. Otherwise a unit whose key is unchanged and whose files are intact is
kept, and the others are built.

Inputs are compared by size and modification time first, as ``git status`` and ``make`` do,
and by a content digest when those differ, so a file that was only touched does not force a
run. Delete ``.cache/`` to force a full one.
"""

from __future__ import annotations

import hashlib
import json
import platform
import stat
from collections.abc import Iterable
from importlib.metadata import distributions
from pathlib import Path
from typing import Any

from builder.core.files import write_bytes_atomic
from builder.core.problems import Problem
from builder.core.reproducible import build_date
from builder.core.settings import Settings

FORMAT = 4
BUILDER = Path(__file__).resolve().parent.parent
# The lock of every library's exact version, beside the package in a checkout; where there is
# none (an installed copy), the versions of every installed distribution stand for it.
LOCK_FILE = BUILDER.parent / "requirements.lock"
NOT_A_REGULAR_FILE = "not a regular file"  # the digest recorded for a link or special file of data_dir


def manifest_path(settings: Settings) -> Path:
    return settings.root / ".cache" / "builder" / "manifest.json"


def _stat(path: Path) -> tuple[int, int]:
    status = path.stat()
    return status.st_size, status.st_mtime_ns


def _is_regular(path: Path) -> bool:
    """A regular file, or a folder (whose files are listed apart); not a link or a special file."""
    try:
        mode = path.lstat().st_mode
    except FileNotFoundError:
        return True  # gone since it was listed: left out as any missing file
    return stat.S_ISREG(mode) or stat.S_ISDIR(mode)


def _digest(path: Path) -> str:
    with path.open("rb") as stream:
        return hashlib.file_digest(stream, "sha256").hexdigest()


def _input_files(settings: Settings) -> list[Path]:
    """Every file of ``data_dir``, every file of the builder package, ``mkdocs.yml`` and the lock.

    Nothing is left out by name: an edit of any module or template, even one a run does not
    use, makes the next run check its units again (their keys say what they read).
    """
    code = [p for p in BUILDER.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    return sorted({*settings.data_dir.rglob("*"), *code, settings.config_file, LOCK_FILE}, key=str)


def _libraries() -> list[str]:
    """Every installed distribution with its version: whatever the builder imports is among them."""
    return sorted(f"{dist.metadata['Name']}=={dist.version}" for dist in distributions())


def _context(settings: Settings) -> dict[str, Any]:
    """What the run depends on besides files."""
    # The build's date is printed in every chart's citation and decides which announcements
    # are in the future: a run on another day (another commit's) is a run with other input.
    return {"format": FORMAT, "settings": {k: str(v) for k, v in vars(settings).items()},
            "python": platform.python_version(), "libraries": _libraries(), "build_date": build_date().isoformat()}


def inputs(settings: Settings, previous: dict[str, Any] | None = None) -> dict[str, Any]:
    """The signature of the run's inputs: per file its size, time and digest (reused from
    ``previous`` when size and time match, so unchanged files are not read)."""
    known = (previous or {}).get("files", {})
    files = {}
    for path in _input_files(settings):
        if path.is_relative_to(settings.data_dir) and not _is_regular(path):
            # Not read here: the loader refuses it by name, and no run may be skipped past it.
            files[str(path)] = {"size": 0, "mtime_ns": 0, "sha256": NOT_A_REGULAR_FILE}
            continue
        if not path.is_file():
            continue
        size, mtime = _stat(path)
        entry = known.get(str(path))
        if entry and entry["size"] == size and entry["mtime_ns"] == mtime:
            files[str(path)] = entry
        else:
            files[str(path)] = {"size": size, "mtime_ns": mtime, "sha256": _digest(path)}
    return {"context": _context(settings), "files": files}


def _same_inputs(old: dict[str, Any], new: dict[str, Any]) -> bool:
    if old.get("context") != new["context"] or set(old.get("files", {})) != set(new["files"]):
        return False
    return all(old["files"][path]["sha256"] == entry["sha256"] for path, entry in new["files"].items())


def _outputs(docs_dir: Path, produced: Iterable[str]) -> dict[str, list[int]]:
    return {path: list(_stat(docs_dir / path)) for path in sorted(produced)}


def _generated_files(docs_dir: Path, folders: Iterable[str], files: Iterable[str]) -> set[str]:
    found = {p.relative_to(docs_dir).as_posix() for folder in folders for p in (docs_dir / folder).rglob("*")
             if p.is_file()}
    return found | {name for name in files if (docs_dir / name).is_file()}


def load(settings: Settings) -> dict[str, Any] | None:
    try:
        manifest = json.loads(manifest_path(settings).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return manifest if isinstance(manifest, dict) and manifest.get("format") == FORMAT else None


def unchanged(settings: Settings, manifest: dict[str, Any] | None, current: dict[str, Any],
              folders: Iterable[str], files: Iterable[str]) -> bool:
    """Are the inputs the recorded ones and the outputs exactly as the last run left them?"""
    if manifest is None or not _same_inputs(manifest["inputs"], current):
        return False
    recorded = manifest["outputs"]
    if _generated_files(settings.docs_dir, folders, files) - set(recorded):
        return False  # a file appeared in a generated folder; a run removes it
    try:
        return all(list(_stat(settings.docs_dir / path)) == stat for path, stat in recorded.items())
    except OSError:
        return False


def unit_outputs(settings: Settings, manifest: dict[str, Any] | None, name: str, key: str) -> list[str] | None:
    """The files of the unit ``name`` if the last run built it under the same key and they are
    all still on disk as it left them; otherwise ``None`` (the unit must be built)."""
    unit = (manifest or {}).get("units", {}).get(name)
    if unit is None or unit["key"] != key:
        return None
    recorded = manifest["outputs"]  # type: ignore[index]
    try:
        if all(list(_stat(settings.docs_dir / path)) == recorded.get(path) for path in unit["outputs"]):
            return list(unit["outputs"])
    except OSError:
        pass
    return None


def record(settings: Settings, current: dict[str, Any], produced: Iterable[str], units: dict[str, Any],
           summary: dict[str, Any], warnings: list[Problem]) -> None:
    """Write the manifest of a successful run (``current`` was taken before the run read anything)."""
    manifest = {"format": FORMAT, "inputs": current, "outputs": _outputs(settings.docs_dir, produced),
                "units": units, "summary": summary, "warnings": [w.as_json() for w in warnings]}
    write_bytes_atomic(manifest_path(settings), json.dumps(manifest).encode("utf-8"))


def forget(settings: Settings) -> None:
    """Drop the manifest, e.g. before a run that may leave the outputs half-written."""
    manifest_path(settings).unlink(missing_ok=True)


def warnings_of(manifest: dict[str, Any]) -> list[Problem]:
    return [Problem.from_json(fields) for fields in manifest.get("warnings", [])]
