"""Dated events that are no company's announcement, from ``data/events.yml``.

A law taking effect is what the companies' announcements answer, so the charts of the
jurisdictions it concerns mark it beside them. Each event has a date, the jurisdictions it
concerns, a one-line title, a short label for the chart, and at least one source, checked as
an announcement's are. The file is optional: without it no chart marks an event.

    events:
      - date: 2020-06-30
        jurisdictions: [HK]
        title: Hong Kong's National Security Law takes effect
        label: National Security Law
        sources:
          - url: https://www.elegislation.gov.hk/hk/A406
            publisher: Hong Kong e-Legislation
            date: 2020-06-30
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from builder.core.problems import Problem
from builder.core.schema_problems import DocumentSchema
from builder.core.values import parse_date
from builder.core.yamlfile import MAX_YAML_BYTES, UNREAD, read_yaml_file
from builder.inputs.announcement_checks import jurisdiction_problems
from builder.inputs.announcements import _FORMATS, SOURCE_SCHEMA, Source, _date, _text

FILE_NAME = "events.yml"
MAX_LABEL_LENGTH = 40  # drawn on a chart beside others: a few words

EVENT_SCHEMA: dict = {
    "type": "object",
    "additionalProperties": False,
    "required": ["date", "jurisdictions", "title", "label", "sources"],
    "x-codes": {"required:sources": "missing-source"},
    "properties": {
        "date": _date("the day the event took effect, as YYYY-MM-DD, e.g. 2020-06-30"),
        "jurisdictions": {
            "type": "array", "minItems": 1, "maxItems": 300, "uniqueItems": True,
            "items": {"type": "string", "description": "an upper-case code, e.g. HK"},
            "description": "the jurisdictions whose charts mark it, e.g. [HK]",
        },
        "title": _text(200, "a one-line headline in plain text, e.g. Hong Kong's National Security Law takes effect"),
        "label": _text(MAX_LABEL_LENGTH, f"a few words drawn on the chart, at most {MAX_LABEL_LENGTH} characters"),
        "sources": {"type": "array", "minItems": 1, "maxItems": 20, "items": SOURCE_SCHEMA,
                    "description": "a list of sources, each with url, publisher and date",
                    "x-codes": {"minItems": "missing-source"}},
    },
}

SCHEMA = DocumentSchema(
    {"type": "object", "additionalProperties": False, "required": ["events"],
     "properties": {"events": {"type": "array", "items": EVENT_SCHEMA, "maxItems": 1000}}},
    invalid="event-invalid", unknown_key="event-invalid", example="in the docstring of builder/inputs/events.py",
    format_checker=_FORMATS)


@dataclass(frozen=True)
class Event:
    date: dt.date
    jurisdictions: tuple[str, ...]
    title: str
    label: str
    sources: tuple[Source, ...]


def load_events(data_dir: Path) -> tuple[list[Event], list[Problem]]:
    """The events in ``data_dir/events.yml``, in date order, and the problems of the file; an
    event with a problem is left out (and the problem, an error, stops the build)."""
    path = data_dir / FILE_NAME
    file = path.as_posix()
    if not path.exists() and not path.is_symlink():
        return [], []
    document, problems = read_yaml_file(path, data_dir, "event-invalid",
                                        f"the events file may be at most {MAX_YAML_BYTES // 1000} kB")
    if document is UNREAD:
        return [], problems
    problems += SCHEMA.problems(document, file)
    entries = document.get("events", []) if isinstance(document, dict) else []
    events = []
    for index, entry in enumerate(entries if isinstance(entries, list) else []):
        if not isinstance(entry, dict) or not SCHEMA.is_valid({"events": [entry]}):
            continue
        unknown = jurisdiction_problems(file, ["events", str(index)], entry["jurisdictions"])
        problems += unknown
        if unknown:
            continue
        events.append(Event(
            date=parse_date(entry["date"]),
            jurisdictions=tuple(entry["jurisdictions"]),
            title=entry["title"],
            label=entry["label"],
            sources=tuple(Source(s["url"], s["publisher"], parse_date(s["date"]), s.get("note"))
                          for s in entry["sources"]),
        ))
    return sorted(events, key=lambda e: (e.date, e.title)), problems


def for_jurisdiction(events: list[Event], code: str) -> list[Event]:
    return [event for event in events if code in event.jurisdictions]
