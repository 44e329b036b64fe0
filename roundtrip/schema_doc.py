"""A JSON Schema document, with its `$ref`s followed within the document itself.

The writer and the model walk schemas by key and index; they are given *resolved* nodes, in
which every `$ref` has been replaced by the node it names (merged with its sibling keywords),
so that no walk needs the document's root, and one schema's `$ref` can never find another's
definitions. Nodes reached by two paths are the same dict, and a recursive schema is a cycle.
"""

from __future__ import annotations

import json
import os
from typing import Any
from urllib.parse import unquote

from .errors import FormatError

Schema = dict[str, Any] | None

# Keywords whose value is a map of names to schemas, one schema, or a list of schemas.
_SCHEMA_MAPS = frozenset({"properties", "$defs", "patternProperties", "dependentSchemas"})
_SCHEMA_VALUES = frozenset({"items", "additionalProperties", "not", "contains", "if", "then",
                            "else", "propertyNames", "unevaluatedItems",
                            "unevaluatedProperties"})  # fmt: skip
_SCHEMA_LISTS = frozenset({"allOf", "anyOf", "oneOf", "prefixItems"})


def read_schema(source: str | os.PathLike[str]) -> dict[str, Any]:
    """The JSON Schema in the file `source`, as parsed JSON (FormatError when it is not one)."""
    name = os.fspath(source)
    try:
        with open(name, encoding="utf-8") as stream:
            document = json.load(stream)
    except OSError as error:
        raise FormatError(f"cannot read the schema: {error.strerror}", path=name) from None
    except (ValueError, UnicodeDecodeError) as error:
        line, column = getattr(error, "lineno", None), getattr(error, "colno", None)
        message = getattr(error, "msg", str(error))
        raise FormatError(
            f"not a JSON schema: {message}", path=name, line=line, column=column
        ) from None
    if not isinstance(document, dict):
        raise FormatError("a schema must be a JSON object", path=name)
    return document


class SchemaDocument:
    """One schema document and its resolved node graph (`root`)."""

    def __init__(self, document: dict[str, Any], path: str | None = None) -> None:
        self.document = document
        self.path = path
        self._resolved: dict[int, dict[str, Any]] = {}
        self._pointers: dict[int, str] = {}
        self._origins: dict[int, dict[str, Any]] = {}  # a `$ref` with siblings -> its target
        self._filling: set[int] = set()
        self.root: dict[str, Any] = self._resolve(document, "#")

    def origin(self, node: dict[str, Any]) -> dict[str, Any]:
        """The schema a `$ref` with sibling keywords names (the node itself for any other):
        `{"$ref": "#/$defs/Author", "description": ...}` is still an Author."""
        return self._origins.get(id(node), node)

    def pointer(self, node: dict[str, Any]) -> str:
        """The JSON pointer of a resolved node in the document (`#` when it is not known)."""
        return self._pointers.get(id(node), "#")

    def error(self, message: str, pointer: str) -> FormatError:
        """A FormatError for the place `pointer` in this schema."""
        return FormatError(message, path=self.path, field=pointer)

    def _lookup(self, ref: str, at: str) -> tuple[Any, str]:
        if not ref.startswith("#"):
            raise self.error(
                f"$ref {ref!r} leaves this schema: only references within the document"
                " (#/...) are followed",
                f"{at}/$ref",
            )
        target: Any = self.document
        parts = unquote(ref[1:]).split("/")[1:] if ref != "#" else []
        for part in parts:
            key = part.replace("~1", "/").replace("~0", "~")
            if isinstance(target, dict) and key in target:
                target = target[key]
            elif isinstance(target, list) and key.isdigit() and int(key) < len(target):
                target = target[int(key)]
            else:
                raise self.error(f"$ref {ref!r} names nothing in this schema", f"{at}/$ref")
        if not isinstance(target, dict):
            raise self.error(f"$ref {ref!r} does not name a schema", f"{at}/$ref")
        return target, ref

    def _resolve(self, node: dict[str, Any], pointer: str) -> dict[str, Any]:
        done = self._resolved.get(id(node))
        if done is not None:
            return done
        ref = node.get("$ref")
        if isinstance(ref, str):
            target, target_pointer = self._lookup(ref, pointer)
            if id(target) in self._filling and len(node) > 1:
                raise self.error("a recursive $ref with sibling keywords", pointer)
            resolved = self._resolve(target, target_pointer)
            if len(node) > 1:
                siblings = {key: value for key, value in node.items() if key != "$ref"}
                target_node = resolved
                resolved = {**resolved, **self._fill({}, siblings, pointer)}
                self._pointers[id(resolved)] = pointer
                self._origins[id(resolved)] = self._origins.get(id(target_node), target_node)
            self._resolved[id(node)] = resolved
            return resolved
        result: dict[str, Any] = {}
        self._resolved[id(node)] = result
        self._pointers[id(result)] = pointer
        self._filling.add(id(node))
        self._fill(result, node, pointer)
        self._filling.discard(id(node))
        return result

    def _fill(self, result: dict[str, Any], node: dict[str, Any], pointer: str) -> dict[str, Any]:
        for key, value in node.items():
            at = f"{pointer}/{_escape(key)}"
            if key in _SCHEMA_MAPS and isinstance(value, dict):
                result[key] = {
                    name: self._resolve(sub, f"{at}/{_escape(name)}") if isinstance(sub, dict)
                    else sub
                    for name, sub in value.items()
                }  # fmt: skip
            elif key in _SCHEMA_VALUES and isinstance(value, dict):
                result[key] = self._resolve(value, at)
            elif key in _SCHEMA_LISTS and isinstance(value, list):
                result[key] = [
                    self._resolve(sub, f"{at}/{index}") if isinstance(sub, dict) else sub
                    for index, sub in enumerate(value)
                ]
            else:
                result[key] = value
        return result


def _escape(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


def child_schema(node: Schema, key: str | int) -> Schema:
    """The resolved subschema for a mapping key or a sequence index under `node`, if any.

    A key the object's `properties` do not name takes `additionalProperties` when that is a
    schema (a free-form map's values).
    """
    if node is None:
        return None
    if isinstance(key, int):
        items = node.get("items")
        return items if isinstance(items, dict) else None
    prop = node.get("properties", {}).get(key)
    if isinstance(prop, dict):
        return prop
    extra = node.get("additionalProperties")
    return extra if isinstance(extra, dict) else None


def key_order(node: Schema) -> list[str]:
    """The canonical key order of an object schema: the order of its properties."""
    return list(node.get("properties", {})) if node is not None else []
