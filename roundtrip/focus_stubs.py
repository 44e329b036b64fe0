"""Stand-ins for the parts of a record an edit does not open, found from its lines (focus.py):
each parses its part alone (focus_parse.py) only when the planner asks about it, and an edit
that keeps the keys and lengths around it never asks.
"""

from __future__ import annotations

from typing import Any

from ruamel.yaml.error import YAMLError

from . import focus_parse
from .entries import content_end, may_hold_block_scalar
from .errors import EmitError
from .tree import Entry, Mapping, Scalar, Sequence


def _end_on_first_use(node: Mapping | Sequence, attribute: str) -> Any:
    """`__getattr__` of a collection built child by child: its `end`, its last child's, found
    on first use (the last child may be a stub, which would look at its lines or be parsed to
    tell)."""
    if attribute != "end":
        raise AttributeError(attribute)
    node.end = focus_parse.last_end(node)
    return node.end


class Root(Mapping):
    """The root of a focused tree, a block mapping at column 0 built entry by entry: its end,
    its last entry's, is found on first use (the last entry may be a stub, which would look
    at its lines to tell). `heads`: where its entries start (entries.entry_heads), kept for
    the read-back (splice.py)."""

    __slots__ = ("heads",)
    heads: list[int]
    __getattr__ = _end_on_first_use


class EntryStub(Entry):
    """An entry the edit does not open, at `text[start:end]`, its key spanning `key` at
    `column` of its first line: its name, and its key and value (a `LastLeaf`) made on first
    use (its line counted then). An edit that keeps the mapping's keys never asks for them.

    Made without a call (a record has many entries, and a call to __init__ costs twice what
    setting the attribute does): `stub = object.__new__(EntryStub)`, then `stub._entry =
    (name, value, text, start, end, key, column)`; not Entry.__init__: `key` and `value` stay
    unset until __getattr__ asks for one."""

    __slots__ = ("_entry",)
    _entry: tuple[str, Any, str, int, int, tuple[int, int], int]

    @property
    def name(self) -> str:
        name: str = self._entry[0]
        return name

    def __getattr__(self, attribute: str) -> Any:
        if attribute not in ("key", "value"):
            raise AttributeError(attribute)
        name, value, text, start, end, (key_start, key_end), column = self._entry
        line = text.count("\n", 0, start)
        self.key = Scalar(name, None, key_start, key_end, line, column, None, None)
        self.value = LastLeaf(value, text, name, start, end, line)
        return getattr(self, attribute)


class Items(Sequence):
    """A block sequence built item by item: its end, its last item's, is found on first use
    (the last item may be a stub, which would be parsed to tell). `heads`: its items' column
    and where their lines start (items.item_heads), kept for the read-back (splice.py)."""

    __slots__ = ("heads",)
    heads: tuple[int, list[int]]
    __getattr__ = _end_on_first_use


class KeyedItem(Mapping):
    """An item of a block sequence, a block mapping built entry by entry: its end, its last
    entry's, is found on first use (the last entry may be a stub, which would look at its
    lines to tell). `keys`: its keys' column and where they start (items.item_keys), kept for
    the read-back (splice.py)."""

    __slots__ = ("keys",)
    keys: tuple[int, list[int]]
    __getattr__ = _end_on_first_use


class ItemStub(Mapping):
    """An item of a block sequence the edit does not open. What the planner may ask of it
    (where it starts, its last leaf: to remove it or place a new item beside it) is found on
    first use by parsing the item alone — or its whole entry, when the item's text does not
    stand alone. An edit that keeps the sequence's length never asks."""

    __slots__ = ("_item",)

    def __init__(
        self, text: str, value: list[Any], index: int, start: int, end: int, column: int,
        entry: tuple[str, int, int, int],
    ) -> None:  # fmt: skip
        # Not Mapping.__init__: its slots stay unset until __getattr__ asks for one.
        self._item = (text, value, index, start, end, column, entry)

    def __getattr__(self, attribute: str) -> Any:
        if attribute not in Mapping.__slots__:
            raise AttributeError(attribute)
        try:
            node = self._find()
        except YAMLError:
            node = None
        if node is None:  # splice_checked then plans on the full tree
            raise EmitError("internal error: an item of a sequence does not read alone")
        for slot in Mapping.__slots__:
            setattr(self, slot, getattr(node, slot))
        return getattr(self, attribute)

    def _find(self) -> Mapping | None:
        text, value, index, start, end, column, entry = self._item
        name, entry_start, entry_end, entry_line = entry
        line = entry_line + text.count("\n", entry_start, start)
        item = focus_parse.item_alone(text, value[index], None, start, end, line, column)
        if item is not None:
            return item
        part = focus_parse.parse_part(text, {name: value}, {name: {}}, entry_start, entry_end,
                                      entry_line)  # fmt: skip
        if not isinstance(part, Mapping) or len(part.entries) != 1:
            return None
        sequence = part.entries[0].value
        if not isinstance(sequence, Sequence) or len(sequence.items) != len(value):
            return None
        found = sequence.items[index]
        return found if isinstance(found, Mapping) else None


class LastLeaf(Scalar):
    """A top-level value the edit does not open, standing for its last leaf: what
    `Lines.content_end` and `plan.ends_in_block_scalar` ask about (its style, span and place,
    and a block scalar's text) is found on first use — from the entry's lines, or by parsing
    the entry alone when they cannot tell. An edit that keeps the root's keys never asks."""

    __slots__ = ("_entry",)
    _FOUND = frozenset({"data", "style", "start", "end", "line", "column"})

    def __init__(self, value: Any, text: str, name: str, start: int, end: int, line: int) -> None:
        # Not Scalar.__init__: what `_FOUND` names stays unset until __getattr__ asks for it.
        self.anchor = self.tag = None
        self._entry = (value, text, name, start, end, line)

    def __getattr__(self, attribute: str) -> Any:
        if attribute not in self._FOUND:
            raise AttributeError(attribute)
        leaf = self._find()
        self.data, self.style, self.start, self.end = leaf.data, leaf.style, leaf.start, leaf.end
        self.line, self.column = leaf.line, leaf.column
        return getattr(self, attribute)

    def _find(self) -> Scalar:
        """The last leaf (a flow collection stands as a plain scalar over its span)."""
        value, text, name, start, end, line = self._entry
        if not may_hold_block_scalar(text, start, end):
            stop = content_end(text, start, end)
            if stop is not None:
                column = stop - (text.rfind("\n", 0, stop) + 1)
                return Scalar(None, None, stop, stop, line + text.count("\n", start, stop),
                              column, None, None)  # fmt: skip
        try:
            entry = focus_parse.entry_alone(text, name, value, None, start, end, line)
        except YAMLError:
            entry = None
        if entry is None:  # splice_checked then plans on the full tree
            raise EmitError(f"internal error: the entry {name!r} does not read alone")
        node = entry.value
        while isinstance(node, Mapping | Sequence) and not node.flow:
            node = node.entries[-1].value if isinstance(node, Mapping) else node.items[-1]
        if isinstance(node, Scalar):
            return node
        return Scalar(None, None, node.start, node.end, node.line, node.column, None, None)
