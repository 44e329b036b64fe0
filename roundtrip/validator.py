"""Validating data against one schema document: a compiled yes/no check, jsonschema for errors.

`Validator(schema)` takes the portable schema (formats' patterns added, formats.portable) of one
format. Building it vets the schema (fastcheck.py refuses, with its JSON pointer, any keyword the
toolkit does not implement) and compiles the fast check; valid data never goes further. Data the
check rejects goes to jsonschema (imported then), whose errors become Violations worded for
people. Each validator resolves `$ref` within its own document only: jsonschema gets an empty
registry of its own, so a foreign `$id` is never fetched and no other schema's `$defs` is seen.
"""

from __future__ import annotations

import copy
import functools
import itertools
import json
from collections.abc import Container, Iterator, Mapping
from typing import TYPE_CHECKING, Any, NamedTuple

import attrs

from .ecma import searcher
from .fastcheck import (
    ANNOTATIONS,
    ROOT_ONLY,
    Check,
    Compiler,
    FormatRules,
    UnsupportedSchema,
    is_integer,
    is_number,
)
from .formats import (
    CHECKS_ITS_PATTERN,
    FORMAT_PATTERNS,
    FORMAT_SHORTCUTS,
    FORMATS,
    PATTERN_FORMATS,
)

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator, FormatChecker
    from jsonschema.exceptions import ValidationError

__all__ = ["UNKNOWN_KEYS_NAMED", "UnsupportedSchema", "Validator", "Violation", "unknown_keys"]

# How many unknown keys of one mapping are named one by one: the others are counted in one more
# violation. A mapping may hold a million, and each key named costs a warning and its place.
UNKNOWN_KEYS_NAMED = 20
_UNKNOWN = "unknown field (not in the schema)"


@attrs.frozen
class Violation:
    """One way the data breaks the schema: where, what, and whether it is only an unknown key."""

    path: tuple[str | int, ...]
    message: str
    unknown_key: bool = False


class _Fields(NamedTuple):
    """A root schema that judges each top-level value on its own: the compiled check of each
    property, of any other key's value (None: anything), and the required keys."""

    properties: dict[str, Check]
    others: Check | None
    required: tuple[str, ...]
    # The properties whose array value is judged item by item (and by length only), with
    # their items' check and, where that judges an item's values one by one, its _Fields:
    # see _by_item.
    items: dict[str, tuple[Check, _Fields | None]]


# The keywords a root schema may have for its top-level values to be judged one by one.
_BY_FIELD = frozenset({"type", "properties", "required", "additionalProperties"})
# The keywords an array's schema may have for its items to be judged one by one: `items`
# judges each item alone, and the others but the type only the length (JSON Schema's
# uniqueItems, contains, prefixItems… look at several items, or at an item's place).
_BY_ITEM = frozenset({"type", "items", "minItems", "maxItems"})


class Validator:
    """Checks data against one schema document (draft 2020-12, the supported keywords)."""

    def __init__(self, schema: Mapping[str, Any]) -> None:
        self.schema: dict[str, Any] = copy.deepcopy(dict(schema))
        compiler = Compiler(self.schema, _format_rules())
        # The compiled yes/no check: True is jsonschema's verdict; False means "ask jsonschema"
        # (for JSON data it is jsonschema's verdict too).
        self.check: Check = compiler.compile()
        self._fields = _fields(self.schema, (), compiler)
        self._jsonschema: Draft202012Validator | None = None

    def __reduce__(self) -> tuple[type[Validator], tuple[dict[str, Any]]]:
        # The compiled functions do not pickle: another process builds its own from the schema.
        return (Validator, (self.schema,))

    def is_valid(self, data: Any) -> bool:
        """Whether `data` satisfies the schema."""
        return self.check(data) or not any(self._errors().iter_errors(data))

    def validate(self, data: Any, *, fast: bool = True) -> list[Violation]:
        """Every violation of the schema by `data`, each missing key as its own, and the first
        UNKNOWN_KEYS_NAMED unknown keys of a mapping as their own (then one for the rest).

        Valid data takes the compiled check; anything else (or `fast=False`) goes through
        jsonschema, which alone words the errors.
        """
        if fast and self.check(data):
            return []
        # jsonschema reports "required" once per missing key; each of ours names its key already.
        violations: dict[Violation, None] = {}
        for error in self._errors().iter_errors(data):
            for violation in _violations(error):  # no second dict: there may be a million
                violations[violation] = None
        return list(violations)

    def validate_changed(
        self, data: Any, unchanged: Container[str], old: Mapping[str, Any] | None = None
    ) -> list[Violation]:
        """`validate`, for a mapping whose values at the keys `unchanged` passed this
        validator before: where the root schema judges each top-level value on its own (only
        `type: object`, `properties`, `required`, `additionalProperties`), those values are not
        checked again. `old`, if given, is data that passed it whole before: a list as long as
        its own at the same key, whose schema judges items one by one, has only the items
        that are not its very objects checked. The verdict is `validate`'s."""
        fields = self._fields
        if fields is None or type(data) is not dict:
            return self.validate(data)
        for key in fields.required:
            if key not in data:
                return self.validate(data)
        properties, others, by_item = fields.properties, fields.others, fields.items
        for key, value in data.items():
            check = properties.get(key)
            if check is None:
                if others is not None and not others(value):
                    return self.validate(data)
            elif key in unchanged:
                continue
            elif old is not None and key in by_item and _same_length(value, old.get(key)):
                if not _new_items_pass(*by_item[key], value, old[key]):
                    return self.validate(data)
            elif not check(value):
                return self.validate(data)
        return []

    def _errors(self) -> Draft202012Validator:
        if self._jsonschema is None:
            from referencing import Registry

            # An empty registry of its own: only this document, nothing fetched.
            self._jsonschema = _jsonschema_class()(
                self.schema, registry=Registry(), format_checker=_format_checker()
            )
        return self._jsonschema


def _fields(schema: Any, path: tuple[Any, ...], compiler: Compiler) -> _Fields | None:
    """The checks field by field of the object schema at `path` (the root, or an array's
    items), if it judges each value on its own; its arrays' items are looked at only at the
    root."""
    if not isinstance(schema, dict):
        return None
    keywords = {key for key in schema if key not in ANNOTATIONS and key not in ROOT_ONLY
                and not key.startswith("x-")}  # fmt: skip
    if not keywords <= _BY_FIELD or schema.get("type") != "object":
        return None
    compiled = compiler.compiled
    names = schema.get("properties", {})
    items = {}
    for name in names if not path else ():
        if _by_item(names[name]):
            at = ("properties", name, "items")
            items[name] = (compiled[at], _fields(*_followed(compiler, at), compiler))
    return _Fields(
        {name: compiled[(*path, "properties", name)] for name in names},
        compiled.get((*path, "additionalProperties")),
        tuple(schema.get("required", ())),
        items,
    )


def _followed(compiler: Compiler, path: tuple[Any, ...]) -> tuple[Any, tuple[Any, ...]]:
    """The schema at `path` in the compiler's document, and its path; a schema that is only a
    `$ref` (and annotations) followed to the one it names."""
    node: Any = compiler.root
    for part in path:
        node = node[part]
    if isinstance(node, dict) and "$ref" in node and all(
        key == "$ref" or key in ANNOTATIONS for key in node
    ):  # fmt: skip
        target = compiler.resolve(node["$ref"], path)
        return _followed(compiler, target) if target != path else (None, path)
    return node, path


def _by_item(node: Any) -> bool:
    """Whether a schema judges an array item by item: a list passes when it has the length
    one that passed had, and each item passes `items`."""
    if not isinstance(node, dict) or node.get("type") != "array" or "items" not in node:
        return False
    return all(key in _BY_ITEM or key in ANNOTATIONS or key.startswith("x-") for key in node)


def _same_length(value: Any, before: Any) -> bool:
    return type(value) is list and type(before) is list and len(value) == len(before)


def _new_items_pass(
    check: Check, fields: _Fields | None, items: list[Any], before: list[Any]
) -> bool:
    """Whether each item of `items` that is not `before`'s very object at its place passes
    `check`; where the items' schema judges their values one by one (`fields`), an item that
    keeps the keys of the one it replaces (which passed, so its keys did) has only its values
    that are not that one's very objects checked."""
    for item, was in zip(items, before, strict=True):
        if item is was:
            continue
        if fields is None or type(item) is not dict or type(was) is not dict or (
            item.keys() != was.keys()
        ):  # fmt: skip
            if not check(item):
                return False
            continue
        properties, others = fields.properties, fields.others
        for key, value in item.items():
            if value is was[key]:
                continue
            each = properties.get(key, others)
            if each is not None and not each(value):
                return False
    return True


@functools.cache
def _format_rules() -> FormatRules:
    return FormatRules(FORMATS, FORMAT_PATTERNS, CHECKS_ITS_PATTERN, FORMAT_SHORTCUTS)


def _is_integer(_checker: object, instance: object) -> bool:
    return is_integer(instance)


def _type(
    validator: Draft202012Validator, types: Any, instance: object, schema: dict[str, Any]
) -> Iterator[ValidationError]:
    # A number must be one JSON can hold, as Ajv's type check has it: no NaN, no infinity.
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError

    names = types if isinstance(types, list) else [types]
    if isinstance(instance, float) and "number" in names and not is_number(instance):
        yield ValidationError(f"{instance!r} is not a number JSON can hold")
        return
    yield from Draft202012Validator.VALIDATORS["type"](validator, types, instance, schema)


def _pattern(
    validator: Draft202012Validator, pattern: str, instance: object, schema: dict[str, Any]
) -> Iterator[ValidationError]:
    # JSON Schema patterns are ECMA-262 regular expressions, not Python ones.
    from jsonschema.exceptions import ValidationError

    if isinstance(instance, str) and not searcher(pattern)(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


def _multiple_of(
    validator: Draft202012Validator, divisor: Any, instance: object, schema: dict[str, Any]
) -> Iterator[ValidationError]:
    # jsonschema's own check, except that it raises on NaN, infinity and ints too large to
    # divide as floats (all of which YAML can write): those are no multiple of anything.
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError

    try:
        errors = list(
            Draft202012Validator.VALIDATORS["multipleOf"](validator, divisor, instance, schema)
        )
    except (ValueError, OverflowError):
        errors = [ValidationError(f"{instance!r} is not a multiple of {divisor}")]
    yield from errors


def _additional_properties(
    validator: Draft202012Validator, extra: Any, instance: object, schema: dict[str, Any]
) -> Iterator[ValidationError]:
    # `false` makes every key `properties` does not name unknown: jsonschema's one error would
    # list them all in its message. Ours: one error per key (its path ends with the key) for the
    # first few, then one, at the next, that counts the rest; nothing held per key.
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError

    if extra is not False or not isinstance(instance, dict):
        yield from Draft202012Validator.VALIDATORS["additionalProperties"](
            validator, extra, instance, schema
        )
        return
    known = schema.get("properties", {})
    for key, message in unknown_keys(key for key in instance if key not in known):
        yield ValidationError(message, path=[key])


def unknown_keys(keys: Iterator[str]) -> Iterator[tuple[str, str]]:
    """(key, message) for the first UNKNOWN_KEYS_NAMED of a mapping's unknown `keys`, then one
    for the next that counts it and the rest (read, not held)."""
    yield from ((key, _UNKNOWN) for key in itertools.islice(keys, UNKNOWN_KEYS_NAMED))
    rest = next(keys, None)
    if rest is not None:
        more = 1 + sum(1 for _ in keys)
        yield rest, f"and {more:,} more unknown fields from here on (not in the schema)"


@functools.cache
def _jsonschema_class() -> type[Draft202012Validator]:
    from jsonschema import Draft202012Validator
    from jsonschema.validators import extend

    cls: type[Draft202012Validator] = extend(  # type: ignore[no-untyped-call]
        Draft202012Validator,
        validators={
            "pattern": _pattern,
            "multipleOf": _multiple_of,
            "type": _type,
            "additionalProperties": _additional_properties,
        },
        type_checker=Draft202012Validator.TYPE_CHECKER.redefine("integer", _is_integer),
    )
    return cls


@functools.cache
def _format_checker() -> FormatChecker:
    from jsonschema import FormatChecker

    checker = FormatChecker(formats=())
    for name, function in FORMATS.items():
        checker.checks(name)(function)
    return checker


def _violations(error: ValidationError) -> Iterator[Violation]:
    path = tuple(error.absolute_path)
    keyword = error.validator
    if keyword == "additionalProperties" and error.validator_value is False:
        yield Violation(path, error.message, True)  # (its path ends with the key)
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


_FORMAT_WORDS = {
    "date-time": "an RFC 3339 date-time with an offset, like 2023-10-19T09:00:00Z",
    "date": "an RFC 3339 date, like 2023-10-19",
    "uri": "an absolute URI",
    "email": "an email address",
}


def _message(error: ValidationError) -> str:
    keyword, expected, instance = error.validator, error.validator_value, error.instance
    shown = _show(instance)
    if keyword == "type":
        if instance is None:
            return f"expected {_a(expected)}, got null"
        if isinstance(instance, float) and instance - instance != 0:
            return f"expected {_a(expected)}, got {instance}: JSON has no such number"
        return f"expected {_a(expected)}, got {_json_type(instance)} {shown}"
    if keyword == "pattern" and expected in PATTERN_FORMATS:
        # The pattern a format carries abroad: word it as that format's failure.
        keyword, expected = "format", PATTERN_FORMATS[expected]
    if keyword == "format":
        return _format_message(str(expected), instance, shown)
    if keyword == "pattern":
        schema = error.schema if isinstance(error.schema, dict) else {}
        form = schema.get("description") or f"the pattern {expected}"
        what = str(schema.get("title", "the value")).lower()
        length = f" ({len(instance)} characters)" if isinstance(instance, str) else ""
        return f"{shown}{length} does not have the form of {what}: {form}"
    words = _MESSAGES.get(str(keyword))
    return words(expected, shown) if words is not None else str(error.message)


def _format_message(name: str, instance: Any, shown: str) -> str:
    shapes = {"date-time": "a date-time", "date": "a date"}
    if name in shapes and isinstance(instance, str) and searcher(FORMAT_PATTERNS[name])(instance):
        return f"{shown} has the form of {shapes[name]} but no such {shapes[name][2:]} exists"
    return f"{shown} is not {_FORMAT_WORDS.get(name, f'format {name}')}"


_MESSAGES: dict[str, Any] = {
    "minLength": lambda n, _: "must not be empty" if n == 1 else f"shorter than {n} characters",
    "maxLength": lambda n, _: "must be empty" if n == 0 else f"longer than {n} characters",
    "minimum": lambda n, shown: f"{shown} is below the minimum {n}",
    "maximum": lambda n, shown: f"{shown} is above the maximum {n}",
    "exclusiveMinimum": lambda n, shown: f"{shown} is not above {n}",
    "exclusiveMaximum": lambda n, shown: f"{shown} is not below {n}",
    "multipleOf": lambda n, shown: f"{shown} is not a multiple of {n}",
    "minItems": lambda n, _: "must not be empty" if n == 1 else f"fewer than {n} items",
    "maxItems": lambda n, _: "must be empty" if n == 0 else f"more than {n} items",
    "uniqueItems": lambda _, __: "has duplicate items",
    "enum": lambda options, shown: f"{shown} is not one of {', '.join(map(_show, options))}",
    "const": lambda value, shown: f"expected {_show(value)}, got {shown}",
    "anyOf": lambda _, shown: f"{shown} matches none of the schemas allowed here",
    "oneOf": lambda _, shown: f"{shown} must match exactly one of the schemas allowed here",
}


def _show(instance: Any) -> str:
    text = json.dumps(instance, ensure_ascii=False, default=repr)
    return text if len(text) <= 60 else text[:57] + "..."


def _a(expected: Any) -> str:
    names = expected if isinstance(expected, list) else [expected]
    return " or ".join(
        name if name == "null" else ("an " if name[0] in "aeiou" else "a ") + name for name in names
    )


def _json_type(instance: Any) -> str:
    if isinstance(instance, bool):
        return "boolean"
    if instance is None:
        return "null"
    return {int: "integer", float: "number", str: "string", list: "array", dict: "object"}.get(
        type(instance), type(instance).__name__
    )
