"""Static SVG versions of the charts, and the Vega JavaScript bundle the site serves itself.

SVGs are named by a digest of their chart's specification, so an unchanged chart is never
rendered twice: a file that exists is up to date. Rendering runs on all cores.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from importlib.metadata import version
from pathlib import Path
from typing import Any

import vl_convert

STATIC_WIDTH = 720
THEMES = {"svg_file": None, "dark_svg_file": "dark"}
BUNDLE_PATH = "assets/vega/vega.js"


def static_spec(spec: dict[str, Any]) -> dict[str, Any]:
    """The spec with a fixed width: a static image cannot follow its container."""
    fixed = copy.deepcopy(spec)
    if fixed.get("width") == "container":
        fixed["width"] = STATIC_WIDTH
    return fixed


def render_svg(spec: dict[str, Any], theme: str | None) -> str:
    return vl_convert.vegalite_to_svg(static_spec(spec), vl_version=_vl_version(), theme=theme)


def _vl_version() -> str:
    import altair

    major_minor = ".".join(altair.SCHEMA_VERSION.lstrip("v").split(".")[:2])
    return major_minor


def missing_svgs(charts: Iterable[Any], docs_dir: Path) -> list[tuple[str, dict[str, Any], str | None]]:
    """(path, spec, theme) for every chart image not yet on disk."""
    jobs = []
    for chart in charts:
        for attribute, theme in THEMES.items():
            path = getattr(chart, attribute)
            if not (docs_dir / path).exists():
                jobs.append((path, chart.spec, theme))
    return jobs


def render_all(jobs: list[tuple[str, dict[str, Any], str | None]]) -> dict[str, bytes]:
    """Render the jobs in parallel; vl-convert releases the GIL while it renders."""
    if not jobs:
        return {}
    workers = min(len(jobs), os.cpu_count() or 1)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        images = pool.map(lambda job: render_svg(job[1], job[2]).encode("utf-8"), jobs)
        return {job[0]: image for job, image in zip(jobs, images, strict=True)}


def bundle_stamp() -> str:
    return (f"/* Vega {vl_convert.get_vega_version()}, Vega-Lite {_vl_version()}, "
            f"vega-embed {vl_convert.get_vega_embed_version()}, "
            f"from vl-convert-python {version('vl-convert-python')} */\n")


def javascript_bundle(existing: Path) -> bytes | None:
    """The bundle's bytes, or ``None`` when the file on disk is already this version."""
    stamp = bundle_stamp()
    try:
        with existing.open(encoding="utf-8") as stream:
            if stream.readline() == stamp:
                return None
    except FileNotFoundError:
        pass
    return (stamp + vl_convert.javascript_bundle(vl_version=_vl_version())).encode("utf-8")
