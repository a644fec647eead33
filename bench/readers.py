"""What a reader's first visit costs: every request a page makes in headless Chromium at 375 px,
each counted at the size GitHub Pages sends it (gzipped, for the types Pages compresses).

A first visit is a fresh browser context (nothing cached) that opens the page and waits until
the network is idle, without touching it: no pointer, no focus, no scrolling. The site is
served from its built folder at the address it was built for, through request interception,
so that nothing leaves the machine; a request to any other origin is refused and recorded.
"""

from __future__ import annotations

import gzip
import mimetypes
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
PHONE = {"width": 375, "height": 812}
# The pages the benchmark and the tests weigh, and what each may cost a first visit (gzipped).
PAGES = {"home": "", "hong kong": "jurisdictions/hk/", "company": "companies/meta/"}
BUDGETS_KB = {"home": 120, "hong kong": 200, "company": 200}
# What GitHub Pages compresses; images in other formats and archives go as they are.
COMPRESSED = {".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".csv", ".map", ".webmanifest"}
CONTENT_TYPES = {".js": "text/javascript", ".json": "application/json", ".svg": "image/svg+xml",
                 ".css": "text/css", ".html": "text/html", ".xml": "application/xml", ".csv": "text/csv"}
SETTLE_MS = 500  # after the network is idle, for a request a script makes late


def sent_bytes(path: Path) -> int:
    """The bytes the server sends for ``path``: gzipped (level 6, as web servers do) where Pages would."""
    data = path.read_bytes()
    return len(gzip.compress(data, compresslevel=6, mtime=0)) if path.suffix in COMPRESSED else len(data)


def site_url_of(site_dir: Path) -> str:
    """The address the site was built for, from its home page's canonical link."""
    found = re.search(r'<link rel="canonical" href="([^"]+)"', (site_dir / "index.html").read_text(encoding="utf-8"))
    if found is None:
        raise RuntimeError(f"{site_dir}/index.html names no canonical address")
    return found.group(1)


@dataclass
class Visit:
    """The requests one page made: (address, raw bytes, bytes sent)."""

    requests: list[tuple[str, int, int]] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)

    @property
    def sent(self) -> int:
        return sum(sent for _, _, sent in self.requests)

    @property
    def raw(self) -> int:
        return sum(raw for _, raw, _ in self.requests)

    def asked_for(self, ending: str) -> bool:
        return any(urlsplit(address).path.endswith(ending) for address, _, _ in self.requests)

    def summary(self) -> dict[str, Any]:
        return {"requests": len(self.requests), "gzipped_kb": round(self.sent / 1024, 1),
                "raw_kb": round(self.raw / 1024, 1)}


def _answer(site_dir: Path, site_url: str, visit: Visit, route: Any) -> None:
    address = route.request.url
    if not address.startswith(site_url):
        visit.foreign.append(address)
        route.abort("blockedbyclient")
        return
    target = (site_dir / unquote(urlsplit(address).path)[len(urlsplit(site_url).path):]).resolve()
    if target.is_dir():
        target = target / "index.html"
    if not target.is_relative_to(site_dir.resolve()) or not target.is_file():
        target = site_dir / "404.html"
        status = 404
    else:
        status = 200
    content_type = CONTENT_TYPES.get(target.suffix) or mimetypes.guess_type(target.name)[0]
    visit.requests.append((address, target.stat().st_size, sent_bytes(target)))
    route.fulfill(status=status, path=str(target), content_type=content_type or "application/octet-stream")


def first_visit(browser: Any, site_dir: Path, path: str, site_url: str | None = None) -> Visit:
    """Open ``path`` of the built site once, in a fresh context at 375 px, and count what it fetched."""
    url = site_url or site_url_of(site_dir)
    visit = Visit()
    context = browser.new_context(viewport=PHONE)
    try:
        context.route("**/*", lambda route: _answer(site_dir, url, visit, route))
        page = context.new_page()
        page.goto(url + path)
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(SETTLE_MS)
    finally:
        context.close()
    return visit


@contextmanager
def chromium() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def first_visits(site_dir: Path) -> dict[str, dict[str, Any]]:
    """The first visit of each page in :data:`PAGES`; empty when there is no Chromium to drive."""
    if not CHROMIUM.exists():
        return {}
    with chromium() as browser:
        return {name: first_visit(browser, site_dir, path).summary() for name, path in PAGES.items()}


if __name__ == "__main__":
    import json
    import sys

    print(json.dumps(first_visits(Path(sys.argv[1])), indent=2))
