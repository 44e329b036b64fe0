"""A record format: everything a JSON Schema implies, built from that schema alone.

    blog = rt.Format.from_schema("schema/blog.schema.json")
    post = blog.load("content/hello.md")
    post.draft = False
    blog.dump(post, "content/hello.md")   # or rt.dump(post, ...): a record knows its format

`rt.ARTICLE` is the built-in format; its classes are checked in (roundtrip/model.py, generated
by `roundtrip schema export --lang python`), every other format's are made at run time.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import importlib
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from .errors import FormatError, RoundtripError
from .files import DEFAULT_MAX_BYTES
from .model_spec import ClassSpec, model_specs
from .schema_doc import SchemaDocument, read_schema
from .unread import make_lazy

if TYPE_CHECKING:
    from collections.abc import Callable

    import cattrs

    from .errors import Problem
    from .layout import Layout
    from .links import LinkRule
    from .validator import Validator, Violation

ARTICLE_SCHEMA = Path(__file__).with_name("article.schema.json")
LAYOUT_KEYWORD = "x-roundtrip-layout"
# The layout annotation's keys and the Layout attributes they set.
_LAYOUT_KEYS = {"indent": "mapping", "sequenceIndent": "sequence", "itemIndent": "item",
                "blankLines": "blank_lines"}  # fmt: skip


class Format:
    """A record format: its schema, attrs classes, converter, validator and house style."""

    def __init__(self, document: dict[str, Any], path: str | None = None,
                 *, module: str | None = None) -> None:  # fmt: skip
        self.path = path
        self.fingerprint = fingerprint(document)
        self.document = SchemaDocument(document, path)
        self.specs: dict[str, ClassSpec] = model_specs(self.document)
        root = next(spec for spec in self.specs.values() if spec.root)
        self.name: str = root.name
        self.classes: dict[str, type] = (
            _checked_in(self.specs, module, path) if module is not None
            else _made(self.specs, root.name)
        )  # fmt: skip
        self.root: type[Any] = self.classes[self.name]
        self.root_schema: dict[str, Any] = self.document.root
        make_lazy(self.root, frozenset(self.root_schema.get("properties", {})))
        self.layout: Layout = _layout(self.document)
        self.validator  # noqa: B018 - refuses unsupported keywords now, not at first use
        self.links  # noqa: B018 - and a link rule that does not fit the schema
        for cls in self.classes.values():
            _FORMATS[cls] = self

    def __repr__(self) -> str:
        return f"<Format {self.name} from {self.path or 'a schema dict'}>"

    @classmethod
    def from_schema(cls, schema: str | os.PathLike[str] | dict[str, Any]) -> Format:
        """The format a JSON Schema (draft 2020-12; a file or parsed JSON) describes."""
        path = None if isinstance(schema, dict) else os.fspath(schema)
        document = copy.deepcopy(schema) if isinstance(schema, dict) else read_schema(schema)
        key = (fingerprint(document), path)
        found = _BUILT.get(key)
        if found is None:
            found = article() if key[0] == article().fingerprint else cls(document, path)
            _BUILT[key] = found
        return found

    # -- the public surface, as the module functions have it for the article --------------

    def loads(self, data: str | bytes, *, path: str | os.PathLike[str] | None = None,
              strict: bool = True, max_bytes: int = DEFAULT_MAX_BYTES) -> Any:  # fmt: skip
        """Parse and validate a record's text (str, or UTF-8 bytes)."""
        from . import records

        return records.loads(self, data, path=path, strict=strict, max_bytes=max_bytes)

    def load(self, path: str | os.PathLike[str], *, strict: bool = True,
             max_bytes: int = DEFAULT_MAX_BYTES) -> Any:  # fmt: skip
        """Read, parse and validate the record file at `path`."""
        from . import records

        return records.load(self, path, strict=strict, max_bytes=max_bytes)

    def dumps(self, record: Any) -> str:
        """The text of a record: its source with only the edits spliced in, or house style."""
        from . import records

        return "".join(records.emit_parts(self, record))

    def dump(self, record: Any, path: str | os.PathLike[str], *, force: bool = False) -> None:
        """Write a record to `path` atomically (see `rt.dump`)."""
        from . import records

        records.dump(self, record, path, force=force)

    def to_dict(self, record: Any) -> dict[str, Any]:
        """The front matter as plain JSON data: schema key names and order."""
        from . import records

        return records.to_dict(self, record)

    def from_dict(self, data: dict[str, Any], *, body: str = "", strict: bool = True) -> Any:
        """A new record (with no source text) from plain JSON data, validated."""
        from . import records

        return records.from_dict(self, data, body=body, strict=strict)

    def validate(self, data: Any) -> list[Problem]:
        """Every problem with `data` as a record's front matter (empty when valid)."""
        from .validation import problems

        return problems(self, data)

    def schema(self) -> dict[str, Any]:
        """The schema as written (a copy: changing it changes nothing here)."""
        return copy.deepcopy(self.document.document)

    def export_schema(self) -> dict[str, Any]:
        """The schema other validators get: each format's stricter reading added as a
        `pattern` (what `roundtrip schema export --lang jsonschema` writes)."""
        return copy.deepcopy(self.validation_schema)

    def python_source(self) -> str:
        """The format's attrs classes as a Python module (`schema export --lang python`)."""
        from .python_export import schema_module

        return schema_module(self.document.document, self.path)

    # -- the parts, built on first use ----------------------------------------------------

    @functools.cached_property
    def validation_schema(self) -> dict[str, Any]:
        from .formats import portable

        return portable(self.document.document)

    @functools.cached_property
    def converter(self) -> cattrs.Converter:
        from .convert import make_converter

        return make_converter(self.specs, self.classes)

    def unchanged(self, record: Any) -> bool:
        """Whether a record provably still holds the data it was read from (convert.py)."""
        return self.changes(record) == {}

    @functools.cached_property
    def changes(self) -> Callable[[Any], dict[str, Any] | None]:
        """The top-level values a record changed since it was read, as data (convert.py)."""
        from .convert import make_changes

        return make_changes(self.converter, self.specs, self.classes, self.root)

    @functools.cached_property
    def validator(self) -> Validator:
        from .validator import Validator

        try:
            return Validator(self.validation_schema)
        except FormatError as error:
            raise error.with_path(self.path) if self.path else error from None

    @functools.cached_property
    def links(self) -> LinkRule | None:
        """The rule `verify --links` checks, from the root's `x-roundtrip-links` (or None)."""
        from .links import LinkRule

        try:
            return LinkRule.from_root(self.root_schema)
        except RoundtripError as error:
            raise error.with_path(self.path) if self.path else error from None

    def violations(self, data: Any) -> list[Violation]:
        """Every violation of the schema by `data` (see validator.Violation)."""
        return self.validator.validate(data)


_FORMATS: dict[type, Format] = {}  # every class of every format built
_BUILT: dict[tuple[str, str | None], Format] = {}  # by schema fingerprint and file


def format_of(record: object) -> Format:
    """The format a record belongs to (the article's for anything else: its error says so)."""
    found = _FORMATS.get(type(record))
    return found if found is not None else article()


def fingerprint(document: dict[str, Any]) -> str:
    """A digest of a schema's content: equal for equal schemas, whatever their spacing."""
    text = json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@functools.cache
def article() -> Format:
    """The built-in article format (rt.ARTICLE)."""
    return Format(read_schema(ARTICLE_SCHEMA), str(ARTICLE_SCHEMA), module="roundtrip.model")


def _made(specs: dict[str, ClassSpec], root: str) -> dict[str, type]:
    from .model_build import make_classes

    return make_classes(specs, f"roundtrip.formats.{root}")


def _checked_in(specs: dict[str, ClassSpec], module: str, path: str | None) -> dict[str, type]:
    """The classes of a generated module, checked against the specs the schema gives now."""
    namespace = importlib.import_module(module)
    classes: dict[str, type] = {}
    for name, spec in specs.items():
        cls: Any = getattr(namespace, name, None)
        wanted = [field.attribute for field in spec.fields]
        have = [f.name for f in attrs.fields(cls) if f.name not in ("extra", "body", "_source")] \
            if attrs.has(cls) else None  # fmt: skip
        if have != wanted:
            raise FormatError(
                f"{module}.{name} no longer matches the schema: regenerate it with"
                " `roundtrip schema export --lang python`",
                path=path,
                field=spec.pointer,
            )
        classes[name] = cls
    return classes


def _layout(document: SchemaDocument) -> Layout:
    from .layout import HOUSE

    given = document.root.get(LAYOUT_KEYWORD)
    if given is None:
        return HOUSE
    pointer = f"#/{LAYOUT_KEYWORD}"
    if not isinstance(given, dict) or not given.keys() <= _LAYOUT_KEYS.keys():
        raise document.error(f"{LAYOUT_KEYWORD} takes an object with the keys "
                             + ", ".join(_LAYOUT_KEYS), pointer)  # fmt: skip
    values: dict[str, Any] = {}
    for key, value in given.items():
        is_flag = key == "blankLines"
        good = isinstance(value, bool) if is_flag else (
            type(value) is int and (0 if key == "sequenceIndent" else 1) <= value <= 8
        )  # fmt: skip
        if not good:
            raise document.error(
                f"{key} must be " + ("true or false" if is_flag else "a small whole number"),
                f"{pointer}/{key}",
            )
        values[_LAYOUT_KEYS[key]] = value
    return attrs.evolve(HOUSE, **values)
