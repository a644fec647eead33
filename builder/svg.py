"""Static SVG versions of the charts, and the Vega JavaScript bundle the site serves itself.

SVGs are named by a digest of their chart's specification, so an unchanged chart is never
rendered twice: a file that exists is up to date. Rendering runs on all cores.
"""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from importlib.metadata import version
from pathlib import Path
from typing import Any

import vl_convert

STATIC_WIDTH = 720
THEMES = {"svg_file": None, "dark_svg_file": "dark"}
BUNDLE_PATH = "assets/vega/vega.js"
PER_PROCESS_MINIMUM = 8  # jobs worth starting a process for


def static_spec(spec: dict[str, Any]) -> dict[str, Any]:
    """The spec with a fixed width: a static image cannot follow its container."""
    fixed = copy.deepcopy(spec)
    if fixed.get("width") == "container":
        fixed["width"] = STATIC_WIDTH
    return fixed


def render_svg(spec: dict[str, Any], theme: str | None, vl_version: str | None = None) -> str:
    return vl_convert.vegalite_to_svg(static_spec(spec), vl_version=vl_version or _vl_version(), theme=theme)


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


def _render_job(job: tuple[str, dict[str, Any], str | None]) -> bytes:
    return render_svg(job[1], job[2]).encode("utf-8")


def render_all(jobs: list[tuple[str, dict[str, Any], str | None]]) -> dict[str, bytes]:
    """Render the jobs on all cores.

    vl-convert runs every conversion of a process on its one JavaScript runtime, so threads
    take turns on a single core: parallel rendering needs processes. Each is a fresh
    ``python -m builder.svg`` (not a multiprocessing child, which would re-import whatever
    script started the build) and costs about a second to start, so a handful of charts is
    rendered here.
    """
    if not jobs:
        return {}
    workers = min(os.cpu_count() or 1, len(jobs) // PER_PROCESS_MINIMUM)
    if workers < 2:
        return {job[0]: _render_job(job) for job in jobs}
    shares = [jobs[start::workers] for start in range(workers)]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        rendered = dict(zip((job[0] for share in shares for job in share),
                            (image for images in pool.map(_render_in_process, shares) for image in images),
                            strict=True))
    return {job[0]: rendered[job[0]] for job in jobs}


def _render_in_process(jobs: list[tuple[str, dict[str, Any], str | None]]) -> list[bytes]:
    # The version travels with the jobs, so that a rendering process need not import Altair;
    # the images come back as files, read once as bytes, not as one big JSON text to decode.
    with tempfile.TemporaryDirectory(prefix="svg-") as folder:
        request = json.dumps({"vl_version": _vl_version(), "folder": folder,
                              "jobs": [[spec, theme] for _, spec, theme in jobs]})
        done = subprocess.run([sys.executable, "-m", "builder.svg"], input=request.encode("utf-8"),
                              capture_output=True, check=False)
        if done.returncode != 0:
            raise RuntimeError("rendering the static charts failed:\n"
                               + done.stderr.decode("utf-8", "replace")[-4000:])
        return [(Path(folder) / f"{number}.svg").read_bytes() for number in range(len(jobs))]


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


if __name__ == "__main__":
    # A rendering process of render_all: {"vl_version", "folder", "jobs": [[spec, theme], ...]}
    # as JSON in; job number N's image is written to folder/N.svg.
    request = json.load(sys.stdin)
    for number, (spec, theme) in enumerate(request["jobs"]):
        image = render_svg(spec, theme, request["vl_version"])
        (Path(request["folder"]) / f"{number}.svg").write_bytes(image.encode("utf-8"))
