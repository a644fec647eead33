"""The benchmark against another revision (``python -m bench --against REV``): the same sites,
the same data, built by that revision's builder, MkDocs configuration, templates and assets,
and every figure printed beside this tree's with their ratio.

The revision is checked out with ``git worktree`` in a temporary folder; its builder runs from
there (the children's PYTHONPATH), in this tree's virtualenv, measured by this tree's benchmark.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bench import synth

REPOSITORY = synth.REPOSITORY


def _git(*arguments: str) -> str:
    done = subprocess.run(["git", "-C", str(REPOSITORY), *arguments],  # noqa: S603, S607 - git, our own arguments
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"git {' '.join(arguments)} failed: {done.stderr.strip()}")
    return done.stdout.strip()


def previous_release() -> str | None:
    """The newest release tag before this tree's commit, if the repository has one."""
    try:
        return _git("describe", "--tags", "--abbrev=0", "HEAD^")
    except SystemExit:
        return None


@contextmanager
def checkout(revision: str, folder: Path) -> Iterator[tuple[Path, str]]:
    """``revision`` checked out in ``folder`` (and its full commit), removed afterwards."""
    commit = _git("rev-parse", "--verify", f"{revision}^{{commit}}")
    _git("worktree", "add", "--detach", str(folder), commit)
    try:
        yield folder, commit
    finally:
        _git("worktree", "remove", "--force", str(folder))


def retarget(site: Path, tree: Path, synthetic: bool = False) -> Path:
    """Point a benchmark site (its data kept) at ``tree``'s configuration and hand-written pages."""
    real = (tree / "mkdocs.yml").read_text(encoding="utf-8")
    config = synth.mkdocs_yml(real, tree) if synthetic else synth.absolute_paths(real, tree)
    (site / "mkdocs.yml").write_text(config, encoding="utf-8")
    shutil.rmtree(site / "site_src", ignore_errors=True)
    synth.copy_hand_written(tree / "site_src", site / "site_src")
    return site / "mkdocs.yml"


def _visit(name: str, figure: str) -> Callable[[dict[str, Any]], Any]:
    return lambda s: (s.get("first_visit") or {}).get(name, {}).get(figure)


def _serve_loop(loop: dict[str, Any] | None) -> Any:
    if not loop:
        return None
    return loop["seconds"] if loop.get("seconds") is not None else f"failed: {loop.get('error')}"


# Each figure compared: its label and how to read it from a site's results.
ROWS: list[tuple[str, Callable[[dict[str, Any]], Any]]] = [
    ("Builder, cold (s)", lambda s: s["cold"]["seconds"]),
    ("MkDocs alone (s)", lambda s: s["mkdocs_seconds"]),
    ("MkDocs per page (ms)", lambda s: s.get("mkdocs_ms_per_page")),
    ("Total, cold: builder + MkDocs (s)", lambda s: round(s["cold"]["seconds"] + s["mkdocs_seconds"], 3)),
    ("Warm: mkdocs build, nothing changed (s)", lambda s: s.get("warm_mkdocs_seconds")),
    ("Builder, nothing changed (s)", lambda s: s["rebuild_unchanged"]["seconds"]),
    ("Nothing changed, whole process, median of 5 (s)", lambda s: s.get("no_change_process_seconds")),
    ("Builder, one announcement's summary edited (s)", lambda s: s["rebuild_one_announcement"]["seconds"]),
    ("Builder, one announcement's title edited (s)", lambda s: s["rebuild_one_title"]["seconds"]),
    ("All builder processes together, peak (MB)", lambda s: s["cold"]["peak_total_pss_mb"]),
    ("Builder's main process, peak (MB)", lambda s: s["cold"]["peak_rss_mb"]),
    ("mkdocs serve: edited summary shown in the open tab (s)", lambda s: _serve_loop(s.get("serve_loop"))),
    ("First visit, home: gzipped (KB)", _visit("home", "gzipped_kb")),
    ("First visit, Hong Kong: gzipped (KB)", _visit("hong kong", "gzipped_kb")),
    ("First visit, a company (Meta): gzipped (KB)", _visit("company", "gzipped_kb")),
    ("First visit, home: requests", _visit("home", "requests")),
    ("First visit, Hong Kong: requests", _visit("hong kong", "requests")),
    ("Search index (KB, raw)", lambda s: s.get("search_index_kb")),
    ("HTML pages built", lambda s: s["html_pages"]),
]


def _ratio(ours: Any, theirs: Any) -> str:
    if not isinstance(ours, int | float) or not isinstance(theirs, int | float) or not theirs:
        return ""
    return f"{ours / theirs:.2f}"


def side_by_side(ours: dict[str, Any], theirs: dict[str, Any], revision: str) -> str:
    """One table per site: this tree, the revision, and this tree's figure divided by the revision's."""
    lines: list[str] = []
    for name, site in ours.items():
        other = theirs.get(name)
        if other is None:
            continue
        lines += [f"**{name}**: this tree against {revision}", "",
                  f"| Measure | this tree | {revision} | ratio |", "|:--|--:|--:|--:|"]
        for label, value in ROWS:
            mine, old = value(site), value(other)
            if mine is None and old is None:
                continue
            lines.append(f"| {label} | {'—' if mine is None else mine} | {'—' if old is None else old} | "
                         f"{_ratio(mine, old)} |")
        lines.append("")
    return "\n".join(lines)
