"""Text for new or rewritten nodes, in the style of the document they go into.

A changed scalar keeps its own style where that style can hold the new value; new
collections follow the document's `Layout` — its indentation, whether it writes leaf
collections in flow style and whether it sorts keys — measured from the document itself.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import attrs

from .layout import (
    HOUSE,
    Layout,
    entry_lines,
    inline_text,
    is_leaf,
    is_timestamp,
    item_lines,
    key_text,
    mapping_lines,
    scalar_text,
    sequence_lines,
)
from .lines import Lines
from .scalars import block_scalar, bool_like, double_quoted, plain_ok, single_quoted
from .schema_doc import child_schema, key_order
from .tree import Mapping, Node, Scalar, Sequence

Schema = dict[str, Any] | None
_INDENTS = ("mapping", "sequence", "item")


def measure(root: Mapping, lines: Lines, schema: Schema = None, house: Layout = HOUSE) -> Layout:
    """The document's own layout, each choice taken from its first example.

    Indentation comes from block collections; an item written on the line after a bare `-`
    says nothing of how far items stand from their dash. Leaf collections are in flow style
    when the first one under a block parent is; keys are sorted when the top-level keys are
    in alphabetical order and that is not merely the schema's order. What the document does
    not show comes from the format's house layout.
    """
    found: dict[str, Any] = {}
    stack: list[Node] = [root]
    while stack and len(found) < len(_INDENTS) + 1:
        node = stack.pop()
        if isinstance(node, Mapping) and not node.flow:
            for entry in node.entries:
                value = entry.value
                if isinstance(value, Mapping) and not value.flow and value.entries:
                    found.setdefault("mapping", value.column - entry.key.column)
                elif isinstance(value, Sequence) and not value.flow and value.items:
                    dash = lines.dash(value.items[0])
                    found.setdefault("sequence", lines.column(dash) - entry.key.column)
                _note_leaf(value, found)
            stack.extend(reversed([entry.value for entry in node.entries]))
        elif isinstance(node, Sequence) and not node.flow:
            for item in node.items:
                dash = lines.dash(item)
                if item.line == node.line or lines.start(dash) == lines.start(item.start):
                    found.setdefault("item", item.column - lines.column(dash))
                _note_leaf(item, found)
            stack.extend(reversed(node.items))
    names = [entry.name for entry in root.entries]
    schema_first = [name for name in key_order(schema) if name in names]
    found["sorted_keys"] = len(names) > 2 and names == sorted(names) and names != schema_first
    return attrs.evolve(house, **found)


def _note_leaf(node: Node, found: dict[str, Any]) -> None:
    """Record whether a non-empty leaf collection under a block parent is in flow style."""
    if isinstance(node, Mapping | Sequence) and node.data and is_leaf(node.data):
        found.setdefault("flow_leaves", node.flow)


# A block scalar's header: its indicators, then any comment on that line (group 1).
_HEADER_COMMENT = re.compile(r"[|>][-+0-9]*([ \t]+#[^\n]*)")


class Renderer:
    """Writes values into one document: in its layout (measured when first needed), with its
    line ending."""

    def __init__(self, lines: Lines, root: Callable[[], Mapping], schema: Schema = None,
                 house: Layout = HOUSE) -> None:  # fmt: skip
        self.lines = lines
        self.root = root  # the document's full span tree, built when first asked for
        self.schema = schema  # the root schema, whose key order measuring compares with
        self.house = house
        self._layout: Layout | None = None

    @property
    def layout(self) -> Layout:
        if self._layout is None:
            self._layout = measure(self.root(), self.lines, self.schema, self.house)
        return self._layout

    def layout_for(self, values: list[Any]) -> Layout:
        """The layout, measured only when a value is a collection: a scalar written as an
        entry or item needs none of it (measuring may need the whole span tree)."""
        if any(isinstance(value, dict | list) and value for value in values):
            return self.layout
        return self.house

    def joined(self, lines: list[str], *, first_column: int = 0) -> str:
        """Lines joined with the document's line ending, the first one cut at `first_column`
        (it continues a line already there)."""
        return self.lines.newline.join([lines[0][first_column:], *lines[1:]])

    def entries(
        self, keys: list[str], value: dict[str, Any], schema: Schema, column: int
    ) -> list[str]:
        """Block lines for the entries `keys` of `value`, keys at `column`."""
        layout = self.layout_for([value[key] for key in keys])
        return [
            line
            for key in keys
            for line in entry_lines(key, value[key], child_schema(schema, key), column, layout)
        ]

    def items(self, values: list[Any], schema: Schema, dash: int, item: int | None) -> list[str]:
        """Block lines for sequence items with dashes at column `dash` (content `item` past it)."""
        # Without `item`, the reference item said nothing of the distance from its dash.
        layout = self.layout if item is None else attrs.evolve(self.layout_for(values), item=item)
        return [line for value in values for line in item_lines(value, schema, dash, layout)]

    def block(self, value: Any, schema: Schema, column: int) -> list[str]:
        """A non-empty collection as block lines at `column`."""
        if isinstance(value, dict):
            return mapping_lines(value, schema, column, self.layout)
        return sequence_lines(value, schema, column, self.layout)

    def writes_block(self, value: Any) -> bool:
        """Whether this document writes `value` as a block collection (under a key or dash)."""
        if not isinstance(value, dict | list) or not value:
            return False
        return not (self.layout.flow_leaves and is_leaf(value))

    def inline(self, value: Any, schema: Schema, *, flow: bool) -> str:
        """`value` on one line (collections in flow style); `flow`: inside a flow collection."""
        if isinstance(value, dict | list) and value:
            return inline_text(value, schema, flow=flow, layout=self.layout)
        return inline_text(value, schema, flow=flow)

    def key(self, key: str, *, flow: bool = False) -> str:
        return key_text(key, flow=flow)

    def scalar_like(self, node: Node, value: Any, schema: Schema, *, flow: bool) -> str:
        """`value` in the style of the scalar it replaces, where that style can hold it."""
        if not isinstance(node, Scalar) or isinstance(value, dict | list):
            return self.inline(value, schema, flow=flow)
        original = self.lines.text[node.start : node.end]
        if isinstance(value, bool) and isinstance(node.data, bool):
            return bool_like(original, value)
        if not isinstance(value, str):
            return scalar_text(value, schema)
        if node.style is None:
            if plain_ok(value, timestamp=is_timestamp(schema), flow=flow):
                return value
        elif node.style == "'":
            quoted = single_quoted(value)
            if quoted is not None:
                return quoted
        elif node.style in ("|", ">") and not flow:
            indent = " " * self.lines.block_indent(node)
            block = block_scalar(value, indent, folded=node.style == ">")
            if block is None:
                block = block_scalar(value, indent)
            # A comment on the header line (`>-  # why`) belongs to the line, not the value.
            comment = _HEADER_COMMENT.match(original)
            if block is not None:
                return block if comment is None else block.replace("\n", comment[1] + "\n", 1)
            if comment is not None:
                return double_quoted(value) + comment[1]
        return double_quoted(value) if node.style else scalar_text(value, schema, flow=flow)
