"""The open-data downloads under ``/data/``: CSV and JSON, a Frictionless Data Package, checksums.

Every download is written from the same canonical rows, so the CSV, the JSON and the
per-jurisdiction and per-company files agree cell for cell. Cells keep the CSV's text:
a count is ``123`` (exact) or ``LOW-HIGH`` (a band the company published, both ends
included), and an empty cell means the company did not report the figure. A missing figure
is never written as 0.

The descriptor ``datapackage.json`` (https://specs.frictionlessdata.io/data-package/)
declares the columns with their types and constraints, the primary key, the licence of the
compilation and the companies' reports the figures come from; ``SHA256SUMS`` lists the
SHA-256 digest of every download in the format ``sha256sum --check`` reads.

``revisions.csv`` holds the figures a company published differently in an earlier download
(:mod:`builder.inputs.revisions`): the earlier figure and the current one, each with its source.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from builder.core import patterns
from builder.core.schema import (
    COLUMN_NAMES,
    COLUMNS,
    COUNT_COLUMNS,
    KEY_COLUMNS,
    METRIC_COLUMNS,
    REQUEST_TYPES,
    SORT_COLUMNS,
)
from builder.inputs import revisions
from builder.inputs.registry import Registry
from builder.inputs.revisions import Revision
from builder.model import figures as model

DATA_DIR = "data"
PACKAGE_NAME = "government-requests-for-user-data"
PACKAGE_TITLE = "Government requests for user data"
LICENSE = {
    "name": "ODC-PDDL-1.0",
    "title": "Open Data Commons Public Domain Dedication and License v1.0",
    "path": "https://opendatacommons.org/licenses/pddl/1-0/",
}
# The rules validation applies (Table Schema patterns are XML Schema expressions: no "(?:").
COUNT_PATTERN = patterns.schema_pattern(patterns.COUNT_OR_RANGE).replace("(?:", "(")
PERCENT_PATTERN = patterns.schema_pattern(patterns.PERCENT).replace("(?:", "(")
NOT_REPORTED_NOTE = "An empty cell means the company did not report this figure (it is not 0)."
ENCODINGS = {
    "count": "Written as the company published it: an exact whole number (`123`) or a band `LOW-HIGH` "
             "with both ends included (`0-249`). " + NOT_REPORTED_NOTE,
    "percent": "A number from 0 to 100 without a % sign, as the company published it. " + NOT_REPORTED_NOTE,
}


@dataclass(frozen=True)
class Download:
    """One file of the Data page: where it is, what it holds, and its SHA-256 digest."""

    path: str  # relative to docs_dir, e.g. "data/requests.csv"
    rows: int | None
    title: str
    sha256: str


Chunks = Iterable[bytes]
CHUNK_ROWS = 20_000  # rows per piece of a streamed file: a world-size file is never whole in memory


class CanonicalLines:
    """Every row of ``frame`` as its canonical CSV line, rendered once, so that the whole file
    and each per-jurisdiction and per-company file are joins of lines instead of renderings of
    a world-size table. The same bytes as :func:`builder.inputs.requests_csv.render_rows` of those rows:
    a subset of a stable sort, in sort order, is the stable sort of the subset."""

    def __init__(self, frame: pd.DataFrame) -> None:
        table = frame[list(COLUMN_NAMES)]
        self.order = table.sort_values(list(SORT_COLUMNS), kind="stable").index
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(COLUMN_NAMES)
        ordered = table.loc[self.order]
        records = zip(*(ordered[name].tolist() for name in COLUMN_NAMES), strict=True)
        ends = [writer.writerow(record) for record in records]
        del ordered, records
        text = buffer.getvalue()
        buffer.close()
        starts = len(text) - sum(ends)
        self.header = text[:starts]
        self.lines: list[str] = []
        for length in ends:
            self.lines.append(text[starts:starts + length])
            starts += length
        self.table = table
        self.rank = dict(zip(self.order, range(len(self.order)), strict=True))

    def _ranks(self, index: Iterable[Any] | None) -> list[int]:
        return list(range(len(self.lines))) if index is None else sorted(self.rank[label] for label in index)

    def file(self, index: Iterable[Any] | None = None) -> Chunks:
        """The CSV of the rows with these index labels (all rows when ``None``), in pieces."""
        ranks = self._ranks(index)
        yield self.header.encode("utf-8")
        for start in range(0, len(ranks), CHUNK_ROWS):
            yield "".join(self.lines[r] for r in ranks[start:start + CHUNK_ROWS]).encode("utf-8")

    def json(self) -> Chunks:
        """Every row as a JSON array of objects, in the CSV's order and with the same text in every cell.

        One object a line: smaller than indented JSON, and a changed row is a changed line.
        """
        yield b"[\n"
        for start in range(0, len(self.order), CHUNK_ROWS):
            piece = self.table.loc[self.order[start:start + CHUNK_ROWS]]
            # pandas writes "/" as "\/" (valid JSON, but unlike every other download): a "\/"
            # in its output is always an escaped "/", since a backslash is written "\\".
            lines = piece.to_json(orient="records", lines=True, force_ascii=False).replace("\\/", "/")
            yield (",\n" if start else "").encode("utf-8") + lines.rstrip("\n").replace("\n", ",\n").encode("utf-8")
        yield b"\n]\n"


def _field(name: str, kind: str, required: bool, description: str, registry: Registry) -> dict[str, Any]:
    field: dict[str, Any] = {"name": name, "type": "string", "description": description}
    constraints: dict[str, Any] = {"required": True} if required else {}
    if kind == "date":
        field["type"] = "date"
    elif kind == "count":
        field["description"] = f"{description} {ENCODINGS['count']}"
        constraints["pattern"] = COUNT_PATTERN
    elif kind == "percent":
        field["description"] = f"{description} {ENCODINGS['percent']}"
        constraints["pattern"] = PERCENT_PATTERN
    elif kind == "figure":  # a revision's figure: a count or a percentage, as its metric is
        field["description"] = f"{description} {ENCODINGS['count']} A percentage: {ENCODINGS['percent']}"
        constraints["pattern"] = patterns.schema_pattern(
            f"{patterns.COUNT_OR_RANGE}|{patterns.PERCENT}").replace("(?:", "(")
    elif kind == "metric":
        constraints["enum"] = list(METRIC_COLUMNS)
    elif kind == "url":
        field["format"] = "uri"
    elif name == "company":
        constraints["enum"] = sorted(registry.companies)
    elif name == "service":
        constraints["enum"] = sorted({s for c in registry.companies.values() for s in c.services} | {"all"})
    elif name == "jurisdiction":
        constraints["pattern"] = "^[A-Z]{2}$"
    elif name == "request_type":
        constraints["enum"] = sorted(REQUEST_TYPES)
    elif name == "derived":
        metric = "(" + "|".join(METRIC_COLUMNS) + ")"
        constraints["pattern"] = f"^{metric}( {metric})*$"
    if constraints:
        field["constraints"] = constraints
    return field


def table_schema(registry: Registry) -> dict[str, Any]:
    """The Table Schema of every request file: one field per canonical column, in order."""
    fields = [_field(c.name, c.kind, c.required, c.description, registry) for c in COLUMNS]
    return {
        "fields": fields,
        "missingValues": [""],
        "primaryKey": [*KEY_COLUMNS, "period_start", "period_end"],
    }


def revisions_schema(registry: Registry) -> dict[str, Any]:
    """The Table Schema of ``revisions.csv``: one field per column of :mod:`builder.inputs.revisions`."""
    return {
        "fields": [_field(c.name, c.kind, c.required, c.description, registry) for c in revisions.COLUMNS],
        "missingValues": [""],
        "primaryKey": list(revisions.PRIMARY_KEY),
    }


def revisions_csv(records: Sequence[Revision]) -> bytes:
    """Every company's revisions in one file, in the order of the companies' files."""
    return revisions.render(record.cells() for record in records).encode("utf-8")


def _sources(frame: pd.DataFrame, registry: Registry) -> list[dict[str, str]]:
    sources = []
    for slug, group in model.by_company(frame):
        name = registry[slug].name if slug in registry else slug
        for url in sorted(set(group["source_url"]) - {""}):
            sources.append({"title": f"{name}: transparency report", "path": url})
    return sources


def _resource(name: str, path: str, written: Written, fmt: str, schema: dict[str, Any],
              description: str) -> dict[str, Any]:
    resource = {
        "name": name,
        "type": "table",
        "path": path,
        "format": fmt,
        "mediatype": "text/csv" if fmt == "csv" else "application/json",
        "encoding": "utf-8",
        "hash": f"sha256:{written.sha256}",
        "description": description,
        "schema": schema,
    }
    if fmt == "csv":
        # frictionless counts the bytes of CSV files only; on a JSON table it reports a mismatch.
        resource["bytes"] = written.size
        resource["dialect"] = {"delimiter": ",", "lineTerminator": "\n", "header": True}
    return resource


def descriptor(frame: pd.DataFrame, registry: Registry, files: Mapping[str, Written],
               site_url: str) -> dict[str, Any]:
    """The Data Package descriptor for ``data/requests.csv``, ``data/requests.json`` and
    ``data/revisions.csv``."""
    schema = table_schema(registry)
    counts = ", ".join(COUNT_COLUMNS)
    return {
        "$schema": "https://datapackage.org/profiles/1.0/datapackage.json",
        "name": PACKAGE_NAME,
        "title": PACKAGE_TITLE,
        "description": (
            "Government requests for user data, as technology companies published them in their "
            "half-yearly transparency reports: one row per company, service, jurisdiction, reporting "
            f"period and request type. Counts ({counts}) are text: an exact whole number or a band "
            "LOW-HIGH as published; an empty cell means not reported, never 0. The figures are the "
            "companies' own, from the reports listed under sources."
        ),
        "homepage": f"{site_url}data/",
        "licenses": [{
            **LICENSE,
            "description": ("Covers this compilation. The figures are the companies' published figures, "
                            "taken from their transparency reports (see sources); please cite them."),
        }],
        "sources": _sources(frame, registry),
        "resources": [
            _resource("requests", "requests.csv", files[f"{DATA_DIR}/requests.csv"], "csv", schema,
                      "Every row of every company."),
            _resource("requests-json", "requests.json", files[f"{DATA_DIR}/requests.json"], "json", schema,
                      "The same rows as requests.csv, as a JSON array of objects keyed by column name, "
                      "every value the CSV cell's text."),
            _resource("revisions", "revisions.csv", files[f"{DATA_DIR}/revisions.csv"], "csv",
                      revisions_schema(registry),
                      "Figures a company published differently in an earlier download: one row per figure and "
                      "earlier download, with the earlier figure and the current one (the one requests.csv "
                      "holds), each with the file and date of its download."),
        ],
    }


def sha256sums(files: Mapping[str, Written]) -> bytes:
    """``sha256sum`` output for ``files`` (paths relative to data/), sorted by path."""
    prefix = f"{DATA_DIR}/"
    lines = [f"{written.sha256}  {path.removeprefix(prefix)}\n" for path, written in sorted(files.items())]
    return "".join(lines).encode("utf-8")


@dataclass(frozen=True)
class Written:
    """What the Data page and the descriptor need of a written download."""

    sha256: str
    size: int


Emit = Callable[[str, Chunks], None]


def publish(frame: pd.DataFrame, registry: Registry, site_url: str, emit: Emit,
            revision_records: Sequence[Revision] = ()) -> dict[str, Written]:
    """Every file under ``data/`` (by path relative to docs_dir), handed to ``emit`` in pieces;
    the digest and size of each. ``revision_records``: those of :func:`builder.inputs.revisions.load_revisions`."""
    written: dict[str, Written] = {}

    def put(path: str, chunks: Chunks) -> None:
        digest, size = hashlib.sha256(), 0

        def counted() -> Iterator[bytes]:
            nonlocal size
            for chunk in chunks:
                digest.update(chunk)
                size += len(chunk)
                yield chunk

        emit(path, counted())
        written[path] = Written(digest.hexdigest(), size)

    lines = CanonicalLines(frame)
    put(f"{DATA_DIR}/requests.csv", lines.file())
    put(f"{DATA_DIR}/requests.json", lines.json())
    put(f"{DATA_DIR}/revisions.csv", [revisions_csv(revision_records)])
    for code, group in model.by_jurisdiction(frame):
        put(f"{DATA_DIR}/jurisdictions/{code.lower()}.csv", lines.file(group.index))
    for slug, group in model.by_company(frame):
        put(f"{DATA_DIR}/companies/{slug}.csv", lines.file(group.index))
    package = descriptor(frame, registry, written, site_url)
    put(f"{DATA_DIR}/datapackage.json", [(json.dumps(package, indent=2, ensure_ascii=False) + "\n").encode()])
    put(f"{DATA_DIR}/SHA256SUMS", [sha256sums(written)])
    return written


def downloads(files: Mapping[str, Written], rows: int, revision_rows: int = 0) -> list[Download]:
    """The whole-dataset files, for the table at the top of the Data page."""
    titles = {
        "requests.csv": (rows, "Every row of every company, as CSV"),
        "requests.json": (rows, "The same rows as JSON: an array of objects keyed by column name"),
        "revisions.csv": (revision_rows, "Figures a company published differently in an earlier download: "
                                         "both versions, each with its source"),
        "datapackage.json": (None, "Frictionless Data Package descriptor: columns, types, constraints, "
                                   "licence and sources"),
        "SHA256SUMS": (None, "SHA-256 digest of every download, for sha256sum --check"),
    }
    return [Download(f"{DATA_DIR}/{name}", count, title, files[f"{DATA_DIR}/{name}"].sha256)
            for name, (count, title) in titles.items()]
