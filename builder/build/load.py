"""Loading ``data/`` for a run: checked, with what is unchanged since the last run read from the
cache (:mod:`builder.build.cache`), and the digests that key each unit of the run."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from builder.build import cache, manifest
from builder.build.forked import Forked
from builder.core.patterns import is_http_url
from builder.core.problems import Problem, ProblemsFound, errors
from builder.core.settings import Settings
from builder.inputs.announcements import Announcement, load_announcement, load_announcements
from builder.inputs.events import FILE_NAME as EVENTS_FILE
from builder.inputs.events import load_events
from builder.inputs.registry import Registry, load_registry
from builder.inputs.requests import load_requests
from builder.inputs.revisions import load_revisions
from builder.model.site import CheckedTable, SiteData, Tables


@dataclass(frozen=True)
class Digests:
    """Digests of the run's inputs, from the manifest's signature of them."""

    base: str  # the builder's code, settings, libraries, mkdocs.yml, the registry and the events
    requests: str  # every file under data/requests, with the base
    announcements: dict[str, str]  # slug -> digest of its file
    dataset: str = ""  # the request files and revisions alone: the version a citation names

    @classmethod
    def of(cls, settings: Settings, inputs: dict[str, Any]) -> Digests:
        shas = {Path(path): entry["sha256"] for path, entry in inputs["files"].items()}
        folders = {settings.data_dir / "requests": {}, settings.data_dir / "announcements": {}}
        code = {}
        for path, sha in shas.items():
            if path.parent in folders:
                folders[path.parent][path.name] = sha
            elif path.parent == settings.data_dir / "revisions":  # checked against the requests, published with them
                folders[settings.data_dir / "requests"][f"revisions/{path.name}"] = sha
            elif not path.is_relative_to(settings.data_dir):
                code[str(path)] = sha
        base = cache.key(inputs["context"], code, shas.get(settings.data_dir / "companies.yml"),
                         shas.get(settings.data_dir / EVENTS_FILE))
        return cls(base, cache.key(base, folders[settings.data_dir / "requests"]),
                   {Path(name).stem: sha for name, sha in folders[settings.data_dir / "announcements"].items()},
                   cache.key(folders[settings.data_dir / "requests"])[:12])

    def key(self, *, requests: bool = False, announcements: Sequence[Announcement] = (), **parts: Any) -> str:
        """The key of a unit that reads the request table (if ``requests``), these announcements
        and ``parts``, besides the base."""
        return cache.key(self.requests if requests else self.base,
                         sorted((a.slug, self.announcements.get(a.slug)) for a in announcements), parts)


def _checked_table(data_dir: Path, registry: Registry) -> tuple[CheckedTable, list[Problem]]:
    data = load_requests(data_dir, registry)
    frame = data.frame
    positions = {column: frame.groupby(column).indices for column in ("jurisdiction", "company")}
    # Checked with the requests (a stale record fails the build as validate does), and cached with them.
    revisions, revision_problems = load_revisions(data_dir, frame, registry) if data.ok else ([], [])
    return CheckedTable(frame, positions, revisions), data.problems + revision_problems


def _announcements(settings: Settings, registry: Registry,
                   digests: Digests) -> tuple[list[Announcement], list[Problem]]:
    """Every announcement and its problems; a file read before (same digest) comes from the cache."""
    known = cache.load(settings, "announcements", digests.base) or {}
    seen: dict[tuple[str, str | None], Any] = {}

    def remembered(path: Path, registry: Registry) -> Any:
        file_key = (path.name, digests.announcements.get(path.stem))
        seen[file_key] = known[file_key] if file_key in known else load_announcement(path, registry)
        return seen[file_key]

    result = load_announcements(settings.data_dir / "announcements", registry, remembered)
    if seen != known:  # a failed run keeps them too: the files are the same however the run ends
        cache.store(settings, "announcements", digests.base, seen)
    return result


def load(settings: Settings, inputs: dict[str, Any] | None = None) -> tuple[SiteData, Digests]:
    """Load and check all of ``data/``; raises :class:`ProblemsFound` on any error.

    The checked request table is cached under a digest of the request files (with the
    builder's code and the registry), and each announcement under its file's digest, so a run
    after an edit reads again only what was edited.
    """
    if not is_http_url(settings.site_url):  # the feed, the canonical links and the downloads need it
        raise ProblemsFound([Problem(
            settings.config_file.as_posix(), None, "site_url", settings.site_url, "bad-site-url",
            "set site_url in mkdocs.yml to the address the site is published at, e.g. "
            "https://example.org/transparency/ (the SITE_URL environment variable overrides it)")])
    inputs = inputs or manifest.inputs(settings)
    digests = Digests.of(settings, inputs)
    registry, problems = load_registry(settings.data_dir / "companies.yml")
    if errors(problems):
        raise ProblemsFound(problems)
    # The announcements are read in another process meanwhile (a thousand files take seconds).
    parsing = Forked("reading the announcements", functools.partial(_announcements, settings, registry, digests))
    try:
        summary = cache.load(settings, "requests-summary", digests.requests)
        fresh = None
        if summary is None:
            fresh, request_problems = _checked_table(settings.data_dir, registry)
            summary = (request_problems, sorted(fresh.positions["jurisdiction"]))
        request_problems, codes = summary
        announcements, announcement_problems = parsing.result()
    finally:
        parsing.abort()
    events, event_problems = load_events(settings.data_dir)
    problems += request_problems + announcement_problems + event_problems
    if errors(problems):
        raise ProblemsFound(problems)
    if fresh is not None:
        cache.store(settings, "requests-table", digests.requests, fresh)
        cache.store(settings, "requests-summary", digests.requests, summary)

    def load_table() -> CheckedTable:
        if fresh is not None:
            return fresh
        table = cache.load(settings, "requests-table", digests.requests)
        if table is None:  # the cache went missing since the summary was read
            table = _checked_table(settings.data_dir, registry)[0]
        return table

    return SiteData(registry, Tables(load_table, registry, settings.data_dir), codes, announcements, problems,
                    events), digests
