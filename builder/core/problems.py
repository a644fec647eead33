"""Problems found in input, as data: where, what, and how to fix it.

Every check reports :class:`Problem` records instead of raising, so a maintainer sees every
problem in one run. Each error code is declared once in :data:`CODES` with its meaning; the
methodology page lists them and a test checks that every code raised is declared.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

from builder.core.values import FIRST_DATE, LAST_DATE

ERROR = "error"
WARNING = "warning"

# code -> what it means (shown on the methodology page)
CODES: dict[str, str] = {
    "file-unreadable": "The file cannot be read as UTF-8 text in the expected format.",
    "file-too-large": "The file is larger than the builder accepts.",
    "not-a-regular-file": "A file in data/ is a symbolic link, a device, a FIFO or a socket, or lies outside "
                          "data/; the builder reads only regular files inside it.",
    "missing-column": "A required column is missing from the header.",
    "duplicate-column": "A column name appears twice in the header.",
    "ragged-row": "A row has more or fewer cells than the header.",
    "missing-value": "A required cell is empty.",
    "cell-too-long": "A cell is longer than the builder accepts.",
    "bad-count": "A count is not a whole number, a range LOW-HIGH, or empty.",
    "range-reversed": "A range's low end is above its high end.",
    "bad-percent": "A percentage is not a plain number.",
    "percent-out-of-bounds": "A percentage lies outside 0-100.",
    "bad-date": f"A date is not a real ISO date (YYYY-MM-DD) from {FIRST_DATE} to {LAST_DATE}.",
    "future-date": "An announcement is dated after the build's date (SOURCE_DATE_EPOCH, which `mkdocs build` "
                   "takes from the last commit; today when it is not set).",
    "period-reversed": "A period ends before it starts.",
    "overlapping-period": "Two periods for the same company, service, jurisdiction and type overlap.",
    "duplicate-key": "Two rows have the same company, service, jurisdiction, period and type.",
    "unknown-company": "The company is not in data/companies.yml.",
    "company-file-mismatch": "A row's company differs from the company its file is named after.",
    "unknown-service": "The service is not “all” nor one of the company's services.",
    "unknown-jurisdiction": "The jurisdiction is not an ISO 3166-1 alpha-2 or CLDR code.",
    "unknown-request-type": "The request type is not in the vocabulary.",
    "produced-exceeds-requests": "More requests with data produced than requests received.",
    "bad-url": "A URL is not an absolute https:// (or http://) address.",
    "bad-site-url": "site_url in mkdocs.yml is not the site's absolute https:// (or http://) address.",
    "missing-source": "A row or record has no source.",
    "bad-derived": "The derived column names something that is not a metric column.",
    "bad-text": "A text cell holds control characters, or starts like a spreadsheet formula (=, +, -, @).",
    "percent-mismatch": "Warning: the published percentage disagrees with the published counts.",
    "registry-invalid": "data/companies.yml does not follow its schema.",
    "event-invalid": "data/events.yml does not follow its schema (see builder/inputs/events.py).",
    "duplicate-slug": "Two companies in data/companies.yml share a slug.",
    "bad-colour": "A company colour is not a #RRGGBB colour.",
    "bad-slug": "A slug is not lower-case letters, digits and hyphens.",
    "bad-composition": "A company's total in data/companies.yml is not a tree of request types.",
    "deprecated-key": "Warning: data/companies.yml uses a key that is no longer read.",
    "type-not-in-total": "Warning: a company published a request type that its total neither includes "
                         "nor counts apart.",
    "announcement-no-front-matter": "An announcement does not start with front matter between “---” lines.",
    "announcement-invalid": "An announcement does not follow its schema (wrong type, missing key, too long).",
    "announcement-unknown-key": "An announcement's front matter has a key the schema does not define.",
    "announcement-unknown-action": "An announcement's action is not in the vocabulary of actions.",
    "announcement-unknown-scope": "An announcement's scope is not in the vocabulary of scopes.",
    "announcement-date-precision": "A month- or year-precise date is not its first day, or lacks a date_note.",
    "announcement-empty-body": "An announcement has no summary after its front matter.",
    "unknown-layout": "An imported file's header is not one of the layouts the importer knows.",
    "bad-file-name": "An imported file's name does not say which download or half-year it is.",
    "unknown-place": "An imported row names a place that has no known jurisdiction code.",
    "unknown-request-label": "An imported file names a kind of request that no request type is mapped to.",
    "bad-cell": "An imported cell is not a count, range, percentage, date or placeholder the importer reads.",
    "share-mismatch": "An imported share of the requests (a count published again as a fraction) disagrees "
                      "with its count.",
    "bad-encoding": "Warning: an imported file is not valid UTF-8; the bytes that are not were replaced.",
    "unknown-metric": "A revision names a metric that is not a metric column of data/requests.",
    "not-a-revision": "A revision's earlier and later figures are the same figure.",
    "revision-order": "A revision's earlier download is dated after its later one.",
    "stale-revision": "A revision's later figure or source is not the current row's in data/requests.",
    "stray-file": "A file in data/requests or data/announcements that the builder would not read.",
}


# Why a cell a spreadsheet would run as a formula is refused (:data:`builder.core.patterns.FORMULA`).
FORMULA_HINT = ("spreadsheets run a cell starting with =, +, -, @, a tab or a line break (also after spaces) as "
                "a formula when readers open the CSV download; start the text with a word or a digit")

class Line(int):
    """Where a problem is: a line of a text file (where a reader stopped, a YAML error, an
    announcement's first line), as an editor numbers it; not a spreadsheet row."""

    def __repr__(self) -> str:
        return f"Line({int(self)})"

    def __str__(self) -> str:
        return f"line {int(self)}"


class KeyPath(str):
    """Where a problem is: a key path in a YAML document (``companies.0.total``, ``title``);
    empty for the whole document."""

    @classmethod
    def of(cls, parts: Iterable[object]) -> KeyPath:
        return cls(".".join(str(part) for part in parts))

    def __repr__(self) -> str:
        return f"KeyPath({str.__str__(self)!r})"

    def __str__(self) -> str:
        return str.__str__(self) or "(top level)"


# A spreadsheet row (header = 1), a line, a key path, or the whole file.
Location = int | Line | KeyPath | None


@dataclass(frozen=True)
class Problem:
    """One problem: where (``file`` and ``row``, a :data:`Location`), what and how to fix it."""

    file: str
    row: Location
    column: str | None
    value: str | None
    code: str
    message: str
    severity: str = ERROR

    def __post_init__(self) -> None:
        if self.code not in CODES:
            raise KeyError(f"undeclared problem code {self.code!r}; add it to builder.core.problems.CODES")
        if isinstance(self.row, bool) or not isinstance(self.row, int | KeyPath | None):
            raise TypeError(f"a problem's row is a spreadsheet row (int), a Line or a KeyPath, not {self.row!r}")

    @property
    def where(self) -> str:
        """The place in words, after the file's name: ``row 4``, ``line 4``, ``companies.0.slug``."""
        if self.row is None:
            return ""
        return str(self.row) if isinstance(self.row, Line | KeyPath) else f"row {self.row}"

    @property
    def place(self) -> tuple[int, int, str]:
        """For sorting: the whole file first, then rows and lines in file order, then key paths."""
        if self.row is None:
            return (0, 0, "")
        if isinstance(self.row, KeyPath):
            return (2, 0, self.row)
        return (1, int(self.row), "")

    def as_json(self) -> dict:
        """The problem as JSON values, its row tagged with its kind (:meth:`from_json` reads it)."""
        kind = "line" if isinstance(self.row, Line) else "key" if isinstance(self.row, KeyPath) else "row"
        row = None if self.row is None else {kind: str.__str__(self.row) if kind == "key" else int(self.row)}
        return {**asdict(self), "row": row}

    @classmethod
    def from_json(cls, fields: dict) -> Problem:
        row = fields.get("row")
        kinds = {"row": int, "line": Line, "key": KeyPath}
        location = None if row is None else next(kinds[kind](value) for kind, value in row.items())
        return cls(**{**fields, "row": location})

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR


class ProblemsFound(Exception):
    """Raised by a build step when its input has errors; carries all of them."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = list(problems)
        super().__init__(format_table(self.problems))


def stray_files(directory: Path, suffix: str) -> list[Problem]:
    """Files in ``directory`` that do not end in ``suffix``: the builder reads none of them, so
    a file saved as ``meta.CSV`` or ``summary.md.txt`` would otherwise be left out unseen."""
    if not directory.is_dir():
        return []
    return [
        Problem(path.as_posix(), None, None, path.name, "stray-file",
                f"the builder reads only *{suffix} files in {directory.name}/ and would leave this one out; "
                f"rename it to end in {suffix}, or move it elsewhere")
        for path in sorted(directory.iterdir())
        # A link or a special file with the right name is read, and refused by name there.
        if not path.name.startswith(".") and (path.suffix != suffix or (path.is_dir() and not path.is_symlink()))
    ]


def errors(problems: Iterable[Problem]) -> list[Problem]:
    return [problem for problem in problems if problem.is_error]


LONG_TEXT = 80  # characters; of a longer value the problem table shows the ends and the length
HEAD_CHARACTERS, TAIL_CHARACTERS = 40, 20
_WORD = re.compile(r"\S+|\s+")


def _deceptive(character: str, in_ascii_word: bool) -> bool:
    """A character a maintainer cannot see, or cannot tell from another as printed: a control
    or invisible character, an unusual space, a compatibility form (ｍ, ﬁ), or a letter of
    another script inside a word of Latin letters (the Cyrillic е of mеta)."""
    if character.isascii():
        return not character.isprintable()
    category = unicodedata.category(character)
    if category[0] in "CZ" or (category == "Mn" and in_ascii_word):
        return True
    if category[0] in "LN" and unicodedata.normalize("NFKC", character) != character:
        return True
    return in_ascii_word and category[0] == "L" and not unicodedata.name(character, "").startswith("LATIN")


def _escaped(character: str) -> str:
    if character.isascii():
        return character.encode("unicode_escape").decode("ascii")
    return f"\\u{ord(character):04x}" if ord(character) <= 0xFFFF else f"\\U{ord(character):08x}"


def _shown(text: str) -> tuple[str, list[str]]:
    """``text`` with every deceptive character escaped (``m\\u0435ta``), and those characters."""
    parts, found = [], []
    for word in _WORD.findall(text):
        in_ascii_word = any(character.isascii() and character.isalpha() for character in word)
        for character in word:
            if _deceptive(character, in_ascii_word):
                parts.append(_escaped(character))
                found.append(character)
            else:
                parts.append(character)
    return "".join(parts), found


def _abbreviated(text: str) -> tuple[str, list[str]]:
    """``text`` shown (:func:`_shown`), and when long, its two ends and its length only."""
    if len(text) <= LONG_TEXT:
        return _shown(text)
    (head, early), (tail, late) = _shown(text[:HEAD_CHARACTERS]), _shown(text[-TAIL_CHARACTERS:])
    return f"{head}…{tail} ({len(text):,} characters)", early + late


def _described(problem: Problem) -> tuple[str, str, str]:
    """The file, value and message of one problem as the table prints them (a value quoted in
    the message is shown there as in the value column)."""
    file, in_file = _shown(problem.file)
    value, in_value = _abbreviated(problem.value or "")
    words, in_message = [], []
    for word in re.split(r"(\s+)", problem.message):
        word, found = _abbreviated(word)
        words.append(word)
        in_message += found
    message = "".join(words)
    if in_value or in_file or in_message:
        where = "the value" if in_value else "the file name" if in_file else "the text"
        named = ", ".join(f"{_escaped(c)} ({unicodedata.name(c, 'unnamed')})"
                          for c in dict.fromkeys(in_value + in_file + in_message))
        message += (f" [{where} holds a non-ASCII look-alike or invisible character, shown escaped: {named}; "
                    "retype the value without it]")
    return file, value, message


def format_table(problems: Iterable[Problem]) -> str:
    """A plain-text table a maintainer can act on, one problem per line."""
    rows = []
    for problem in problems:
        file, value, message = _described(problem)
        rows.append((problem.severity, file, "" if problem.row is None else str(problem.row),
                     problem.column or "", value, problem.code, message))
    if not rows:
        return "No problems found."
    header = ("severity", "file", "row", "column", "value", "code", "message")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header) - 1)]
    lines = []
    for row in [header, *rows]:
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
        lines.append("  ".join([*cells, row[-1]]).rstrip())
    total_errors = sum(1 for r in rows if r[0] == ERROR)
    lines.append(f"{total_errors} error(s), {len(rows) - total_errors} warning(s).")
    return "\n".join(lines)


def read_csv(text: str, max_cell: int) -> tuple[list[list[str]], csv.Error | None, int]:
    """Every record of ``text``, with cells of at most ``max_cell`` characters: the records read,
    the reader's error (or ``None``) and the line it stopped at. The csv module's limit is
    global, so each reader sets its own for the read and puts the previous one back."""
    previous = csv.field_size_limit(max_cell)
    # newline="" lets the csv module take \r\n, \n and a lone \r (Meta 2019-H2) as line ends.
    reader = csv.reader(io.StringIO(text, newline=""))
    records: list[list[str]] = []
    try:
        records.extend(reader)
        return records, None, reader.line_num
    except csv.Error as error:
        return records, error, reader.line_num
    finally:
        csv.field_size_limit(previous)


def csv_problem(file: str, line: int, error: csv.Error, question: str = "", max_cell: int | None = None) -> Problem:
    """What a CSV reader's error means for the maintainer; ``line`` is where the reader stopped.
    ``question`` is asked before the likely cause of an overlong cell (a stray quote)."""
    if "field larger than field limit" in str(error):
        cause = "a quote (\") without its closing quote makes the rest of the file one cell"
        advice = f"{question} {cause[0].upper()}{cause[1:]}" if question else cause
        return Problem(file, Line(line), None, None, "cell-too-long",
                       f"a cell is longer than {max_cell or csv.field_size_limit():,} characters; {advice}")
    return Problem(file, Line(line), None, None, "file-unreadable", f"not valid CSV: {error}")
