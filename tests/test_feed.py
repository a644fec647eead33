"""The Atom feed: valid, reproducible, newest first, and inert whatever the announcements say."""

from __future__ import annotations

import dataclasses
import datetime as dt
import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builder.inputs.announcements import Announcement, Source, load_announcements
from builder.inputs.registry import Registry, load_registry
from builder.output.feed import FEED_ENTRIES, render_feed

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures" / "announcements"
SITE = "https://transparency.example.org/"
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def real() -> tuple[list[Announcement], Registry]:
    registry, _ = load_registry(ROOT / "data" / "companies.yml")
    announcements, problems = load_announcements(ROOT / "data" / "announcements", registry)
    assert problems == []
    return announcements, registry


@pytest.fixture(scope="module")
def fixture_registry() -> Registry:
    registry, _ = load_registry(FIXTURES / "companies.yml")
    return registry


@pytest.fixture(scope="module")
def example(fixture_registry: Registry) -> Announcement:
    announcements, _ = load_announcements(FIXTURES / "valid", fixture_registry)
    return announcements[0]


def test_the_real_feed_is_valid_atom(real: tuple[list[Announcement], Registry]) -> None:
    announcements, registry = real
    parsed = feedparser.parse(render_feed(announcements, registry, SITE))
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    assert len(parsed.entries) == len(announcements)


def test_entries_are_newest_first_with_their_company_and_action(
    real: tuple[list[Announcement], Registry],
) -> None:
    announcements, registry = real
    parsed = feedparser.parse(render_feed(list(reversed(announcements)), registry, SITE))
    published = [entry.published for entry in parsed.entries]
    assert published == sorted(published, reverse=True)
    first = parsed.entries[0]
    newest = announcements[0]
    assert first.title == newest.title
    assert first.link == f"{SITE}announcements/{newest.slug}/"
    assert first.author == registry[newest.company].name
    assert first.tags[0].term == newest.action


def test_feed_updated_is_the_newest_announcement_not_the_build_time(
    real: tuple[list[Announcement], Registry],
) -> None:
    announcements, registry = real
    parsed = feedparser.parse(render_feed(announcements, registry, SITE))
    newest = max(a.date for a in announcements)
    assert parsed.feed.updated == f"{newest.isoformat()}T00:00:00Z"


def test_two_renders_are_identical_whatever_the_input_order(
    real: tuple[list[Announcement], Registry],
) -> None:
    announcements, registry = real
    first = render_feed(announcements, registry, SITE)
    second = render_feed(list(reversed(announcements)), registry, SITE.rstrip("/"))
    assert first == second
    ids = [entry.id for entry in feedparser.parse(first).entries]
    assert len(set(ids)) == len(ids)
    assert all(entry_id.startswith(f"{SITE}announcements/") for entry_id in ids)


def test_an_entry_id_does_not_change_when_other_announcements_do(
    real: tuple[list[Announcement], Registry],
) -> None:
    announcements, registry = real
    alone = feedparser.parse(render_feed(announcements[-1:], registry, SITE)).entries[0]
    among_all = feedparser.parse(render_feed(announcements, registry, SITE)).entries[-1]
    assert alone.id == among_all.id


def test_the_summary_is_as_written_on_one_line(example: Announcement, fixture_registry: Registry) -> None:
    """As on the pages, Markdown in a summary is shown, not applied: the reader sees the same words."""
    parsed = feedparser.parse(render_feed([example], fixture_registry, SITE))
    assert parsed.entries[0].summary == "Example said it would stop answering **data requests** for now."
    assert example.body.split() == parsed.entries[0].summary.split()


def test_an_explicit_updated_time_is_written_in_utc(example: Announcement, fixture_registry: Registry) -> None:
    moment = dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    parsed = feedparser.parse(render_feed([example], fixture_registry, SITE, updated=moment))
    assert parsed.feed.updated == "2024-01-01T19:04:05Z"


def test_an_empty_feed_is_still_valid(fixture_registry: Registry) -> None:
    parsed = feedparser.parse(render_feed([], fixture_registry, SITE))
    assert parsed.bozo == 0
    assert parsed.entries == []


@pytest.mark.parametrize("site_url", ["javascript:alert(1)//", "transparency.example.org", ""])
def test_a_site_url_that_is_not_http_is_refused(
    site_url: str, example: Announcement, fixture_registry: Registry,
) -> None:
    with pytest.raises(ValueError, match="site_url"):
        render_feed([example], fixture_registry, site_url)


HOSTILE_TITLE = '<script>alert("title")</script> & friends'


def _hostile(example: Announcement) -> Announcement:
    return dataclasses.replace(
        example,
        title=HOSTILE_TITLE,
        body='Read <script>alert("body")</script> [this](javascript:alert(2)) '
        '<img src=x onerror="alert(3)"> now\x00.',
        sources=(
            Source("javascript:alert(4)", "<b>Evil</b> Press", dt.date(2020, 7, 6), None),
            Source("https://news.example.org/ok?a=1&b=2", "Fine News", dt.date(2020, 7, 6), None),
        ),
    )


def test_hostile_text_reaches_the_feed_as_text_only(example: Announcement, fixture_registry: Registry) -> None:
    feed = render_feed([_hostile(example)], fixture_registry, SITE)
    assert "<script" not in feed
    root = ET.fromstring(feed.encode("utf-8"))
    assert {element.tag.split("}")[0] + "}" for element in root.iter()} == {ATOM}
    attributes = [value for element in root.iter() for value in element.attrib.values()]
    assert not [value for value in attributes if "javascript:" in value or "onerror" in value]
    entry = root.find(f"{ATOM}entry")
    assert entry.find(f"{ATOM}title").text == HOSTILE_TITLE
    # Shown as written, as text (type="text": feed readers never parse it as HTML), like the pages.
    assert entry.find(f"{ATOM}summary").get("type") == "text"
    assert entry.find(f"{ATOM}summary").text == ('Read <script>alert("body")</script> [this](javascript:alert(2)) '
                                                 '<img src=x onerror="alert(3)"> now.')


def test_only_http_sources_become_links(example: Announcement, fixture_registry: Registry) -> None:
    feed = render_feed([_hostile(example)], fixture_registry, SITE)
    parsed = feedparser.parse(feed)
    assert parsed.bozo == 0
    related = [link for link in parsed.entries[0].links if link.rel == "related"]
    assert [link.href for link in related] == ["https://news.example.org/ok?a=1&b=2"]
    assert all(link.href.startswith(("http://", "https://")) for link in parsed.entries[0].links)


@settings(max_examples=150, deadline=None)
@given(title=st.text(min_size=1, max_size=80), body=st.text(max_size=200))
def test_any_text_gives_well_formed_xml(title: str, body: str) -> None:
    registry, _ = load_registry(FIXTURES / "companies.yml")
    announcement = Announcement(
        slug="fuzz", date=dt.date(2020, 7, 6), date_note=None, company="example", services=("all",),
        jurisdictions=("HK",), action="paused", scope="user_data", title=title, sources=(),
        quote=None, body=body, path=Path("fuzz.md"),
    )
    root = ET.fromstring(render_feed([announcement], registry, SITE).encode("utf-8"))
    shown = root.find(f"{ATOM}entry/{ATOM}title").text or ""
    # Whitespace is folded and characters XML cannot carry are dropped; the rest survives as text.
    assert shown.split() == "".join(ch for ch in title if _xml_allows(ch)).split()


def _xml_allows(character: str) -> bool:
    code = ord(character)
    return character in "\t\n\r" or 0x20 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD or code >= 0x10000


def test_the_feed_carries_the_newest_announcements_only(example: Announcement, fixture_registry: Registry) -> None:
    start = dt.date(2020, 1, 1)
    many = [dataclasses.replace(example, slug=f"{example.slug}-{day}", date=start + dt.timedelta(days=day))
            for day in range(FEED_ENTRIES + 10)]
    parsed = feedparser.parse(render_feed(many, fixture_registry, SITE))
    assert len(parsed.entries) == FEED_ENTRIES
    newest = sorted(many, key=lambda a: a.date, reverse=True)[:FEED_ENTRIES]
    assert [entry.id.rstrip("/").rsplit("/", 1)[1] for entry in parsed.entries] == [a.slug for a in newest]
