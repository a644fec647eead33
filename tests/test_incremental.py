"""A run rebuilds what its edits touch, and nothing it keeps or caches can hide an edit."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, fixture_project

from bench.synth import Size, write_site
from builder.build import cache, rendering
from builder.build.run import generate
from builder.core.settings import Settings, from_mkdocs_config
from builder.inputs.announcements import load_announcement
from builder.inputs.registry import load_registry
from builder.output import svg


@pytest.fixture()
def synth_site(tmp_path: Path) -> Settings:
    write_site(tmp_path / "site", Size(jurisdictions=5, companies=3, periods=4, announcements=8), seed=11)
    return from_mkdocs_config(tmp_path / "site" / "mkdocs.yml")


def _units_showing(settings: Settings, announcement: Path) -> set[str]:
    """The units whose pages show this announcement: its page, the timeline and feed, its
    company's page, its jurisdictions' pages, and the home page if it concerns Hong Kong."""
    registry, _ = load_registry(settings.data_dir / "companies.yml")
    record, problems = load_announcement(announcement, registry)
    assert record is not None, problems
    units = {f"announcement {record.slug}", "timeline", f"company {record.company}"}
    units |= {f"jurisdiction {code}" for code in record.jurisdictions}
    return units | ({"home"} if "HK" in record.jurisdictions else set())


def test_an_edited_announcement_rebuilds_only_the_pages_that_show_it(synth_site: Settings) -> None:
    generate(synth_site)
    announcement = sorted((synth_site.data_dir / "announcements").glob("*.md"))[0]
    announcement.write_text(announcement.read_text(encoding="utf-8") + "\nA sentence added later.\n",
                            encoding="utf-8")
    report = generate(synth_site)
    assert set(report.built) == _units_showing(synth_site, announcement)
    assert report.svgs_rendered == 0  # the summary is not in any chart
    page = synth_site.docs_dir / "announcements" / announcement.name
    assert "A sentence added later." in page.read_text(encoding="utf-8")


def test_a_changed_announcement_date_redraws_the_charts_that_mark_it(synth_site: Settings) -> None:
    generate(synth_site)
    announcement = sorted((synth_site.data_dir / "announcements").glob("*.md"))[0]
    text = announcement.read_text(encoding="utf-8")
    date = next(line for line in text.splitlines() if line.startswith("date:"))
    announcement.write_text(text.replace(date, "date: 2003-02-01", 1), encoding="utf-8")
    report = generate(synth_site)
    specs = "".join(p.read_text(encoding="utf-8") for p in (synth_site.docs_dir / "charts").glob("*.vl.json"))
    assert '"start":"2003-02-01"' in specs
    assert report.svgs_rendered > 0
    for spec in (synth_site.docs_dir / "charts").glob("*.vl.json"):
        for image in svg.image_paths(spec.name.removesuffix(".vl.json")):
            assert (synth_site.docs_dir / image).is_file()


def test_an_edited_request_file_shows_its_new_figure_and_keeps_the_announcement_pages(tmp_path: Path) -> None:
    project = fixture_project(tmp_path / "project").parent
    shutil.copytree(REPO / "data" / "announcements", project / "data" / "announcements")
    settings = from_mkdocs_config(project / "mkdocs.yml")
    generate(settings)
    meta = project / "data" / "requests" / "meta.csv"
    lines = meta.read_text(encoding="utf-8").splitlines(keepends=True)
    row = next(i for i, line in enumerate(lines) if ",HK," in line and ",2019-01-01,2019-06-30," in line)
    cells, column = lines[row].split(","), lines[0].rstrip("\n").split(",").index("requests")
    assert cells[column].isdigit()
    cells[column] = "987654"
    lines[row] = ",".join(cells)
    meta.write_text("".join(lines), encoding="utf-8")
    report = generate(settings)
    assert "jurisdiction HK" in report.built and "data" in report.built
    assert "methodology" not in report.built
    assert not [name for name in report.built if name.startswith("announcement ")]
    page = (project / "site_src" / "jurisdictions" / "hk.md").read_text(encoding="utf-8")
    assert "987,654" in page
    csv_text = (project / "site_src" / "data" / "requests.csv").read_text(encoding="utf-8")
    assert ",987654," in csv_text


def test_a_damaged_cache_is_read_as_no_cache(synth_site: Settings) -> None:
    generate(synth_site)
    expected = {p.relative_to(synth_site.docs_dir): p.read_bytes()
                for p in synth_site.docs_dir.rglob("*") if p.is_file()}
    for stored in cache.folder(synth_site).glob("*.pickle"):
        stored.write_bytes(b"not a pickle")
    (cache.folder(synth_site) / "manifest.json").unlink()
    generate(synth_site)
    assert {p.relative_to(synth_site.docs_dir): p.read_bytes()
            for p in synth_site.docs_dir.rglob("*") if p.is_file()} == expected


def test_the_dark_image_is_what_the_dark_theme_draws(synth_site: Settings) -> None:
    generate(synth_site)
    specs = sorted((synth_site.docs_dir / "charts").glob("*.vl.json"))
    assert specs
    for path in specs[:4]:
        spec = json.loads(path.read_text(encoding="utf-8"))
        light = svg.render_svg(spec)
        # The theme leaves a mark's own colour alone: the event labels are white in the dark.
        dark_spec = json.loads(json.dumps(spec).replace('"fill": "#000"', '"fill": "#fff"'))
        assert svg.dark_svg(light) == svg.render_svg(dark_spec, "dark")
        assert svg.dark_svg(light) != light


def test_a_failing_renderer_worker_is_reported(tmp_path: Path) -> None:
    renderer = rendering.Renderer(tmp_path, workers=2)
    for number in range(rendering.PER_PROCESS_MINIMUM * 2):
        renderer.submit(f"chart{number}", '{"mark": "nonsense-mark"}')
    with pytest.raises(RuntimeError, match="rendering the static charts failed"):
        renderer.close()


def test_a_run_with_nothing_changed_stops_before_importing_pandas_or_altair(synth_site: Settings) -> None:
    generate(synth_site)
    probe = (
        "import sys\n"
        "from builder.build.run import generate\n"
        "from pathlib import Path\n"
        "from builder.core.settings import from_mkdocs_config\n"
        f"report = generate(from_mkdocs_config(Path({str(synth_site.config_file)!r})))\n"
        "print(report.built, report.files_unchanged > 0, sorted({'pandas', 'altair'} & set(sys.modules)))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["[]", "True", "[]"], done.stdout + done.stderr


def test_a_run_observed_from_outside_tells_the_peak_memory_of_the_processes_it_started(synth_site: Settings) -> None:
    from builder.build import probes

    with probes.observing() as figures:
        report = generate(synth_site)
    assert report.svgs_rendered > 0
    assert 10 < figures["renderer_peak_rss_mb"] < 4000  # a real process's peak, in MB
    assert not hasattr(report, "renderer_peak_rss_mb")  # the run's own report carries no measurements
