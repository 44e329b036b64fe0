"""A span tree of only what an edit needs.

The planner reads the nodes whose data changes, and the children of those (to place, remove
or rewrite one of them among its siblings). Everything else it needs only to step over: where
a node starts and where its own text ends. So the tree has full nodes along the changed paths
and stubs elsewhere (focus_parse.py builds it from libyaml's events). On a large record a
one-field edit then builds a few hundred nodes instead of millions.

Most records need not even be parsed whole: in a block mapping at column 0 each top-level
entry means the same read alone (entries.py finds where they start from the lines), so only
the entries the edit opens are parsed, and every other one is a stand-in made from its lines
(focus_stubs.py) — or parsed too, when its lines cannot tell where its content ends. Anything
else (a flow root, keys the lines cannot place, an entry that does not read alone as
expected) is parsed whole. One level down, an opened entry that is a block sequence of
mappings whose items the lines tell apart (items.py) is not parsed whole either: only the
items the edit opens are, each alone, and every other item is a stand-in parsed alone only if
the planner asks about it (an edit that keeps the sequence's length never does); else the
entry is parsed alone, as above. And an opened item that is a block mapping whose keys the
lines tell is not parsed whole either: only its entries the edit opens are, each alone (but
its first, which shares the dash's line: then the item is parsed alone). At either level an
opened entry that is one line `key: scalar` in a shape that leaves no choice is not parsed at
all: its spans are read from the line, proven by its scalar resolving to the old data
(scalar_line.py).

A text with an alias is not focused (`focused_tree` returns None): writing aliases out needs
every node.
"""

from __future__ import annotations

from typing import Any

from ruamel.yaml.error import YAMLError

from . import focus_parse
from .entries import content_end, entry_heads, may_hold_block_scalar
from .focus_stubs import EntryStub, Items, ItemStub, KeyedItem, Root
from .items import entry_text_stands_alone, item_heads, item_keys
from .plan import Needs
from .scalar_line import scalar_entry
from .tree import Entry, Mapping, Node, Scalar

_new = object.__new__


def focused_tree(text: str, old: dict[str, Any], wanted: Needs) -> Mapping | None:
    """The span tree of `text` (holding `old`) with full nodes only along `wanted` (the
    paths to what changes, see plan.needs)."""
    if "*" in text:
        return None
    try:
        heads = entry_heads(text, len(old))
        root = None if heads is None else _by_entries(text, heads, old, wanted)
        if root is None:
            whole = focus_parse.parse_part(text, old, wanted)
            root = whole if isinstance(whole, Mapping) else None
        return root
    except YAMLError:  # a text only the reader's fallback parser reads: use the full tree
        return None


def _by_entries(text: str, heads: list[int], old: dict[str, Any], wanted: Needs) -> Mapping | None:
    """The focused tree of a block mapping at column 0 whose entries start at `heads`, each
    entry read alone: parsed when the edit opens it, else a key and a `LastLeaf`. None if an
    entry read alone is not the one expected. `old` is the text's data as the parser built
    it, so its keys come in the text's order: the n-th key is the n-th head's."""
    line = text.count("\n", 0, heads[0])  # lines counted only up to the entries opened
    counted = heads[0]
    root = Root(False, heads[0], line, 0, None)
    del root.end  # found on first use (see Root)
    root.data = old
    root.heads = heads
    ends = [*heads[1:], len(text)]
    for (name, value), start, end in zip(old.items(), heads, ends, strict=True):
        entry: Entry | None
        if name in wanted:
            line += text.count("\n", counted, start)
            counted = start
            if type(value) is dict:
                entry = _entry_by_items(text, name, value, wanted[name], start, end, line)
            elif type(value) is list:
                entry = _entry_by_items(text, name, value, wanted[name], start, end, line) or (
                    scalar_entry(text, name, value, start, end, line, 0))  # fmt: skip
            else:
                entry = scalar_entry(text, name, value, start, end, line, 0)
            if entry is None:
                entry = focus_parse.entry_alone(text, name, value, wanted[name], start, end, line)
            if entry is None:
                return None
        else:
            entry = _new(EntryStub)  # (made without a call: see EntryStub)
            entry._entry = (name, value, text, start, end, (start, start), 0)
        root.entries.append(entry)
    return root


def _entry_by_items(
    text: str, name: str, value: Any, need: Needs, start: int, end: int, line: int
) -> Entry | None:
    """The entry at `text[start:end]`, a block sequence of mappings, with only the items the
    edit opens parsed, each alone, and a `ItemStub` for every other; None when its lines
    cannot tell the items apart (items.py) or an opened item does not read alone as expected."""
    if not need or not isinstance(value, list) or not all(type(item) is dict for item in value):
        return None
    found = item_heads(text, start, end, name, len(value))
    if found is None:
        return None
    column, heads = found
    ends = [*heads[1:], end]
    item_line = line + text.count("\n", start, heads[0])
    sequence = Items(False, heads[0] + column, item_line, column, None)
    del sequence.end  # found on first use (see Items)
    sequence.data = value
    sequence.heads = found
    whole = (name, start, end, line)
    for index, (head, stop) in enumerate(zip(heads, ends, strict=True)):
        item: Node | None
        if index in need:
            item_line = line + text.count("\n", start, head)
            item = _item_by_entries(text, value[index], need[index], head, stop, item_line,
                                    column)  # fmt: skip
            if item is None:
                item = focus_parse.item_alone(text, value[index], need[index], head, stop,
                                              item_line, column)  # fmt: skip
            if item is None:
                return None
        else:
            item = ItemStub(text, value, index, head, stop, column, whole)
        sequence.items.append(item)
    return Entry(Scalar(name, None, start, start + len(name), line, 0, None, None), sequence)


def _item_by_entries(
    text: str, value: Any, need: Needs, start: int, end: int, line: int, column: int
) -> KeyedItem | None:
    """The item at `text[start:end]` (a block sequence item at `column`, a block mapping) with
    only the entries the edit opens parsed, each alone, and a key and a `LastLeaf` for every
    other; None when its lines cannot tell its keys (items.item_keys), the edit opens its first
    entry (which shares the dash's line), an opened entry does not stand alone, or the lines
    cannot tell where the first entry ends."""
    if not need or type(value) is not dict:
        return None
    found = item_keys(text, start, end, column, list(value))
    if found is None or next(iter(value)) in need:
        return None
    indent, heads = found
    ends = [*heads[1:], end]
    node = KeyedItem(False, heads[0], line, indent, None)
    del node.end  # found on first use (see KeyedItem)
    node.data = value
    node.keys = found
    for index, ((name, child), head, stop) in enumerate(zip(value.items(), heads, ends,
                                                            strict=True)):  # fmt: skip
        entry: Entry | None
        if name in need:
            at = line + text.count("\n", start, head)
            entry = scalar_entry(text, name, child, head, stop, at, indent)
            if entry is None:
                if not entry_text_stands_alone(text[head:stop], indent):
                    return None
                entry = focus_parse.entry_alone(text, name, child, need[name], head, stop, at)
            if entry is None:
                return None
        else:
            if index == 0 and (may_hold_block_scalar(text, head, stop)
                               or content_end(text, head, stop) is None):  # fmt: skip
                return None  # its stub could not be parsed alone to tell
            key_start = head if index == 0 else head + indent
            key = (key_start, key_start + len(name))
            entry = _new(EntryStub)
            entry._entry = (name, child, text, head, stop, key, indent)
        node.entries.append(entry)
    return node
