"""The checks of an announcement's front matter that its JSON Schema cannot make: that the
company, its services and the jurisdictions exist, and that a date known only to the month or
year is written as its first day and says so."""

from __future__ import annotations

from builder.core import jurisdictions
from builder.core.problems import Problem
from builder.core.schema_problems import key_problem
from builder.core.values import ValueProblem, parse_date
from builder.inputs.registry import Registry


def registry_problems(front_matter: object, registry: Registry, file: str) -> list[Problem]:
    """Cross-checks the schema cannot make: the company, its services, the jurisdictions."""
    if not isinstance(front_matter, dict):
        return []
    problems: list[Problem] = []
    company = front_matter.get("company")
    services = front_matter.get("services")
    if isinstance(company, str) and company not in registry:
        problems.append(key_problem(file, ["company"], company, "unknown-company",
                                    "add the company to data/companies.yml or use one of: "
                                    + ", ".join(sorted(registry.companies))))
    elif isinstance(company, str) and isinstance(services, list):
        known = registry[company].services
        for index, service in enumerate(services):
            if isinstance(service, str) and service not in known:
                problems.append(key_problem(file, ["services", str(index)], service, "unknown-service",
                                            f"use `all` or one of {company}'s services: " + ", ".join(known)))
    codes = front_matter.get("jurisdictions")
    return problems + jurisdiction_problems(file, [], codes if isinstance(codes, list) else [])


def jurisdiction_problems(file: str, path: list[str], codes: list[object]) -> list[Problem]:
    """An ``unknown-jurisdiction`` for each code of the list ``codes`` (at ``path`` + ``jurisdictions``)
    that is no known jurisdiction, with a hint at the code that was meant."""
    return [key_problem(file, [*path, "jurisdictions", str(index)], code, "unknown-jurisdiction",
                        _jurisdiction_hint(code))
            for index, code in enumerate(codes) if isinstance(code, str) and not jurisdictions.is_known(code)]


def _jurisdiction_hint(code: str) -> str:
    if jurisdictions.is_known(code.strip().upper()):
        return f"write the code in upper case: {code.strip().upper()}"
    guess = jurisdictions.code_for_name(code)
    if guess:
        return f"write the two-letter code, e.g. {guess}"
    return "use an ISO 3166-1 alpha-2 or CLDR code in upper case, e.g. HK"


def date_precision_problems(front_matter: object, file: str) -> list[Problem]:
    """A month- or year-precise date is the first day of that period, and says why."""
    if not isinstance(front_matter, dict):
        return []
    precision = front_matter.get("date_precision", "day")
    try:
        date = parse_date(front_matter["date"])
    except (KeyError, TypeError, ValueProblem):
        return []  # the schema check has reported it
    problems = []
    if precision == "year" and (date.month, date.day) != (1, 1):
        problems.append(key_problem(file, ["date"], front_matter["date"], "announcement-date-precision",
                                    f"with date_precision: year, write the date as {date.year}-01-01"))
    if precision == "month" and date.day != 1:
        problems.append(key_problem(file, ["date"], front_matter["date"], "announcement-date-precision",
                                    f"with date_precision: month, write the date as {date:%Y-%m}-01"))
    if precision in ("month", "year") and "date_note" not in front_matter:
        problems.append(key_problem(file, ["date_note"], None, "announcement-date-precision",
                                    f"only the {precision} is known: add a date_note saying so, "
                                    f"e.g. \"Only the {precision} is known.\""))
    return problems
