"""A yes/no schema check compiled into Python functions, for the common case of valid data.

Each schema object becomes one generated function: a branch per type the schema allows, with
that type's keywords as inline conditions; objects, arrays, `$ref`s, formats and patterns are
calls to functions bound by name (bind), so no text from the schema becomes code.

jsonschema stays the source of truth and of the error messages: data this check accepts is data
jsonschema accepts, and on JSON data (dicts, lists, strings, numbers, booleans, None) it rejects
exactly what jsonschema rejects; anything else (a tuple, a Decimal, a str subclass) it rejects, so
that jsonschema decides. Compiling a schema also vets it: a keyword the toolkit does not
implement, a malformed value or a `$ref` leaving the document is refused with the JSON pointer
of its place, so a schema can never be half-checked silently. tests/test_validator.py runs this
check and jsonschema side by side over generated schemas and data.
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from fractions import Fraction
from typing import Any
from urllib.parse import unquote

import attrs

from .ecma import searcher
from .errors import FormatError

Check = Callable[[Any], bool]
Path = tuple[str | int, ...]

DRAFT_2020_12 = frozenset(
    {
        "https://json-schema.org/draft/2020-12/schema",
        "https://json-schema.org/draft/2020-12/schema#",
    }
)
# Keywords that do not constrain the instance (any `x-*` key is one too).
ANNOTATIONS = frozenset(
    {"$comment", "title", "description", "default", "examples", "deprecated", "readOnly",
     "writeOnly", "$defs"}
)  # fmt: skip
ROOT_ONLY = frozenset({"$schema", "$id"})
_TYPES: dict[str, tuple[type, ...]] = {
    "object": (dict,),
    "array": (list,),
    "string": (str,),
    "boolean": (bool,),
    "null": (type(None),),
    "number": (int, float),
    "integer": (int, float),
}
_ALL_TYPES = (dict, list, str, bool, type(None), int, float)


class UnsupportedSchema(FormatError):
    """A schema the toolkit cannot check faithfully; `pointer` names the place (`#/a/b`)."""

    def __init__(self, pointer: str, message: str) -> None:
        super().__init__(message, field=pointer)
        self.pointer = pointer


def pointer(path: Iterable[str | int]) -> str:
    """The JSON pointer of `path`, as a URI fragment (`#/properties/a~1b`)."""
    return "#" + "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in path)


def is_number(value: object) -> bool:
    """JSON Schema's number as JSON holds it: finite (no NaN, no infinity), never a boolean."""
    if isinstance(value, float):
        return value - value == 0
    return isinstance(value, int) and not isinstance(value, bool)


def is_integer(value: object) -> bool:
    """JSON Schema's integer: a number with no fractional part (3000.0 too), never a boolean."""
    if isinstance(value, float):
        return value.is_integer()
    return isinstance(value, int) and not isinstance(value, bool)


# JSON equality as jsonschema judges it (jsonschema._utils: equal, unbool, uniq), restated here
# because importing jsonschema costs more than the whole fast check saves. 1 == 1.0, 1 != true.
def _unbool(element: Any, true: object = object(), false: object = object()) -> Any:
    if element is True:
        return true
    if element is False:
        return false
    return element


def json_equal(one: Any, two: Any) -> bool:
    """Whether two JSON values are equal as JSON Schema's enum, const and uniqueItems say."""
    if one is two:
        return True
    if isinstance(one, str) or isinstance(two, str):
        return bool(one == two)
    if isinstance(one, list | tuple) and isinstance(two, list | tuple):
        return len(one) == len(two) and all(json_equal(a, b) for a, b in zip(one, two, strict=True))
    if isinstance(one, dict) and isinstance(two, dict):
        return len(one) == len(two) and all(
            key in two and json_equal(value, two[key]) for key, value in one.items()
        )
    return bool(_unbool(one) == _unbool(two))


def unique(items: list[Any]) -> bool:
    """Whether no two items are equal, decided as jsonschema decides it (sorted neighbours
    when the items sort, every pair otherwise)."""
    try:
        ordered = sorted(_unbool(item) for item in items)
        return not any(
            json_equal(a, b)
            for a, b in zip(ordered, itertools.islice(ordered, 1, None), strict=False)
        )
    except (NotImplementedError, TypeError):
        seen: list[Any] = []
        for item in items:
            item = _unbool(item)
            if any(json_equal(other, item) for other in seen):
                return False
            seen.append(item)
        return True


def is_multiple(value: int | float, divisor: int | float) -> bool:
    """`multipleOf` as jsonschema computes it; a value it cannot divide (NaN, infinity, an int
    too large for a float) is no multiple."""
    try:
        if isinstance(divisor, float):
            quotient = value / divisor
            try:
                return int(quotient) == quotient
            except OverflowError:
                return (Fraction(value) / Fraction(divisor)).denominator == 1
        return not value % divisor
    except (ValueError, OverflowError, ZeroDivisionError):
        return False


_MISSING = object()  # a key the mapping has not
# The longest check written inline in its parent's: longer ones (deep nesting) stay calls, so
# that no generated expression nests without bound.
_INLINE_AT_MOST = 400


def _extra_items(known: frozenset[str], extra: Check) -> Check:
    """`additionalProperties`: every value of a key no property names passes `extra`."""

    def check(value: dict[Any, Any]) -> bool:
        return all(key in known or extra(item) for key, item in value.items())

    return check


def _accept(_value: Any) -> bool:
    return True


def _reject(_value: Any) -> bool:
    return False


@attrs.frozen
class FormatRules:
    """The `format` checks, and what the compiler may skip when a format's own pattern (see
    formats.portable) stands beside it."""

    checks: Mapping[str, Check]
    patterns: Mapping[str, str] = attrs.Factory(dict)  # format -> the pattern it carries
    implied: frozenset[str] = frozenset()  # formats whose check tests their pattern already
    # format -> a check that, when true, proves both the format and its pattern (tried first).
    shortcuts: Mapping[str, Check] = attrs.Factory(dict)


class Compiler:
    """Compiles every schema in one document; `$ref`s are bound once all of them exist."""

    def __init__(
        self,
        root: Mapping[str, Any] | bool,
        formats: Mapping[str, Check] | FormatRules,
    ) -> None:
        self.root = root
        self.formats = formats if isinstance(formats, FormatRules) else FormatRules(formats)
        self.compiled: dict[Path, Check] = {}
        self.refs: list[tuple[Path, str, str]] = []  # where, the $ref, the name bound to it
        # schema -> the schemas applied to the same value through $ref, allOf and anyOf
        self.same_value: dict[Path, list[Path]] = defaultdict(list)
        # The globals of the generated functions: every value they use is bound here by name,
        # so no text from the schema ever becomes code.
        self.namespace: dict[str, Any] = {}
        self._names = itertools.count()
        # check -> its one expression of `value`, for a parent to write inline (no call)
        self.expressions: dict[Check, str] = {}

    def compile(self) -> Check:
        check = self.schema(self.root, ())
        for at, ref, name in self.refs:
            path = self.resolve(ref, at)
            target = self.compiled.get(path)
            if target is None:
                raise UnsupportedSchema(
                    pointer((*at, "$ref")), f"$ref {ref!r} does not point to a schema"
                )
            self.namespace[name] = target
            self.same_value[at].append(path)
        self._refuse_loops()
        return check

    def _refuse_loops(self) -> None:
        """Refuse a `$ref` that comes back to a schema on the same value (`A` is `allOf: [A]`):
        checking any value against it would never end, here or in jsonschema."""
        state: dict[Path, bool] = {}  # False while on the trail, True when done

        def visit(path: Path, trail: list[Path]) -> None:
            if state.get(path) is True:
                return
            if path in state:  # on the trail: the last step back to it is a $ref
                loop = ", ".join(pointer(step) for step in trail[trail.index(path) :])
                raise UnsupportedSchema(
                    pointer((*trail[-1], "$ref")),
                    f"$ref leads back to the same schema for the same value ({loop})",
                )
            state[path] = False
            for step in self.same_value.get(path, ()):
                visit(step, [*trail, path])
            state[path] = True

        for path in list(self.same_value):
            visit(path, [])

    def bind(self, value: Any) -> str:
        """A name the generated code reads `value` by."""
        name = f"k{next(self._names)}"
        self.namespace[name] = value
        return name

    def call(self, check: Check) -> str:
        """The condition that `check` accepts the value."""
        return f"{self.bind(check)}(value)"

    def expression(self, condition: str) -> Check:
        """A function returning `condition` (of `value`), which parents may inline."""
        check = self.define([f"return {condition}"])
        self.expressions[check] = condition
        return check

    def define(self, lines: list[str]) -> Check:
        """A function of `value` with the body `lines` (generated code, names bound by bind)."""
        source = "def check(value):\n" + "".join(f"    {line}\n" for line in lines)
        scope: dict[str, Any] = {}
        exec(source, self.namespace, scope)  # only generated names: see bind
        check: Check = scope["check"]
        return check

    def resolve(self, ref: Any, at: Path) -> Path:
        """The path a local `$ref` (`#`, `#/$defs/Name`, escapes and %-encoding) points to."""
        where = pointer((*at, "$ref"))
        if not isinstance(ref, str) or not ref.startswith("#"):
            raise UnsupportedSchema(
                where, f"$ref {ref!r}: only references within the schema (#/...) are supported"
            )
        fragment = unquote(ref[1:])
        if fragment and not fragment.startswith("/"):
            raise UnsupportedSchema(where, f"$ref {ref!r}: anchors are not supported")
        path: list[str | int] = []
        node: Any = self.root
        for raw in fragment.split("/")[1:] if fragment else []:
            part = raw.replace("~1", "/").replace("~0", "~")
            if isinstance(node, list) and part.isdigit() and int(part) < len(node):
                path.append(int(part))
                node = node[int(part)]
            elif isinstance(node, dict) and part in node:
                path.append(part)
                node = node[part]
            else:
                raise UnsupportedSchema(where, f"$ref {ref!r} points to nothing")
        return tuple(path)

    # -- one schema ---------------------------------------------------------------------------

    def schema(self, node: Any, path: Path) -> Check:
        if node is True or node is False:
            check: Check = _accept if node else _reject
        elif isinstance(node, dict):
            check = self._object_schema(node, path)
        else:
            raise UnsupportedSchema(pointer(path), "a schema must be an object or a boolean")
        self.compiled[path] = check
        return check

    def _object_schema(self, node: dict[str, Any], path: Path) -> Check:
        for key in node:
            if key not in _KEYWORDS and key not in ANNOTATIONS and not key.startswith("x-"):
                if key in ROOT_ONLY:
                    message = f"keyword {key!r} is only supported at the root of the schema"
                    if not path:
                        continue
                else:
                    message = f"keyword {key!r} is not supported"
                raise UnsupportedSchema(pointer((*path, key)), message)
        if not path:
            self._root_keywords(node)
        for name, definition in _mapping(node, "$defs", path).items():
            self.schema(definition, (*path, "$defs", name))

        allowed = self._types(node, path)
        by_type: dict[type, list[str]] = {kind: [] for kind in allowed}
        names = _type_list(node)
        if float in by_type and "integer" in names and "number" not in names:
            by_type[float].append("value.is_integer()")
        elif float in by_type and "number" in names:
            by_type[float].append("value - value == 0")  # finite: JSON has no NaN or infinity
        numeric = self._number(node, path)
        specific = (
            (str, self._string(node, path)),
            (int, numeric),
            (float, numeric),
            (list, self._array(node, path)),
            (dict, self._properties(node, path)),
        )
        for kind, checks in specific:
            if kind in by_type:
                by_type[kind].extend(checks)
        common = self._common(node, path, by_type)
        return self._function(by_type, common)

    def _function(self, by_type: dict[type, list[str]], common: list[str]) -> Check:
        """One function for a schema: a branch per type it allows, its conditions inline."""
        if not by_type:
            return _reject
        if len(by_type) == len(_ALL_TYPES) and not any(by_type.values()):
            # No type-specific keyword: the common conditions (or none: anything passes, as in
            # jsonschema) apply to any value; each of them judges a value of any type.
            return self.expression(" and ".join(common)) if common else _accept
        branches = [
            (f"t is {self.bind(kind)}", " and ".join([*conditions, *common]))
            for kind, conditions in by_type.items()
        ]
        if len(branches) == 1:
            ((test, conditions),) = branches
            test = test.replace("t is", "type(value) is", 1)
            return self.expression(test + (f" and {conditions}" if conditions else ""))
        lines = ["t = type(value)"]
        lines += [f"if {test}: return {conditions or 'True'}" for test, conditions in branches]
        return self.define([*lines, "return False"])

    def _root_keywords(self, node: dict[str, Any]) -> None:
        dialect = node.get("$schema")
        if dialect is not None and dialect not in DRAFT_2020_12:
            raise UnsupportedSchema(
                "#/$schema", f"$schema {dialect!r}: only JSON Schema draft 2020-12 is supported"
            )
        if "$id" in node and not isinstance(node["$id"], str):
            raise UnsupportedSchema("#/$id", "$id must be a string")

    def _types(self, node: dict[str, Any], path: Path) -> list[type]:
        if "type" not in node:
            return list(_ALL_TYPES)
        names = _type_list(node)
        if not names or any(name not in _TYPES for name in names) or len(set(names)) < len(names):
            raise UnsupportedSchema(
                pointer((*path, "type")),
                f"type {node['type']!r}: expected one or more of {', '.join(_TYPES)}",
            )
        return list(dict.fromkeys(kind for name in names for kind in _TYPES[name]))

    def _string(self, node: dict[str, Any], path: Path) -> list[str]:
        checks: list[str] = []
        least = _count(node, "minLength", path)
        most = _count(node, "maxLength", path)
        if least is not None:
            checks.append(f"len(value) >= {self.bind(least)}")
        if most is not None:
            checks.append(f"len(value) <= {self.bind(most)}")
        name = node.get("format")
        if "format" in node and (not isinstance(name, str) or name not in self.formats.checks):
            raise UnsupportedSchema(
                pointer((*path, "format")),
                f"format {name!r} is not supported (supported: {', '.join(self.formats.checks)})",
            )
        pattern = (
            self.call(_pattern(node["pattern"], (*path, "pattern"))) if "pattern" in node else ""
        )
        if not isinstance(name, str):
            return [*checks, pattern] if pattern else checks
        check = self.call(self.formats.checks[name])
        if not pattern or node["pattern"] != self.formats.patterns.get(name):
            return [*checks, check, pattern] if pattern else [*checks, check]
        # The format's own pattern beside it (formats.portable put it there).
        if name in self.formats.implied:
            return [*checks, check]
        shortcut = self.formats.shortcuts.get(name)
        if shortcut is not None:
            return [*checks, f"({self.call(shortcut)} or ({check} and {pattern}))"]
        return [*checks, check, pattern]

    def _number(self, node: dict[str, Any], path: Path) -> list[str]:
        # Each bound is jsonschema's own comparison, negated (NaN compares false: it passes).
        failures = {"minimum": "<", "maximum": ">", "exclusiveMinimum": "<=",
                    "exclusiveMaximum": ">="}  # fmt: skip
        checks: list[str] = []
        for keyword, fails in failures.items():
            bound = _number(node, keyword, path)
            if bound is not None:
                checks.append(f"not value {fails} {self.bind(bound)}")
        divisor = _number(node, "multipleOf", path)
        if divisor is not None:
            if not divisor > 0:
                raise UnsupportedSchema(pointer((*path, "multipleOf")), "must be above 0")
            checks.append(f"{self.bind(is_multiple)}(value, {self.bind(divisor)})")
        return checks

    def _array(self, node: dict[str, Any], path: Path) -> list[str]:
        least = _count(node, "minItems", path)
        most = _count(node, "maxItems", path)
        distinct = node.get("uniqueItems", False)
        if not isinstance(distinct, bool):
            raise UnsupportedSchema(pointer((*path, "uniqueItems")), "must be true or false")
        if "items" in node and isinstance(node["items"], list):
            raise UnsupportedSchema(
                pointer((*path, "items")),
                "items must be one schema (arrays of schemas are draft 7)",
            )
        item = self.schema(node["items"], (*path, "items")) if "items" in node else None
        if item is _accept:
            item = None
        if least is None and most is None and item is None and not distinct:
            return []
        low = least or 0

        def check(value: list[Any]) -> bool:
            if len(value) < low or (most is not None and len(value) > most):
                return False
            if item is not None:
                for each in value:
                    if not item(each):
                        return False
            return not distinct or unique(value)

        return [self.call(check)]

    def _properties(self, node: dict[str, Any], path: Path) -> list[str]:
        properties = {
            key: self.schema(sub, (*path, "properties", key))
            for key, sub in _mapping(node, "properties", path).items()
        }
        required = node.get("required", [])
        if not isinstance(required, list) or not all(isinstance(k, str) for k in required):
            raise UnsupportedSchema(pointer((*path, "required")), "must be a list of strings")
        extra: Check | None = None
        if "additionalProperties" in node:
            extra = self.schema(node["additionalProperties"], (*path, "additionalProperties"))
            if extra is _accept:
                extra = None
        # Conditions on the mapping `value`, one per key, unrolled: each property's value is
        # read once (into a variable of its own) and judged inline when its check is one
        # expression, else by a call; then the keys no property names.
        conditions = [f"{self.bind(key)} in value" for key in dict.fromkeys(required)]
        missing = self.bind(_MISSING)
        for key, sub in properties.items():
            if sub is _accept:
                continue
            item = f"v{next(self._names)}"
            inline = self.expressions.get(sub, "")
            test = (
                re.sub(r"\bvalue\b", item, inline)
                if 0 < len(inline) <= _INLINE_AT_MOST
                else f"{self.bind(sub)}({item})"
            )
            conditions.append(
                f"(({item} := value.get({self.bind(key)}, {missing})) is {missing} or ({test}))"
            )
        if extra is _reject:
            conditions.append(f"value.keys() <= {self.bind(frozenset(properties))}")
        elif extra is not None:
            conditions.append(f"{self.bind(_extra_items(frozenset(properties), extra))}(value)")
        return conditions

    def _common(
        self, node: dict[str, Any], path: Path, by_type: dict[type, list[str]]
    ) -> list[str]:
        """Conditions on values of any type; `enum` and `const` of plain values narrow
        `by_type`."""
        checks: list[str] = []
        if "enum" in node:
            options = node["enum"]
            if not isinstance(options, list) or not options:
                raise UnsupportedSchema(pointer((*path, "enum")), "must be a non-empty list")
            checks.append(self._one_of_values(options, by_type))
        if "const" in node:
            checks.append(self._one_of_values([node["const"]], by_type))
        if "$ref" in node:
            self.resolve(node["$ref"], path)  # refused now if it leaves the document
            name = self.bind(_reject)  # bound to the target once every schema is compiled
            self.refs.append((path, node["$ref"], name))
            checks.append(f"{name}(value)")
        for keyword in ("allOf", "anyOf", "oneOf"):
            if keyword not in node:
                continue
            subschemas = node[keyword]
            if not isinstance(subschemas, list) or not subschemas:
                raise UnsupportedSchema(pointer((*path, keyword)), "must be a non-empty list")
            subs = [self.schema(sub, (*path, keyword, i)) for i, sub in enumerate(subschemas)]
            self.same_value[path] += [(*path, keyword, i) for i in range(len(subs))]
            if keyword == "allOf":
                checks.extend(self.call(sub) for sub in subs if sub is not _accept)
            elif keyword == "anyOf":
                checks.append("(" + " or ".join(self.call(sub) for sub in subs) + ")")
            else:
                checks.append(f"{self.bind(_exactly_one(subs))}(value)")
        return checks

    def _one_of_values(self, options: list[Any], by_type: dict[type, list[str]]) -> str:
        """`enum` (and `const`, one option): strings by a set, null and booleans by identity,
        other values by JSON equality. Types no option can equal are taken out of `by_type`."""
        if all(type(option) is str for option in options):
            for kind in [kind for kind in by_type if kind is not str]:
                del by_type[kind]
            return f"value in {self.bind(frozenset(options))}"
        if all(option is None or type(option) is bool for option in options):
            kinds = {type(option) for option in options}
            for kind in [kind for kind in by_type if kind not in kinds]:
                del by_type[kind]
            return "(" + " or ".join(f"value is {option}" for option in set(options)) + ")"
        equal, values = self.bind(json_equal), self.bind(tuple(options))
        return f"any({equal}(option, value) for option in {values})"


_KEYWORDS = frozenset({
    "type", "properties", "required", "additionalProperties", "items", "$ref", "enum", "const",
    "minLength", "maxLength", "pattern", "format", "minimum", "maximum", "exclusiveMinimum",
    "exclusiveMaximum", "multipleOf", "minItems", "maxItems", "uniqueItems", "allOf", "anyOf",
    "oneOf",
})  # fmt: skip
_BOUNDS = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf")


def _exactly_one(subs: list[Check]) -> Check:
    """`oneOf`: exactly one subschema accepts. A check's "no" is jsonschema's only on JSON data
    (elsewhere it may be "ask jsonschema"), and a wrong "no" here could make two matches look
    like one: so a value that is not plain JSON data is left to jsonschema."""
    alternatives = tuple(subs)

    def check(value: Any) -> bool:
        return sum(1 for sub in alternatives if sub(value)) == 1 and is_json_data(value)

    return check


def is_json_data(value: Any) -> bool:
    """Whether `value` is made of dicts with str keys, lists, str, int, float, bool and None
    only (exact types: the ones the compiled check judges as jsonschema does)."""
    kind = type(value)
    if kind is dict:
        return all(type(key) is str and is_json_data(item) for key, item in value.items())
    if kind is list:
        return all(is_json_data(item) for item in value)
    return kind in _SCALAR_TYPES


_SCALAR_TYPES = frozenset({str, int, float, bool, type(None)})


def _type_list(node: Mapping[str, Any]) -> list[Any]:
    kind = node.get("type")
    if kind is None:
        return []
    return list(kind) if isinstance(kind, list) else [kind]


def _mapping(node: Mapping[str, Any], keyword: str, path: Path) -> dict[str, Any]:
    value = node.get(keyword, {})
    if not isinstance(value, dict):
        raise UnsupportedSchema(pointer((*path, keyword)), "must be an object")
    return value


def _count(node: Mapping[str, Any], keyword: str, path: Path) -> int | None:
    value = node.get(keyword)
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if type(value) is not int or value < 0:
        raise UnsupportedSchema(pointer((*path, keyword)), "must be a non-negative integer")
    return value


def _number(node: Mapping[str, Any], keyword: str, path: Path) -> int | float | None:
    value = node.get(keyword)
    if value is None:
        return None
    if type(value) not in (int, float):
        raise UnsupportedSchema(pointer((*path, keyword)), "must be a number")
    number: int | float = value
    return number


def _pattern(pattern: Any, path: Path) -> Check:
    """An ECMA-262 pattern's test (see ecma.py); one that does not compile is refused."""
    if not isinstance(pattern, str):
        raise UnsupportedSchema(pointer(path), "must be a string")
    try:
        return searcher(pattern)
    except re.error as error:
        raise UnsupportedSchema(
            pointer(path), f"{pattern!r} is not a regular expression: {error}"
        ) from None
