"""The files one unit of a run produces, and the charts among them.

Every page, chart and download is added through :class:`Outputs`, which writes it into the
run's staging folder at once and keeps only its path; the run moves the staged files into
``docs_dir`` when every unit has succeeded (:mod:`builder.build.engine`).
"""

from __future__ import annotations

import functools
import hashlib
import html
import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from builder.output import chart_csv, svg
from builder.output.render import render, render_text

# Readers search for a place or a company by its name; without a boost the announcements that
# mention it in their titles rank above its own page (Material's search reads ``search.boost``).
# A page's weight in search: a place's or a company's name finds its page first; an
# announcement's title, which shares words with every jurisdiction page, still finds it
# among the first five (tests/test_browser.py holds both).
SEARCH_BOOST = {"jurisdiction": 10, "company": 10, "announcement": 5}


@dataclass(frozen=True)
class Chart:
    """A chart as pages refer to it: its files are named by a digest of its specification."""

    spec: dict[str, Any]
    # Where the page keeps it: the figure's id (``chart-<anchor>``, the same in every build, for
    # links) and the CSV of exactly what it draws. Neither is part of the chart's digest.
    anchor: str = field(default="", compare=False)
    csv_file: str = field(default="", compare=False)

    @property
    def title(self) -> str:
        return str(self.spec["title"])

    @property
    def description(self) -> str:
        return str(self.spec["description"])

    @property
    def legend(self) -> list[tuple[str, str]]:
        """(label, colour) of each series, for the HTML legend under the chart."""
        return [(label, colour) for label, colour in self.spec.get("usermeta", {}).get("legend", [])]

    @property
    def announcements(self) -> bool:
        """Does the chart mark announcements (dashed rules)?"""
        return bool(self.spec.get("usermeta", {}).get("announcements"))

    @functools.cached_property  # a world-size spec takes milliseconds to serialise
    def json(self) -> str:
        return spec_json(self.spec)

    @functools.cached_property
    def digest(self) -> str:
        return hashlib.sha256(self.json.encode("utf-8")).hexdigest()[:20]

    @property
    def spec_file(self) -> str:
        return f"charts/{self.digest}.vl.json"

    @property
    def svg_file(self) -> str:
        return svg.image_paths(self.digest)[0]

    @property
    def dark_svg_file(self) -> str:
        return svg.image_paths(self.digest)[1]

    @property
    def png_file(self) -> str:
        return svg.image_paths(self.digest)[2]


def page_address(path: str) -> str:
    """The address of the page built from ``path`` (a Markdown file under docs_dir), relative to
    the site: ``jurisdictions/hk.md`` is ``jurisdictions/hk/``, ``index.md`` the site itself."""
    stem = path.removesuffix(".md")
    if stem == "index":
        return ""
    return stem.removesuffix("/index") + "/"


def spec_json(spec: dict[str, Any]) -> str:
    return json.dumps(spec, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


class OutputOutsideDocsDir(ValueError):
    """A generated file's path leads out of docs_dir: a name from the data escaped validation."""


def check_inside(docs_dir: Path, paths: Iterable[str]) -> None:
    """Refuse, before anything is written, any path that would land outside ``docs_dir``.

    Paths are built from slugs, file names and codes in the data, which validation restricts;
    this is the last line of defence if a new route forgets to. The check is lexical, so a
    symbolic link inside docs_dir (e.g. to a shared chart cache) is still allowed.
    """
    root = Path(os.path.normpath(docs_dir))
    for path in paths:
        target = Path(os.path.normpath(docs_dir / path))
        if target == root or not target.is_relative_to(root):
            raise OutputOutsideDocsDir(f"refusing to write {path!r}: it lies outside {docs_dir}")


@dataclass(frozen=True)
class Citation:
    """What a chart's "cite this" names besides the page: the site, its address, the version of
    the dataset (a digest of the request files, so it changes exactly when a figure does) and
    the day of the build (``SOURCE_DATE_EPOCH``'s, the last commit's)."""

    site_name: str = ""
    site_url: str = "/"
    dataset_version: str = ""
    built: str = ""


@dataclass
class Outputs:
    """The files one part of a run produces, by path relative to ``docs_dir``: each is written
    into the ``staging`` folder at once (so a world-size run never holds its downloads in
    memory), and only its path is kept."""

    site_path: str  # the path of site_url, where the site is served
    staging: Path
    citation: Citation = field(default_factory=Citation)
    paths: list[str] = field(default_factory=list)
    charts: dict[str, Chart] = field(default_factory=dict)

    def add(self, path: str, content: bytes | Iterable[bytes]) -> None:
        """Produce the file ``path``: its bytes, or its pieces in order."""
        check_inside(self.staging, [path])
        target = self.staging / path
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("wb") as stream:
            for piece in [content] if isinstance(content, bytes) else content:
                stream.write(piece)
        self.paths.append(path)

    def page(self, path: str, template: str, meta: str, **context: Any) -> None:
        """Render ``pages/<template>.md.j2`` with front matter from ``text/<meta>_{title,description}``."""
        # ``root`` is the site's own path (``/transparency/``), for addresses in raw HTML, which
        # MkDocs and Zensical leave alone but resolve against different bases; ``src`` leads
        # from the Markdown file to docs_dir, for Markdown links, which both check and rewrite.
        context.update(root=self.site_path, src="../" * path.count("/"), page_path=path, citation=self.citation,
                       page_url=self.citation.site_url + page_address(path))
        front_matter = {
            # MkDocs and Material print page.title as HTML (the header, search results), so the
            # title is stored HTML-escaped; overrides/main.html unescapes it for <title> and <meta>.
            "title": html.escape(render_text(f"text/{meta}_page_title.txt.j2", **context), quote=False),
            "description": render_text(f"text/{meta}_page_description.txt.j2", **context),
        }
        if meta in SEARCH_BOOST:
            front_matter["search"] = {"boost": SEARCH_BOOST[meta]}
        header = yaml.safe_dump(front_matter, allow_unicode=True, sort_keys=True, width=10_000)
        body = render(f"pages/{template}.md.j2", **context)
        self.add(path, f"---\n{header}---\n{body}".encode())

    def chart(self, spec: dict[str, Any], page: str, anchor: str, sources: Mapping[str, str | None],
              cells: chart_csv.Cells | None = None, period: str = "") -> Chart:
        """The chart ``spec`` on the page ``page``, as ``#chart-<anchor>``, with its CSV beside the
        page (``sources``: each company's report; ``cells``: what the page's table adds)."""
        chart = Chart(spec, anchor, f"{page.removesuffix('.md')}-{anchor}.csv")
        self.charts[chart.digest] = chart
        self.add(chart.spec_file, chart.json.encode("utf-8"))
        self.add(chart.csv_file, chart_csv.render(spec, sources, cells, period))
        return chart
