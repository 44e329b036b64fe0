"""A format's attrs classes made at run time from its model specs (attrs.make_class)."""

from __future__ import annotations

import copy
import typing
from datetime import date, datetime
from typing import Any, Literal

import attrs

from .model_spec import ABSENT, EXTRA, ClassSpec, TypeSpec
from .record import Record, SourceDocument, short_repr

_SCALARS: dict[str, Any] = {"str": str, "int": int, "float": float, "bool": bool,
                            "None": type(None), "datetime": datetime, "date": date,
                            "Any": Any}  # fmt: skip


def runtime_type(spec: TypeSpec, classes: dict[str, type]) -> Any:
    """The typing object a TypeSpec stands for."""
    if spec.kind in _SCALARS:
        return _SCALARS[spec.kind]
    if spec.kind == "list":
        return list[runtime_type(spec.args[0], classes)]  # type: ignore[misc]
    if spec.kind == "dict":
        return dict[str, runtime_type(spec.args[0], classes)]  # type: ignore[misc]
    if spec.kind == "class":
        return classes[spec.args[0]]
    if spec.kind == "literal":
        return Literal[spec.args]
    members = tuple(runtime_type(member, classes) for member in spec.args)
    return typing.Union[members]  # noqa: UP007 - built from a tuple at run time


def default_of(value: Any) -> Any:
    """An attrs default for a schema `default`: mutable values get a factory."""
    if isinstance(value, dict | list):
        return attrs.Factory(lambda: copy.deepcopy(value))
    return value


def make_classes(specs: dict[str, ClassSpec], module: str) -> dict[str, type]:
    """attrs classes for `specs`, by name (types refer to each other through `classes`)."""
    classes: dict[str, type] = {}
    for spec in specs.values():
        these: dict[str, Any] = {}
        for field in spec.fields:
            default = None if field.default is attrs.NOTHING else default_of(field.default)
            these[field.attribute] = attrs.field(
                default=attrs.NOTHING if field.required else default
            )
        these[EXTRA] = attrs.field(factory=dict, repr=False)
        if spec.tracks_absence:
            these[ABSENT] = attrs.field(default=None, eq=False, repr=False, alias="absent")
        if spec.root:
            these["body"] = attrs.field(default="", repr=short_repr)
            these["_source"] = attrs.field(default=None, eq=False, repr=False, alias="source")
        # As `attrs.define` makes them (the generated classes): slotted, so that a misspelt
        # attribute is an error rather than a silent new one, and not ordered.
        cls = attrs.make_class(
            spec.name, these, bases=(Record,) if spec.root else (object,), kw_only=True,
            slots=True, order=False,
        )  # fmt: skip
        cls.__module__ = module
        cls.__doc__ = spec.doc or f"A {spec.name} record."
        classes[spec.name] = cls
    for spec in specs.values():  # types once every class exists
        types = {field.attribute: runtime_type(field.type, classes) for field in spec.fields}
        types[EXTRA] = dict[str, Any]
        if spec.tracks_absence:
            types[ABSENT] = frozenset[str] | None
        if spec.root:
            types.update(body=str, _source=SourceDocument | None)
        classes[spec.name].__annotations__ = types
        attrs.resolve_types(classes[spec.name])
    return classes
