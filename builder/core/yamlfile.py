"""Loading YAML safely: no object construction, no aliases, no repeated keys, no implicit
dates, bounded size.

Dates stay strings so that a schema checks them and a bad one is reported with its key,
instead of PyYAML turning ``2020-07-06`` into a date and ``2020-13-01`` into a string.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from builder.core.problems import Line, Problem
from builder.core.reading import FileTooLarge, NotUtf8, ReadRefused, decode_utf8, read_data_file

MAX_YAML_BYTES = 1_000_000
MAX_DEPTH = 20


class YamlProblem(ValueError):
    """YAML that cannot be loaded; ``line`` is 1-based when known."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


class _StrictSafeLoader(yaml.SafeLoader):
    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise YamlProblem(
                "YAML aliases (*name) are not allowed; write the value out in full",
                event.start_mark.line + 1,
            )
        depth = getattr(self, "_depth", 0)
        if depth > MAX_DEPTH:
            raise YamlProblem(f"the YAML is nested deeper than {MAX_DEPTH} levels")
        self._depth = depth + 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth = depth

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        # PyYAML keeps the last of two equal keys without a word; the first would be lost.
        seen: set[str] = set()
        for key_node, _ in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                if key_node.value in seen:
                    raise YamlProblem(f"the key `{key_node.value}` appears twice; keep one of them",
                                      key_node.start_mark.line + 1)
                seen.add(key_node.value)
        return super().construct_mapping(node, deep)


# Keep ISO dates as text: remove the timestamp resolver PyYAML's SafeLoader inherits.
_StrictSafeLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_yaml(text: str) -> Any:
    """Parse one YAML document safely."""
    if len(text.encode("utf-8")) > MAX_YAML_BYTES:
        raise YamlProblem(f"the YAML is larger than {MAX_YAML_BYTES // 1000} kB")
    try:
        return yaml.load(text, Loader=_StrictSafeLoader)  # noqa: S506 - a SafeLoader subclass
    except YamlProblem:
        raise
    except yaml.MarkedYAMLError as error:
        line = error.problem_mark.line + 1 if error.problem_mark else None
        raise YamlProblem(f"not valid YAML: {error.problem or error}", line) from error
    except yaml.YAMLError as error:
        raise YamlProblem(f"not valid YAML: {error}") from error


class _Missing:
    """What :func:`read_yaml_file` returns for a file it could not load (its problem says why)."""


UNREAD = _Missing()


def read_yaml_file(path: Path, data_dir: Path, invalid: str, size_hint: str) -> tuple[Any, list[Problem]]:
    """The YAML document in ``path`` (inside ``data_dir``), read within :data:`MAX_YAML_BYTES`;
    or :data:`UNREAD` and the one problem that stopped it: too large (``size_hint`` says what
    the limit is for), refused, not UTF-8, unreadable, or not YAML (code ``invalid``)."""
    file = path.as_posix()
    try:
        return load_yaml(decode_utf8(read_data_file(path, data_dir, MAX_YAML_BYTES))), []
    except FileTooLarge as error:
        return UNREAD, [Problem(file, None, None, error.message, "file-too-large", size_hint)]
    except ReadRefused as error:
        return UNREAD, [Problem(file, None, None, None, error.code, error.message)]
    except NotUtf8 as error:
        return UNREAD, [Problem(file, None, None, None, "file-unreadable", f"{error}; save it as UTF-8")]
    except OSError as error:
        return UNREAD, [Problem(file, None, None, None, "file-unreadable", str(error))]
    except YamlProblem as error:
        line = None if error.line is None else Line(error.line)
        return UNREAD, [Problem(file, line, None, None, invalid, error.message)]
