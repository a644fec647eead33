"""The package's layout holds: data flows one way through the stages, the site build never
imports the benchmark, and every library the code imports is declared in pyproject.toml."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BUILDER = ROOT / "builder"
# The stages in the order data flows through them (ARCHITECTURE.md); a module may import from
# its own stage and earlier ones only.
STAGES = ("core", "inputs", "importers", "model", "output", "pages", "build", "adapters")


def _imports(path: Path) -> set[str]:
    """Every module ``path`` imports, at the top or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def _stage(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "builder" and parts[1] in STAGES else None


MODULES = sorted(p for p in BUILDER.rglob("*.py") if "__pycache__" not in p.parts)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_no_module_imports_from_a_later_stage(path: Path) -> None:
    relative = path.relative_to(ROOT).with_suffix("")
    own = _stage(".".join(relative.parts))
    if own is None:
        return  # builder/__init__.py, builder/__main__.py: the entry points
    later = sorted(module for module in _imports(path)
                   if (stage := _stage(module)) and STAGES.index(stage) > STAGES.index(own))
    assert not later, f"{relative} ({own}) imports from a later stage: {later}"


def test_every_folder_of_the_package_is_a_stage() -> None:
    folders = {p.name for p in BUILDER.iterdir() if p.is_dir() and p.name != "__pycache__"}
    assert folders == set(STAGES)


def test_the_site_build_never_imports_the_benchmark() -> None:
    offending = [p.relative_to(ROOT).as_posix() for p in MODULES
                 if any(module == "bench" or module.startswith("bench.") for module in _imports(p))]
    assert not offending


def test_every_library_the_code_imports_is_declared() -> None:
    declared = {re.split(r"[=<>\[ ]", requirement)[0].lower().replace("_", "-")
                for requirement in tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]}
    distributions = packages_distributions()
    missing = set()
    for path in MODULES:
        for module in _imports(path):
            top = module.split(".")[0]
            if top in sys.stdlib_module_names or top in {"builder", "__future__"}:
                continue
            names = {name.lower().replace("_", "-") for name in distributions.get(top, [top])}
            if not names & declared:
                missing.add(f"{top} ({path.relative_to(ROOT)})")
    assert not missing, f"imported but not in pyproject.toml's dependencies: {sorted(missing)}"
