"""Command line: ``python -m builder validate|build|import``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from builder.core.problems import ProblemsFound, errors, format_table
from builder.core.reproducible import ensure_source_date_epoch
from builder.core.settings import Settings, from_mkdocs_config


def _settings(config_file: str) -> Settings:
    path = Path(config_file)
    if not path.is_file():
        raise SystemExit(f"error: {path} not found; run from the site's folder or pass -f PATH/mkdocs.yml")
    return from_mkdocs_config(path)


def _validate(args: argparse.Namespace) -> int:
    from builder.inputs.requests import validate_data_dir

    data_dir = Path(args.data_dir) if args.data_dir else _settings(args.config_file).data_dir
    ensure_source_date_epoch(data_dir)  # dated as `mkdocs build` is, so both refuse the same future dates
    problems = validate_data_dir(data_dir)
    print(format_table(problems))
    return 1 if errors(problems) else 0


def _build(args: argparse.Namespace) -> int:
    from builder.build.run import generate

    settings = _settings(args.config_file)
    ensure_source_date_epoch(settings.root)
    try:
        report = generate(settings)
    except ProblemsFound as found:
        print(format_table(found.problems), file=sys.stderr)
        print("Nothing was written: fix the errors above and build again.", file=sys.stderr)
        return 1
    if report.warnings:
        print(format_table(report.warnings))
    print(f"{report.pages} pages, {report.charts} charts ({report.svgs_rendered} SVGs rendered); "
          f"{report.files_written} files written, {report.files_unchanged} unchanged, "
          f"{report.files_removed} removed, in {report.seconds:.2f} s -> {settings.docs_dir}")
    return 0


def _import(args: argparse.Namespace) -> int:
    from builder import importers

    data_dir = Path(args.data_dir) if args.data_dir else _settings(args.config_file).data_dir
    return importers.run(args.company, [Path(f) for f in args.files], data_dir, args.published)


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="python -m builder", description=__doc__)
    commands = main.add_subparsers(dest="command", required=True)

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.add_argument("-f", "--config-file", default="mkdocs.yml", help="the site's mkdocs.yml")
        return sub

    validate = command("validate", "check every file in data/ and list every problem")
    validate.add_argument("--data-dir", help="check this folder instead of the one mkdocs.yml names")
    validate.set_defaults(run=_validate)
    command("build", "generate the site's pages, charts and downloads into docs_dir").set_defaults(run=_build)
    import_command = command("import", "import a company's official download files into data/requests/")
    import_command.add_argument("company", help="google, meta, apple or twitter")
    import_command.add_argument("files", nargs="+", help="the files as downloaded from the company")
    import_command.add_argument("--data-dir", help="import into this folder instead of the one mkdocs.yml names")
    import_command.add_argument("--published", metavar="YYYY-MM-DD",
                                help="the day the company published these files (default: for each file, the "
                                     "last day of the latest period it covers); of two versions of a figure, "
                                     "the later download's is current")
    import_command.set_defaults(run=_import)
    return main


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return int(args.run(args))

