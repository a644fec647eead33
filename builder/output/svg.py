"""Static SVG (and PNG) versions of the charts, and the Vega JavaScript bundle the site serves itself.

SVGs are named by a digest of their chart's specification, so an unchanged chart is never
rendered twice: a file that exists is up to date. A run renders them on all cores, in the
background, while it goes on building pages (:class:`builder.build.rendering.Renderer`).

Each chart is rendered once, in the light theme; its dark image is the same picture with the
colours of axes, grid and text swapped (:func:`dark_svg`), which is what vl-convert's "dark"
theme changes, instead of a second rendering.
"""

from __future__ import annotations

import re
from importlib.metadata import version
from pathlib import Path
from typing import Any

import vl_convert

BUNDLE_PATH = "assets/vega/vega.js"

# What vl-convert's "dark" theme changes in our charts: titles and labels (#000), axis lines
# and ticks (#888), grid lines (#ddd); and the labels of marked events (#000, which the theme
# would leave black on black). Company colours are always #RRGGBB (the registry's schema) and
# the marks' rules and bands are #777777, so no mark of the data can match these.
DARK_COLOURS = {'fill="#000"': 'fill="#fff"', 'stroke="#888"': 'stroke="#fff"', 'stroke="#ddd"': 'stroke="#888"'}
_DARK_PATTERN = re.compile("|".join(re.escape(colour) for colour in DARK_COLOURS))


def render_svg(spec: dict[str, Any] | str, theme: str | None = None, vl_version: str | None = None) -> str:
    """The chart's image; ``spec`` is a Vega-Lite dictionary or its JSON text (which vl-convert
    reads without converting it from Python objects)."""
    return vl_convert.vegalite_to_svg(spec, vl_version=vl_version or vega_lite_version(), theme=theme)


def dark_svg(light: str) -> str:
    """The dark-theme image of a chart from its light one."""
    return _DARK_PATTERN.sub(lambda match: DARK_COLOURS[match.group()], light)


def vega_lite_version() -> str:
    import altair

    major_minor = ".".join(altair.SCHEMA_VERSION.lstrip("v").split(".")[:2])
    return major_minor


def image_paths(digest: str) -> tuple[str, str, str]:
    """The light and the dark image of the chart with this digest, and its PNG, relative to docs_dir."""
    return f"charts/{digest}.svg", f"charts/{digest}.dark.svg", f"charts/{digest}.png"


# The PNG is for reuse elsewhere (a slide, a document), where no page's background shows
# through: drawn on white, at twice the size for print and high-density screens.
PNG_SCALE = 2
_SVG_OPENING = re.compile(r"<svg\b[^>]*>")


def png(light: str) -> bytes:
    """The chart's light image as a PNG on a white background."""
    opening = _SVG_OPENING.search(light)
    on_white = light if opening is None else (
        light[:opening.end()] + '<rect width="100%" height="100%" fill="#ffffff"/>' + light[opening.end():])
    return vl_convert.svg_to_png(on_white, scale=PNG_SCALE)


def write_images(folder: Path, digest: str, light: str) -> None:
    light_path, dark_path, png_path = image_paths(digest)
    for path, image in ((light_path, light.encode("utf-8")), (dark_path, dark_svg(light).encode("utf-8")),
                        (png_path, png(light))):
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(image)


def bundle_stamp() -> str:
    return (f"/* Vega {vl_convert.get_vega_version()}, Vega-Lite {vega_lite_version()}, "
            f"vega-embed {vl_convert.get_vega_embed_version()}, "
            f"from vl-convert-python {version('vl-convert-python')} */\n")


def javascript_bundle() -> bytes:
    return (bundle_stamp() + vl_convert.javascript_bundle(vl_version=vega_lite_version())).encode("utf-8")
