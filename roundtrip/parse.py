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
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from .errors import LimitError, ParseError, RoundtripError
from .tree import Alias, Entry, Mapping, Node, Scalar, Sequence, place

MAX_DEPTH = 64

_CORE = "tag:yaml.org,2002:"
MAX_INT_BITS = 14_000  # about 4,200 decimal digits, under Python's conversion limit
_INT = re.compile(r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")
_SPECIAL_FLOAT = {".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF",
                  ".nan", ".NaN", ".NAN"}  # fmt: skip
_NULL = {"", "~", "null", "Null", "NULL"}
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_KINDS = {int: "an integer", float: "a number", bool: "a boolean", type(None): "null",
          list: "a sequence", dict: "a mapping"}  # fmt: skip
# Only these first characters can start a non-string plain scalar: a fast exit for text.
_MAYBE_TYPED = frozenset("0123456789+-.~nNtTfF")


def _error(cls: type[RoundtripError], message: str, text: str, at: int) -> RoundtripError:
    line, column = place(text, at)
    return cls(message, line=line, column=column)


def resolve_plain(text: str) -> Any:
    """The value of a plain scalar under the YAML 1.2 core schema."""
    if text and text[0] not in _MAYBE_TYPED:
        return text
    if text in _NULL:
        return None
    if text in _BOOL:
        return _BOOL[text]
    if _INT.fullmatch(text):
        try:
            if text.startswith(("0o", "0x")):
                value = int(text[2:], 8 if text[1] == "o" else 16)
                if value.bit_length() > MAX_INT_BITS:  # could not be written in decimal
                    raise ValueError
                return value
            return int(text)
        except ValueError:  # Python refuses to convert more than 4,300 digits
            raise LimitError(f"an integer of {len(text):,} digits is too large") from None
    if _FLOAT.fullmatch(text) or text in _SPECIAL_FLOAT:
        return float(text.lower().replace(".inf", "inf").replace(".nan", "nan"))
    return text


def _explicit(tag: str, value: str, plain: bool, text: str, at: int) -> Any:
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
        raise _error(
            ParseError, f"unsupported tag {tag!r}: records use plain YAML data only", text, at
        )
    if not isinstance(resolved, allowed) or (kind != "bool" and isinstance(resolved, bool)):
        raise _error(ParseError, f"{value!r} is not a valid !!{kind}", text, at)
    return float(resolved) if kind == "float" and isinstance(resolved, int) else resolved


def _check_collection_tag(tag: str | None, kind: str, text: str, at: int) -> None:
    if tag is not None and tag not in ("!", _CORE + kind):
        raise _error(
            ParseError, f"unsupported tag {tag!r}: records use plain YAML data only", text, at
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


def _parse_error(error: YAMLError, text: str) -> RoundtripError:
    if isinstance(error, MarkedYAMLError) and error.problem_mark is not None:
        at = error.problem_mark.index
        message = " ".join(part for part in (error.problem, error.context) if part)
        quote = _unclosed_quote(text, at)
        if error.context_mark is not None and "end of stream" in (error.problem or ""):
            # An unclosed quote or bracket: where it opened is where the fix goes.
            at = error.context_mark.index
            message += " that starts here"
        elif text[at : at + 1] == "\t":
            message = "a tab cannot indent YAML (use spaces): " + message
        elif quote is not None:
            at = quote
            message = f"a quoted value is not closed (its quote opens here): {message}"
        return _error(ParseError, f"YAML syntax error: {message}", text, at)
    position = getattr(error, "position", None)
    if isinstance(position, int):  # a reader error: a character YAML does not allow
        character = getattr(error, "character", None)
        shown = f"U+{character:04X}" if isinstance(character, int) else repr(character)
        reason = getattr(error, "reason", "not allowed")
        return _error(
            ParseError, f"character {shown} is not allowed in YAML ({reason})", text, position
        )
    return ParseError(f"YAML error: {error}".replace("\n", " "))


_QUOTE_OPENS = re.compile(r"""(?:^|[\s:\[{,-])(["'])""")


def _unclosed_quote(text: str, end: int) -> int | None:
    """Where the last line before `end` opens a quote it never closes, if one does.

    libyaml reports an unclosed quote where the scalar it swallowed stops making sense, often
    lines later; the line with the open quote is where the fix goes.
    """
    found = None
    line_end = text.find("\n", end)
    for line in re.finditer(r"[^\n]*", text[: len(text) if line_end < 0 else line_end]):
        opening = _QUOTE_OPENS.search(line[0])
        if opening is None:
            continue
        rest = line[0][opening.end() :]
        closing = r'(?<!\\)"' if opening[1] == '"' else r"'(?!')"
        if re.search(closing, rest) is None:
            found = line.start() + opening.start(1)
    return found


def parse_tree(text: str, *, max_nodes: int | None = None) -> Mapping:
    """Parse YAML text into its root mapping node, every node with its span."""
    root = _parse(text, spans=True, max_nodes=max_nodes)
    assert isinstance(root, Mapping)
    return root


def parse_data(text: str, *, max_nodes: int | None = None) -> dict[str, Any]:
    """Parse YAML text into plain data only: the fast path when no span is needed."""
    data = _parse(text, spans=False, max_nodes=max_nodes)
    assert isinstance(data, dict)
    return data


def _parse(text: str, *, spans: bool, max_nodes: int | None) -> Any:
    """The one event loop behind parse_tree (`spans`) and parse_data; raises ParseError/LimitError.

    `max_nodes` bounds the size of the data with every alias written out, counting a node
    as 1 and an aliased string as its length too (default: twice the text's length plus
    10,000). That stops "billion laughs" documents, and many aliases of one long string,
    before anything walks the data.
    """
    budget = 2 * len(text) + 10_000 if max_nodes is None else max_nodes
    parser = CParser(text)
    anchors: dict[str, tuple[Any, Node | None]] = {}
    sizes: dict[int, int] = {}
    # One entry per open collection: its data, its pending key, where it opened, its anchor.
    containers: list[Any] = []
    keys: list[str | None] = []
    opened: list[tuple[int, str | None]] = []
    # Only with spans: the open collection nodes and their pending key nodes.
    nodes: list[Mapping | Sequence] = []
    key_nodes: list[Scalar | None] = []
    root: Any = None
    documents = 0
    try:
        while True:
            event = parser.get_event()
            kind = type(event)
            node: Node | None = None
            if kind is ScalarEvent:
                style = event.style or None  # libyaml reports plain as ""
                tag = event.tag
                mark = event.start_mark
                at = mark.index
                if tag is not None and not (style is None and tag == "!" and event.implicit[0]):
                    value = _explicit(tag, event.value, style is None, text, at)
                elif style is None:
                    try:
                        value = resolve_plain(event.value)
                    except LimitError as error:
                        raise _error(LimitError, error.message, text, at) from None
                else:
                    value = event.value
                if spans:
                    start = mark.index
                    if event.anchor is not None or (tag is not None and tag != "!"):
                        start = _token_start(text, start)
                    end = event.end_mark.index
                    node = Scalar(
                        value, style, start, end, mark.line, mark.column, event.anchor, tag
                    )
                if event.anchor is not None:
                    anchors[event.anchor] = (value, node)
                budget -= 1
            elif kind is MappingStartEvent or kind is SequenceStartEvent:
                mark = event.start_mark
                if len(containers) >= MAX_DEPTH:
                    raise _error(
                        LimitError, f"nesting deeper than {MAX_DEPTH} levels", text, mark.index
                    )
                is_map = kind is MappingStartEvent
                _check_collection_tag(event.tag, "map" if is_map else "seq", text, mark.index)
                container: dict[str, Any] | list[Any] = {} if is_map else []
                containers.append(container)
                keys.append(None)
                opened.append((mark.index, event.anchor))
                if spans:
                    start = mark.index
                    if event.anchor is not None or event.tag is not None:
                        start = _token_start(text, start)
                    cls = Mapping if is_map else Sequence
                    collection = cls(
                        bool(event.flow_style), start, mark.line, mark.column, event.anchor
                    )
                    collection.data = container
                    nodes.append(collection)
                    key_nodes.append(None)
                continue
            elif kind is MappingEndEvent or kind is SequenceEndEvent:
                value = containers.pop()
                keys.pop()
                at, anchor = opened.pop()
                if spans:
                    collection = nodes.pop()
                    key_nodes.pop()
                    collection.end = _collection_end(collection, event.end_mark.index)
                    node = collection
                if anchor is not None:
                    anchors[anchor] = (value, node)
                budget -= 1
            elif kind is AliasEvent:
                mark = event.start_mark
                at = mark.index
                found = anchors.get(event.anchor)
                if found is None:
                    recursive = any(anchor == event.anchor for _, anchor in opened)
                    raise _error(
                        ParseError,
                        f"alias *{event.anchor} refers to a node that contains it"
                        if recursive
                        else f"alias *{event.anchor} refers to no anchor defined before it",
                        text,
                        at,
                    )
                value, target = found
                budget -= _expanded_size(value, sizes)
                if spans and target is not None:
                    node = Alias(
                        event.anchor, target, at, event.end_mark.index, mark.line, mark.column
                    )
            elif kind is DocumentStartEvent:
                documents += 1
                if documents > 1:
                    mark = event.start_mark
                    raise _error(
                        ParseError,
                        "more than one YAML document between the fences",
                        text,
                        mark.index,
                    )
                continue
            elif kind is StreamEndEvent:
                break
            else:
                continue
            if budget < 0:
                raise _error(
                    LimitError,
                    "alias expansion makes the data too large (possible 'billion laughs' document)",
                    text,
                    at,
                )
            if not containers:
                root = node if spans else value
                continue
            parent = containers[-1]
            if type(parent) is list:
                parent.append(value)
                if spans:
                    nodes[-1].items.append(node)  # type: ignore[union-attr,arg-type]
            elif keys[-1] is None:
                if type(value) is not str or kind is AliasEvent:
                    what = "an alias" if kind is AliasEvent else _KINDS.get(type(value), "that")
                    raise _error(ParseError, f"mapping keys must be strings, not {what}", text, at)
                if value in parent:
                    raise _error(ParseError, f"duplicate key {value!r}", text, at)
                keys[-1] = value
                if spans:
                    key_nodes[-1] = node  # type: ignore[assignment]
            else:
                parent[keys[-1]] = value
                keys[-1] = None
                if spans:
                    nodes[-1].entries.append(Entry(key_nodes[-1], node))  # type: ignore[union-attr,arg-type]
    except YAMLError as error:
        raise _parse_error(error, text) from None
    if root is None:
        raise ParseError(
            "the front matter is empty: expected a mapping of fields", line=1, column=1
        )
    if not isinstance(root, Mapping | dict):
        at = root.start if spans else 0
        raise _error(ParseError, "the front matter must be a mapping of fields", text, at)
    return root


def _collection_end(collection: Mapping | Sequence, end_mark: int) -> int:
    """A flow collection ends past its bracket; a block one where its last child does."""
    if collection.flow:
        return end_mark
    if isinstance(collection, Sequence):
        return collection.items[-1].end if collection.items else collection.start
    return collection.entries[-1].value.end if collection.entries else collection.start


def _expanded_size(value: Any, sizes: dict[int, int]) -> int:
    """What `value` costs written out: nodes, plus string lengths (memoised per object)."""
    if type(value) is dict:
        children: Any = value.values()
    elif type(value) is list:
        children = value
    else:
        return 1 + len(value) if type(value) is str else 1
    known = sizes.get(id(value))
    if known is None:
        known = sizes[id(value)] = 1 + sum(_expanded_size(child, sizes) for child in children)
    return known
