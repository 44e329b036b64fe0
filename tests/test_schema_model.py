"""The schema is the single source of truth: the attrs model must agree with it field by field."""

from __future__ import annotations

import types
import typing
from datetime import datetime
from typing import Any

import attrs
import pytest
from jsonschema import Draft202012Validator

import roundtrip as rt

NOT_FIELDS = frozenset({"extra", "body", "_source"})


def camel_case(name: str) -> str:
    """The article's keys are its attributes in camelCase (an independent statement of the
    naming rule, for this schema's keys)."""
    first, *rest = name.split("_")
    return first + "".join(part.capitalize() for part in rest)


SCHEMA = rt.schema()
CLASSES = {
    "Article": (rt.Article, SCHEMA),
    "RelatedArticle": (rt.RelatedArticle, SCHEMA["$defs"]["RelatedArticle"]),
    "Provider": (rt.Provider, SCHEMA["$defs"]["Provider"]),
    "Image": (rt.Image, SCHEMA["$defs"]["Image"]),
}


def _schema_type(prop: dict[str, Any]) -> Any:
    """The Python type a schema property stands for in the model."""
    if "$ref" in prop:
        return CLASSES[prop["$ref"].rsplit("/", 1)[1]][0]
    kind = prop["type"]
    if kind == "array":
        return list[_schema_type(prop["items"])]  # type: ignore[misc]
    if kind == "string":
        return datetime if prop.get("format") == "date-time" else str
    return {"integer": int, "boolean": bool}[kind]


def _model_type(annotation: Any) -> tuple[Any, bool]:
    """(the type, whether None is allowed) of an attrs field annotation."""
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        args = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
        assert len(args) == 1
        return args[0], True
    return annotation, False


@pytest.mark.parametrize("name", CLASSES)
def test_model_agrees_with_schema(name: str) -> None:
    cls, schema = CLASSES[name]
    hints = typing.get_type_hints(cls)
    fields = [field for field in attrs.fields(cls) if field.name not in NOT_FIELDS]
    properties = schema["properties"]
    # Same names, same order: the schema's property order is the model's attribute order.
    assert [camel_case(field.name) for field in fields] == list(properties)
    for field in fields:
        key = camel_case(field.name)
        kind, optional = _model_type(hints[field.name])
        assert kind == _schema_type(properties[key]), key
        required = key in schema["required"]
        assert optional == (not required), key
        assert (field.default is attrs.NOTHING) == required, key


def test_schema_is_well_formed() -> None:
    Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert SCHEMA["$id"]
    objects = [SCHEMA, *SCHEMA["$defs"].values()]
    for obj in objects:
        assert obj["additionalProperties"] is False
        assert obj["title"] and obj["description"]
        for prop in obj["properties"].values():
            assert (prop.get("title") and prop.get("description")) or "$ref" in prop


def test_secured_pattern_describes_the_blob(seed_text: str) -> None:
    secured = rt.loads(seed_text).secured
    import re

    pattern = re.compile(SCHEMA["properties"]["secured"]["pattern"])
    assert pattern.search(secured)
    assert not pattern.search(secured.replace(";", ""))
    assert not pattern.search(secured[1:])
    assert not pattern.search(secured.replace("=", "!", 1))


def test_schema_returns_a_copy() -> None:
    first = rt.schema()
    first["properties"].clear()
    assert rt.schema()["properties"]


def test_packaged_schema_is_the_repository_schema() -> None:
    import json
    from pathlib import Path

    repo_schema = Path(__file__).resolve().parent.parent / "schema" / "article.schema.json"
    assert json.loads(repo_schema.read_text(encoding="utf-8")) == rt.schema()
