"""Announcements: the real record loads cleanly, and every kind of mistake is reported with its key."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builder.core.problems import CODES
from builder.inputs.announcements import ACTIONS, SCOPES, Announcement, Quote, Source, load_announcements
from builder.inputs.registry import Registry, load_registry

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures" / "announcements"
BROKEN = FIXTURES / "broken"


def _fixture_registry() -> Registry:
    registry, problems = load_registry(FIXTURES / "companies.yml")
    assert problems == []
    return registry


REGISTRY = _fixture_registry()

# fixture file -> the (code, row, column) of every problem it must produce, and nothing else
BROKEN_CASES: dict[str, set[tuple[str, object, str | None]]] = {
    "no-front-matter.md": {("announcement-no-front-matter", 1, None)},
    "unclosed-front-matter.md": {("announcement-no-front-matter", 1, None)},
    "unknown-key.md": {
        ("announcement-unknown-key", "summary", "summary"),
        ("announcement-unknown-key", "sources.0.link", "link"),
    },
    "wrong-type.md": {
        ("announcement-invalid", "services", "services"),
        ("announcement-invalid", "quote.secondary", "secondary"),
    },
    "bad-date.md": {("bad-date", "date", "date"), ("bad-date", "sources.0.date", "date")},
    "bad-url.md": {("bad-url", "sources.0.url", "url")},
    "missing-source.md": {("missing-source", "sources", "sources")},
    "empty-sources.md": {("missing-source", "sources", "sources")},
    "unknown-company.md": {("unknown-company", "company", "company")},
    "unknown-service.md": {("unknown-service", "services.1", "services")},
    "unknown-jurisdiction.md": {
        ("unknown-jurisdiction", "jurisdictions.1", "jurisdictions"),
        ("unknown-jurisdiction", "jurisdictions.2", "jurisdictions"),
    },
    "no-jurisdiction.md": {("announcement-invalid", "jurisdictions", "jurisdictions")},
    "unknown-action.md": {("announcement-unknown-action", "action", "action")},
    "unknown-scope.md": {("announcement-unknown-scope", "scope", "scope")},
    "bad-text.md": {("bad-text", "title", "title")},
    "date-precision.md": {
        ("announcement-date-precision", "date", "date"),
        ("announcement-date-precision", "date_note", "date_note"),
    },
    "empty-body.md": {("announcement-empty-body", "body", "body")},
    "yaml-alias.md": {("announcement-invalid", 12, None)},  # the line of the alias
    "Bad_Slug.md": {("bad-slug", None, None)},
    "many-errors.md": {
        ("bad-date", "date", "date"),
        ("unknown-company", "company", "company"),
        ("unknown-jurisdiction", "jurisdictions.0", "jurisdictions"),
        ("announcement-unknown-key", "colour", "colour"),
        ("bad-url", "sources.0.url", "url"),
        ("announcement-invalid", "sources.0.date", "date"),
        ("announcement-empty-body", "body", "body"),
    },
}


def _load_one(fixture: Path, tmp_path: Path) -> tuple[list[Announcement], list]:
    shutil.copy(fixture, tmp_path / fixture.name)
    return load_announcements(tmp_path, REGISTRY)


# The real record


@pytest.fixture(scope="module")
def record() -> list[Announcement]:
    registry, registry_problems = load_registry(ROOT / "data" / "companies.yml")
    assert registry_problems == []
    announcements, problems = load_announcements(ROOT / "data" / "announcements", registry)
    assert problems == [], "\n".join(f"{p.file} {p.row}: {p.message}" for p in problems)
    return announcements


def test_the_real_record_loads_every_file(record: list[Announcement]) -> None:
    files = sorted((ROOT / "data" / "announcements").glob("*.md"))
    assert sorted(a.path for a in record) == files
    assert len(files) >= 16


def test_every_company_that_spoke_in_july_2020_is_on_the_record(record: list[Announcement]) -> None:
    july = {a.company for a in record if (a.date.year, a.date.month) == (2020, 7)}
    assert july >= {"twitter", "google", "telegram", "meta", "apple", "tiktok", "microsoft", "zoom", "linkedin"}


def test_whatsapp_statement_is_a_meta_record_for_whatsapp_only(record: list[Announcement]) -> None:
    whatsapp = [a for a in record if a.services == ("whatsapp",)]
    assert [a.company for a in whatsapp] == ["meta"]
    assert whatsapp[0].quote is not None
    assert whatsapp[0].quote.secondary


def test_the_record_is_newest_first(record: list[Announcement]) -> None:
    keys = [(a.date, a.slug) for a in record]
    assert keys == sorted(keys, key=lambda k: (-k[0].toordinal(), k[1]))
    assert record[0].date >= dt.date(2022, 4, 7)


def test_dates_known_only_to_the_year_say_so(record: list[Announcement]) -> None:
    apple_china = [a for a in record if a.jurisdictions == ("CN",)]
    assert {a.date.year for a in apple_china} == {2017, 2018}
    for announcement in apple_china:
        assert announcement.date_precision == "year"
        assert str(announcement.date.year) in (announcement.date_note or "")


def test_the_record_uses_only_documented_vocabulary(record: list[Announcement]) -> None:
    assert {a.action for a in record} <= set(ACTIONS)
    assert {a.scope for a in record} <= set(SCOPES)


# Valid fixtures: what the loader returns


def test_a_valid_file_becomes_a_typed_announcement() -> None:
    announcements, problems = load_announcements(FIXTURES / "valid", REGISTRY)
    assert problems == []
    assert [a.slug for a in announcements] == ["2020-07-06-example-pause", "2017-01-01-example-app-removal"]
    pause = announcements[0]
    assert pause.date == dt.date(2020, 7, 6)
    assert pause.services == ("chat", "mail")
    assert pause.jurisdictions == ("HK", "MO")
    assert pause.sources[1] == Source("http://wire.example.net/story/123", "Example Wire",
                                      dt.date(2020, 7, 7), "citing Example News")
    assert pause.quote == Quote("We are pausing.", "An Example spokesperson", True)
    assert pause.body == "Example said it would stop answering **data requests** for now."
    assert pause.date_precision == "day"
    assert announcements[1].quote is None
    assert announcements[1].date_precision == "year"


# Broken fixtures: every problem, named by file and key


@pytest.mark.parametrize("name", sorted(BROKEN_CASES))
def test_a_broken_file_is_left_out_and_every_problem_named(name: str, tmp_path: Path) -> None:
    announcements, problems = _load_one(BROKEN / name, tmp_path)
    assert announcements == []
    assert {(p.code, p.row, p.column) for p in problems} == BROKEN_CASES[name]
    assert len(problems) == len(BROKEN_CASES[name])
    for problem in problems:
        assert problem.file == (tmp_path / name).as_posix()
        assert problem.message


def test_every_broken_fixture_has_expectations() -> None:
    assert sorted(p.name for p in BROKEN.glob("*.md")) == sorted(BROKEN_CASES)


def test_every_announcement_code_has_a_broken_fixture() -> None:
    covered = {code for expected in BROKEN_CASES.values() for code, _, _ in expected}
    declared = {code for code in CODES if code.startswith("announcement-")}
    assert declared <= covered


def test_messages_say_how_to_fix(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    _, problems = _load_one(BROKEN / "unknown-jurisdiction.md", tmp_path / "a")
    lower_case = next(p for p in problems if p.value == "hk")
    assert "upper case: HK" in lower_case.message
    _, problems = _load_one(BROKEN / "unknown-action.md", tmp_path / "b")
    action = next(p for p in problems if p.code == "announcement-unknown-action")
    assert "paused" in action.message
    assert "exited_market" in action.message
    assert action.value == "suspended"


def test_bad_date_message_names_the_mistake(tmp_path: Path) -> None:
    _, problems = _load_one(BROKEN / "bad-date.md", tmp_path)
    by_row = {p.row: p for p in problems}
    assert by_row["date"].value == "2020-13-01"
    assert "month" in by_row["date"].message
    assert "YYYY-MM-DD" in by_row["date"].message


def test_valid_files_load_beside_broken_ones(tmp_path: Path) -> None:
    for fixture in [*(FIXTURES / "valid").glob("*.md"), BROKEN / "bad-url.md", BROKEN / "empty-body.md"]:
        shutil.copy(fixture, tmp_path / fixture.name)
    announcements, problems = load_announcements(tmp_path, REGISTRY)
    assert len(announcements) == 2
    assert {Path(p.file).name for p in problems} == {"bad-url.md", "empty-body.md"}


def test_a_file_over_200_kb_is_refused_unread(tmp_path: Path) -> None:
    text = (FIXTURES / "valid" / "2020-07-06-example-pause.md").read_text(encoding="utf-8")
    (tmp_path / "2020-07-06-huge.md").write_text(text + "x" * 200_001, encoding="utf-8")
    announcements, problems = load_announcements(tmp_path, REGISTRY)
    assert announcements == []
    assert [(p.code, Path(p.file).name) for p in problems] == [("file-too-large", "2020-07-06-huge.md")]


def test_a_file_that_is_not_utf8_is_reported(tmp_path: Path) -> None:
    (tmp_path / "latin.md").write_bytes("---\ntitle: caf\xe9\n---\n".encode("latin-1"))
    announcements, problems = load_announcements(tmp_path, REGISTRY)
    assert announcements == []
    assert [p.code for p in problems] == ["file-unreadable"]


def test_a_summary_over_the_limit_is_reported(tmp_path: Path) -> None:
    text = (FIXTURES / "valid" / "2020-07-06-example-pause.md").read_text(encoding="utf-8")
    (tmp_path / "long.md").write_text(text + "word " * 500, encoding="utf-8")
    _, problems = load_announcements(tmp_path, REGISTRY)
    assert [(p.code, p.row) for p in problems] == [("announcement-invalid", "body")]


def test_windows_line_endings_and_a_byte_order_mark_are_accepted(tmp_path: Path) -> None:
    text = (FIXTURES / "valid" / "2020-07-06-example-pause.md").read_text(encoding="utf-8")
    (tmp_path / "crlf.md").write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    announcements, problems = load_announcements(tmp_path, REGISTRY)
    assert problems == []
    assert announcements[0].title == "Example pauses data requests from Hong Kong and Macao"


_KEYS = st.sampled_from(["date", "company", "services", "jurisdictions", "action", "scope", "title",
                         "sources", "quote", "date_note", "date_precision", "url", "other"])
_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=30)
    | st.sampled_from(["2020-07-06", "example", "HK", "all", "paused", "https://a.example/"]),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(_KEYS, children, max_size=4),
    max_leaves=12,
)
_FRONT_MATTER = st.dictionaries(_KEYS, _VALUES, max_size=10).map(
    lambda document: "---\n" + yaml.safe_dump(document) + "---\nBody.\n"
)


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=400) | _FRONT_MATTER)
def test_any_text_gives_problems_or_an_announcement_never_a_crash(tmp_path: Path, text: str) -> None:
    path = tmp_path / "fuzz.md"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    announcements, problems = load_announcements(tmp_path, REGISTRY)
    assert len(announcements) + len({p.file for p in problems}) == 1
