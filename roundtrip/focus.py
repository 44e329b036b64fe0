"""A span tree of only what an edit needs.

The planner reads the nodes whose data changes, and the children of those (to place, remove
or rewrite one of them among its siblings). Everything else it needs only to step over: where
a node starts and where its own text ends. So this builder, from libyaml's events, makes full
nodes along the changed paths and, for every other collection, a stub: the collection with
only its last leaf as a child, which is all `Lines.content_end` looks at. On a large record a
one-field edit then builds a few hundred nodes instead of millions.

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
    try:
        return _focused_tree(text, old, wanted)
    except YAMLError:  # a text only the reader's fallback parser reads: use the full tree
        return None


def _focused_tree(text: str, old: dict[str, Any], wanted: Needs) -> Mapping | None:
    if "*" in text:
        return None
    parser = CParser(text)
    stack: list[_Open] = []
    root: Mapping | None = None
    while True:
        event = parser.get_event()
        kind = type(event)
        if kind is StreamEndEvent:
            break
        top = stack[-1] if stack else None
        if top is not None and top.needs is None:  # inside a stub: keep only the last leaf
            if not top.flows and (kind is MappingEndEvent or kind is SequenceEndEvent):
                stack.pop()
                _close_stub(top, event.end_mark.index)
                _attach(stack[-1], top.node)
            else:
                _step_stub(top, event, kind)
            continue
        if kind is ScalarEvent:
            tag = event.tag if event.tag != "!" else None  # as parse.py places scalars
            start = _token_start(text, event.start_mark.index, event.anchor, tag)
            mark = event.start_mark
            scalar = Scalar(None, event.style or None, start, event.end_mark.index,
                            mark.line, mark.column, event.anchor, event.tag)  # fmt: skip
            assert top is not None
            if isinstance(top.node, Mapping) and top.key is None:
                scalar.data = event.value
                top.key = scalar
                continue
            scalar.data = top.data[_place(top)]
            _attach(top, scalar)
        elif kind is MappingStartEvent or kind is SequenceStartEvent:
            mark = event.start_mark
            start = _token_start(text, mark.index, event.anchor, event.tag)
            cls = Mapping if kind is MappingStartEvent else Sequence
            node = cls(bool(event.flow_style), start, mark.line, mark.column, event.anchor)
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
            node.end = event.end_mark.index if node.flow else _last_end(node)
            node.data = done.data
            if not stack:
                assert isinstance(node, Mapping)
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


def _close_stub(top: _Open, end: int) -> None:
    node = top.node
    if node.flow:
        node.end = end
        return
    event = top.last  # a block collection is never empty
    start, stop = event.start_mark.index, event.end_mark.index
    leaf: Node
    if type(event) is ScalarEvent:
        mark = event.start_mark
        data = event.value if event.style in ("|", ">") else None  # for Lines.block_indent
        leaf = Scalar(data, event.style or None, start, stop, mark.line, mark.column, None, None)
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
