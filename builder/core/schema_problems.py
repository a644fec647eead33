"""JSON Schema violations as problems: one translation for every YAML document the builder
reads (``data/companies.yml``, an announcement's front matter).

A schema written for it says, beside each rule, how to write the value (``description``: the
hint a message ends with) and which problem code each failed keyword raises (``x-codes``, e.g.
``{"pattern": "bad-slug"}``; a missing key's code is under ``"required:KEY"`` in its parent's
``x-codes``). ``x-messages`` gives a failed keyword's own message where the generic one would
not help (``{"pattern": "a colour is written #RRGGBB"}``). A keyword the schema does not map
raises the document's own code.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import jsonschema

from builder.core.problems import KeyPath, Problem


@dataclass(frozen=True)
class DocumentSchema:
    """A JSON Schema with what its violations are called: ``invalid`` is the code of a rule the
    schema maps to no code of its own, ``unknown_key`` the code of a key it does not define,
    ``example`` where a maintainer finds a whole document to copy."""

    schema: dict
    invalid: str
    unknown_key: str
    example: str
    format_checker: jsonschema.FormatChecker | None = None
    _validator: jsonschema.Draft202012Validator = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        jsonschema.Draft202012Validator.check_schema(self.schema)
        validator = jsonschema.Draft202012Validator(self.schema, format_checker=self.format_checker)
        object.__setattr__(self, "_validator", validator)

    def problems(self, document: object, file: str) -> list[Problem]:
        """Every way ``document`` breaks the schema, each at its key path, in key order."""
        errors = sorted(self._validator.iter_errors(document), key=lambda e: [str(p) for p in e.absolute_path])
        return [problem for error in errors for problem in self._problems_from(error, file)]

    def is_valid(self, document: object) -> bool:
        return self._validator.is_valid(document)

    def _problems_from(self, error: jsonschema.ValidationError, file: str) -> list[Problem]:
        path = [str(part) for part in error.absolute_path]
        properties = error.schema.get("properties", {})
        if error.validator == "additionalProperties":
            allowed = ", ".join(properties)
            return [key_problem(file, [*path, str(key)], key, self.unknown_key,
                             f"unknown key `{key}`; the allowed keys are: {allowed}")
                    for key in error.instance if key not in properties]
        if error.validator == "required":
            codes = error.schema.get("x-codes", {})
            return [key_problem(file, [*path, key], None, codes.get(f"required:{key}", self.invalid),
                             f"add the key `{key}`: {self._hint(properties.get(key, {}))}")
                    for key in error.validator_value if key not in error.instance]
        code = error.schema.get("x-codes", {}).get(error.validator, self.invalid)
        return [key_problem(file, path, error.instance, code, self._explain(error))]

    def _hint(self, schema: dict) -> str:
        return schema.get("description", f"see the example {self.example}")

    def _explain(self, error: jsonschema.ValidationError) -> str:
        hint = self._hint(error.schema)
        if error.validator in error.schema.get("x-messages", {}):
            return error.schema["x-messages"][error.validator]
        if error.validator == "type":
            expected = {"object": "keys and values", "array": "a list", "string": "text",
                        "boolean": "true or false"}.get(str(error.validator_value), str(error.validator_value))
            return f"expected {expected}; write {hint}"
        if error.validator == "format":
            return f"{error.cause}; write {hint}"
        if error.validator == "maxLength":
            return f"longer than {error.validator_value} characters; shorten it"
        if error.validator == "minLength":
            return f"empty; write {hint}"
        if error.validator == "minItems":
            return f"the list is empty; write {hint}"
        if error.validator in ("maxItems", "maxProperties"):
            return f"the list is longer than {error.validator_value} items"
        if error.validator == "uniqueItems":
            return "an item appears twice; list each once"
        if error.validator == "enum":
            return f"{error.instance!r} is not in the vocabulary; use {hint}"
        return f"{error.message}; write {hint}"


def key_problem(file: str, path: list[str], value: object, code: str, message: str) -> Problem:
    """A problem at a key path of a YAML document; the column is the last key that is not an index."""
    column = next((part for part in reversed(path) if not part.isdigit()), None)
    return Problem(file, KeyPath.of(path), column, _as_text(value), code, message)


def _as_text(value: object) -> str | None:
    """The value as text, whole: the problem table abbreviates a long one and gives its length."""
    if value is None:
        return None
    return value if isinstance(value, str) else repr(value)
