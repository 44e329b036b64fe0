"""Canonical emission: plain data written in the house style of the seed records.

House style: two-space mappings, sequences indented two under their key, mappings in sequence
items after `- `, keys in schema order, every non-empty collection in block style, strings
marked `double-quoted` in the schema in double quotes and the rest plain where YAML reads them
back unchanged, and at top level a blank line around every non-empty block collection. The
choices a document can make otherwise are a `Layout`, so new parts of an existing record
follow that record's own (see render.measure).
"""

from __future__ import annotations

from typing import Any

import attrs

from .scalars import double_quoted, plain_ok, plain_value
from .schema_doc import child_schema

Schema = dict[str, Any] | None
STYLE_KEYWORD = "x-yaml-style"


@attrs.frozen
class Layout:
    """How block collections are written: indentation relative to the key or dash that owns
    them, whether leaf collections go in flow style and whether keys are sorted."""

    mapping: int = 2  # keys of a mapping under a key
    sequence: int = 2  # the dash of a sequence under a key (0: "indentless")
    item: int = 2  # content of a sequence item after its dash
    # A collection of scalars only written `[a, b]` / `{k: v}`, as PyYAML's
    # default_flow_style=None does.
    flow_leaves: bool = False
    sorted_keys: bool = False  # keys in alphabetical order, as PyYAML's sort_keys does
    blank_lines: bool = True  # a blank line around each top-level block collection


HOUSE = Layout()


def scalar_text(value: Any, schema: Schema, *, flow: bool = False) -> str:
    """A scalar in house style for the field `schema` describes."""
    if not isinstance(value, str):
        return plain_value(value)
    if schema is not None and schema.get(STYLE_KEYWORD) == "double-quoted":
        return double_quoted(value)
    return (
        value
        if plain_ok(value, timestamp=is_timestamp(schema), flow=flow)
        else double_quoted(value)
    )


def is_timestamp(schema: Schema) -> bool:
    """Whether a field holds dates or date-times: there a plain scalar that YAML 1.1 reads as a
    timestamp (`2024-01-05`) is meant as one, and needs no quotes."""
    return schema is not None and schema.get("format") in ("date-time", "date")


def key_text(key: str, *, flow: bool = False) -> str:
    """A mapping key: plain where possible; `flow`: the key of a flow mapping."""
    return key if plain_ok(key, flow=flow) else double_quoted(key)


def is_leaf(value: Any) -> bool:
    """Whether a value is a collection that holds no collection."""
    if isinstance(value, dict):
        return not any(isinstance(item, dict | list) for item in value.values())
    return isinstance(value, list) and not any(isinstance(item, dict | list) for item in value)


def is_block(value: Any, layout: Layout = HOUSE) -> bool:
    """Whether a value is written as a block collection in `layout`."""
    if not isinstance(value, dict | list) or not value:
        return False
    return not (layout.flow_leaves and is_leaf(value))


def ordered(data: dict[str, Any], layout: Layout) -> list[tuple[str, Any]]:
    """A mapping's entries in the order `layout` writes them."""
    return sorted(data.items()) if layout.sorted_keys else list(data.items())


def inline_text(value: Any, schema: Schema, *, flow: bool = False, layout: Layout = HOUSE) -> str:
    """A value written on one line: scalars, and collections in flow style.

    `flow` tells that the value itself stands inside a flow collection.
    """
    if isinstance(value, dict):
        inner = ", ".join(
            f"{key_text(key, flow=True)}: "
            + inline_text(item, child_schema(schema, key), flow=True, layout=layout)
            for key, item in ordered(value, layout)
        )
        return "{" + inner + "}"
    if isinstance(value, list):
        item_schema = child_schema(schema, 0)
        inner = ", ".join(
            inline_text(item, item_schema, flow=True, layout=layout) for item in value
        )
        return "[" + inner + "]"
    return scalar_text(value, schema, flow=flow)


def entry_lines(key: str, value: Any, schema: Schema, column: int, layout: Layout) -> list[str]:
    """`key: value` at `column`, with a block value on the lines below."""
    head = " " * column + key_text(key) + ":"
    if not is_block(value, layout):
        return [head + " " + inline_text(value, schema, layout=layout)]
    if isinstance(value, dict):
        return [head, *mapping_lines(value, schema, column + layout.mapping, layout)]
    return [head, *sequence_lines(value, schema, column + layout.sequence, layout)]


def mapping_lines(
    data: dict[str, Any], schema: Schema, column: int, layout: Layout, *, top: bool = False
) -> list[str]:
    """The entries of a block mapping at `column`; `top` adds the top-level blank lines."""
    lines: list[str] = []
    previous_block = False
    for index, (key, value) in enumerate(ordered(data, layout)):
        block = is_block(value, layout)
        if top and layout.blank_lines and index and (block or previous_block):
            lines.append("")
        lines.extend(entry_lines(key, value, child_schema(schema, key), column, layout))
        previous_block = block
    return lines


def item_lines(value: Any, schema: Schema, dash: int, layout: Layout) -> list[str]:
    """One sequence item with its dash at column `dash`."""
    content = dash + layout.item
    if not is_block(value, layout):
        return [
            " " * dash + "-" + " " * (layout.item - 1) + inline_text(value, schema, layout=layout)
        ]
    if isinstance(value, dict):
        lines = mapping_lines(value, schema, content, layout)
    else:
        lines = sequence_lines(value, schema, content, layout)
    lines[0] = " " * dash + "-" + " " * (layout.item - 1) + lines[0][content:]
    return lines


def sequence_lines(data: list[Any], schema: Schema, dash: int, layout: Layout) -> list[str]:
    """The items of a block sequence with dashes at column `dash`."""
    item_schema = child_schema(schema, 0)
    return [line for item in data for line in item_lines(item, item_schema, dash, layout)]


def render_front_matter(data: dict[str, Any], schema: Schema, layout: Layout = HOUSE) -> str:
    """The YAML of a whole record in its format's house style, each line ending in LF."""
    return "".join(line + "\n" for line in mapping_lines(data, schema, 0, layout, top=True))
