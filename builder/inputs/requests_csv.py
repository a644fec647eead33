"""Reading and writing ``data/requests/<company>.csv`` as plain text rows.

Rows are dictionaries of strings, exactly as in the file; parsing into values is the
validator's job (:mod:`builder.inputs.requests`). Writing is canonical: fixed column order, rows in
a fixed order, ``\\n`` line endings, UTF-8 without a byte-order mark, so that writing the same
rows twice gives byte-identical files.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping

from builder.core.schema import COLUMN_NAMES, SORT_COLUMNS


def sort_key(row: Mapping[str, str]) -> tuple[str, ...]:
    return tuple(row.get(column, "") for column in SORT_COLUMNS)


def render_rows(rows: Iterable[Mapping[str, str]], extra_columns: Iterable[str] = ()) -> str:
    """The canonical CSV text for ``rows``."""
    header = list(COLUMN_NAMES) + [c for c in extra_columns if c not in COLUMN_NAMES]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, lineterminator="\n", extrasaction="raise")
    writer.writeheader()
    for row in sorted(rows, key=sort_key):
        writer.writerow({column: row.get(column, "") for column in header})
    return buffer.getvalue()
