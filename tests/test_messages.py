"""Problem messages a maintainer can act on, whatever the value.

A 10,000-character value is shown by its two ends and its length; a character that cannot be
seen or that looks like another (the Cyrillic е of `mеta`) is shown escaped, with a hint
naming it; a file saved as UTF-16 without a byte-order mark is reported as not UTF-8, not as
whatever its NUL bytes happen to break.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from test_input_errors import ANNOUNCEMENTS, ROW, assert_refused, command, good_data

from builder.core.problems import KeyPath, Line, Problem, format_table

ANNOUNCEMENT = ANNOUNCEMENTS / "valid" / "2020-07-06-example-pause.md"
LONG = "BEGIN" + "x" * 9_990 + "!END!"
LOOK_ALIKE = "m\u0435ta"  # a Cyrillic е


def _line(problem: Problem) -> str:
    return format_table([problem]).splitlines()[1]


def test_a_long_value_is_shown_by_its_ends_and_its_length() -> None:
    line = _line(Problem("data/requests/meta.csv", 4, "note", LONG, "cell-too-long", "shorten the note"))
    assert f"{LONG[:40]}…{LONG[-20:]} (10,000 characters)" in line
    assert len(line) < 300


def test_a_long_value_quoted_in_the_message_is_shortened_too() -> None:
    problem = Problem("data/announcements/a.md", KeyPath("action"), "action", None, "announcement-unknown-action",
                      f"{LONG!r} is not in the vocabulary; use one of: paused, resumed")
    line = _line(problem)
    assert "(10,002 characters) is not in the vocabulary; use one of: paused, resumed" in line
    assert len(line) < 300


@pytest.mark.parametrize(("value", "escaped", "name"), [
    (LOOK_ALIKE, "m\\u0435ta", "CYRILLIC SMALL LETTER IE"),
    ("H\u200bK", "H\\u200bK", "ZERO WIDTH SPACE"),
    ("all\u00a0", "all\\u00a0", "NO-BREAK SPACE"),
    ("\uff4d\uff45\uff54\uff41", "\\uff4d\\uff45\\uff54\\uff41", "FULLWIDTH LATIN SMALL LETTER M"),
    ("meta\u202e", "meta\\u202e", "RIGHT-TO-LEFT OVERRIDE"),
])
def test_an_invisible_or_look_alike_character_is_shown_escaped_with_a_hint(value: str, escaped: str,
                                                                           name: str) -> None:
    line = _line(Problem("data/requests/meta.csv", 4, "company", value, "unknown-company", "use one of: meta"))
    assert escaped in line
    assert value not in line
    assert "non-ASCII look-alike or invisible character" in line
    assert name in line


@pytest.mark.parametrize("value", ["Türkiye", "香港", "São Paulo", "Hong Kong 香港", "“all”"])
def test_ordinary_non_ascii_text_is_shown_as_written(value: str) -> None:
    line = _line(Problem("data/requests/meta.csv", 4, "company_label", value, "bad-text", "check the label"))
    assert value in line
    assert "look-alike" not in line


def test_validate_shows_a_look_alike_company_escaped(tmp_path: Path) -> None:
    data = good_data(tmp_path)
    with (data / "requests" / "meta.csv").open("a", encoding="utf-8") as stream:
        stream.write(ROW.replace("meta,", f"{LOOK_ALIKE},", 1).replace("2019-01-01,2019-06-30", "2021-01-01,2021-06-30")
                     + "\n")
    line = assert_refused(command("validate", "--data-dir", str(data)), "unknown-company", "meta.csv", "m\\u0435ta")
    assert LOOK_ALIKE not in line
    assert "CYRILLIC SMALL LETTER IE" in line


def test_validate_shows_a_10000_character_cell_by_its_ends(tmp_path: Path) -> None:
    data = good_data(tmp_path)
    with (data / "requests" / "meta.csv").open("a", encoding="utf-8") as stream:
        stream.write(ROW.replace("2019-01-01,2019-06-30", "2021-01-01,2021-06-30") + LONG + "\n")
    line = assert_refused(command("validate", "--data-dir", str(data)), "cell-too-long", "meta.csv", "note")
    assert "(10,000 characters)" in line
    assert len(line) < 400


def _utf16_data(tmp_path: Path, which: str) -> tuple[Path, str]:
    """The fixture data with one file saved as UTF-16 (little-endian, no byte-order mark)."""
    data = good_data(tmp_path)
    if which == "announcement":
        shutil.copy(ANNOUNCEMENTS / "companies.yml", data / "companies.yml")
        shutil.rmtree(data / "requests")
        shutil.rmtree(data / "revisions")
        path = data / "announcements" / ANNOUNCEMENT.name
        text = ANNOUNCEMENT.read_text(encoding="utf-8")
    else:
        path = data / "requests" / "meta.csv" if which == "request file" else data / "companies.yml"
        text = path.read_text(encoding="utf-8")
    path.write_bytes(text.encode("utf-16-le"))
    return data, path.name


@pytest.mark.parametrize("which", ["announcement", "request file", "registry"])
def test_a_utf16_file_without_a_byte_order_mark_is_reported_as_not_utf8(which: str, tmp_path: Path) -> None:
    data, name = _utf16_data(tmp_path, which)
    done = command("validate", "--data-dir", str(data))
    line = assert_refused(done, "file-unreadable", name)
    assert "looks like UTF-16" in line and "UTF-8" in line
    assert "no-front-matter" not in done.stdout


def test_a_problem_says_which_kind_of_place_it_is_at() -> None:
    row, line, key = (Problem("f", where, None, None, "bad-count", "m") for where in (4, Line(4), KeyPath("a.0.b")))
    assert [_line(p).split()[2:4] for p in (row, line)] == [["4", "bad-count"], ["line", "4"]]
    assert "a.0.b" in _line(key)
    assert [p.where for p in (row, line, key)] == ["row 4", "line 4", "a.0.b"]
    assert "(top level)" in _line(Problem("f", KeyPath(""), None, None, "registry-invalid", "m"))
    with pytest.raises(TypeError, match="KeyPath"):
        Problem("f", "a.0.b", None, None, "bad-count", "m")  # a bare string: which kind of place?
    # The manifest keeps a run's warnings for the next run with nothing changed: each keeps its kind.
    assert [type(Problem.from_json(p.as_json()).row) for p in (row, line, key)] == [int, Line, KeyPath]
    whole_file = Problem("f", None, None, None, "bad-count", "m")
    assert sorted([key, line, whole_file], key=lambda p: p.place) == [whole_file, line, key]
