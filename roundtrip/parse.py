"""Parse front matter YAML into a node tree with spans, using libyaml's event parser.

Nothing is constructed from tags: plain scalars are resolved by the YAML 1.2 core schema and
every other tag but the core ones is refused, so no input can make the parser run code.
Alias expansion, nesting depth and key uniqueness are checked here, before any other stage
walks the data.
"""

from __future__ import annotations

import re
from typing import Any

from _ruamel_yaml import (
    AliasEvent,
    CParser,
    DocumentEndEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
    StreamStartEvent,
)
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from .errors import LimitError, ParseError
from .tree import Alias, Entry, Mapping, Node, Scalar, Sequence

MAX_DEPTH = 64

_CORE = "tag:yaml.org,2002:"
_INT = re.compile(r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")
_SPECIAL_FLOAT = {".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF",
                  ".nan", ".NaN", ".NAN"}  # fmt: skip
_NULL = {"", "~", "null", "Null", "NULL"}
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
# Only these first characters can start a non-string plain scalar: a fast exit for text.
_MAYBE_TYPED = frozenset("0123456789+-.~nNtTfF")


def resolve_plain(text: str) -> Any:
    """The value of a plain scalar under the YAML 1.2 core schema."""
    if text and text[0] not in _MAYBE_TYPED:
        return text
    if text in _NULL:
        return None
    if text in _BOOL:
        return _BOOL[text]
    if _INT.fullmatch(text):
        if text.startswith(("0o", "0x")):
            return int(text[2:], 8 if text[1] == "o" else 16)
        return int(text)
    if _FLOAT.fullmatch(text) or text in _SPECIAL_FLOAT:
        return float(text.lower().replace(".inf", "inf").replace(".nan", "nan"))
    return text


def _explicit(tag: str, value: str, plain: bool, line: int, column: int) -> Any:
    """The value of a scalar with an explicit core tag, refusing any other tag."""
    if tag in ("!", _CORE + "str"):
        return value
    kind = tag.removeprefix(_CORE)
    resolved = resolve_plain(value) if plain else value
    expected: dict[str, tuple[type, ...]] = {
        "int": (int,), "float": (int, float), "bool": (bool,), "null": (type(None),),
    }  # fmt: skip
    allowed = expected.get(kind)
    if allowed is None or tag == kind:
        raise ParseError(
            f"unsupported tag {tag!r}: records use plain YAML data only",
            line=line + 1,
            column=column + 1,
        )
    if not isinstance(resolved, allowed) or (kind != "bool" and isinstance(resolved, bool)):
        raise ParseError(f"{value!r} is not a valid !!{kind}", line=line + 1, column=column + 1)
    return float(resolved) if kind == "float" and isinstance(resolved, int) else resolved


def _check_collection_tag(tag: str | None, kind: str, line: int, column: int) -> None:
    if tag is not None and tag not in ("!", _CORE + kind):
        raise ParseError(
            f"unsupported tag {tag!r}: records use plain YAML data only",
            line=line + 1,
            column=column + 1,
        )


def _token_start(text: str, start: int) -> int:
    """Skip the anchor and tag in front of a node to where its own token begins."""
    i = start
    while i < len(text) and text[i] in "&!":
        while i < len(text) and text[i] not in " \t\r\n":
            i += 1
        while i < len(text) and text[i] in " \t\r\n":
            i += 1
    return i


def _parse_error(error: YAMLError) -> ParseError:
    if isinstance(error, MarkedYAMLError) and error.problem_mark is not None:
        mark = error.problem_mark
        message = " ".join(part for part in (error.problem, error.context) if part)
        return ParseError(
            f"YAML syntax error: {message}", line=mark.line + 1, column=mark.column + 1
        )
    return ParseError(f"YAML error: {error}".replace("\n", " "))


def parse_tree(text: str, *, max_nodes: int | None = None) -> Mapping:
    """Parse YAML text into its root mapping, or raise ParseError / LimitError.

    `max_nodes` bounds the data after alias expansion (default: one node per character of
    text plus 10,000), which stops "billion laughs" documents before anything walks them.
    """
    budget = len(text) + 10_000 if max_nodes is None else max_nodes
    parser = CParser(text)
    anchors: dict[str, Node] = {}
    stack: list[Mapping | Sequence] = []
    pending_key: list[Scalar | None] = []
    root: Node | None = None
    documents = 0

    def place(node: Node, cost: int, size: int) -> None:
        """Attach a finished node to its parent; `size` is its expanded node count."""
        nonlocal budget, root
        budget -= cost
        if budget < 0:
            raise LimitError(
                "alias expansion makes the data too large (possible 'billion laughs' document)",
                line=node.line + 1,
                column=node.column + 1,
            )
        if not stack:
            root = node
            return
        parent = stack[-1]
        counts[-1] += size
        if isinstance(parent, Sequence):
            parent.items.append(node)
            parent.data.append(node.data)
            return
        key = pending_key[-1]
        if key is None:
            if not isinstance(node, Scalar) or not isinstance(node.data, str):
                kind = "an alias" if isinstance(node, Alias) else f"a {type(node.data).__name__}"
                raise ParseError(
                    f"mapping keys must be strings, not {kind}",
                    line=node.line + 1,
                    column=node.column + 1,
                )
            if node.data in parent.data:
                raise ParseError(
                    f"duplicate key {node.data!r}", line=node.line + 1, column=node.column + 1
                )
            pending_key[-1] = node
            return
        parent.entries.append(Entry(key, node))
        parent.data[key.data] = node.data
        pending_key[-1] = None

    sizes: dict[int, int] = {}  # expanded size of each anchored node, by id
    counts: list[int] = []  # expanded size of the children of each open collection
    try:
        while True:
            event = parser.get_event()
            kind = type(event)
            if kind is ScalarEvent:
                mark = event.start_mark
                start = mark.index
                if event.anchor is not None or (event.tag is not None and event.tag != "!"):
                    start = _token_start(text, start)
                style = event.style or None  # libyaml reports plain as ""
                plain = style is None
                if event.tag is not None and not (plain and event.tag == "!" and event.implicit[0]):
                    value = _explicit(event.tag, event.value, plain, mark.line, mark.column)
                elif plain:
                    value = resolve_plain(event.value)
                else:
                    value = event.value
                node: Node = Scalar(
                    value, style, start, event.end_mark.index, mark.line, mark.column,
                    event.anchor, event.tag,
                )  # fmt: skip
                place(node, 1, 1)
                if event.anchor is not None:
                    anchors[event.anchor] = node
                    sizes[id(node)] = 1
            elif kind is MappingStartEvent or kind is SequenceStartEvent:
                mark = event.start_mark
                if len(stack) >= MAX_DEPTH:
                    raise LimitError(
                        f"nesting deeper than {MAX_DEPTH} levels",
                        line=mark.line + 1,
                        column=mark.column + 1,
                    )
                is_map = kind is MappingStartEvent
                _check_collection_tag(event.tag, "map" if is_map else "seq", mark.line, mark.column)
                start = _token_start(text, mark.index) if event.anchor or event.tag else mark.index
                cls = Mapping if is_map else Sequence
                collection = cls(
                    bool(event.flow_style), start, mark.line, mark.column, event.anchor
                )
                stack.append(collection)
                pending_key.append(None)
                counts.append(0)
            elif kind is MappingEndEvent or kind is SequenceEndEvent:
                collection = stack.pop()
                pending_key.pop()
                if collection.flow:
                    collection.end = event.end_mark.index
                else:  # a block collection ends where its last child does
                    children = (
                        collection.items
                        if isinstance(collection, Sequence)
                        else [entry.value for entry in collection.entries]
                    )
                    collection.end = children[-1].end if children else collection.start
                size = 1 + counts.pop()
                place(collection, 1, size)
                if collection.anchor is not None:
                    anchors[collection.anchor] = collection
                    sizes[id(collection)] = size
            elif kind is AliasEvent:
                mark = event.start_mark
                target = anchors.get(event.anchor)
                if target is None:
                    raise ParseError(
                        f"alias *{event.anchor} refers to no anchor defined before it",
                        line=mark.line + 1,
                        column=mark.column + 1,
                    )
                alias = Alias(
                    event.anchor, target, mark.index, event.end_mark.index, mark.line, mark.column
                )
                size = sizes.get(id(target), 1)
                place(alias, size, size)
            elif kind is DocumentStartEvent:
                documents += 1
                if documents > 1:
                    mark = event.start_mark
                    raise ParseError(
                        "more than one YAML document between the fences",
                        line=mark.line + 1,
                        column=mark.column + 1,
                    )
            elif kind is StreamEndEvent:
                break
            elif kind is not StreamStartEvent and kind is not DocumentEndEvent:
                raise ParseError(f"unexpected YAML event {kind.__name__}")
    except YAMLError as error:
        raise _parse_error(error) from None
    if root is None:
        raise ParseError(
            "the front matter is empty: expected a mapping of fields", line=1, column=1
        )
    if not isinstance(root, Mapping):
        raise ParseError(
            "the front matter must be a mapping of fields",
            line=root.line + 1,
            column=root.column + 1,
        )
    return root
