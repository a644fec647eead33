"""The builder's bounds at sizes no company publishes yet (``python -m bench --bounds``).

A synthetic site with one company of 2,000,000 rows (per service beyond one service's share)
and 20,000 announcements: the builder cold with the peak memory of all its processes, a run
with nothing changed as a whole process, and the largest page it generates. MkDocs is not run:
at this size it takes far longer than the builder, and what a page weighs is decided here.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from bench import synth
from bench.benchmark import no_change_process_seconds, run_builder

BIG_COMPANY_ROWS = 2_000_000
ANNOUNCEMENTS = 20_000
MAX_PEAK_MB = 2048  # every builder process together
MAX_NO_CHANGE_SECONDS = 1.0
MAX_PAGE_KB = 300  # of HTML; the generated Markdown is most of it


def measure(folder: Path) -> dict[str, Any]:
    shutil.rmtree(folder, ignore_errors=True)
    size = synth.Size(announcements=ANNOUNCEMENTS, big_company_rows=BIG_COMPANY_ROWS)
    print(f"[bounds] writing {BIG_COMPANY_ROWS:,} rows for one company and {ANNOUNCEMENTS:,} announcements ...",
          flush=True)
    synth.write_site(folder, size)
    config = folder / "mkdocs.yml"
    print("[bounds] the builder, cold ...", flush=True)
    cold = run_builder(config)
    print("[bounds] nothing changed, whole process ...", flush=True)
    no_change = no_change_process_seconds(config)
    pages = sorted(((path.stat().st_size, path) for path in (folder / "site_src").rglob("*.md")), reverse=True)
    size_bytes, largest = pages[0]
    return {
        "rows_of_one_company": BIG_COMPANY_ROWS, "announcements": ANNOUNCEMENTS,
        "cold_seconds": cold["seconds"], "peak_total_pss_mb": cold["peak_total_pss_mb"],
        "no_change_process_seconds": no_change,
        "largest_markdown_kb": round(size_bytes / 1024, 1),
        "largest_markdown_page": largest.relative_to(folder / "site_src").as_posix(),
        "timeline_pages": len(list((folder / "site_src" / "announcements" / "page").glob("*.md"))) + 1,
    }


def table(bounds: dict[str, Any]) -> str:
    rows = [
        ("peak memory, all builder processes <= 2 GB", bounds["peak_total_pss_mb"], MAX_PEAK_MB, "MB"),
        ("nothing changed, whole process <= 1 s", bounds["no_change_process_seconds"], MAX_NO_CHANGE_SECONDS, "s"),
        ("largest generated page <= 300 KB", bounds["largest_markdown_kb"], MAX_PAGE_KB, "KB"),
    ]
    lines = [f"Bounds: {bounds['rows_of_one_company']:,} rows of one company, {bounds['announcements']:,} "
             f"announcements ({bounds['timeline_pages']} timeline pages); builder cold {bounds['cold_seconds']} s",
             "", "| Target | Measured | Limit | Met |", "|:--|--:|--:|:--|"]
    lines += [f"| {name} | {value} {unit} | {limit} {unit} | {'yes' if value <= limit else 'NO'} |"
              for name, value, limit, unit in rows]
    return "\n".join(lines)
