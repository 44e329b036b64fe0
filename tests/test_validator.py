"""Validator: any schema's fast check agrees with jsonschema, unsupported keywords are refused
with their place, and `$ref` stays inside its own document."""

from __future__ import annotations

import math
import pickle
import re
import urllib.request
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rfc3986_validator import validate_rfc3986

import roundtrip as rt
from roundtrip.ecma import searcher
from roundtrip.formats import (
    _PLAIN_URI,
    CHECKS_ITS_PATTERN,
    FORMAT_PATTERNS,
    FORMATS,
    is_date,
    is_email,
    is_plain_uri,
    portable,
)
from roundtrip.validator import UnsupportedSchema, Validator

DRAFT = "https://json-schema.org/draft/2020-12/schema"


def verdicts(schema: dict[str, Any], data: Any) -> tuple[bool, bool]:
    """(the compiled check's verdict, jsonschema's verdict) on `data`."""
    validator = Validator({"$schema": DRAFT, **schema})
    return validator.check(data), not validator.validate(data, fast=False)


# -- generated schemas and data -----------------------------------------------------------------

KEYS = ["a", "b", "c~/"]
STRINGS = [
    "", "a", "ab", "abc", "é", "a\n", "1", "true", "2023-10-19", "2023-02-30", "0000-01-01",
    "2024-02-29", "2023-10-19T09:00:00Z", "2023-10-19 09:00:00+01:00", "2023-10-19T09:00:60Z",
    "https://example.com/a?b#c", "https://[::1]:80/", "mailto:x@y.z", "https://a b", "http://a:x/",
    "not a uri", "a@b.co", "a@b", "a..b@c.d", "x@-y.z",
]  # fmt: skip
NUMBERS = [
    0,
    1,
    2,
    3,
    -1,
    10,
    0.5,
    1.0,
    1.5,
    3000.0,
    0.3,
    -2.5,
    2**70,
    math.inf,
    -math.inf,
    math.nan,
]
SCALARS = st.one_of(st.none(), st.booleans(), st.sampled_from(NUMBERS), st.sampled_from(STRINGS))
JSON = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(KEYS), inner, max_size=3)
    ),
    max_leaves=8,
)
TYPES = ["object", "array", "string", "number", "integer", "boolean", "null"]
PATTERNS = ["^a", "b$", "^[0-9]+$", "\\d", "^.$", "é", "^\\w*$", "a|^$"]
BOUNDS = st.sampled_from([0, 1, 2, 0.5, 1.5, -1, 3000])

SCALAR_KEYWORDS: dict[str, st.SearchStrategy[Any]] = {
    "type": st.sampled_from(TYPES)
    | st.lists(st.sampled_from(TYPES), min_size=1, max_size=3, unique=True),
    "minLength": st.integers(0, 3),
    "maxLength": st.integers(0, 3),
    "pattern": st.sampled_from(PATTERNS),
    "format": st.sampled_from(sorted(FORMATS)),
    "minimum": BOUNDS,
    "maximum": BOUNDS,
    "exclusiveMinimum": BOUNDS,
    "exclusiveMaximum": BOUNDS,
    "multipleOf": st.sampled_from([1, 2, 0.5, 0.1, 3]),
    "minItems": st.integers(0, 3),
    "maxItems": st.integers(0, 3),
    "uniqueItems": st.booleans(),
    "enum": st.lists(JSON, min_size=1, max_size=4),
    "const": JSON,
    "required": st.lists(st.sampled_from(KEYS), max_size=2, unique=True),
    "title": st.just("annotation"),
    "x-yaml-style": st.just("double-quoted"),
}


def keyword_schemas(subschemas: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Schema objects with a few keywords each, subschemas drawn from `subschemas`."""
    nested: dict[str, st.SearchStrategy[Any]] = {
        "properties": st.dictionaries(st.sampled_from(KEYS), subschemas, max_size=3),
        "additionalProperties": subschemas,
        "items": subschemas,
        "allOf": st.lists(subschemas, min_size=1, max_size=2),
        "anyOf": st.lists(subschemas, min_size=1, max_size=2),
        "oneOf": st.lists(subschemas, min_size=1, max_size=3),
        "$ref": st.sampled_from(["#/$defs/A", "#/$defs/B~1c"]),
    }
    keywords = {**SCALAR_KEYWORDS, **nested}
    return st.lists(st.sampled_from(sorted(keywords)), min_size=1, max_size=2, unique=True).flatmap(
        lambda names: st.fixed_dictionaries({name: keywords[name] for name in names})
    )


LEAF_SCHEMAS = st.booleans() | st.lists(
    st.sampled_from(sorted(SCALAR_KEYWORDS)), max_size=2, unique=True
).flatmap(lambda names: st.fixed_dictionaries({name: SCALAR_KEYWORDS[name] for name in names}))
SCHEMAS = st.recursive(LEAF_SCHEMAS, keyword_schemas, max_leaves=6)
DOCUMENTS = st.builds(
    lambda root, a, b: (
        {**root, "$defs": {"A": a, "B/c": b}}
        if isinstance(root, dict)
        else {"allOf": [root], "$defs": {"A": a, "B/c": b}}
    ),
    SCHEMAS,
    LEAF_SCHEMAS,
    LEAF_SCHEMAS,
)


# Every scalar, alone and as the item or value a nested schema looks at.
FIXED = [
    *(value for scalar in (None, True, False, *NUMBERS, *STRINGS)
      for value in (scalar, [scalar], {"a": scalar})),
    [], {}, [1, 1.0], [1, True], [[1], [True], [1]], {"a": 1, "b": "x", "c~/": None},
]  # fmt: skip


# Ten times the profile's examples (500 by default, ~3 s): schemas are many and each is cheap;
# fewer let a wrong keyword through (checked by breaking each keyword in fastcheck.py by hand).
@settings(max_examples=10 * settings.default.max_examples)
@given(schema=DOCUMENTS, data=st.lists(JSON, max_size=5))
def test_fast_check_agrees_with_jsonschema_on_generated_schemas(
    schema: dict[str, Any], data: list[Any]
) -> None:
    validator = Validator(schema)
    for value in [*FIXED, *data]:
        assert validator.check(value) == (not validator.validate(value, fast=False)), value


# -- each keyword by hand: both paths give the expected verdict ---------------------------------

KEYWORD_CASES: list[tuple[dict[str, Any], list[Any], list[Any]]] = [
    ({"type": "integer"}, [1, -3, 3000.0, 2**70], [1.5, True, "1", None, math.nan, math.inf]),
    ({"type": "number"}, [1, 1.5, 3000.0, -0.0], [True, "1", None, [1], math.nan, math.inf]),
    ({"type": ["string", "null"]}, ["x", None], [0, False, [], {}]),
    ({"type": "boolean"}, [True, False], [0, 1, None]),
    ({"type": "object", "properties": {"a": {"type": "integer"}}, "required": ["a"],
      "additionalProperties": False}, [{"a": 1}], [{}, {"a": 1, "b": 2}, {"a": "x"}, [1]]),
    ({"additionalProperties": {"type": "string"}, "properties": {"n": {"type": "integer"}}},
     [{"n": 1, "x": "y"}, {}, "anything"], [{"x": 1}, {"n": "1"}]),
    ({"items": {"type": "integer"}, "minItems": 1, "maxItems": 2}, [[1], [1, 2], "no array"],
     [[], [1, 2, 3], ["1"]]),
    ({"uniqueItems": True}, [[1, True], [0, False], [[1], [True]], [{"a": 1}, {"a": 2}]],
     [[1, 1.0], ["a", "a"], [{"a": 1}, {"a": 1.0}], [[1, 2], [1, 2]]]),
    ({"enum": ["a", 1, None]}, ["a", 1, 1.0, None], [True, "b", [1]]),
    ({"enum": [[1], {"a": False}]}, [[1], [1.0], {"a": False}], [[True], {"a": 0}]),
    ({"const": 0}, [0, 0.0], [False, "0", None]),
    ({"const": False}, [False], [0, None]),
    ({"minLength": 2, "maxLength": 3}, ["ab", "abc", "éé", 5], ["a", "abcd"]),
    ({"pattern": "^a.c$"}, ["abc", 12], ["a\nc", "abc\n", "xabc"]),
    ({"pattern": "^\\d+$"}, ["123"], ["١٢٣", "12a"]),
    ({"minimum": 1, "maximum": 2}, [1, 2, 1.5, "x", True], [0, 2.5, -math.inf]),
    ({"exclusiveMinimum": 1, "exclusiveMaximum": 2}, [1.5], [1, 2]),
    ({"multipleOf": 0.5}, [1, 1.5, 0], [0.3, math.nan, math.inf, 2**1100]),
    ({"multipleOf": 3}, [9, 9.0, -3], [10, 9.5, math.nan, math.inf]),
    ({"format": "date"}, ["2024-02-29", "1999-12-31", 20240229],
     ["2023-02-29", "0000-01-01", "2023-1-01", "20231019", "2023-10-19\n", "2023-W42-4"]),
    ({"format": "date-time"}, ["2023-10-19T09:00:00Z", "2023-10-19 09:00:00.5+01:00"],
     ["2023-10-19T09:00:60Z", "2023-10-19T09:00:00+0100", "2023-10-19", "0000-01-01T00:00:00Z"]),
    ({"format": "uri"}, ["https://example.com/a%20b?c#d", "https://[::1]:80/", "mailto:x@y.z"],
     ["/relative", "https://a b", "https://example.com/%zz", "http://a:x/"]),
    ({"format": "email"}, ["a@b.co", "first.last+tag@sub.example.org", "A@B.CO"],
     ["a@b", "a..b@c.d", "x@-y.z", "a b@c.d", "é@b.co", "a@b.co\n"]),
    ({"allOf": [{"minimum": 1}, {"maximum": 2}]}, [1, 2], [0, 3]),
    ({"anyOf": [{"type": "string"}, {"minimum": 5}]}, ["x", 5, 7.5, None], [4, 4.5]),
    ({"oneOf": [{"type": "integer"}, {"minimum": 5}]}, [1, 5.5, [1]], [5, 7, 3000.0, 4.5]),
    ({"$ref": "#/$defs/Small", "minimum": 0}, [0, 1], [-1, 2]),
]  # fmt: skip


@pytest.mark.parametrize(("schema", "valid", "invalid"), KEYWORD_CASES, ids=repr)
def test_each_keyword_on_both_paths(
    schema: dict[str, Any], valid: list[Any], invalid: list[Any]
) -> None:
    document = {**schema, "$defs": {"Small": {"maximum": 1}}}
    for value in valid:
        assert verdicts(document, value) == (True, True), value
    for value in invalid:
        assert verdicts(document, value) == (False, False), value


def test_violations_are_worded_and_placed() -> None:
    schema = {
        "type": "object",
        "properties": {
            "tags": {"type": "array", "items": {"enum": ["a", "b"]}, "uniqueItems": True},
            "when": {"type": "string", "format": "date"},
            "mail": {"type": ["string", "null"], "format": "email"},
            "size": {"type": "integer", "maximum": 10},
        },
        "required": ["when"],
        "additionalProperties": False,
    }
    validator = Validator(portable(schema))
    problems = validator.validate(
        {"tags": ["a", "c", "a"], "mail": "x@", "size": 11, "extra": 1, "more": 2}
    )
    assert sorted((v.path, v.message, v.unknown_key) for v in problems) == [
        (("extra",), "unknown field (not in the schema)", True),
        (("mail",), '"x@" is not an email address', False),
        (("more",), "unknown field (not in the schema)", True),
        (("size",), "11 is above the maximum 10", False),
        (("tags",), "has duplicate items", False),
        (("tags", 1), '"c" is not one of "a", "b"', False),
        (("when",), "required field is missing", False),
    ]
    assert validator.validate({"when": "2023-02-29"}) == [
        rt.validator.Violation(
            ("when",), '"2023-02-29" has the form of a date but no such date exists'
        )
    ]


def test_values_that_are_not_json_data_go_to_jsonschema() -> None:
    """The compiled check knows only JSON's types; jsonschema judges anything else."""
    number = Validator({"type": "number", "minimum": 1})
    assert not number.check(Decimal("1.5"))
    assert number.is_valid(Decimal("1.5")) and number.validate(Decimal("1.5")) == []
    assert not number.is_valid(Decimal("0.5"))
    assert [v.message for v in number.validate(Decimal("0.5"))] == [
        "\"Decimal('0.5')\" is below the minimum 1"
    ]
    array = Validator({"type": "array"})
    assert not array.is_valid((1, 2)) and not array.check((1, 2))
    # oneOf counts matches: a str subclass matches both here for jsonschema (isinstance), so
    # the compiled check must not count the one it cannot judge as a miss.
    one = Validator({"oneOf": [{}, {"type": "string"}]})
    text = type("Text", (str,), {})("x")
    assert one.check(1) and not one.check("x")
    assert not one.check(text) and not one.is_valid(text)
    assert [v.message for v in one.validate(text)] == [
        '"x" must match exactly one of the schemas allowed here'
    ]


def test_a_validator_pickles_as_its_schema() -> None:
    """A worker process gets a validator of its own, compiled again from the schema."""
    validator = Validator({"type": "object", "properties": {"n": {"type": "integer"}}})
    copy = pickle.loads(pickle.dumps(validator))
    assert copy.schema == validator.schema and copy.check is not validator.check
    assert copy.validate({"n": 1}) == [] and [v.path for v in copy.validate({"n": "1"})] == [("n",)]


# -- refused schemas ----------------------------------------------------------------------------

REFUSED = [
    ({"properties": {"tags": {"type": "array", "contains": {"const": "x"}}}},
     "#/properties/tags/contains", "keyword 'contains' is not supported"),
    ({"properties": {"a/b~": {"not": {}}}}, "#/properties/a~1b~0/not",
     "keyword 'not' is not supported"),
    ({"patternProperties": {"^x": {}}}, "#/patternProperties", "keyword 'patternProperties'"),
    ({"not": {}}, "#/not", "keyword 'not' is not supported"),
    ({"oneOf": []}, "#/oneOf", "must be a non-empty list"),
    ({"items": {"format": "hostname"}}, "#/items/format", "format 'hostname' is not supported"),
    ({"$ref": "https://example.com/other.json#/$defs/X"}, "#/$ref",
     "only references within the schema"),
    ({"$ref": "#/$defs/Missing", "$defs": {}}, "#/$ref", "points to nothing"),
    ({"$ref": "#/properties", "properties": {}}, "#/$ref", "does not point to a schema"),
    ({"$ref": "#anchor"}, "#/$ref", "anchors are not supported"),
    ({"$defs": {"A": {"$id": "https://example.com/a.json"}}}, "#/$defs/A/$id",
     "only supported at the root"),
    ({"$schema": "http://json-schema.org/draft-07/schema#"}, "#/$schema", "draft 2020-12"),
    ({"items": [{"type": "string"}]}, "#/items", "items must be one schema"),
    ({"type": "text"}, "#/type", "expected one or more of"),
    ({"minLength": -1}, "#/minLength", "must be a non-negative integer"),
    ({"maximum": "10"}, "#/maximum", "must be a number"),
    ({"multipleOf": 0}, "#/multipleOf", "must be above 0"),
    ({"pattern": "(unclosed"}, "#/pattern", "is not a regular expression"),
    ({"allOf": []}, "#/allOf", "must be a non-empty list"),
    ({"properties": {"a": 3}}, "#/properties/a", "a schema must be an object or a boolean"),
    ({"$defs": {"A": {"$ref": "#/$defs/A"}}}, "#/$defs/A/$ref", "leads back to the same schema"),
    ({"$defs": {"A": {"anyOf": [{"$ref": "#/$defs/B"}]}, "B": {"allOf": [{"$ref": "#/$defs/A"}]}}},
     "#/$defs/B/allOf/0/$ref", "(#/$defs/A, #/$defs/A/anyOf/0, #/$defs/B, #/$defs/B/allOf/0)"),
]  # fmt: skip


@pytest.mark.parametrize(("schema", "pointer", "words"), REFUSED, ids=repr)
def test_unsupported_schemas_are_refused_with_their_place(
    schema: dict[str, Any], pointer: str, words: str
) -> None:
    with pytest.raises(UnsupportedSchema) as caught:
        Validator(schema)
    assert caught.value.pointer == pointer
    assert isinstance(caught.value, rt.RoundtripError)
    assert str(caught.value).startswith(f"{pointer}: ")
    assert words in str(caught.value)


def test_annotations_are_accepted_and_ignored() -> None:
    annotated = {
        "$schema": DRAFT, "$id": "https://example.com/a.json", "$comment": "c", "title": "t",
        "description": "d", "default": 1, "examples": [1], "deprecated": True, "readOnly": False,
        "writeOnly": False, "x-python-name": "n", "x-anything": {"minimum": 5},
        "type": "integer",
    }  # fmt: skip
    validator = Validator(annotated)
    assert validator.check(3) and not validator.validate(3, fast=False)


# -- $ref stays inside its own document ---------------------------------------------------------


def _provider_schema(provider: dict[str, Any]) -> dict[str, Any]:
    return {
        "$schema": DRAFT,
        "$id": "https://example.invalid/shared-id.json",  # the same $id in both: never fetched
        "type": "object",
        "properties": {"provider": {"$ref": "#/$defs/Provider"}},
        "$defs": {"Provider": provider},
    }


def test_ref_resolves_within_its_own_schema_only(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_network(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a schema reference reached for the network")

    monkeypatch.setattr(urllib.request, "urlopen", no_network)
    named = Validator(
        _provider_schema({"type": "object", "required": ["name"],
                          "properties": {"name": {"type": "string"}}})
    )  # fmt: skip
    numbered = Validator(
        _provider_schema({"type": "object", "required": ["id"],
                          "properties": {"id": {"type": "integer"}}})
    )  # fmt: skip
    by_name, by_id = {"provider": {"name": "AP"}}, {"provider": {"id": 7}}
    for fast in (True, False):
        assert named.validate(by_name, fast=fast) == []
        assert numbered.validate(by_id, fast=fast) == []
        assert [v.path for v in named.validate(by_id, fast=fast)] == [("provider", "name")]
        assert [v.path for v in numbered.validate(by_name, fast=fast)] == [("provider", "id")]


def test_ref_pointers_unescape_and_recurse() -> None:
    schema = {
        "$defs": {
            "a/b": {"type": "integer"},
            "t~n": {"type": "string"},
            "with space": {"const": 1},
        },
        "properties": {
            "x": {"$ref": "#/$defs/a~1b"},
            "y": {"$ref": "#/$defs/t~0n"},
            "z": {"$ref": "#/$defs/with%20space"},
            "child": {"$ref": "#"},
            "first": {"$ref": "#/properties/x"},
        },
    }
    validator = Validator(schema)
    good = {"x": 1, "y": "s", "z": 1, "child": {"x": 2, "child": {"first": 3}}}
    bad = {"child": {"child": {"first": "3"}}}
    assert verdicts(schema, good) == (True, True)
    assert verdicts(schema, bad) == (False, False)
    assert [v.path for v in validator.validate(bad)] == [("child", "child", "first")]


# -- the formats ---------------------------------------------------------------------------------


@given(st.from_regex(_PLAIN_URI, fullmatch=True) | st.text(alphabet="htps:/%a1[]@?#x", max_size=20))
def test_plain_uris_are_uris_with_the_uri_pattern(text: str) -> None:
    """The shortcut of `format: uri` only ever accepts what rfc3986_validator accepts and what
    the pattern `portable` puts beside the format matches (the fast check then skips both)."""
    if is_plain_uri(text):
        assert validate_rfc3986(text, rule="URI")
        assert searcher(FORMAT_PATTERNS["uri"])(text)


@given(st.text(alphabet="0123456789-:TZ .@abé+", max_size=24) | st.from_regex(r"\d{4}-\d\d-\d\d"))
def test_format_checks_imply_their_patterns(text: str) -> None:
    """The fast check skips a format's pattern beside the format only where the format's check
    already tests that pattern."""
    for name in CHECKS_ITS_PATTERN:
        if FORMATS[name](text):
            assert searcher(FORMAT_PATTERNS[name])(text), (name, text)


@given(st.from_regex(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", fullmatch=True))
def test_dates_are_the_days_python_has(text: str) -> None:
    try:
        date.fromisoformat(text)
    except ValueError:
        exists = False
    else:
        exists = True
    assert is_date(text) is exists


def test_email_is_ajv_formats_email() -> None:
    # ajv-formats (full) reads the address with its /i regular expression, ASCII letters only.
    assert is_email("Q.x-y@EXAMPLE.co.uk") and is_email("#!$%&'*+/=?^_`{|}~-@a.b")
    for text in ["a@b", "@b.c", "a.@b.c", "a@b.c.", "a@b-.c", "a@b_c.d", "\u212a@b.c", "a@b.c\n"]:
        assert not is_email(text), text
    assert re.fullmatch(r"\^.*\$", FORMAT_PATTERNS["email"])
