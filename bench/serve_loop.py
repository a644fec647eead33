"""The maintainer's loop, timed: ``mkdocs serve`` as ``make serve`` runs it (``--dirty``) on a site,
an announcement's page open in Chromium, then one sentence added to that announcement's
summary. The time is from saving the file to the open tab showing the sentence (MkDocs's
live reload); then every page the builder wrote the sentence into is fetched from the server,
and each must show it: no page that shows the announcement is served stale.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bench import readers

STARTUP_SECONDS = 600  # the first build of `mkdocs serve` is a whole build
SHOWN_SECONDS = 60  # beyond this the loop is reported as failed, not waited for


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - our own local server
            return response.read().decode("utf-8")
    except (urllib.error.URLError, OSError):
        return None


def _served_path(config_file: Path) -> str:
    """``mkdocs serve`` serves the site under its site_url's path (``/transparency/``)."""
    from mkdocs.config import load_config

    path = urlsplit(load_config(str(config_file)).site_url or "/").path
    return path if path.endswith("/") else path + "/"


def _url_of(file: Path, docs_dir: Path, base: str) -> str:
    """The address MkDocs serves a page (use_directory_urls) or another file at."""
    if file.suffix != ".md":
        return base + file.relative_to(docs_dir).as_posix()
    relative = file.relative_to(docs_dir).with_suffix("")
    parts = relative.parts[:-1] if relative.name == "index" else relative.parts
    return base + "".join(f"{part}/" for part in parts)


def serve_command(tree: Path) -> list[str]:
    """How ``make serve`` in ``tree`` runs MkDocs: with ``--dirty`` or without."""
    makefile = (tree / "Makefile").read_text(encoding="utf-8") if (tree / "Makefile").exists() else ""
    return ["serve", "--dirty"] if "mkdocs serve --dirty" in makefile else ["serve"]


def measure(config_file: Path, data_dir: Path, docs_dir: Path, environment: dict[str, str],
            serve: Sequence[str] = ("serve", "--dirty")) -> dict[str, Any]:
    announcement = sorted((data_dir / "announcements").glob("*.md"))[0]
    port = _free_port()
    base = f"http://127.0.0.1:{port}{_served_path(config_file)}"
    mkdocs = Path(sys.executable).with_name("mkdocs")
    command = [str(mkdocs), *serve, "--no-strict", "-f", str(config_file), "-a", f"127.0.0.1:{port}"]
    server = subprocess.Popen(command, env=environment, stdout=subprocess.DEVNULL,  # noqa: S603 - the venv's mkdocs
                              stderr=subprocess.DEVNULL, cwd=config_file.parent)
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        page_url = base + f"announcements/{announcement.stem}/"
        while _get(page_url) is None:
            if server.poll() is not None or time.monotonic() > deadline:
                return {"seconds": None, "error": "mkdocs serve did not start"}
            time.sleep(1)
        token = f"Edited while serving at {time.time_ns()}"
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        with readers.chromium() as browser:
            page = browser.new_page(viewport=readers.PHONE)
            page.goto(page_url, wait_until="load")  # never "networkidle": live reload keeps a request open
            page.wait_for_timeout(1000)  # for the live-reload script to start polling
            with announcement.open("a", encoding="utf-8") as stream:
                stream.write(f"\n{token}.\n")
            saved = time.perf_counter()
            try:
                page.wait_for_function("token => document.body && document.body.innerText.includes(token)",
                                       arg=token, timeout=SHOWN_SECONDS * 1000, polling=50)
            except PlaywrightTimeout:  # reported, not raised
                return {"seconds": None, "error": f"the tab did not show the edit within {SHOWN_SECONDS} s"}
            seconds = time.perf_counter() - saved
        time.sleep(1)  # the builder's writes may start a second, quick rebuild; let it finish
        showing = [p for p in docs_dir.rglob("*") if p.suffix in (".md", ".xml") and token in p.read_text("utf-8")]
        stale = [url for url in (_url_of(p, docs_dir, base) for p in showing) if token not in (_get(url) or "")]
        return {"command": " ".join(["mkdocs", *serve]), "seconds": round(seconds, 3),
                "pages_showing_it": len(showing), "stale_pages": stale}
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()


if __name__ == "__main__":
    import json

    from builder.core.settings import from_mkdocs_config

    config = Path(sys.argv[1]).resolve()
    settings = from_mkdocs_config(config)
    print(json.dumps(measure(config, settings.data_dir, settings.docs_dir, dict(os.environ))))
