"""What the typed model of a schema is: a class per object schema, a field per property.

Derived from the resolved schema alone (schema_doc.py), by these rules:

- an object schema with `properties` is a class, named by its `x-python-class`, else its
  `$defs` name, else its `title`, else its key, in PascalCase; the root is named by its
  `x-python-class` or `title` (else `Record`); two schemas with one name are an error;
- an object schema without `properties` is a free-form `dict[str, T]`, `T` from
  `additionalProperties`;
- a property's attribute is its key in snake_case (`publishedDateTime`, `reading-time` ->
  `published_date_time`, `reading_time`), a Python keyword gaining a trailing `_`, unless
  `x-python-name` says otherwise; two keys with one attribute are an error naming both;
- a property not in `required` defaults to its schema `default`, else to None.

Types: string (`date-time` -> datetime, `date` -> date), integer -> int, number -> float,
boolean, null, arrays -> list, `enum`/`const` -> Literal, `type` lists -> unions.
"""

from __future__ import annotations

import keyword
import re
from collections.abc import Iterator
from typing import Any

import attrs

from .schema_doc import SchemaDocument

# Attributes every record class has besides its fields; the root class also has the others.
EXTRA = "extra"
ROOT_ATTRIBUTES = frozenset({"extra", "body", "source", "_source"})
ABSENT = "_absent"  # the keys a record's data did not have, where that cannot be told otherwise

_SCALARS = {"string": "str", "integer": "int", "number": "float", "boolean": "bool",
            "null": "None"}  # fmt: skip
_FORMAT_TYPES = {"date-time": "datetime", "date": "date"}
_LITERAL_VALUES = (str, int, bool, type(None))


@attrs.frozen
class TypeSpec:
    """A Python type, as a tree: `kind` is a scalar name (`str`, `int`, `float`, `bool`,
    `None`, `datetime`, `date`, `Any`), or `list`, `dict`, `class`, `literal`, `union`."""

    kind: str
    args: tuple[Any, ...] = ()  # element types, a class name, literal values or members

    def nullable(self) -> bool:
        """Whether None is one of this type's values."""
        if self.kind == "None":
            return True
        if self.kind == "literal":
            return None in self.args
        return self.kind == "union" and any(member.nullable() for member in self.args)

    def or_none(self) -> TypeSpec:
        """This type with None added (when it has not got it)."""
        if self.nullable() or self.kind == "Any":
            return self
        return TypeSpec("union", (self, TypeSpec("None")))

    def parts(self) -> Iterator[TypeSpec]:
        """This type and every type inside it."""
        yield self
        if self.kind in ("list", "dict", "union"):
            for arg in self.args:
                yield from arg.parts()

    def classes(self) -> Iterator[str]:
        """The names of the classes this type refers to."""
        return (part.args[0] for part in self.parts() if part.kind == "class")


ANY = TypeSpec("Any")


@attrs.frozen
class FieldSpec:
    """One property of an object schema as an attribute."""

    attribute: str
    key: str
    type: TypeSpec
    required: bool
    default: Any = attrs.NOTHING  # the schema's `default`, for a property that is not required
    nullable: bool = False  # whether the schema allows null (None may also mean "absent")
    schema: dict[str, Any] = attrs.field(factory=dict, eq=False, repr=False)
    doc: str = ""

    @property
    def omittable(self) -> bool:
        """Whether the field may be left out of the data."""
        return not self.required

    @property
    def hides_absence(self) -> bool:
        """Whether the value of an absent key (its default, or None where null is allowed) is
        also a value the key can be written with: then only the record knows which it was."""
        return not self.required and (self.default is not attrs.NOTHING or self.nullable)

    def absent_value(self) -> Any:
        """What the attribute holds when the key is absent."""
        return None if self.default is attrs.NOTHING else self.default


@attrs.frozen
class ClassSpec:
    """One object schema as an attrs class."""

    name: str
    fields: tuple[FieldSpec, ...]
    doc: str
    pointer: str
    root: bool = False
    schema: dict[str, Any] = attrs.field(factory=dict, eq=False, repr=False)

    def keys(self) -> dict[str, str]:
        """Attribute name -> schema key, in schema order."""
        return {field.attribute: field.key for field in self.fields}

    @property
    def tracks_absence(self) -> bool:
        """Whether records of this class remember which optional keys their data had not
        (`absent`): some field's absent value is also a value it can be written with."""
        return any(field.hides_absence for field in self.fields)


def dependency_order(specs: dict[str, ClassSpec]) -> list[ClassSpec]:
    """Every class after the classes its fields use (depth first from the root)."""
    ordered: list[ClassSpec] = []
    seen: set[str] = set()

    def visit(name: str) -> None:
        seen.add(name)
        for field in specs[name].fields:
            for used in field.type.classes():
                if used not in seen:
                    visit(used)
        ordered.append(specs[name])

    for name in specs:
        if name not in seen:
            visit(name)
    return ordered


def attribute_name(key: str) -> str:
    """The snake_case attribute for a key: `publishedDateTime` -> `published_date_time`."""
    name = re.sub(r"[^0-9A-Za-z_]+", "_", key)
    name = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name)
    name = re.sub(r"(?<=[A-Z])(?=[A-Z][a-z])", "_", name).lower().strip("_")
    return name + "_" if keyword.iskeyword(name) else name


def class_name(text: str) -> str:
    """A PascalCase class name from a `$defs` name, title or key: `cover-image` -> `CoverImage`."""
    if text.isidentifier() and text[0].isupper():
        return text
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[^0-9A-Za-z]+", text))


def model_specs(document: SchemaDocument) -> dict[str, ClassSpec]:
    """The classes of the schema's model, by name, the root first."""
    return _Deriver(document).derive()


class _Deriver:
    def __init__(self, document: SchemaDocument) -> None:
        self.document = document
        defs = document.root.get("$defs", {})
        self.defs_names = {id(node): name for name, node in defs.items() if isinstance(node, dict)}
        self.names: dict[int, str] = {}  # object schema -> its class name
        self.pointers: dict[int, str] = {}  # object schema -> where it was first met
        self.specs: dict[str, ClassSpec] = {}
        self.pending: list[tuple[dict[str, Any], str]] = []

    def derive(self) -> dict[str, ClassSpec]:
        root = self.document.root
        if not _is_class(root):
            raise self.document.error("the root of a record schema must be an object with"
                                      " properties", "#")  # fmt: skip
        explicit = root.get("x-python-class") or root.get("title") or "Record"
        self._name(root, class_name(str(explicit)), "#")
        self.pending.append((root, "#"))
        while self.pending:
            node, pointer = self.pending.pop(0)
            name = self.names[id(node)]
            self.specs[name] = self._spec(node, name, pointer, root=node is root)
        return self.specs

    def _name(self, node: dict[str, Any], name: str, pointer: str) -> str:
        if not name.isidentifier() or keyword.iskeyword(name):
            raise self.document.error(f"{name!r} is not a Python class name; set"
                                      " x-python-class", pointer)  # fmt: skip
        for other_id, other in self.names.items():
            if other == name and other_id != id(node):
                raise self.document.error(
                    f"two object schemas would both be class {name!r} (the other is at"
                    f" {self.pointers.get(other_id, '#')}); set x-python-class on one",
                    pointer,
                )
        self.names[id(node)] = name
        self.pointers[id(node)] = pointer
        return name

    def _class_of(self, node: dict[str, Any], key: str, pointer: str) -> str:
        origin = self.document.origin(node)
        if origin.get("properties") is node.get("properties"):  # the siblings only annotate
            node = origin
        name = self.names.get(id(node))
        if name is not None:
            return name
        explicit = node.get("x-python-class")
        if explicit is None:
            explicit = self.defs_names.get(id(node)) or node.get("title") or key
        name = self._name(node, class_name(str(explicit)), pointer)
        self.pending.append((node, self.document.pointer(node) if id(node) in self.defs_names
                             else pointer))  # fmt: skip
        return name

    def _spec(self, node: dict[str, Any], name: str, pointer: str, *, root: bool) -> ClassSpec:
        required = set(node.get("required", ()))
        reserved = ROOT_ATTRIBUTES if root else frozenset({EXTRA})
        fields: list[FieldSpec] = []
        by_attribute: dict[str, str] = {}
        for key, sub in node.get("properties", {}).items():
            at = f"{pointer}/properties/{key.replace('~', '~0').replace('/', '~1')}"
            if not isinstance(sub, dict):
                sub = {}
            attribute = sub.get("x-python-name") or attribute_name(key)
            if (
                not isinstance(attribute, str)
                or not attribute.isidentifier()
                or (keyword.iskeyword(attribute) or attribute.startswith("_"))
            ):
                raise self.document.error(
                    f"key {key!r} gives no Python attribute ({attribute!r}); set x-python-name",
                    at,
                )
            if attribute in reserved:
                raise self.document.error(
                    f"key {key!r} would be attribute {attribute!r}, which every record class"
                    " has already; set x-python-name", at,
                )  # fmt: skip
            if attribute in by_attribute:
                raise self.document.error(
                    f"keys {by_attribute[attribute]!r} and {key!r} would both be attribute"
                    f" {attribute!r}; set x-python-name on one", at,
                )  # fmt: skip
            by_attribute[attribute] = key
            kind = self._type(sub, key, at)
            nullable = kind.nullable()
            is_required = key in required
            default = sub.get("default", attrs.NOTHING) if not is_required else attrs.NOTHING
            if not is_required and default is attrs.NOTHING:
                kind = kind.or_none()
            fields.append(FieldSpec(attribute, key, kind, is_required, default, nullable, sub,
                                    str(sub.get("description", ""))))  # fmt: skip
        spec = ClassSpec(name, tuple(fields), str(node.get("description", "")), pointer, root,
                         node)  # fmt: skip
        if spec.tracks_absence and "absent" in by_attribute:
            raise self.document.error(
                f"key {by_attribute['absent']!r} would be attribute 'absent', which this class"
                " has already (the optional keys its data had not); set x-python-name", pointer,
            )  # fmt: skip
        return spec

    def _type(self, node: dict[str, Any], key: str, pointer: str) -> TypeSpec:
        if "const" in node:
            return _literal([node["const"]])
        if "enum" in node and isinstance(node["enum"], list):
            return _literal(node["enum"])
        declared = node.get("type")
        if declared is None:
            if "properties" in node:
                declared = "object"
            elif "items" in node:
                declared = "array"
            else:
                return ANY
        names = declared if isinstance(declared, list) else [declared]
        objects_as_classes = len([name for name in names if name != "null"]) == 1
        members = [self._member(str(name), node, key, pointer, objects_as_classes)
                   for name in names]  # fmt: skip
        return members[0] if len(members) == 1 else TypeSpec("union", tuple(members))

    def _member(self, name: str, node: dict[str, Any], key: str, pointer: str,
                classes: bool) -> TypeSpec:  # fmt: skip
        if name == "string":
            return TypeSpec(_FORMAT_TYPES.get(str(node.get("format")), "str"))
        if name in _SCALARS:
            return TypeSpec(_SCALARS[name])
        if name == "array":
            items = node.get("items")
            item = self._type(items, key, f"{pointer}/items") if isinstance(items, dict) else ANY
            return TypeSpec("list", (item,))
        if name == "object":
            if classes and _is_class(node):
                return TypeSpec("class", (self._class_of(node, key, pointer),))
            extra = node.get("additionalProperties")
            value = (self._type(extra, key, f"{pointer}/additionalProperties")
                     if isinstance(extra, dict) else ANY)  # fmt: skip
            return TypeSpec("dict", (value,))
        raise self.document.error(f"unknown type {name!r}", f"{pointer}/type")


def _is_class(node: dict[str, Any]) -> bool:
    declared = node.get("type", "object")
    return "properties" in node and "object" in (declared if isinstance(declared, list) else
                                                 [declared])  # fmt: skip


def _literal(values: list[Any]) -> TypeSpec:
    if all(type(value) in _LITERAL_VALUES for value in values):
        return TypeSpec("literal", tuple(values))
    return ANY
