"""The benchmark (``make bench``): the real site and a world-size synthetic one, timed honestly.

For each site, in a folder of its own (the working tree is never touched):

1. the builder, cold (empty docs_dir, no ``.cache/``), in a child process that reports its
   time, CPU time, the time of each phase and each process's own peak memory, while this
   process samples the memory of the child's whole process tree (:func:`tree_pss_mb`);
2. MkDocs alone: ``mkdocs build`` with ``TRANSPARENCY_SKIP_GENERATE=1``, so the hook does not
   generate again and the time is MkDocs's own;
3. the builder again with nothing changed, then with one announcement's summary edited, then
   with another's title edited (which redraws the charts that mark it);
4. the built site: its size, its largest HTML page, and whether the Vega bundle is inlined.

Results go to ``bench/results.json`` and, as a table, to stdout and to the README's
``## Benchmark`` section between ``<!-- bench:start -->`` and ``<!-- bench:end -->``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench import compare, readers, serve_loop, synth

REPOSITORY = synth.REPOSITORY
RESULTS = REPOSITORY / "bench" / "results.json"
WORLD = REPOSITORY / "bench" / "out" / "world"
MAX_PAGE_BYTES = 300_000
MAX_BUILDER_BYTES = 2 * 1024**3
REBUILD_SECONDS = 1.0
MEMORY_SAMPLE_SECONDS = 0.5  # often enough for a peak that lasts seconds, rarely enough to cost little
EDITED_SECONDS = 2.0
NO_CHANGE_RUNS = 5
START, END = "<!-- bench:start -->", "<!-- bench:end -->"
SNAPSHOT = "TRANSPARENCY_BENCH_CODE"


def machine() -> dict[str, Any]:
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    return {"cpu": model, "cores": os.cpu_count(), "ram_gb": round(ram / 1024**3, 1),
            "python": platform.python_version(), "platform": platform.platform()}


def _child_generate(config_file: str) -> None:
    """Run once in a fresh process: generate, then print what it did and what it cost. The builder
    may be another revision's (``--against``): one without probes reports its peaks itself."""
    from builder.build.run import generate
    from builder.core.settings import from_mkdocs_config

    try:
        from builder.build import probes
        observing: Any = probes.observing()
    except ImportError:
        observing = contextlib.nullcontext({})
    started = time.perf_counter()
    with observing as figures:
        report = generate(from_mkdocs_config(Path(config_file)))
    for name in ("renderer_peak_rss_mb", "separate_peak_rss_mb"):
        figures.setdefault(name, getattr(report, name, 0.0))
    wall = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_SELF)
    renderers = resource.getrusage(resource.RUSAGE_CHILDREN)  # the SVG rendering processes
    print(json.dumps({
        "seconds": round(wall, 3),
        "cpu_seconds": round(usage.ru_utime + usage.ru_stime + renderers.ru_utime + renderers.ru_stime, 3),
        "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),  # Linux reports kilobytes
        "renderer_peak_rss_mb": figures.get("renderer_peak_rss_mb", 0.0),  # the largest rendering process
        "separate_peak_rss_mb": figures.get("separate_peak_rss_mb", 0.0),  # the downloads' process
        "phases": report.phases,
        "pages": report.pages, "charts": report.charts, "svgs_rendered": report.svgs_rendered,
        "files_written": report.files_written, "files_unchanged": report.files_unchanged,
    }))


def _environment(extra: dict[str, str] | None = None) -> dict[str, str]:
    """Children import the builder from the snapshot taken when the benchmark started, so an
    edit to the working tree during the run neither changes what is measured nor counts as a
    change of the builder's code (which would force a full run)."""
    return {**os.environ, "PYTHONPATH": os.environ.get(SNAPSHOT, ""), **(extra or {})}


def snapshot_builder(target: Path, source: Path = REPOSITORY) -> Path:
    """The builder of ``source`` (this tree, or another revision's) beside this benchmark's own
    code, which measures it; the children import both from there."""
    ignore = shutil.ignore_patterns("__pycache__")
    shutil.copytree(source / "builder", target / "builder", ignore=ignore)
    shutil.copytree(REPOSITORY / "bench", target / "bench", ignore=shutil.ignore_patterns("__pycache__", "out"))
    os.environ[SNAPSHOT] = str(target)
    return target


def run_builder(config_file: Path) -> dict[str, Any]:
    """Run the builder in a child process; while it runs, sample the memory of its process tree."""
    command = [sys.executable, "-m", "bench.benchmark", "--child-generate", str(config_file)]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        child = subprocess.Popen(command, stdout=out, stderr=err, env=_environment(),  # noqa: S603 - our own module
                                 cwd=os.environ.get(SNAPSHOT) or None)  # `-m` puts the cwd first on sys.path
        peak = 0.0
        while child.poll() is None:
            peak = max(peak, tree_pss_mb(child.pid))
            time.sleep(MEMORY_SAMPLE_SECONDS)
        out.seek(0)
        err.seek(0)
        if child.returncode != 0:
            raise SystemExit(f"the builder failed on {config_file}:\n{err.read().decode()[-4000:]}")
        result: dict[str, Any] = json.loads(out.read().decode().strip().splitlines()[-1])
    result["peak_total_pss_mb"] = round(peak, 1)
    return result


def tree_pss_mb(root: int) -> float:
    """The memory a process and all its descendants use together: the sum of their proportional
    set sizes (a page shared by two processes counts half in each). 0 where /proc is missing."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(parent, []).append(int(stat.parent.name))
    total_kb, pending = 0, [root]
    while pending:
        pid = pending.pop()
        pending += children.get(pid, [])
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total_kb += int(line.split()[1])
        except OSError:
            continue
    return total_kb / 1024


def run_mkdocs(config_file: Path, generate: bool = False) -> float:
    """Seconds ``mkdocs build`` takes: on a docs_dir the builder has already filled (MkDocs's own
    time), or with ``generate`` the whole command, the builder's hook included."""
    skip = {} if generate else {"TRANSPARENCY_SKIP_GENERATE": "1"}
    environment = _environment({"NO_MKDOCS_2_WARNING": "1", **skip})
    mkdocs = Path(sys.executable).with_name("mkdocs")
    started = time.perf_counter()
    command = [str(mkdocs), "build", "--quiet", "-f", str(config_file)]
    done = subprocess.run(command, env=environment,  # noqa: S603 - the virtualenv's mkdocs
                          capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"mkdocs build failed on {config_file}:\n{done.stderr[-4000:]}")
    return round(seconds, 3)


def no_change_process_seconds(config_file: Path) -> float:
    """The median of :data:`NO_CHANGE_RUNS` whole ``python -m builder build`` processes with
    nothing changed: what a maintainer waits for, interpreter start and imports included."""
    times = []
    for _ in range(NO_CHANGE_RUNS):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "builder", "build", "-f", str(config_file)],  # noqa: S603 - our own
                       env=_environment(), cwd=os.environ.get(SNAPSHOT) or None, capture_output=True, check=True)
        times.append(time.perf_counter() - started)
    return round(statistics.median(times), 3)


def edit_one_announcement(data_dir: Path) -> Path:
    """Add a sentence to the summary of the first announcement, as a maintainer would."""
    path = sorted((data_dir / "announcements").glob("*.md"))[0]
    with path.open("a", encoding="utf-8") as stream:
        stream.write(f"\nEdited for the benchmark at {time.time_ns()}.\n")
    return path


def retitle_one_announcement(data_dir: Path) -> Path:
    """Change the title of the last announcement: the charts that mark it are drawn again."""
    path = sorted((data_dir / "announcements").glob("*.md"))[-1]
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines = [f"title: Retitled for the benchmark at {time.time_ns()}\n" if line.startswith("title:") else line
             for line in lines]
    path.write_text("".join(lines), encoding="utf-8")
    return path


def site_stats(site_dir: Path, docs_dir: Path) -> dict[str, Any]:
    html = [(p.stat().st_size, p) for p in site_dir.rglob("*.html")]
    largest_size, largest = max(html) if html else (0, site_dir)
    total = sum(p.stat().st_size for p in site_dir.rglob("*") if p.is_file())
    bundle = docs_dir / "assets" / "vega" / "vega.js"
    stamp = bundle.open(encoding="utf-8").readline().strip() if bundle.exists() else ""
    inlined = bool(stamp) and any(stamp in p.read_text(encoding="utf-8") for _, p in html)
    index = site_dir / "search" / "search_index.json"
    referenced = sum(1 for _, p in html if "assets/vega/vega.js" in p.read_text(encoding="utf-8"))
    return {
        "html_pages": len(html),
        "svgs": len(list((docs_dir / "charts").glob("*.svg"))),
        "site_mb": round(total / 1024**2, 1),
        "largest_html_kb": round(largest_size / 1024, 1),
        "largest_html": largest.relative_to(site_dir).as_posix() if html else "",
        "html_over_300kb": sum(1 for size, _ in html if size > MAX_PAGE_BYTES),
        "vega_bundle_inlined": inlined,
        "search_index_kb": round(index.stat().st_size / 1024, 1) if index.exists() else None,
        "pages_loading_vega_bundle": referenced,
    }


def bench_site(name: str, config_file: Path, readers_and_serve: bool = False,
               tree: Path = REPOSITORY) -> dict[str, Any]:
    """Every figure of one site. ``readers_and_serve`` (the real site): also readers' first visits
    in Chromium and the maintainer's loop under ``mkdocs serve``."""
    from builder.core.settings import from_mkdocs_config

    settings = from_mkdocs_config(config_file)
    print(f"[{name}] builder, cold ...", flush=True)
    cold = run_builder(config_file)
    print(f"[{name}] mkdocs build (generation skipped) ...", flush=True)
    mkdocs_seconds = run_mkdocs(config_file)
    print(f"[{name}] builder, nothing changed ...", flush=True)
    unchanged = run_builder(config_file)
    print(f"[{name}] builder, nothing changed, {NO_CHANGE_RUNS} whole processes ...", flush=True)
    process_seconds = no_change_process_seconds(config_file)
    print(f"[{name}] mkdocs build, nothing changed (warm) ...", flush=True)
    warm = run_mkdocs(config_file, generate=True)
    stats = site_stats(settings.site_dir, settings.docs_dir)
    results: dict[str, Any] = {}
    if readers_and_serve:
        print(f"[{name}] first visits in Chromium ...", flush=True)
        results["first_visit"] = readers.first_visits(settings.site_dir)
    edited_file = edit_one_announcement(settings.data_dir)
    print(f"[{name}] builder, {edited_file.name} edited ...", flush=True)
    edited = run_builder(config_file)
    retitled_file = retitle_one_announcement(settings.data_dir)
    print(f"[{name}] builder, {retitled_file.name} retitled ...", flush=True)
    retitled = run_builder(config_file)
    if readers_and_serve:
        serve = serve_loop.serve_command(tree)
        print(f"[{name}] mkdocs {' '.join(serve)}: an edited summary reaching an open tab ...", flush=True)
        results["serve_loop"] = serve_loop.measure(config_file, settings.data_dir, settings.docs_dir,
                                                   _environment({"NO_MKDOCS_2_WARNING": "1"}), serve)
    return {"config": str(config_file), "cold": cold, "mkdocs_seconds": mkdocs_seconds,
            "mkdocs_ms_per_page": round(1000 * mkdocs_seconds / max(stats["html_pages"], 1), 1),
            "warm_mkdocs_seconds": warm, "no_change_process_seconds": process_seconds,
            "rebuild_unchanged": unchanged, "rebuild_one_announcement": edited,
            "edited_announcement": edited_file.name, "rebuild_one_title": retitled,
            "retitled_announcement": retitled_file.name, **stats, **results}


def copy_real_project(target: Path, tree: Path = REPOSITORY) -> Path:
    """The repository's site (data, and ``tree``'s config and hand-written docs) in ``target``,
    builder outputs excluded."""
    shutil.copytree(REPOSITORY / "data", target / "data")
    return compare.retarget(target, tree)


def bench_all(tree: Path, folder: Path, skip_real: bool, skip_world: bool) -> dict[str, Any]:
    """Every site, built by ``tree``'s builder (this tree, or a revision's checkout) in ``folder``."""
    snapshot_builder(folder / "code", tree)
    sites: dict[str, Any] = {}
    if not skip_real:
        sites["real"] = bench_site("real", copy_real_project(folder / "real", tree), True, tree)
    if not skip_world:
        world = folder / "world"
        shutil.copytree(WORLD / "data", world / "data")  # written once by main(), for every tree
        sites["world"] = bench_site("world", compare.retarget(world, tree, synthetic=True))
    return sites


def targets(world: dict[str, Any]) -> list[dict[str, Any]]:
    """The targets, each as measured in this run."""
    cold = world["cold"]
    return [
        _target("world cold: builder time <= MkDocs time", cold["seconds"], world["mkdocs_seconds"], "s"),
        _target("rebuild, nothing changed <= 1 s", world["rebuild_unchanged"]["seconds"], REBUILD_SECONDS, "s"),
        _target("rebuild, one announcement's summary edited <= 2 s", world["rebuild_one_announcement"]["seconds"],
                EDITED_SECONDS, "s"),
        _target("rebuild, one announcement's title edited <= 2 s", world["rebuild_one_title"]["seconds"],
                EDITED_SECONDS, "s"),
        _target("builder peak memory <= 2 GB", cold["peak_total_pss_mb"], MAX_BUILDER_BYTES / 1024**2, "MB"),
        _target("largest HTML page <= 300 KB", world["largest_html_kb"], MAX_PAGE_BYTES / 1024, "KB"),
    ]


def _target(name: str, measured: float, limit: float, unit: str) -> dict[str, Any]:
    return {"target": name, "measured": measured, "limit": round(limit, 3), "unit": unit,
            "ratio": round(measured / limit, 3) if limit else None, "met": measured <= limit}


def _first_visit(page: str) -> Any:
    def figure(site: dict[str, Any]) -> str:
        visit = (site.get("first_visit") or {}).get(page)
        return f"{visit['gzipped_kb']} ({visit['requests']})" if visit else "—"
    return figure


def _serve_loop(site: dict[str, Any]) -> str:
    loop = site.get("serve_loop")
    if not loop:
        return "—"
    if loop.get("seconds") is None:
        return f"failed: {loop.get('error')}"
    return f"{loop['seconds']} ({loop['pages_showing_it']} pages updated, {len(loop['stale_pages'])} stale)"


def table(results: dict[str, Any]) -> str:
    sites = results["sites"]
    names = list(sites)
    rows = [
        ("Builder, cold (s)", lambda s: s["cold"]["seconds"]),
        ("Builder CPU / wall, cold (cores busy)", lambda s: round(s["cold"]["cpu_seconds"] / s["cold"]["seconds"], 2)),
        ("MkDocs alone (s)", lambda s: s["mkdocs_seconds"]),
        ("MkDocs per page (ms)", lambda s: s.get("mkdocs_ms_per_page")),
        ("Warm: mkdocs build, nothing changed (s)", lambda s: s.get("warm_mkdocs_seconds")),
        ("Nothing changed, whole process, median of 5 (s)", lambda s: s.get("no_change_process_seconds")),
        ("Builder, nothing changed (s)", lambda s: s["rebuild_unchanged"]["seconds"]),
        ("Builder, one announcement's summary edited (s)", lambda s: s["rebuild_one_announcement"]["seconds"]),
        ("Builder, one announcement's title edited (s)", lambda s: s["rebuild_one_title"]["seconds"]),
        ("Builder's main process, peak (MB)", lambda s: s["cold"]["peak_rss_mb"]),
        ("Largest rendering process (MB)", lambda s: s["cold"]["renderer_peak_rss_mb"]),
        ("Downloads process (MB)", lambda s: s["cold"]["separate_peak_rss_mb"]),
        ("All builder processes together, peak (MB)", lambda s: s["cold"]["peak_total_pss_mb"]),
        ("Pages generated (Markdown)", lambda s: s["cold"]["pages"]),
        ("Charts", lambda s: s["cold"]["charts"]),
        ("SVGs rendered, cold", lambda s: s["cold"]["svgs_rendered"]),
        ("HTML pages built", lambda s: s["html_pages"]),
        ("Site size (MB)", lambda s: s["site_mb"]),
        ("Largest HTML page (KB)", lambda s: f"{s['largest_html_kb']} ({s['largest_html']})"),
        ("HTML pages over 300 KB", lambda s: s["html_over_300kb"]),
        ("Vega bundle inlined in a page", lambda s: "no" if not s["vega_bundle_inlined"] else "YES"),
        ("Search index (KB, raw)", lambda s: s.get("search_index_kb")),
        *[(f"First visit at 375 px, {page}: KB gzipped (requests)", _first_visit(page)) for page in readers.PAGES],
        ("mkdocs serve: edited summary shown in the open tab (s)", _serve_loop),
    ]
    lines = ["| Measure | " + " | ".join(names) + " |", "|:--|" + "--:|" * len(names)]
    lines += [f"| {label} | " + " | ".join(str(value(sites[n])) for n in names) + " |" for label, value in rows]
    m = results["machine"]
    lines += ["", f"Machine: {m['cpu']}, {m['cores']} cores, {m['ram_gb']} GB RAM, Python {m['python']}.", "",
              "| Target (world size) | Measured | Limit | Ratio | Met |", "|:--|--:|--:|--:|:--|"]
    lines += [f"| {t['target']} | {t['measured']} {t['unit']} | {t['limit']} {t['unit']} | {t['ratio']} | "
              f"{'yes' if t['met'] else 'NO'} |" for t in results.get("targets", [])]
    return "\n".join(lines) + "\n"


def write_table(markdown: str, readme: Path = REPOSITORY / "README.md") -> Path:
    """Into the README between the markers; into bench/README.md when the README has none."""
    text = readme.read_text(encoding="utf-8") if readme.exists() else ""
    if START in text and END in text:
        before, rest = text.split(START, 1)
        after = rest.split(END, 1)[1]
        readme.write_text(f"{before}{START}\n{markdown}{END}{after}", encoding="utf-8")
        return readme
    fallback = REPOSITORY / "bench" / "README.md"
    fallback.write_text("# Benchmark\n\nWritten by `make bench` (`python -m bench.benchmark`).\n\n"
                        f"{START}\n{markdown}{END}\n", encoding="utf-8")
    return fallback


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.benchmark", description=__doc__.splitlines()[0])
    parser.add_argument("--child-generate", metavar="MKDOCS_YML", help=argparse.SUPPRESS)
    parser.add_argument("--skip-real", action="store_true", help="benchmark the world-size site only")
    parser.add_argument("--skip-world", action="store_true", help="benchmark the real site only")
    parser.add_argument("--bounds", action="store_true",
                        help="only the builder's bounds: one company of 2,000,000 rows and 20,000 announcements")
    parser.add_argument("--against", metavar="REV", default=None,
                        help="also build the same sites with this git revision and print both side by side "
                             "(default: the previous release tag, if the repository has one)")
    args = parser.parse_args(argv)
    if args.child_generate:
        _child_generate(args.child_generate)
        return 0
    if args.bounds:
        from bench import bounds

        with tempfile.TemporaryDirectory(prefix="bench-bounds-") as temporary:
            snapshot_builder(Path(temporary) / "builder-snapshot")
            measured = bounds.measure(Path(temporary) / "bounds")
        print(bounds.table(measured))
        return 0
    against = args.against or compare.previous_release()
    results: dict[str, Any] = {"machine": machine(), "sites": {}}
    with tempfile.TemporaryDirectory(prefix="bench-") as temporary:
        if not args.skip_world:
            shutil.rmtree(WORLD, ignore_errors=True)
            print("[world] writing the synthetic data ...", flush=True)
            synth.write_site(WORLD)
        results["sites"] = bench_all(REPOSITORY, Path(temporary) / "this", args.skip_real, args.skip_world)
        if against:
            with compare.checkout(against, Path(temporary) / "revision-tree") as (tree, commit):
                print(f"[{against}] the same sites, built by {commit[:12]} ...", flush=True)
                results["against"] = {"revision": against, "commit": commit,
                                      "sites": bench_all(tree, Path(temporary) / "revision", args.skip_real,
                                                         args.skip_world)}
    if "world" in results["sites"]:
        results["targets"] = targets(results["sites"]["world"])
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    markdown = table(results)
    print(markdown)
    if "against" in results:
        print(compare.side_by_side(results["sites"], results["against"]["sites"], results["against"]["revision"]))
    print(f"results: {RESULTS}; table: {write_table(markdown)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
