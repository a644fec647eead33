"""Pages stay within bounds however large the input: the timeline is split into pages."""

from __future__ import annotations

import re
from pathlib import Path

from bench.synth import Size, write_site
from builder.build.run import generate
from builder.core.settings import from_mkdocs_config
from builder.pages.announcements import TIMELINE_PAGE

MAX_PAGE_BYTES = 300_000


def test_a_long_timeline_is_split_into_linked_pages_that_list_each_announcement_once(tmp_path: Path) -> None:
    count = 2 * TIMELINE_PAGE + 7
    write_site(tmp_path / "site", Size(jurisdictions=30, companies=3, periods=2, announcements=count), seed=5)
    settings = from_mkdocs_config(tmp_path / "site" / "mkdocs.yml")
    generate(settings)
    folder = settings.docs_dir / "announcements"
    pages = [folder / "index.md", folder / "page" / "2.md", folder / "page" / "3.md"]
    texts = [page.read_text(encoding="utf-8") for page in pages]
    assert not (folder / "page" / "4.md").exists()
    listed = [re.findall(r'<a href="/[^"]*announcements/(\d{4}-[^"/]+)/">', text) for text in texts]
    assert [len(slugs) for slugs in listed] == [TIMELINE_PAGE, TIMELINE_PAGE, 7]
    written = sorted(path.stem for path in folder.glob("*.md") if path.name != "index.md")
    assert sorted(slug for slugs in listed for slug in slugs) == written  # each once, none left out
    for number, text in enumerate(texts, start=1):
        assert (f"title: Announcements, page {number} of 3\n" in text) == (number > 1)
        assert f"Page {number} of 3:" in text and f"of the {count} announcements" in text
        assert '<span aria-current="page">' + str(number) + "</span>" in text
        links = set(re.findall(r'<a href="/[^"]*announcements/((?:page/\d+/)?)">\d+</a>', text))
        assert links == {"", "page/2/", "page/3/"} - {"" if number == 1 else f"page/{number}/"}  # above and below
        assert len(text.encode("utf-8")) < MAX_PAGE_BYTES

    for extra in sorted((settings.data_dir / "announcements").glob("*.md"))[TIMELINE_PAGE - 3:]:
        extra.unlink()
    generate(settings)
    assert not (folder / "page").exists() or not list((folder / "page").iterdir())
    assert "Page 1 of" not in (folder / "index.md").read_text(encoding="utf-8")
