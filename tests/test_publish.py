"""Publishing: the open-data downloads, the share metadata of every page, serving under a
project subpath (as GitHub Pages does), the site address from SITE_URL, the Pages workflow."""

from __future__ import annotations

import csv
import hashlib
import html
import io
import json
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from functools import partial
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import unquote, urljoin, urlsplit
from urllib.request import urlopen

import pytest
import yaml
from conftest import REPO, BuiltSite, build_env, page_url, parse_html
from frictionless import validate
from mkdocs.config import load_config

from builder.core.settings import from_mkdocs_config
from builder.inputs.requests_csv import render_rows

pytestmark = pytest.mark.slow


# --- open data -------------------------------------------------------------------------------

def _csv_rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def test_data_package_validates(built_site: BuiltSite) -> None:
    report = validate(str(built_site.root / "data" / "datapackage.json"))
    assert report.flatten(["rowNumber", "fieldName", "type", "note"]) == []
    assert report.valid
    rows = len(_csv_rows(built_site.root / "data" / "requests.csv"))
    revisions = len(_csv_rows(built_site.root / "data" / "revisions.csv"))
    # the CSV and the JSON, every row read, and the revisions
    assert [task.stats["rows"] for task in report.tasks] == [rows, rows, revisions]


def test_data_package_rejects_a_malformed_count(built_site: BuiltSite, tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(built_site.root / "data", data)
    rows = _csv_rows(data / "requests.csv")
    rows[0]["requests"] = "12-"
    with (data / "requests.csv").open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    report = validate(str(data / "datapackage.json"))
    assert ["requests", "constraint-error"] in report.flatten(["fieldName", "type"])


def test_downloads_are_the_canonical_csv_of_their_rows(built_site: BuiltSite) -> None:
    rows = [row for path in sorted((built_site.project / "data" / "requests").glob("*.csv")) for row in _csv_rows(path)]
    data = built_site.root / "data"
    assert (data / "requests.csv").read_text(encoding="utf-8") == render_rows(rows)
    hong_kong = [row for row in rows if row["jurisdiction"] == "HK"]
    assert hong_kong and (data / "jurisdictions" / "hk.csv").read_text(encoding="utf-8") == render_rows(hong_kong)
    meta = [row for row in rows if row["company"] == "meta"]
    assert meta and (data / "companies" / "meta.csv").read_text(encoding="utf-8") == render_rows(meta)


def test_json_holds_the_csv_rows(built_site: BuiltSite) -> None:
    data = built_site.root / "data"
    assert json.loads((data / "requests.json").read_text(encoding="utf-8")) == _csv_rows(data / "requests.csv")


def test_data_package_names_licence_sources_and_key(built_site: BuiltSite) -> None:
    package = json.loads((built_site.root / "data" / "datapackage.json").read_text(encoding="utf-8"))
    assert package["licenses"][0]["name"] == "ODC-PDDL-1.0"
    rows = _csv_rows(built_site.root / "data" / "requests.csv")
    assert {source["path"] for source in package["sources"]} == {row["source_url"] for row in rows}
    schema = package["resources"][0]["schema"]
    assert schema["missingValues"] == [""]
    assert schema["primaryKey"] == ["company", "service", "jurisdiction", "request_type", "period_start", "period_end"]
    requests = next(f for f in schema["fields"] if f["name"] == "requests")
    assert "LOW-HIGH" in requests["description"] and "not report" in requests["description"]


def _checksums(site: BuiltSite) -> dict[str, str]:
    lines = (site.root / "data" / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    return {line[66:]: line[:64] for line in lines}


def test_sha256sums_covers_every_download_and_is_right(built_site: BuiltSite) -> None:
    data = built_site.root / "data"
    downloads = {p.relative_to(data).as_posix() for p in data.rglob("*") if p.is_file()} - {"SHA256SUMS", "index.html"}
    sums = _checksums(built_site)
    assert set(sums) == downloads
    assert {name: hashlib.sha256((data / name).read_bytes()).hexdigest() for name in downloads} == sums
    # `sha256sum --check` reads the file as written.
    if shutil.which("sha256sum"):
        subprocess.run(["sha256sum", "--quiet", "--check", "SHA256SUMS"], cwd=data, check=True)


def test_data_page_links_every_download_with_its_checksum(built_site: BuiltSite) -> None:
    html = (built_site.root / "data" / "index.html").read_text(encoding="utf-8")
    references = parse_html(built_site.root / "data" / "index.html").references
    for name, digest in _checksums(built_site).items():
        assert digest in html, name
    for name in ("requests.csv", "requests.json", "datapackage.json", "SHA256SUMS"):
        assert any(urljoin(built_site.url + "data/", r) == f"{built_site.url}data/{name}" for r in references), name


@pytest.mark.parametrize("kind", ["jurisdictions", "companies"])
def test_every_jurisdiction_and_company_page_links_its_own_csv(built_site: BuiltSite, kind: str) -> None:
    pages = sorted(p for p in (built_site.root / kind).glob("*/index.html"))
    with_data = {p.stem for p in (built_site.root / "data" / kind).glob("*.csv")}
    assert with_data, "no per-page CSV was built"
    column = "jurisdiction" if kind == "jurisdictions" else "company"
    for page in pages:
        slug = page.parent.name
        if slug not in with_data:
            continue  # a page for a jurisdiction that only announcements mention, or a company without figures
        here = page_url(built_site, page)
        own = f"{built_site.url}data/{kind}/{slug}.csv"
        assert any(urljoin(here, r) == own for r in parse_html(page).references), page
        values = {row[column].lower() for row in _csv_rows(built_site.root / "data" / kind / f"{slug}.csv")}
        assert values == {slug}


# --- share metadata -----------------------------------------------------------------------------

class _Head(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, str] = {}
        self.canonical: str | None = None
        self.title = ""
        self._in_title = False
        self._in_head = True

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {k: v or "" for k, v in attrs}
        if not self._in_head:
            return
        if tag == "meta" and ("name" in attributes or "property" in attributes):
            self.meta[attributes.get("property") or attributes["name"]] = attributes.get("content", "")
        elif tag == "link" and attributes.get("rel") == "canonical":
            self.canonical = attributes.get("href")
        self._in_title = tag == "title"

    def handle_endtag(self, tag: str) -> None:
        self._in_title = False
        if tag == "head":
            self._in_head = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data


def head_of(path: Path) -> _Head:
    head = _Head()
    head.feed(path.read_text(encoding="utf-8"))
    return head


def _front_matter_description(site: BuiltSite, html_file: Path) -> str | None:
    relative = html_file.relative_to(site.root).parent.as_posix()
    docs = site.project / "site_src"
    for candidate in (docs / relative / "index.md", docs / f"{relative}.md"):
        if candidate.is_file():
            text = candidate.read_text(encoding="utf-8")
            if text.startswith("---\n"):
                return yaml.safe_load(text.split("---\n", 2)[1]).get("description")
    return None


SHARE_TAGS = ("og:title", "og:description", "og:url", "og:type", "og:site_name")


def test_every_page_has_title_description_canonical_and_open_graph(built_site: BuiltSite) -> None:
    pages = [p for p in built_site.html_files() if p.name != "404.html"]
    assert len(pages) > 10
    for page in pages:
        head = head_of(page)
        if 'http-equiv="refresh"' in page.read_text(encoding="utf-8"):
            # A former company address (builder/pages/redirects.py): not shared, not indexed;
            # its canonical address is the company's page.
            assert head.canonical.startswith(built_site.url + "companies/"), page
            assert head.meta.get("robots") == "noindex", page
            continue
        missing = [tag for tag in ("description", *SHARE_TAGS) if not head.meta.get(tag)]
        assert missing == [], f"{page}: no {missing}"
        assert head.title.strip(), page
        assert head.canonical == page_url(built_site, page), page
        assert head.meta["og:url"] == head.canonical
        assert head.meta["og:description"] == head.meta["description"]
        expected = _front_matter_description(built_site, page)
        if expected is not None:
            assert head.meta["description"] == expected, page


def test_share_title_names_the_page(built_site: BuiltSite) -> None:
    head = head_of(built_site.root / "jurisdictions" / "hk" / "index.html")
    assert head.meta["og:title"] == "Hong Kong"
    assert head.title.startswith("Hong Kong - ")
    assert "Hong Kong" in head.meta["og:description"]


HOSTILE = "\"><script>window.pwned=1</script><x y='"


def test_hostile_title_and_description_stay_text(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("# Home\n", encoding="utf-8")
    # As the builder writes front matter: the title HTML-escaped (Material prints it as HTML in
    # the header and search results), the description as plain text.
    front = yaml.safe_dump({"title": html.escape(HOSTILE), "description": HOSTILE + " & more"})
    (docs / "evil.md").write_text(f"---\n{front}---\nBody.\n", encoding="utf-8")
    shutil.copytree(REPO / "overrides", tmp_path / "overrides")
    config = {"site_name": "Site", "site_url": "https://example.org/x/", "docs_dir": "docs",
              "theme": {"name": "material", "custom_dir": "overrides", "language": "en"}}
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q"], cwd=tmp_path, env=build_env(),
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    page = tmp_path / "site" / "evil" / "index.html"
    assert "<script>window.pwned" not in page.read_text(encoding="utf-8")
    head = head_of(page)
    assert head.meta["og:title"] == HOSTILE
    assert head.title == f"{HOSTILE} - Site"
    assert head.meta["description"] == head.meta["og:description"] == HOSTILE + " & more"


# --- serving under a project subpath ------------------------------------------------------------

class _ProjectPagesHandler(SimpleHTTPRequestHandler):
    """Serves the site under PREFIX, and 404.html for anything missing, as GitHub Pages does."""

    prefix = "/transparency/"

    def translate_path(self, path: str) -> str:
        address = unquote(urlsplit(path).path)
        if not (address + "/").startswith(self.prefix):
            return str(Path(self.directory) / "-outside-the-site-")  # no such file: answered with 404.html
        return super().translate_path("/" + address[len(self.prefix):])

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        if code != 404:
            super().send_error(code, message, explain)
            return
        body = (Path(self.directory) / "404.html").read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: a failing request shows in the assertion."""


@pytest.fixture
def served(built_site: BuiltSite) -> Iterator[str]:
    """The built site at http://127.0.0.1:<port>/transparency/ (loopback only)."""
    handler = partial(_ProjectPagesHandler, directory=str(built_site.root))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/transparency/"
    finally:
        server.shutdown()
        server.server_close()


def _fetch(address: str) -> tuple[int, bytes]:
    try:
        with urlopen(address, timeout=10) as response:
            return response.status, response.read()
    except HTTPError as error:
        return error.code, error.read()


class _Assets(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.addresses: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag in {"script", "img"} and attributes.get("src"):
            self.addresses.append(attributes["src"] or "")
        elif tag == "link" and attributes.get("rel") in {"stylesheet", "icon"}:
            self.addresses.append(attributes.get("href") or "")


def _assets_load(page_address: str, html: bytes) -> list[str]:
    """The page's stylesheets, scripts, icon and images that do not load from the local server."""
    parser = _Assets()
    parser.feed(html.decode("utf-8"))
    assert parser.addresses, "the page names no asset"
    failed = []
    for reference in parser.addresses:
        address = urljoin(page_address, reference)
        if not address.startswith(page_address.split("/transparency/")[0]):
            continue
        status, _ = _fetch(address)
        if status != 200:
            failed.append(f"{reference} -> {status}")
    return failed


def test_404_page_and_its_assets_work_under_a_project_subpath(served: str) -> None:
    missing = served + "no/such/page/"
    status, html = _fetch(missing)
    assert status == 404
    assert b"404" in html
    assert _assets_load(missing, html) == []


def test_a_deep_page_and_its_charts_load_under_a_project_subpath(served: str) -> None:
    address = served + "jurisdictions/hk/"
    status, html = _fetch(address)
    assert status == 200
    assert b"tc-chart__static" in html
    assert _assets_load(address, html) == []


# --- site address and deployment ---------------------------------------------------------------

def test_site_url_comes_from_the_environment_for_mkdocs_and_the_builder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SITE_URL", "https://someone.github.io/transparency-fork/")
    assert from_mkdocs_config(REPO / "mkdocs.yml").site_url == "https://someone.github.io/transparency-fork/"
    assert load_config(str(REPO / "mkdocs.yml"))["site_url"] == "https://someone.github.io/transparency-fork/"
    monkeypatch.delenv("SITE_URL")
    assert from_mkdocs_config(REPO / "mkdocs.yml").site_url == "https://example.org/transparency/"


def test_pages_workflow_builds_strictly_from_full_history_and_deploys() -> None:
    workflow = yaml.safe_load((REPO / ".github" / "workflows" / "pages.yml").read_text(encoding="utf-8"))
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert triggers["push"]["branches"] == ["main"] and "workflow_dispatch" in triggers
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert workflow["concurrency"]["group"]
    steps = [step for job in workflow["jobs"].values() for step in job["steps"]]
    uses = [step.get("uses", "").split("@")[0] for step in steps]
    for action in ("actions/configure-pages", "actions/upload-pages-artifact", "actions/deploy-pages"):
        assert action in uses
    checkout = next(step for step in steps if step.get("uses", "").startswith("actions/checkout"))
    assert checkout["with"]["fetch-depth"] == 0
    assert any("make site" in step.get("run", "") or "--strict" in step.get("run", "") for step in steps)
