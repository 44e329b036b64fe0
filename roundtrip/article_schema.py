"""The article JSON Schema: loading it, walking it, and validating data with jsonschema."""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from .ecma import searcher
from .fastcheck import Check, UnsupportedSchema, compile_check, is_integer
from .formats import DATE_TIME_PATTERN, FORMATS, PATTERN_FORMATS, portable

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError

SCHEMA_FILE = Path(__file__).with_name("article.schema.json")
STYLE_KEYWORD = "x-yaml-style"


@functools.cache
def load_schema() -> dict[str, Any]:
    """The article schema as parsed JSON (shared: do not mutate)."""
    schema: dict[str, Any] = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    return schema


def _is_integer(_checker: object, instance: object) -> bool:
    return is_integer(instance)


@functools.cache
def validation_schema() -> dict[str, Any]:
    """The schema data is checked against: the article schema with its formats' patterns.

    It is also what `roundtrip schema export --lang jsonschema` writes (shared: do not mutate).
    """
    return portable(load_schema())


def _pattern(
    validator: Draft202012Validator, pattern: str, instance: object, schema: dict[str, Any]
) -> Iterator[ValidationError]:
    # JSON Schema patterns are ECMA-262 regular expressions, not Python ones.
    from jsonschema.exceptions import ValidationError

    if isinstance(instance, str) and not searcher(pattern)(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


@functools.cache
def _validator() -> Draft202012Validator:
    return _build_validator(validation_schema())


def _build_validator(schema: dict[str, Any]) -> Draft202012Validator:
    # jsonschema is imported only when data fails the fast check (or for the comparison tests).
    from jsonschema import Draft202012Validator, FormatChecker
    from jsonschema.validators import extend

    format_checker = FormatChecker(formats=())
    for name, function in FORMATS.items():
        format_checker.checks(name)(function)
    cls = extend(  # type: ignore[no-untyped-call]
        Draft202012Validator,
        validators={"pattern": _pattern},
        type_checker=Draft202012Validator.TYPE_CHECKER.redefine("integer", _is_integer),
    )
    validator: Draft202012Validator = cls(schema, format_checker=format_checker)
    return validator


@attrs.frozen
class Violation:
    """One way the data breaks the schema: where, what, and whether it is only an unknown key."""

    path: tuple[str | int, ...]
    message: str
    unknown_key: bool = False


@functools.cache
def fast_check() -> Check | None:
    try:
        return compile_check(validation_schema(), FORMATS)
    except UnsupportedSchema:
        return None


def validate(data: Any, *, fast: bool = True) -> list[Violation]:
    """Every violation of the schema by `data`, each unknown or missing key as its own.

    Valid data takes the compiled fast check; anything else (or `fast=False`) goes through
    jsonschema, which alone words the errors.
    """
    check = fast_check() if fast else None
    if check is not None and check(data):
        return []
    # jsonschema reports "required" once per missing key; each of ours names its key already.
    violations: dict[Violation, None] = {}
    for error in _validator().iter_errors(data):
        violations.update(dict.fromkeys(_violations(error)))
    return list(violations)


def _violations(error: ValidationError) -> Iterator[Violation]:
    path = tuple(error.absolute_path)
    keyword = error.validator
    schema = error.schema if isinstance(error.schema, dict) else {}
    if keyword == "additionalProperties" and isinstance(error.instance, dict):
        known = schema.get("properties", {})
        for key in error.instance:
            if key not in known:
                yield Violation((*path, key), "unknown field (not in the schema)", True)
        return
    if (
        keyword == "required"
        and isinstance(error.validator_value, list)
        and isinstance(error.instance, dict)
    ):
        missing = [key for key in error.validator_value if key not in error.instance]
        for key in missing:
            yield Violation((*path, key), "required field is missing")
        return
    yield Violation(path, _message(error))


def _date_time_shape(instance: object) -> bool:
    return isinstance(instance, str) and searcher(DATE_TIME_PATTERN)(instance)


def _message(error: ValidationError) -> str:
    keyword, expected, instance = error.validator, error.validator_value, error.instance
    shown = _show(instance)
    if keyword == "type":
        if instance is None:
            return f"expected {_a(expected)}, got null"
        return f"expected {_a(expected)}, got {_json_type(instance)} {shown}"
    if keyword == "pattern" and expected in PATTERN_FORMATS:
        # The pattern a format carries abroad: word it as that format's failure.
        keyword, expected = "format", PATTERN_FORMATS[expected]
    if keyword == "format" and expected == "date-time" and _date_time_shape(instance):
        return f"{shown} has the form of a date-time but no such date or time exists"
    if keyword == "format":
        what = {"date-time": "an RFC 3339 date-time with an offset, like 2023-10-19T09:00:00Z",
                "uri": "an absolute URI"}.get(str(expected), f"format {expected}")  # fmt: skip
        return f"{shown} is not {what}"
    if keyword == "pattern":
        schema = error.schema if isinstance(error.schema, dict) else {}
        form = schema.get("description") or f"the pattern {expected}"
        what = str(schema.get("title", "the value")).lower()
        length = f" ({len(instance)} characters)" if isinstance(instance, str) else ""
        return f"{shown}{length} does not have the form of {what}: {form}"
    if keyword == "minLength":
        return "must not be empty" if expected == 1 else f"shorter than {expected} characters"
    if keyword == "minimum":
        return f"{shown} is below the minimum {expected}"
    return str(error.message)


def _show(instance: Any) -> str:
    text = json.dumps(instance, ensure_ascii=False, default=repr)
    return text if len(text) <= 60 else text[:57] + "..."


def _a(expected: Any) -> str:
    names = expected if isinstance(expected, list) else [expected]
    return " or ".join(("an " if name[0] in "aeiou" else "a ") + name for name in names)


def _json_type(instance: Any) -> str:
    if isinstance(instance, bool):
        return "boolean"
    if instance is None:
        return "null"
    return {int: "integer", float: "number", str: "string", list: "array", dict: "object"}.get(
        type(instance), type(instance).__name__
    )


def resolve(node: dict[str, Any]) -> dict[str, Any]:
    """Follow a local `$ref` (`#/$defs/Name`) to the schema it names."""
    ref = node.get("$ref")
    if ref is None:
        return node
    target: Any = load_schema()
    for part in ref.removeprefix("#/").split("/"):
        target = target[part]
    resolved: dict[str, Any] = target
    return resolved


def child_schema(node: dict[str, Any] | None, key: str | int) -> dict[str, Any] | None:
    """The subschema for a mapping key or a sequence index under `node`, if the schema has one."""
    if node is None:
        return None
    node = resolve(node)
    if isinstance(key, int):
        items = node.get("items")
        return resolve(items) if isinstance(items, dict) else None
    prop = node.get("properties", {}).get(key)
    return resolve(prop) if isinstance(prop, dict) else None


def key_order(node: dict[str, Any] | None) -> list[str]:
    """The canonical key order of an object schema: the order of its properties."""
    return list(resolve(node).get("properties", {})) if node is not None else []


class SchemaValidator:
    """Validation against one schema document (the fast check first, jsonschema for errors)."""

    def __init__(self, schema: dict[str, Any]) -> None:
        self.schema = schema
        try:
            self._fast: Check | None = compile_check(schema, FORMATS)
        except UnsupportedSchema:
            self._fast = None
        self._full: Draft202012Validator | None = None

    def validate(self, data: Any, *, fast: bool = True) -> list[Violation]:
        """Every violation of the schema by `data`, each unknown or missing key as its own."""
        if fast and self._fast is not None and self._fast(data):
            return []
        if self._full is None:
            self._full = _build_validator(self.schema)
        violations: dict[Violation, None] = {}
        for error in self._full.iter_errors(data):
            violations.update(dict.fromkeys(_violations(error)))
        return list(violations)
