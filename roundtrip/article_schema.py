"""The article JSON Schema: loading it, walking it, and validating data against it."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

from .fastcheck import Check
from .formats import portable
from .validator import Validator
from .validator import Violation as Violation  # the type validate() returns, re-exported

SCHEMA_FILE = Path(__file__).with_name("article.schema.json")
STYLE_KEYWORD = "x-yaml-style"


@functools.cache
def load_schema() -> dict[str, Any]:
    """The article schema as parsed JSON (shared: do not mutate)."""
    schema: dict[str, Any] = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    return schema


@functools.cache
def validation_schema() -> dict[str, Any]:
    """The schema data is checked against: the article schema with its formats' patterns.

    It is also what `roundtrip schema export --lang jsonschema` writes (shared: do not mutate).
    """
    return portable(load_schema())


@functools.cache
def article_validator() -> Validator:
    """The article's Validator, built once."""
    return Validator(validation_schema())


def fast_check() -> Check:
    """The article's compiled yes/no check (built on first use)."""
    return article_validator().check


def validate(data: Any, *, fast: bool = True) -> list[Violation]:
    """Every violation of the article schema by `data` (see Validator.validate)."""
    return article_validator().validate(data, fast=fast)


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
