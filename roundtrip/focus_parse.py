"""The focused tree's parser: libyaml's events of a text, or of a part of it read alone, made
into a span tree with full nodes only along the paths an edit opens and, for every other
collection, a stub: the collection with only its last leaf as a child, which is all
`Lines.content_end` looks at (see focus.py for where the parts come from).

The text was parsed and validated when it was loaded, so nothing here checks it again, and
the data of a scalar is taken from the old data (the node's own, by path).
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

from .builders import token_start
from .items import item_text_stands_alone
from .plan import Needs
from .tree import Entry, Mapping, Node, Scalar, Sequence


def parse_part(
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
            node.end = event.end_mark.index + start if node.flow else last_end(node)
            node.data = done.data
            if not stack:
                root = node
            else:
                _attach(stack[-1], node)
        elif kind is AliasEvent:  # pragma: no cover - focus.focused_tree takes no text with `*`
            return None
    return root


def entry_alone(
    text: str, name: str, value: Any, need: Needs | None, start: int, end: int, line: int
) -> Entry | None:
    """The entry at `text[start:end]` parsed alone (full along `need`, stubs elsewhere), or
    None if it is not the one entry `name`."""
    part = parse_part(text, {name: value}, {} if need is None else {name: need}, start, end,
                         line)  # fmt: skip
    if not isinstance(part, Mapping) or len(part.entries) != 1 or part.entries[0].name != name:
        return None
    return part.entries[0]


def item_alone(
    text: str, value: Any, need: Needs | None, start: int, end: int, line: int, column: int
) -> Mapping | None:
    """The item at `text[start:end]` (a block sequence item at `column`) parsed alone, full
    along `need`; None if its text does not stand alone or it is not one mapping."""
    if not item_text_stands_alone(text[start:end], column):
        return None
    part = parse_part(text, [value], {} if need is None else {0: need}, start, end, line)
    if not isinstance(part, Sequence) or part.flow or part.column != column:
        return None
    if len(part.items) != 1 or not isinstance(part.items[0], Mapping):
        return None
    return part.items[0]


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


def last_end(node: Mapping | Sequence) -> int:
    """A block collection ends where its last child does."""
    if isinstance(node, Sequence):
        return node.items[-1].end if node.items else node.start
    return node.entries[-1].value.end if node.entries else node.start


def _token_start(text: str, start: int, anchor: str | None, tag: str | None) -> int:
    """Where a node's own token begins, after its anchor and tag (libyaml's mark is before)."""
    if anchor is None and tag is None:
        return start
    return token_start(text, start)
