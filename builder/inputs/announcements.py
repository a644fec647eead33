"""Policy announcements: ``data/announcements/*.md``, validated as strictly as configuration.

Each file is one thing a company announced or did about government requests, e.g. pausing
its answers to Hong Kong authorities in July 2020. The YAML front matter carries the facts
and their sources; the Markdown body is a short summary in our own words::

    ---
    date: 2020-07-06
    company: meta
    services: [facebook, instagram, whatsapp]
    jurisdictions: [HK]
    action: paused
    scope: user_data
    title: Facebook, Instagram and WhatsApp pause Hong Kong data requests
    sources:
      - url: https://www.pri.org/stories/...
        publisher: The World (PRI)
        date: 2020-07-06
    ---
    Summary in our own words.

The front matter is checked against :data:`FRONT_MATTER_SCHEMA` (JSON Schema, unknown keys
rejected), then against the registry and the jurisdiction codes. Every problem becomes a
:class:`~builder.core.problems.Problem` naming the file and the key path; a file with problems is
left out of the result, and all its problems are reported, not just the first.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import jsonschema

from builder.core import patterns
from builder.core.patterns import ONE_LINE_HINT
from builder.core.problems import Line, Problem, stray_files
from builder.core.reading import FileTooLarge, NotUtf8, ReadRefused, decode_utf8, read_data_file
from builder.core.reproducible import build_date
from builder.core.schema_problems import DocumentSchema, key_problem
from builder.core.values import ValueProblem, parse_date
from builder.core.yamlfile import YamlProblem, load_yaml
from builder.inputs.announcement_checks import date_precision_problems, registry_problems
from builder.inputs.registry import HTTP_URL_PATTERN, SLUG_PATTERN, Registry

MAX_FILE_BYTES = 200_000
MAX_TITLE_LENGTH = 160
MAX_BODY_LENGTH = 2_000
FILE_SLUG = re.compile(r"[a-z0-9-]{1,120}")

# action -> (reader's label, definition). The timeline and status board show the label.
ACTIONS: dict[str, tuple[str, str]] = {
    "paused": ("Paused", "Stopped answering requests for the time being, pending a review."),
    "resumed": ("Resumed", "Began answering requests again after a pause."),
    "stopped": (
        "Stopped",
        "Stopped answering requests, or stopped answering them directly, with no review pending.",
    ),
    "exited_market": ("Left the market", "Stopped offering the service in the jurisdiction."),
    "complied": (
        "Complied",
        "Did what the authorities or the law demanded, e.g. removed apps or stored data locally.",
    ),
    "policy_change": (
        "Policy change",
        "Changed how it handles requests in the jurisdiction, other than pausing or stopping.",
    ),
    "assessing": ("Assessing", "Said it was assessing the law, without pausing its answers."),
    "statement": ("Statement", "Said something on record without announcing a change."),
    "reported": (
        "Figures published",
        "Its transparency report showed how it answered requests in a period: "
        "what it did, rather than what it announced.",
    ),
}

# scope -> (reader's label, definition): what the action applies to.
SCOPES: dict[str, tuple[str, str]] = {
    "user_data": ("Requests for user data", "Government requests for data about users or accounts."),
    "content_removal": (
        "Content removal",
        "Government requests to remove or restrict content.",
    ),
    "law_enforcement": (
        "Law-enforcement requests",
        "Requests from law-enforcement authorities, as the company put it, "
        "without saying whether for data or for removal.",
    ),
    "all_requests": ("All requests", "Government requests of every kind: for data and for removal."),
    "app_store": ("App store", "Which apps the company's app store offers in the jurisdiction."),
    "data_storage": ("Data storage", "Where and how the company stores its users' data."),
    "operations": ("Operations", "Whether the company offers its service in the jurisdiction at all."),
}

# How exactly `date` is known; the timeline must not print "1 January 2017" for "2017".
DATE_PRECISIONS = ("day", "month", "year")


def _text(max_length: int, description: str) -> dict:
    return {
        "type": "string",
        "minLength": 1,
        "maxLength": max_length,
        "pattern": patterns.schema_pattern(patterns.ONE_LINE_TEXT),
        "description": description,
        "x-codes": {"pattern": "bad-text"},
        "x-messages": {"pattern": ONE_LINE_HINT},
    }


def _date(description: str) -> dict:
    # Dates stay strings in YAML (see builder.core.yamlfile), so the format check sees 2020-13-01.
    return {
        "type": "string",
        "format": "date",
        "description": description,
        "x-codes": {"type": "bad-date", "format": "bad-date"},
    }


# "x-codes" maps a failed JSON Schema keyword to our problem code (the default is
# announcement-invalid); "description" tells the maintainer how to write the value.
SOURCE_SCHEMA: dict = {
    "type": "object",
    "additionalProperties": False,
    "required": ["url", "publisher", "date"],
    "properties": {
        "url": {
            "type": "string",
            "maxLength": 2000,
            "pattern": HTTP_URL_PATTERN,
            "description": "the absolute https:// (or http://) address of the cited page",
            "x-codes": {"type": "bad-url", "pattern": "bad-url", "maxLength": "bad-url"},
        },
        "publisher": _text(200, "who published the page, e.g. Hong Kong Free Press"),
        "date": _date(
            "the date the cited page carries, as YYYY-MM-DD; for a page quoting another "
            "outlet, the date of the report it quotes"
        ),
        "note": _text(300, "optional: e.g. secondary, or citing The Wall Street Journal"),
    },
}

QUOTE_SCHEMA: dict = {
    "type": "object",
    "description": "optional: the keys text (the words on record) and by (who said them)",
    "additionalProperties": False,
    "required": ["text", "by"],
    "properties": {
        "text": _text(600, "the words on record, exactly as published, without quotation marks"),
        "by": _text(200, "who said it, e.g. A Facebook spokesperson"),
        "secondary": {
            "type": "boolean",
            "description": "true when the words reached us through another outlet's report",
        },
    },
}

FRONT_MATTER_SCHEMA: dict = {
    "type": "object",
    "description": "YAML keys, one a line, e.g. `date: 2020-07-06` and `company: meta`",
    "additionalProperties": False,
    "required": ["date", "company", "services", "jurisdictions", "action", "scope", "title", "sources"],
    "x-codes": {"required:sources": "missing-source"},
    "properties": {
        "date": _date(
            "the day the action took effect or became public, as YYYY-MM-DD, e.g. 2020-07-06"
        ),
        "date_precision": {
            "enum": list(DATE_PRECISIONS),
            "description": "optional: month or year when the day is not known (then date is "
            "the first day of that month or year, and date_note says so)",
        },
        "date_note": _text(300, "optional: why the date is uncertain, e.g. where outlets disagree"),
        "company": {
            "type": "string",
            "pattern": SLUG_PATTERN,
            "description": "the company's slug in data/companies.yml, e.g. meta",
        },
        "services": {
            "type": "array",
            "minItems": 1,
            "maxItems": 50,
            "uniqueItems": True,
            "items": {
                "type": "string",
                "pattern": SLUG_PATTERN,
                "description": "`all` or one of the company's services in data/companies.yml",
            },
            "description": "a list of services, e.g. [all] or [facebook, instagram]",
        },
        "jurisdictions": {
            "type": "array",
            "minItems": 1,
            "maxItems": 300,
            "uniqueItems": True,
            "items": {"type": "string", "description": "an upper-case code, e.g. HK"},
            "description": "a list of ISO 3166-1 alpha-2 / CLDR codes, e.g. [HK]",
        },
        "action": {
            "enum": list(ACTIONS),
            "description": "one of: " + ", ".join(ACTIONS),
            "x-codes": {"enum": "announcement-unknown-action"},
        },
        "scope": {
            "enum": list(SCOPES),
            "description": "one of: " + ", ".join(SCOPES),
            "x-codes": {"enum": "announcement-unknown-scope"},
        },
        "title": _text(MAX_TITLE_LENGTH, "a one-line headline in plain text"),
        "sources": {
            "type": "array",
            "minItems": 1,
            "maxItems": 20,
            "items": SOURCE_SCHEMA,
            "description": "a list of at least one source: url, publisher, date, optional note",
            "x-codes": {"minItems": "missing-source"},
        },
        "quote": QUOTE_SCHEMA,
    },
}

_FORMATS = jsonschema.FormatChecker(formats=())


@_FORMATS.checks("date", raises=ValueProblem)
def _is_real_iso_date(instance: object) -> bool:
    # parse_date, not fromisoformat: Python 3.11 also accepts 20200706 and 2020-W28-1.
    if isinstance(instance, str):
        parse_date(instance)
    return True


FRONT_MATTER = DocumentSchema(FRONT_MATTER_SCHEMA, invalid="announcement-invalid",
                              unknown_key="announcement-unknown-key",
                              example="at the top of builder/inputs/announcements.py", format_checker=_FORMATS)


@dataclass(frozen=True)
class Source:
    url: str
    publisher: str
    date: dt.date
    note: str | None


@dataclass(frozen=True)
class Quote:
    text: str
    by: str
    secondary: bool


@dataclass(frozen=True)
class Announcement:
    slug: str
    date: dt.date
    date_note: str | None
    company: str
    services: tuple[str, ...]
    jurisdictions: tuple[str, ...]
    action: str
    scope: str
    title: str
    sources: tuple[Source, ...]
    quote: Quote | None
    body: str
    path: Path
    date_precision: str = "day"


# One file's announcement (None if it cannot be used) and its problems.
Loaded = tuple[Announcement | None, list[Problem]]


def load_announcements(directory: Path, registry: Registry,
                       load_one: Callable[[Path, Registry], Loaded] | None = None,
                       build_day: dt.date | None = None,
                       ) -> tuple[list[Announcement], list[Problem]]:
    """Every valid announcement in ``directory``, newest first, and every problem found.

    ``load_one`` reads one file (default :func:`load_announcement`); a caller may remember its
    results for files it has read before. An announcement dated after ``build_day`` (default:
    :func:`~builder.core.reproducible.build_date`) is refused: checked here, not in ``load_one``,
    whose results outlive the day.
    """
    announcements: list[Announcement] = []
    problems: list[Problem] = stray_files(directory, ".md")
    build_day = build_day or build_date()
    for path in sorted(directory.glob("*.md")):
        announcement, file_problems = (load_one or load_announcement)(path, registry)
        problems.extend(file_problems)
        if announcement is not None and announcement.date > build_day:
            problems.append(key_problem(path.as_posix(), ["date"], announcement.date.isoformat(), "future-date",
                                     f"the announcement is dated after the build's date, {build_day}: correct the "
                                     "date; a new announcement is accepted once committed (a build is dated by "
                                     "SOURCE_DATE_EPOCH if set, else by the last commit, else by today)"))
        elif announcement is not None:
            announcements.append(announcement)
    announcements.sort(key=lambda a: (-a.date.toordinal(), a.slug))
    return announcements, problems


def load_announcement(path: Path, registry: Registry) -> Loaded:
    """One file: the announcement, or ``None`` and the reasons it cannot be used."""
    file = path.as_posix()
    problems = _slug_problems(path)
    text, read_problem = _read(path)
    if text is None:
        return None, [*problems, read_problem]
    split = _split_front_matter(text)
    if split is None:
        problems.append(Problem(file, Line(1), None, None, "announcement-no-front-matter",
                                "start the file with a line `---`, the YAML keys, and another "
                                "line `---`; the summary follows"))
        return None, problems
    yaml_text, body = split
    try:
        front_matter = load_yaml(yaml_text)
    except YamlProblem as error:
        # The front matter starts on the file's second line.
        line = Line(error.line + 1) if error.line is not None else None
        problems.append(Problem(file, line, None, None, "announcement-invalid", error.message))
        return None, problems
    problems += FRONT_MATTER.problems(front_matter, file)
    problems += registry_problems(front_matter, registry, file)
    problems += date_precision_problems(front_matter, file)
    problems += _body_problems(body, file)
    if problems:
        return None, problems
    return _announcement(path, front_matter, body.strip()), []


def _slug_problems(path: Path) -> list[Problem]:
    if FILE_SLUG.fullmatch(path.stem):
        return []
    return [Problem(path.as_posix(), None, None, path.stem, "bad-slug",
                    "the file name becomes the page's address: use lower-case letters, digits "
                    "and hyphens, e.g. 2020-07-06-meta-hong-kong-pause.md")]


def _read(path: Path) -> tuple[str | None, Problem | None]:
    file = path.as_posix()
    try:
        # Announcements live in a folder of the data folder.
        text = decode_utf8(read_data_file(path, path.parent.parent, MAX_FILE_BYTES))
    except FileTooLarge as error:
        return None, Problem(file, None, None, error.message, "file-too-large",
                             f"an announcement may be at most {MAX_FILE_BYTES // 1000} kB; "
                             "keep the summary short and link to the sources")
    except ReadRefused as error:
        return None, Problem(file, None, None, None, error.code, error.message)
    except (OSError, NotUtf8) as error:
        return None, Problem(file, None, None, None, "file-unreadable",
                             f"save the file as UTF-8 text ({error})")
    return text.replace("\r\n", "\n"), None


def _split_front_matter(text: str) -> tuple[str, str] | None:
    """The YAML between the first two ``---`` lines, and the rest; ``None`` if there is none."""
    lines = text.split("\n")
    if lines[0].rstrip() != "---":
        return None
    for index in range(1, len(lines)):
        if lines[index].rstrip() == "---":
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1 :])
    return None


def _body_problems(body: str, file: str) -> list[Problem]:
    summary = body.strip()
    if not summary:
        return [key_problem(file, ["body"], None, "announcement-empty-body",
                            "write a short summary in our own words after the closing `---` line")]
    problems = []
    if len(summary) > MAX_BODY_LENGTH:
        problems.append(key_problem(file, ["body"], summary, "announcement-invalid",
                                    f"the summary has {len(summary)} characters; keep it under "
                                    f"{MAX_BODY_LENGTH} and link to the sources for the rest"))
    if patterns.CONTROL_IN_PROSE.search(summary):
        problems.append(key_problem(file, ["body"], None, "bad-text",
                                    "the summary holds control characters; remove them"))
    return problems


def _announcement(path: Path, front_matter: dict, body: str) -> Announcement:
    quote = front_matter.get("quote")
    return Announcement(
        slug=path.stem,
        date=parse_date(front_matter["date"]),
        date_note=front_matter.get("date_note"),
        company=front_matter["company"],
        services=tuple(front_matter["services"]),
        jurisdictions=tuple(front_matter["jurisdictions"]),
        action=front_matter["action"],
        scope=front_matter["scope"],
        title=front_matter["title"],
        sources=tuple(
            Source(source["url"], source["publisher"], parse_date(source["date"]), source.get("note"))
            for source in front_matter["sources"]
        ),
        quote=Quote(quote["text"], quote["by"], quote.get("secondary", False)) if quote else None,
        body=body,
        path=path,
        date_precision=front_matter.get("date_precision", "day"),
    )
