"""Dotted field paths (`related.0.provider.name`): reading a value, and the JSON Pointer form."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .errors import RoundtripError


def parse_field_path(text: str) -> list[str | int]:
    """`related.0.quality` -> ['related', 0, 'quality']."""
    if not text or any(not part for part in text.split(".")):
        raise RoundtripError(f"bad field path {text!r}: use keys and indexes joined by dots")
    return [int(part) if part.isdigit() else part for part in text.split(".")]


def dotted(parts: Sequence[str | int]) -> str:
    """['related', 0, 'quality'] -> `related.0.quality`."""
    return ".".join(str(part) for part in parts)


def json_pointer(parts: Sequence[str | int]) -> str:
    """['related', 0, 'quality'] -> `/related/0/quality` (RFC 6901 escaping)."""
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in parts)


def value_at(data: Any, field: str) -> Any:
    """The value at a dotted path in plain data; RoundtripError naming the first missing step."""
    parts = parse_field_path(field) if field else []
    value = data
    for depth, part in enumerate(parts):
        where = dotted(parts[: depth + 1])
        if isinstance(value, list) and isinstance(part, int):
            if not 0 <= part < len(value):
                raise RoundtripError(f"index {part} is out of range ({_range(value)})", field=where)
            value = value[part]
        elif isinstance(value, dict) and str(part) in value:
            value = value[str(part)]
        else:
            raise RoundtripError("no such field", field=where)
    return value


def schema_at(root: dict[str, Any], parts: Sequence[str | int]) -> dict[str, Any] | None:
    """The schema of the field at `parts` under the schema `root` (None: the schema has none)."""
    from .schema_doc import child_schema

    schema: dict[str, Any] | None = root
    for part in parts:
        schema = child_schema(schema, part)
    return schema


def _range(items: list[Any]) -> str:
    return f"0-{len(items) - 1}" if items else "the list is empty"


def get(record: Any, field: str) -> Any:
    """The value at a dotted path of a record (or of plain data), as plain JSON data."""
    if not isinstance(record, dict | list):
        from .api import to_dict

        record = to_dict(record)
    return value_at(record, field)
