"""A yes/no schema check compiled into Python closures, for the common case of valid data.

jsonschema stays the source of truth: data this check accepts is data jsonschema accepts, and
data it rejects is handed to jsonschema for the errors. It knows only the keywords the article
schema uses and refuses to compile a schema with any other, so a schema change can never make
the two disagree silently (tests/test_validation.py runs both over the same inputs).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from .ecma import searcher

Check = Callable[[Any], bool]

# Keywords that do not constrain the instance.
_ANNOTATIONS = frozenset(
    {"$schema", "$id", "$defs", "$comment", "title", "description", "x-yaml-style"}
)
_KEYWORDS = frozenset({
    "type", "properties", "required", "additionalProperties", "items", "$ref",
    "minLength", "minimum", "pattern", "format",
})  # fmt: skip


def is_integer(value: object) -> bool:
    """JSON Schema's integer: a number with no fractional part (3000.0 too), never a boolean."""
    if isinstance(value, float):
        return value.is_integer()
    return isinstance(value, int) and not isinstance(value, bool)


_TYPES: dict[str, Check] = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "integer": is_integer,
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}


class UnsupportedSchema(ValueError):
    """The schema uses a keyword or form this compiler does not implement."""


def compile_check(schema: Mapping[str, Any], formats: Mapping[str, Check]) -> Check:
    """A function telling whether data satisfies `schema` (local `#/$defs/...` refs only)."""
    compiled: dict[str, Check] = {}

    def ref(name: str) -> Check:
        # Late-bound, so that definitions may refer to each other in any order.
        return lambda value: compiled[name](value)

    def build(node: Mapping[str, Any]) -> Check:
        unknown = set(node) - _KEYWORDS - _ANNOTATIONS
        if unknown:
            raise UnsupportedSchema(f"keywords {sorted(unknown)} are not compiled")
        if "$ref" in node:
            target = node["$ref"]
            if not target.startswith("#/$defs/") or len(node.keys() & _KEYWORDS) > 1:
                raise UnsupportedSchema(f"$ref {target!r} beside other keywords or not local")
            return ref(target.removeprefix("#/$defs/"))
        checks: list[Check] = []
        kind = node.get("type")
        if kind is not None:
            if kind not in _TYPES:
                raise UnsupportedSchema(f"type {kind!r}")
            checks.append(_TYPES[kind])
        if "properties" in node or "required" in node or "additionalProperties" in node:
            checks.append(_object(node, build))
        if "items" in node:
            item = build(node["items"])
            checks.append(lambda v: not isinstance(v, list) or all(item(x) for x in v))
        if "minLength" in node:
            least = node["minLength"]
            checks.append(lambda v: not isinstance(v, str) or len(v) >= least)
        if "minimum" in node:
            floor = node["minimum"]
            checks.append(
                lambda v: isinstance(v, bool) or not isinstance(v, int | float) or v >= floor
            )
        if "pattern" in node:
            matches = searcher(node["pattern"])
            checks.append(lambda v: not isinstance(v, str) or matches(v))
        if "format" in node:
            name = node["format"]
            if name not in formats:
                raise UnsupportedSchema(f"format {name!r}")
            checks.append(formats[name])
        if len(checks) == 1:
            return checks[0]
        return lambda v: all(check(v) for check in checks)

    for name, definition in schema.get("$defs", {}).items():
        compiled[name] = build(definition)
    return build(schema)


def _object(node: Mapping[str, Any], build: Callable[[Mapping[str, Any]], Check]) -> Check:
    properties = {key: build(sub) for key, sub in node.get("properties", {}).items()}
    required = tuple(node.get("required", ()))
    extra = node.get("additionalProperties", True)
    if extra not in (True, False):
        raise UnsupportedSchema("additionalProperties other than true or false")
    closed = extra is False

    def check(value: Any) -> bool:
        if not isinstance(value, dict):
            return True
        for key in required:
            if key not in value:
                return False
        for key, item in value.items():
            sub = properties.get(key)
            if sub is None:
                if closed:
                    return False
            elif not sub(item):
                return False
        return True

    return check
