"""A span tree of only what an edit needs.

The planner reads the nodes whose data changes, and the children of those (to place, remove
or rewrite one of them among its siblings). Everything else it needs only to step over: where
a node starts and where its own text ends. So this builder, from libyaml's events, makes full
nodes along the changed paths and, for every other collection, a stub: the collection with
only its last leaf as a child, which is all `Lines.content_end` looks at. On a large record a
one-field edit then builds a few hundred nodes instead of millions.

Most records need not even be parsed whole: in a block mapping at column 0 each top-level
entry means the same read alone (entries.py finds where they start from the lines), so only
the entries the edit opens are parsed, and every other one is a stub made from its lines — or
parsed too, when its lines cannot tell where its content ends. Anything else (a flow root,
keys the lines cannot place, an entry that does not read alone as expected) is parsed whole.
One level down, an opened entry that is a block sequence of mappings whose items the lines
tell apart (items.py) is not parsed whole either: only the items the edit opens are, each
alone, and every other item is a stub parsed alone only if the planner asks about it (an edit
that keeps the sequence's length never does); else the entry is parsed alone, as above. And
an opened item that is a block mapping whose keys the lines tell is not parsed whole either:
only its entries the edit opens are, each alone (but its first, which shares the dash's line:
then the item is parsed alone).

The text was parsed and validated when it was loaded, so nothing here checks it again, and
the data of a scalar is taken from the old data (the node's own, by path). A text with an
alias is not focused (`focused_tree` returns None): writing aliases out needs every node.
"""

from __future__ import annotations

from typing import Any

from _ruamel_yaml import (
    AliasEvent,
    CParser,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from ruamel.yaml.error import YAMLError

from .builders import token_start
from .entries import content_end, entry_heads, may_hold_block_scalar
from .errors import EmitError
from .items import entry_text_stands_alone, item_heads, item_keys, item_text_stands_alone
from .plan import Needs
from .tree import Entry, Mapping, Node, Scalar, Sequence


class _Open:
    """A collection being built: a full one (`needs` is not None) or a stub."""

    __slots__ = ("data", "flows", "key", "last", "needs", "node")

    def __init__(self, node: Mapping | Sequence, needs: Needs | None, data: Any) -> None:
        self.node = node
        self.needs = needs
        self.data = data  # the old data of a full collection
        self.key: Scalar | None = None  # a full mapping's key waiting for its value
        self.last: Any = None  # a stub's last leaf so far (its event)
        self.flows: list[bool] = []  # a stub's open inner collections: flow or not


def focused_tree(text: str, old: dict[str, Any], wanted: Needs) -> Mapping | None:
    """The span tree of `text` (holding `old`) with full nodes only along `wanted` (the
    paths to what changes, see plan.needs)."""
    if "*" in text:
        return None
    try:
        heads = entry_heads(text, len(old))
        root = None if heads is None else _by_entries(text, heads, old, wanted)
        if root is None:
            whole = _focused_tree(text, old, wanted)
            root = whole if isinstance(whole, Mapping) else None
        return root
    except YAMLError:  # a text only the reader's fallback parser reads: use the full tree
        return None


def _by_entries(text: str, heads: list[int], old: dict[str, Any], wanted: Needs) -> Mapping | None:
    """The focused tree of a block mapping at column 0 whose entries start at `heads`, each
    entry read alone: parsed when the edit opens it, else a key and a `_LastLeaf`. None if an
    entry read alone is not the one expected. `old` is the text's data as the parser built
    it, so its keys come in the text's order: the n-th key is the n-th head's."""
    line = text.count("\n", 0, heads[0])
    root = Mapping(False, heads[0], line, 0, None)
    root.data = old
    ends = [*heads[1:], len(text)]
    for (name, value), start, end in zip(old.items(), heads, ends, strict=True):
        if name in wanted:
            entry = _entry_by_items(text, name, value, wanted[name], start, end, line)
            if entry is None:
                entry = _entry_alone(text, name, value, wanted[name], start, end, line)
            if entry is None:
                return None
        else:
            key = Scalar(name, None, start, start, line, 0, None, None)
            entry = Entry(key, _LastLeaf(value, text, name, start, end, line))
        root.entries.append(entry)
        line += text.count("\n", start, end)
    root.end = _last_end(root)
    return root


def _entry_alone(
    text: str, name: str, value: Any, need: Needs | None, start: int, end: int, line: int
) -> Entry | None:
    """The entry at `text[start:end]` parsed alone (full along `need`, stubs elsewhere), or
    None if it is not the one entry `name`."""
    part = _focused_tree(text, {name: value}, {} if need is None else {name: need}, start, end,
                         line)  # fmt: skip
    if not isinstance(part, Mapping) or len(part.entries) != 1 or part.entries[0].name != name:
        return None
    return part.entries[0]


def _entry_by_items(
    text: str, name: str, value: Any, need: Needs, start: int, end: int, line: int
) -> Entry | None:
    """The entry at `text[start:end]`, a block sequence of mappings, with only the items the
    edit opens parsed, each alone, and a `_ItemStub` for every other; None when its lines
    cannot tell the items apart (items.py) or an opened item does not read alone as expected."""
    if not need or not isinstance(value, list) or not all(type(item) is dict for item in value):
        return None
    found = item_heads(text, start, end, name, len(value))
    if found is None:
        return None
    column, heads = found
    ends = [*heads[1:], end]
    item_line = line + text.count("\n", start, heads[0])
    sequence = _Items(False, heads[0] + column, item_line, column, None)
    del sequence.end  # found on first use (see _Items)
    sequence.data = value
    whole = (name, start, end, line)
    for index, (head, stop) in enumerate(zip(heads, ends, strict=True)):
        item: Node | None
        if index in need:
            item = _item_by_entries(text, value[index], need[index], head, stop, item_line,
                                    column)  # fmt: skip
            if item is None:
                item = _item_alone(text, value[index], need[index], head, stop, item_line, column)
            if item is None:
                return None
        else:
            item = _ItemStub(text, value, index, head, stop, item_line, column, whole)
        sequence.items.append(item)
        item_line += text.count("\n", head, stop)
    return Entry(Scalar(name, None, start, start + len(name), line, 0, None, None), sequence)


def _item_by_entries(
    text: str, value: Any, need: Needs, start: int, end: int, line: int, column: int
) -> Mapping | None:
    """The item at `text[start:end]` (a block sequence item at `column`, a block mapping) with
    only the entries the edit opens parsed, each alone, and a key and a `_LastLeaf` for every
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
    node = Mapping(False, heads[0], line, indent, None)
    node.data = value
    for index, ((name, child), head, stop) in enumerate(zip(value.items(), heads, ends,
                                                            strict=True)):  # fmt: skip
        entry: Entry | None
        if name in need:
            if not entry_text_stands_alone(text[head:stop], indent):
                return None
            entry = _entry_alone(text, name, child, need[name], head, stop, line)
            if entry is None:
                return None
        else:
            if index == 0 and (may_hold_block_scalar(text, head, stop)
                               or content_end(text, head, stop) is None):  # fmt: skip
                return None  # its stub could not be parsed alone to tell
            key_start = head if index == 0 else head + indent
            key = Scalar(name, None, key_start, key_start + len(name), line, indent, None, None)
            entry = Entry(key, _LastLeaf(child, text, name, head, stop, line))
        node.entries.append(entry)
        line += text.count("\n", head, stop)
    node.end = _last_end(node)
    return node


def _item_alone(
    text: str, value: Any, need: Needs | None, start: int, end: int, line: int, column: int
) -> Mapping | None:
    """The item at `text[start:end]` (a block sequence item at `column`) parsed alone, full
    along `need`; None if its text does not stand alone or it is not one mapping."""
    if not item_text_stands_alone(text[start:end], column):
        return None
    part = _focused_tree(text, [value], {} if need is None else {0: need}, start, end, line)
    if not isinstance(part, Sequence) or part.flow or part.column != column:
        return None
    if len(part.items) != 1 or not isinstance(part.items[0], Mapping):
        return None
    return part.items[0]


class _Items(Sequence):
    """A block sequence built item by item: its end, its last item's, is found on first use
    (the last item may be a stub, which would be parsed to tell)."""

    __slots__ = ()

    def __getattr__(self, attribute: str) -> Any:
        if attribute != "end":
            raise AttributeError(attribute)
        self.end = _last_end(self)
        return self.end


class _ItemStub(Mapping):
    """An item of a block sequence the edit does not open. What the planner may ask of it
    (where it starts, its last leaf: to remove it or place a new item beside it) is found on
    first use by parsing the item alone — or its whole entry, when the item's text does not
    stand alone. An edit that keeps the sequence's length never asks."""

    __slots__ = ("_item",)

    def __init__(
        self, text: str, value: list[Any], index: int, start: int, end: int, line: int,
        column: int, entry: tuple[str, int, int, int],
    ) -> None:  # fmt: skip
        # Not Mapping.__init__: its slots stay unset until __getattr__ asks for one.
        self._item = (text, value, index, start, end, line, column, entry)

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
        text, value, index, start, end, line, column, entry = self._item
        item = _item_alone(text, value[index], None, start, end, line, column)
        if item is not None:
            return item
        name, entry_start, entry_end, entry_line = entry
        part = _focused_tree(text, {name: value}, {name: {}}, entry_start, entry_end, entry_line)
        if not isinstance(part, Mapping) or len(part.entries) != 1:
            return None
        sequence = part.entries[0].value
        if not isinstance(sequence, Sequence) or len(sequence.items) != len(value):
            return None
        found = sequence.items[index]
        return found if isinstance(found, Mapping) else None


class _LastLeaf(Scalar):
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
            entry = _entry_alone(text, name, value, None, start, end, line)
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


def _focused_tree(
    text: str, old: Any, wanted: Needs, start: int = 0, end: int | None = None,
    line: int = 0,
) -> Mapping | Sequence | None:  # fmt: skip
    """The focused tree of `text`, or of its part `text[start:end]` read alone (which starts
    on line `line`, 0-based): offsets and lines are the whole text's either way. `old` is the
    data of its root: a mapping, or the items of a block sequence read alone."""
    parser = CParser(text if start == 0 and end is None else text[start:end])
    stack: list[_Open] = []
    root: Mapping | Sequence | None = None
    while True:
        event = parser.get_event()
        kind = type(event)
        if kind is StreamEndEvent:
            break
        top = stack[-1] if stack else None
        if top is not None and top.needs is None:  # inside a stub: keep only the last leaf
            if not top.flows and (kind is MappingEndEvent or kind is SequenceEndEvent):
                stack.pop()
                _close_stub(top, event.end_mark.index + start, start, line)
                _attach(stack[-1], top.node)
            else:
                _step_stub(top, event, kind)
            continue
        if kind is ScalarEvent:
            tag = event.tag if event.tag != "!" else None  # as parse.py places scalars
            mark = event.start_mark
            at = _token_start(text, mark.index + start, event.anchor, tag)
            scalar = Scalar(None, event.style or None, at, event.end_mark.index + start,
                            mark.line + line, mark.column, event.anchor, event.tag)  # fmt: skip
            assert top is not None
            if isinstance(top.node, Mapping) and top.key is None:
                scalar.data = event.value
                top.key = scalar
                continue
            scalar.data = top.data[_place(top)]
            _attach(top, scalar)
        elif kind is MappingStartEvent or kind is SequenceStartEvent:
            mark = event.start_mark
            at = _token_start(text, mark.index + start, event.anchor, event.tag)
            cls = Mapping if kind is MappingStartEvent else Sequence
            node = cls(bool(event.flow_style), at, mark.line + line, mark.column, event.anchor)
            if top is None:
                stack.append(_Open(node, wanted, old))
                continue
            place = _place(top)
            if top.needs is not None and place in top.needs:
                stack.append(_Open(node, top.needs[place], top.data[place]))
            else:
                stack.append(_Open(node, None, None))
        elif kind is MappingEndEvent or kind is SequenceEndEvent:
            done = stack.pop()
            node = done.node
            node.end = event.end_mark.index + start if node.flow else _last_end(node)
            node.data = done.data
            if not stack:
                root = node
            else:
                _attach(stack[-1], node)
        elif kind is AliasEvent:  # pragma: no cover - excluded by the `*` test above
            return None
    return root


def _place(top: _Open) -> Any:
    """The key or index of the next child of an open collection."""
    if isinstance(top.node, Mapping):
        assert top.key is not None
        return top.key.data
    return len(top.node.items)


def _attach(top: _Open, node: Node) -> None:
    if isinstance(top.node, Mapping):
        assert top.key is not None
        top.node.entries.append(Entry(top.key, node))
        top.key = None
    else:
        top.node.items.append(node)


def _step_stub(top: _Open, event: Any, kind: type) -> None:
    """Follow one event inside a stub: nesting, and the last leaf (a scalar, or the end of a
    flow collection: a block collection ends where its last leaf does). Kept as the event
    itself, made a node only when the stub closes."""
    if kind is ScalarEvent:
        top.last = event
    elif kind is MappingStartEvent or kind is SequenceStartEvent:
        top.flows.append(bool(event.flow_style))
    elif (kind is MappingEndEvent or kind is SequenceEndEvent) and top.flows.pop():
        top.last = event


def _close_stub(top: _Open, end: int, shift: int, line: int) -> None:
    """Close a stub at `end`; its events' offsets and lines are `shift` and `line` short of
    the text's."""
    node = top.node
    if node.flow:
        node.end = end
        return
    event = top.last  # a block collection is never empty
    start, stop = event.start_mark.index + shift, event.end_mark.index + shift
    leaf: Node
    if type(event) is ScalarEvent:
        mark = event.start_mark
        data = event.value if event.style in ("|", ">") else None  # for Lines.block_indent
        leaf = Scalar(data, event.style or None, start, stop, mark.line + line, mark.column,
                      None, None)  # fmt: skip
    else:
        leaf = Sequence(True, stop, 0, 0, None)
        leaf.end = stop
    if isinstance(node, Mapping):
        node.entries.append(Entry(Scalar(None, None, start, start, 0, 0, None, None), leaf))
    else:
        node.items.append(leaf)
    node.end = stop


def _last_end(node: Mapping | Sequence) -> int:
    """A block collection ends where its last child does."""
    if isinstance(node, Sequence):
        return node.items[-1].end if node.items else node.start
    return node.entries[-1].value.end if node.entries else node.start


def _token_start(text: str, start: int, anchor: str | None, tag: str | None) -> int:
    """Where a node's own token begins, after its anchor and tag (libyaml's mark is before)."""
    if anchor is None and tag is None:
        return start
    return token_start(text, start)
