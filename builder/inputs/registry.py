"""The companies registry, ``data/companies.yml``, validated against a JSON Schema."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from builder.core import patterns
from builder.core.patterns import ONE_LINE_HINT
from builder.core.problems import WARNING, KeyPath, Problem
from builder.core.schema import REQUEST_TYPES
from builder.core.schema_problems import DocumentSchema
from builder.core.yamlfile import MAX_YAML_BYTES, UNREAD, read_yaml_file

SLUG_PATTERN = r"^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$"
COLOUR_PATTERN = r"^#[0-9A-Fa-f]{6}$"
HTTP_URL_PATTERN = patterns.schema_pattern(patterns.HTTP_URL)

_TEXT = {"type": "string", "minLength": 1, "maxLength": 200, "pattern": patterns.schema_pattern(patterns.ONE_LINE_TEXT),
         "x-messages": {"pattern": ONE_LINE_HINT}}
_SLUG = {"type": "string", "pattern": SLUG_PATTERN,
         "description": "lower-case letters, digits and hyphens, e.g. google",
         "x-codes": {"pattern": "bad-slug"},
         "x-messages": {"pattern": "a slug is lower-case letters, digits and hyphens, e.g. google"}}

COMPANY_SCHEMA: dict = {
    "type": "object",
    "additionalProperties": False,
    "required": ["slug", "name", "services", "colour"],
    "properties": {
        "slug": _SLUG,
        "name": _TEXT,
        "former_names": {"type": "array", "items": _TEXT, "maxItems": 10},
        "services": {
            "type": "array",
            "items": _SLUG,
            "contains": {"const": "all"},
            "description": "a list of the services it reports apart, with `all`, e.g. [all]",
            "x-messages": {"contains": "services must include `all`"},
            "uniqueItems": True,
            "maxItems": 50,
        },
        "report_url": {"type": "string", "pattern": HTTP_URL_PATTERN, "maxLength": 2000},
        "colour": {"type": "string", "pattern": COLOUR_PATTERN, "description": "#RRGGBB, e.g. \"#0072B2\" (quoted)",
                   "x-codes": {"pattern": "bad-colour"},
                   "x-messages": {"pattern": "a colour must be written #RRGGBB, e.g. \"#0072B2\" (quoted)"}},
        # request type -> the request types it is made of (see Composition)
        "total": {
            "type": "object",
            "propertyNames": {"enum": sorted(REQUEST_TYPES)},
            "additionalProperties": {
                "type": "array", "items": {"enum": sorted(REQUEST_TYPES)}, "minItems": 1, "uniqueItems": True,
            },
            "maxProperties": len(REQUEST_TYPES),
        },
        # Read by earlier versions (the one request type charts compared); warned about, not read.
        "headline_request_types": {"type": "array", "items": {"type": "string"}, "maxItems": 50},
        # request type -> why it is not part of the total
        "counted_apart": {
            "type": "object",
            "propertyNames": {"enum": sorted(REQUEST_TYPES)},
            "additionalProperties": {**_TEXT, "maxLength": 500},
            "maxProperties": len(REQUEST_TYPES),
        },
        "data_note": {**_TEXT, "maxLength": 1000},
    },
}

REGISTRY_SCHEMA: dict = {
    "type": "object",
    "additionalProperties": False,
    "required": ["companies"],
    "properties": {"companies": {"type": "array", "items": COMPANY_SCHEMA, "maxItems": 10_000}},
}
_EXAMPLE = "at the top of data/companies.yml"
REGISTRY = DocumentSchema(REGISTRY_SCHEMA, invalid="registry-invalid", unknown_key="registry-invalid", example=_EXAMPLE)
COMPANY = DocumentSchema(COMPANY_SCHEMA, invalid="registry-invalid", unknown_key="registry-invalid", example=_EXAMPLE)


TOTAL = "all"  # the request type of a company's total of requests for user data


@dataclass(frozen=True)
class Composition:
    """How a company's request types make up its total of requests for user data.

    ``parts`` maps a request type to the types it is made of. The total is the figure of
    :data:`TOTAL`: the company's own figure for a type where it published one, otherwise the
    sum of that type's parts, each found the same way. ``apart`` names the types that are not
    requests to hand over user data, or that are counted in another type already, with why.
    """

    parts: dict[str, tuple[str, ...]]
    apart: dict[str, str]

    def __hash__(self) -> int:  # a company is a key of cached chart skeletons
        return hash((tuple(sorted(self.parts.items())), tuple(sorted(self.apart.items()))))

    def members(self) -> set[str]:
        """Every request type that is the total or a part of it."""
        found, todo = set(), [TOTAL]
        while todo:
            request_type = todo.pop()
            if request_type not in found:
                found.add(request_type)
                todo += self.parts.get(request_type, ())
        return found

    def problems(self) -> list[str]:
        """What makes the composition unusable: a cycle, a type in two places."""
        found = []
        parents: dict[str, str] = {}
        for parent, children in self.parts.items():
            for child in children:
                if child in parents:
                    found.append(f"{child} is a part of both {parents[child]} and {parent}")
                parents[child] = parent
        if TOTAL in parents:
            found.append(f"{TOTAL} is the total and cannot be a part of {parents[TOTAL]}")
        for request_type in parents:
            seen, node = {request_type}, request_type
            while node in parents:
                node = parents[node]
                if node in seen:
                    found.append(f"{request_type} is, through its parents, a part of itself")
                    break
                seen.add(node)
        found += [f"{t} is both a part of the total and counted apart" for t in self.members() & set(self.apart)]
        return sorted(set(found))


@dataclass(frozen=True)
class Company:
    slug: str
    name: str
    former_names: tuple[str, ...]
    services: tuple[str, ...]
    report_url: str | None
    colour: str
    composition: Composition
    data_note: str | None

    @property
    def display_name(self) -> str:
        """``Meta (formerly Facebook)``."""
        if not self.former_names:
            return self.name
        return f"{self.name} (formerly {' and '.join(self.former_names)})"


@dataclass(frozen=True)
class Registry:
    companies: dict[str, Company]

    def __contains__(self, slug: object) -> bool:
        return slug in self.companies

    def __getitem__(self, slug: str) -> Company:
        return self.companies[slug]


def load_registry(path: Path) -> tuple[Registry, list[Problem]]:
    """Load and check ``data/companies.yml``; on errors the registry holds the valid entries."""
    file = path.as_posix()
    document, problems = read_yaml_file(
        path, path.parent, "registry-invalid",
        f"the registry may be at most {MAX_YAML_BYTES // 1000} kB; is it the right file?")
    if document is UNREAD:
        return Registry({}), problems
    problems += REGISTRY.problems(document, file)
    companies: dict[str, Company] = {}
    entries = document.get("companies", []) if isinstance(document, dict) else []
    for index, entry in enumerate(entries if isinstance(entries, list) else []):
        if not isinstance(entry, dict) or not COMPANY.is_valid(entry):
            continue
        composition = Composition({t: tuple(parts) for t, parts in entry.get("total", {}).items()},
                                  dict(entry.get("counted_apart", {})))
        wrong = composition.problems()
        problems += [Problem(file, KeyPath(f"companies.{index}.total"), "total", entry["slug"], "bad-composition",
                             f"{reason}; each request type may be a part of one other type only")
                     for reason in wrong]
        if wrong:
            continue
        if "headline_request_types" in entry:
            problems.append(Problem(file, KeyPath(f"companies.{index}.headline_request_types"),
                                    "headline_request_types", None, "deprecated-key",
                                    "charts now compare totals: declare how the request types make up the "
                                    "total under `total` and `counted_apart`, and remove this key",
                                    severity=WARNING))
        if entry["slug"] in companies:
            problems.append(Problem(file, KeyPath(f"companies.{index}.slug"), "slug", entry["slug"], "duplicate-slug",
                                    "another company already uses this slug; give each company its own"))
            continue
        companies[entry["slug"]] = Company(
            slug=entry["slug"],
            name=entry["name"],
            former_names=tuple(entry.get("former_names", [])),
            services=tuple(entry["services"]),
            report_url=entry.get("report_url"),
            colour=entry["colour"].upper(),
            composition=composition,
            data_note=entry.get("data_note"),
        )
    return Registry(companies), problems
