"""Synthetic data at world size, for the benchmark: a complete site folder of its own.

``python -m builder synth OUT`` writes ``OUT/mkdocs.yml``, ``OUT/data/`` (a companies registry,
one canonical request file per company, announcements) and the hand-written part of
``OUT/site_src/``, so that ``python -m builder build -f OUT/mkdocs.yml`` and ``mkdocs build -f
OUT/mkdocs.yml`` build it like the real site. The figures are random but valid: counts,
ranges and "not reported" cells mixed, ``requests_with_data <= requests``, percentages that
agree with the counts. The same seed gives byte-identical files. The folder is never inside
the real ``data/`` or ``site_src/``: synthetic figures must not mix with published ones.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import random
import re
import shutil
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from builder.core import jurisdictions
from builder.core.schema import REQUEST_TYPES
from builder.inputs.announcements import ACTIONS, SCOPES
from builder.inputs.requests_csv import render_rows

REPOSITORY = Path(__file__).resolve().parent.parent
SYNTH_REQUEST_TYPES = ("all", "legal_process", "emergency", "preservation")
FIRST_YEAR = 2005
MARKER = ".synthetic-site"  # marks a folder this module wrote, so it may write it again
RANGE_SHARE = 0.05
NOT_REPORTED_SHARE = 0.10
RANGE_WIDTH = 250


class SynthError(ValueError):
    """The output folder cannot be used."""


@dataclass(frozen=True)
class Size:
    jurisdictions: int = 250
    companies: int = 20
    periods: int = 40  # half-years from FIRST_YEAR H1
    announcements: int = 1000
    # Rows of the first company (0: as many as the others have). Beyond what one service can
    # hold it reports per service, as Meta does, so its keys stay distinct: an input of a size
    # no company publishes yet, to hold the builder's bounds (memory, page sizes) at any size.
    big_company_rows: int = 0


@dataclass(frozen=True)
class SynthCompany:
    slug: str
    name: str
    colour: str


def check_output_folder(out: Path, repository: Path = REPOSITORY) -> None:
    """Refuse a folder inside the real data or docs, or a non-empty folder this module did not write."""
    out = out.resolve()
    for real in (repository / "data", repository / "site_src"):
        if out == real.resolve() or real.resolve() in out.parents:
            raise SynthError(f"{out} is inside {real}: synthetic data must never mix with the real site; "
                             "choose a folder elsewhere, e.g. bench/out/world")
    if out == repository.resolve() or out in repository.resolve().parents:
        raise SynthError(f"{out} holds the real project; choose an empty folder, e.g. bench/out/world")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).exists():
        raise SynthError(f"{out} is not empty and was not written by `python -m builder synth`; "
                         "choose an empty or new folder")


def write_site(out: Path, size: Size = Size(), seed: int = 1) -> None:
    """Write the whole synthetic site folder (replacing the data of an earlier run)."""
    check_output_folder(out)
    codes = jurisdictions.all_codes()
    if not 1 <= size.jurisdictions <= len(codes):
        raise SynthError(f"--jurisdictions must lie between 1 and {len(codes)}")
    if min(size.companies, size.periods) < 1 or min(size.announcements, size.big_company_rows) < 0:
        raise SynthError("--companies and --periods must be at least 1, --announcements and "
                         "--big_company_rows at least 0")
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not secrets
    chosen = sorted(rng.sample(codes, size.jurisdictions))
    companies = _companies(size.companies)
    per_service = len(chosen) * size.periods * len(SYNTH_REQUEST_TYPES)
    services = ["all"] if size.big_company_rows <= per_service else \
        ["all", *(f"s{n}" for n in range(1, -(-size.big_company_rows // per_service)))]
    data = out / "data"
    shutil.rmtree(data, ignore_errors=True)
    (data / "requests").mkdir(parents=True)
    (data / "announcements").mkdir()
    (out / MARKER).write_text("Written by python -m builder synth; safe to delete.\n", encoding="utf-8")
    _write(data / "companies.yml", _registry_yaml(companies, services))
    periods = _half_years(size.periods)
    for company in companies:
        rng_company = random.Random(f"{seed}:{company.slug}")  # noqa: S311 - test data, not secrets
        big = size.big_company_rows and company == companies[0]
        rows = _request_rows(rng_company, company, chosen, periods, services if big else ["all"], lean=big)
        if big:
            rows = itertools.islice(rows, size.big_company_rows)
        _write(data / "requests" / f"{company.slug}.csv", render_rows(rows))
    for number in range(size.announcements):
        name, text = _announcement(rng, number, companies, chosen, periods)
        _write(data / "announcements" / name, text)
    _write(out / "mkdocs.yml", mkdocs_yml((REPOSITORY / "mkdocs.yml").read_text(encoding="utf-8")))
    copy_hand_written(REPOSITORY / "site_src", out / "site_src")


def _write(path: Path, text: str) -> None:
    path.write_bytes(text.encode("utf-8"))


def _companies(count: int) -> list[SynthCompany]:
    width = len(str(count))
    return [SynthCompany(f"company-{n:0{width}d}", f"Company {n:0{width}d}", _colour(n)) for n in range(1, count + 1)]


def _colour(number: int) -> str:
    # Spread hues around the circle by the golden angle, so neighbours differ.
    import colorsys

    red, green, blue = colorsys.hsv_to_rgb((number * 0.618034) % 1.0, 0.75, 0.8)
    return f"#{round(red * 255):02X}{round(green * 255):02X}{round(blue * 255):02X}"


def _registry_yaml(companies: list[SynthCompany], big_company_services: list[str]) -> str:
    entries = [{
        "slug": c.slug,
        "name": c.name,
        "former_names": [],
        "services": big_company_services if c == companies[0] else ["all"],
        "report_url": f"https://example.org/{c.slug}/transparency",
        "colour": c.colour,
        "headline_request_types": ["all", "legal_process"],
    } for c in companies]
    header = "# Synthetic companies for the benchmark (python -m builder synth); not real data.\n"
    return header + yaml.safe_dump({"companies": entries}, sort_keys=False, allow_unicode=True)


def _half_years(count: int) -> list[tuple[dt.date, dt.date]]:
    periods = []
    for index in range(count):
        year, half = FIRST_YEAR + index // 2, index % 2
        periods.append((dt.date(year, 1, 1), dt.date(year, 6, 30)) if half == 0
                       else (dt.date(year, 7, 1), dt.date(year, 12, 31)))
    return periods


def _request_rows(rng: random.Random, company: SynthCompany, codes: list[str],
                  periods: list[tuple[dt.date, dt.date]], services: list[str],
                  lean: bool = False) -> Iterator[dict[str, str]]:
    """Rows for every service, jurisdiction, period and request type; ``lean`` rows leave out
    the optional label and file name and cite a short address, as narrow as published rows get
    (2,000,000 of them fit in the builder's file limit)."""
    for service, code in itertools.product(services, codes):
        scale = rng.lognormvariate(4.0, 1.8)  # some jurisdictions ask far more than others
        for start, end in periods:
            half = 1 if start.month == 1 else 2
            for request_type in SYNTH_REQUEST_TYPES:
                row = {
                    "company": company.slug, "service": service, "jurisdiction": code,
                    "period_start": start.isoformat(), "period_end": end.isoformat(),
                    "request_type": request_type, "company_label": "" if lean else REQUEST_TYPES[request_type][0],
                    "source_url": f"https://example.org/{start.year}h{half}" if lean else
                                  f"https://example.org/{company.slug}/transparency/{start.year}-h{half}",
                    "source_file": "" if lean else f"{company.slug}-{start.year}-h{half}.csv",
                    "derived": "", "note": "",
                }
                row.update(_metrics(rng, scale))
                yield row


def _metrics(rng: random.Random, scale: float) -> dict[str, str]:
    """Consistent figures: accounts >= requests >= requests with data; percent agrees."""
    draw = rng.random()
    if draw < NOT_REPORTED_SHARE:
        return {"requests": "", "accounts": "", "requests_with_data": "", "percent_with_data": ""}
    requests = int(rng.expovariate(1 / scale))
    if draw < NOT_REPORTED_SHARE + RANGE_SHARE:
        low = requests // RANGE_WIDTH * RANGE_WIDTH
        band = f"{low}-{low + RANGE_WIDTH - 1}"
        return {"requests": band, "accounts": band, "requests_with_data": "", "percent_with_data": ""}
    accounts = requests + int(rng.expovariate(1 / (1 + requests / 2)))
    produced = round(requests * rng.uniform(0.3, 0.95))
    percent = "0" if requests == 0 else str(round(produced * 100 / requests))
    return {"requests": str(requests), "accounts": str(accounts), "requests_with_data": str(produced),
            "percent_with_data": percent}


def _announcement(rng: random.Random, number: int, companies: list[SynthCompany], codes: list[str],
                  periods: list[tuple[dt.date, dt.date]]) -> tuple[str, str]:
    company = rng.choice(companies)
    first, last = periods[0][0], periods[-1][1]
    date = first + dt.timedelta(days=rng.randrange((last - first).days + 1))
    places = sorted(rng.sample(codes, min(len(codes), rng.choice((1, 1, 1, 2, 3)))))
    action = rng.choice(list(ACTIONS))
    names = ", ".join(jurisdictions.name(code) for code in places)
    title = f"{company.name}: {ACTIONS[action][0].lower()} for requests from {names}"[:160]
    front_matter = {
        "date": date.isoformat(),
        "company": company.slug,
        "services": ["all"],
        "jurisdictions": places,
        "action": action,
        "scope": rng.choice(list(SCOPES)),
        "title": title,
        "sources": [{"url": f"https://example.org/news/{number:05d}", "publisher": "Example News",
                     "date": date.isoformat()}],
    }
    body = (f"Synthetic announcement number {number} for the benchmark. {company.name} "
            f"{ACTIONS[action][1][0].lower()}{ACTIONS[action][1][1:]}\n\n"
            f"It concerns requests from {names}.\n")
    header = yaml.safe_dump(front_matter, sort_keys=False, allow_unicode=True, width=10_000)
    return f"{date.isoformat()}-{company.slug}-{number:05d}.md", f"---\n{header}---\n{body}"


def mkdocs_yml(real: str, repository: Path = REPOSITORY) -> str:
    """The real ``mkdocs.yml``, named as synthetic, with its paths pointed at this repository."""
    text = re.sub(r"(?m)^site_name:\s*(.*)$", r"site_name: Synthetic benchmark data (not real) - \1", real)
    return "# Written by python -m builder synth from the repository's mkdocs.yml.\n" + absolute_paths(text, repository)


def absolute_paths(config: str, repository: Path = REPOSITORY) -> str:
    """``mkdocs.yml`` text with its hook files and theme overrides as absolute paths into ``repository``,
    so that a copy in another folder still finds them."""

    def absolute(match: re.Match[str]) -> str:
        path = Path(match["path"])
        return f"{match['lead']}{path if path.is_absolute() else (repository / path).resolve()}"

    text = re.sub(r"(?m)^(?P<lead>\s*-\s+)(?P<path>\S+\.py)\s*$", absolute, config)
    return re.sub(r"(?m)^(?P<lead>\s+custom_dir:\s+)(?P<path>\S+)\s*$", absolute, text)


def copy_hand_written(source: Path, target: Path) -> None:
    """Everything in docs_dir the builder does not generate: the site's own CSS, JS and pages."""
    from builder.build.run import GENERATED_DIRS, GENERATED_FILES  # here: the command line stays quick to start

    generated = {*GENERATED_DIRS, *GENERATED_FILES}
    for path in sorted(source.rglob("*")):
        relative = path.relative_to(source).as_posix()
        hidden_or_generated = relative.startswith(".") or any(
            relative == g or relative.startswith(g + "/") for g in generated)
        if path.is_dir() or hidden_or_generated:
            continue
        destination = target / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        if not destination.exists() or destination.read_bytes() != path.read_bytes():
            shutil.copyfile(path, destination)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m bench.synth OUT``: write a synthetic world-size site folder."""
    parser = argparse.ArgumentParser(prog="python -m bench.synth",
                                     description="write a synthetic world-size site folder for the benchmark")
    parser.add_argument("out", help="a new folder, outside data/ and site_src/")
    for name, default in vars(Size()).items():
        parser.add_argument(f"--{name}", type=int, default=default, help=f"default {default}")
    parser.add_argument("--seed", type=int, default=1, help="the same seed writes the same files")
    args = parser.parse_args(argv)
    size = Size(**{name: getattr(args, name) for name in vars(Size())})
    try:
        write_site(Path(args.out), size, args.seed)
    except SynthError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"synthetic site in {args.out}: build it with python -m builder build -f {args.out}/mkdocs.yml")
    return 0


if __name__ == "__main__":
    sys.exit(main())
