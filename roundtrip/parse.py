"""Parse front matter YAML into plain data, or into a node tree with spans.

The parser's events (events.py) go to small handlers: a DataBuilder for the data and, when
spans are wanted, a TreeBuilder for the node tree (builders.py). Scalars are resolved by the
YAML 1.2 core schema and only core tags are accepted (resolve.py). Alias expansion, nesting
depth and key uniqueness are checked here, before any other stage walks the data.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from ruamel.yaml.error import YAMLError

from .builders import (
    MAX_DEPTH,
    MORE_THAN_ONE_DOCUMENT,
    DataBuilder,
    DroppingRoot,
    DuplicateKey,
    Places,
    TreeBuilder,
)
from .errors import ParseError
from .events import (
    ALIAS,
    DOCUMENT,
    END,
    KINDS,
    MAP,
    SCALAR,
    SEQ,
    STREAM_END,
    Translation,
    c_events,
    event_kind,
    pure_events,
    stricter_than_yaml12,
)
from .locate import Locator
from .resolve import MAX_INT_BITS, resolve_plain
from .tree import Mapping
from .yaml_errors import check_text, syntax_error

__all__ = [
    "MAX_DEPTH",
    "MAX_INT_BITS",
    "DroppingRoot",
    "locate",
    "parse_data",
    "parse_known",
    "parse_tree",
    "resolve_plain",
]


def parse_tree(text: str, *, max_nodes: int | None = None, first_line: int = 1) -> Mapping:
    """Parse YAML text into its root mapping node, every node with its span.

    Errors are placed as if `text` started on line `first_line` of its file.
    """
    root = _parse(text, spans=True, max_nodes=max_nodes, first_line=first_line)
    assert isinstance(root, Mapping)
    return root


def parse_data(text: str, *, max_nodes: int | None = None, first_line: int = 1) -> dict[str, Any]:
    """Parse YAML text into plain data only: the fast path when no span is needed."""
    data = _parse(text, spans=False, max_nodes=max_nodes, first_line=first_line)
    assert isinstance(data, dict)
    return data


def parse_known(
    text: str, known: frozenset[str], named: int, *, first_line: int = 1
) -> tuple[dict[str, Any], DroppingRoot]:
    """`parse_data`, keeping only the top-level keys in `known`: the others' values are read
    and checked as ever, then dropped (counted, the first `named` + 1 named; see DroppingRoot).
    For a read that refuses unknown keys: a million of them need not be held to be refused."""
    root = DroppingRoot(known, named)
    data = _parse(text, spans=False, max_nodes=None, first_line=first_line, dropping=root)
    assert isinstance(data, dict)
    return data, root


def locate(text: str, nodes: set[Any], keys: Iterable[Any]) -> Locator:
    """Where the nodes at paths `nodes` and the keys at paths `keys` start in `text` (which
    parses: call this after parse_data)."""
    translation = Translation(text)
    key_at = dict.fromkeys(keys, -1)
    try:
        return _locate(c_events(translation.text), text, nodes, key_at, translation)
    except YAMLError as error:
        if not stricter_than_yaml12(error):
            raise
        return _locate(pure_events(translation.text), text, nodes, key_at, translation)


def _locate(
    events: Iterator[Any],
    text: str,
    nodes: set[Any],
    key_at: dict[Any, int],
    translation: Translation,
) -> Locator:
    locator = Locator(text, nodes, key_at, translation.restore)
    for event in events:
        kind = event_kind(type(event))
        if kind == SCALAR:
            locator.scalar(event)
        elif kind in (MAP, SEQ):
            locator.start(event, kind == MAP)
        elif kind == END:
            locator.end()
        elif kind == ALIAS:
            locator.alias(event)
        elif kind == STREAM_END:
            break
    return locator


def _parse(
    text: str, *, spans: bool, max_nodes: int | None, first_line: int,
    dropping: DroppingRoot | None = None,
) -> Any:  # fmt: skip
    """The data (or, with `spans`, the root node) of `text`; raises ParseError/LimitError.

    `max_nodes` bounds the data with every alias written out (default: twice the text's
    length plus 10,000; see DataBuilder). `dropping`: the root mapping keeps only its known
    keys (parse_known).
    """
    places = Places(text, first_line)
    check_text(places)
    budget = 2 * len(text) + 10_000 if max_nodes is None else max_nodes
    translation = Translation(text, first_line)
    try:
        try:
            return _build(c_events(translation.text), places, translation, spans, budget, dropping)
        except YAMLError as error:
            if not stricter_than_yaml12(error):
                raise
            if dropping is not None:  # read afresh: the first pass may have kept and dropped keys
                dropping.forget()
            try:  # valid YAML 1.2 that libyaml refuses: the pure-Python parser reads it
                return _build(
                    pure_events(translation.text), places, translation, spans, budget, dropping
                )
            except YAMLError:
                raise error from None
    except YAMLError as error:
        raise syntax_error(error, places) from None
    except DuplicateKey:
        if spans:
            raise
        # Only the span tree knows where the first one was: read again to say so.
        tree = _parse(text, spans=True, max_nodes=max_nodes, first_line=first_line)
        if dropping is None:
            return tree
        dropping.forget()  # no duplicate after all (two dropped keys' hashes met): keep all
        return _parse(text, spans=False, max_nodes=max_nodes, first_line=first_line)


def _build(
    events: Iterator[Any], places: Places, translation: Translation, spans: bool, budget: int,
    dropping: DroppingRoot | None = None,
) -> Any:  # fmt: skip
    """Feed the events to the builders; the data, or the root node with `spans`."""
    data = DataBuilder(places, budget, translation.restore, dropping)
    if not spans:
        data.feed(events)  # the data alone: DataBuilder's own loop, the common cases inline
        if data.root is dropping and dropping is not None:
            if dropping.duplicated():
                raise DuplicateKey("", 0)  # (which and where: the span tree's read says)
            data.root = dict(dropping)
        return _root(data, None, places)
    tree = TreeBuilder(places.text)
    documents = 0
    try:
        for event in events:
            kind = KINDS.get(type(event)) or event_kind(type(event))
            if kind == SCALAR:
                tree.scalar(event, data.scalar(event))
            elif kind in (MAP, SEQ):
                tree.start(event, kind == MAP, data.start(event, kind == MAP))
            elif kind == END:
                data.end()
                tree.end(event)
            elif kind == ALIAS:
                data.alias(event)
                tree.alias(event)
            elif kind == DOCUMENT:
                documents += 1
                if documents > 1:
                    raise places.error(ParseError, MORE_THAN_ONE_DOCUMENT, event.start_mark.index)
            elif kind == STREAM_END:
                break
    except DuplicateKey as duplicate:
        first = tree.first_key(duplicate.name)
        where = f" (first at line {places.line(first.start)})" if first is not None else ""
        field = ".".join(part for part in (data.field(), duplicate.name) if part)
        raise places.error(
            ParseError, f"duplicate key {duplicate.name!r}{where}", duplicate.at, field
        ) from None
    return _root(data, tree, places)


def _root(data: DataBuilder, tree: TreeBuilder | None, places: Places) -> Any:
    if data.root is None:
        raise ParseError(
            "the front matter is empty: expected a mapping of fields",
            line=places.first_line,
            column=1,
        )
    if type(data.root) is not dict:
        at = tree.root.start if tree is not None and tree.root is not None else 0
        raise places.error(ParseError, "the front matter must be a mapping of fields", at)
    return tree.root if tree is not None else data.root
