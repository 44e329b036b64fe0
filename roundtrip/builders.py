"""Builders fed by the parser's events: one builds the plain data, one the span tree.

`DataBuilder` does the checks every reader needs (nesting depth, alias expansion, string and
unique keys) and returns each node's value; `TreeBuilder` takes the same events with those
values and builds the nodes with their spans (tree.py). Each can be driven alone by events.
"""

from __future__ import annotations

import itertools
from array import array
from collections.abc import Iterable
from typing import Any

from ruamel.yaml.events import (
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

from .errors import LimitError, ParseError, RoundtripError
from .events import ALIAS, DOCUMENT, END, MAP, SCALAR, SEQ, STREAM_END, event_kind
from .resolve import (
    MAYBE_TYPED,
    NUMBER_STARTS,
    PLAIN_WORDS,
    check_collection_tag,
    resolve_number,
    resolve_plain,
    scalar_value,
)
from .tree import Alias, Entry, Mapping, Node, Scalar, Sequence, place

MAX_DEPTH = 64
# Distinct strings a parse shares: one string object for every `title:` of a long list, and
# for every short value read again (`type: article`, a provider's name): a large record
# repeats a few keys and short values many times. Past that many, strings are kept as read.
SHARED_KEYS = 4096
SHARED_TEXT = 32  # the longest value shared (longer ones seldom repeat)
# The text's length (characters) from which a parse shares strings: below it, what sharing saves
# is small, and its look-up on every key and value would slow the read of every record.
SHARE_FROM = 1 << 16
MORE_THAN_ONE_DOCUMENT = "more than one YAML document between the fences"
_KINDS = {int: "an integer", float: "a number", bool: "a boolean", type(None): "null",
          list: "a sequence", dict: "a mapping"}  # fmt: skip


class Places:
    """Errors placed in a text whose first line is line `first_line` of its file."""

    def __init__(self, text: str, first_line: int = 1) -> None:
        self.text = text
        self.first_line = first_line

    def line(self, at: int) -> int:
        """The file's 1-based line of offset `at`."""
        return self.text.count("\n", 0, at) + self.first_line

    def error(
        self, cls: type[RoundtripError], message: str, at: int, field: str | None = None
    ) -> RoundtripError:
        line, column = place(self.text, at)
        return cls(message, line=line + self.first_line - 1, column=column, field=field or None)


class DuplicateKey(Exception):
    """A mapping key seen twice: the caller words the error (it may know the first place)."""

    def __init__(self, name: str, at: int) -> None:
        super().__init__(name)
        self.name = name
        self.at = at


class DroppingRoot(dict[str, Any]):
    """A root mapping that stores only the keys in `known`: of the others (each value built
    and checked all the same) it keeps the count, the first `named` names, and a hash each for
    the duplicate check (`duplicated`), no string. A million unknown keys cost 8 bytes each."""

    def __init__(self, known: frozenset[str], named: int) -> None:
        super().__init__()
        self.known = known
        self.named = named
        self.names: list[str] = []
        self.count = 0
        self._hashes = array("q")

    def __setitem__(self, key: str, value: Any) -> None:
        if key in self.known:
            dict.__setitem__(self, key, value)
            return
        self.count += 1
        if len(self.names) <= self.named:
            self.names.append(key)
        self._hashes.append(hash(key))

    def forget(self) -> None:
        """Start afresh: hold, name and count nothing (the text is read again)."""
        self.clear()
        self.names, self.count, self._hashes = [], 0, array("q")

    def duplicated(self) -> bool:
        """Whether two dropped keys may be the same (equal hashes: read again to be sure).

        A bitmap of at least 16 bits a key finds the hashes whose slot is taken twice; only
        those (a few in a hundred) are sorted and compared: no int object per key.
        """
        hashes = self._hashes
        if len(hashes) < 2:
            return False
        size = 1 << max(6, (16 * len(hashes)).bit_length())
        mask, seen, twice = size - 1, bytearray(size >> 3), bytearray(size >> 3)
        for value in hashes:
            slot = value & mask
            at, bit = slot >> 3, 1 << (slot & 7)
            if seen[at] & bit:
                twice[at] |= bit
            else:
                seen[at] |= bit
        suspects = sorted(v for v in hashes if twice[(v & mask) >> 3] & 1 << (v & 7))
        return any(a == b for a, b in itertools.pairwise(suspects))


class DataBuilder:
    """Plain data from events, with every check that must come before anything walks it.

    `budget` bounds the size of the data with every alias written out, counting a node as 1
    and an aliased string as its length too: that stops "billion laughs" documents, and many
    aliases of one long string. `restore` maps a scalar's text back to the source's characters.
    With `root` (a DroppingRoot), the root mapping is that one: only its known keys are kept.
    """

    def __init__(
        self, places: Places, budget: int, restore: Any = None, root: DroppingRoot | None = None
    ) -> None:
        self.places = places
        self.budget = budget
        self.restore = restore
        self._dropping = root
        self.root: Any = None
        self.anchors: dict[str, Any] = {}
        self._sizes: dict[int, int] = {}
        # One entry per open collection: its data, its pending key, its anchor.
        self._containers: list[Any] = []
        self._keys: list[str | None] = []
        self._opened: list[tuple[int, str | None]] = []  # where and with which anchor
        # Each key's first string (see SHARED_KEYS), for a large text only.
        self._shared: dict[str, str] | None = {} if len(places.text) >= SHARE_FROM else None

    def field(self) -> str:
        """The dotted path of the node being read (`related.0.quality`)."""
        parts = []
        for container, key in zip(self._containers, self._keys, strict=True):
            if type(container) is list:
                parts.append(str(len(container)))
            elif key is not None:
                parts.append(key)
        return ".".join(parts)

    def feed(self, events: Iterable[Any]) -> None:
        """Build the data (`root`) from a stream's events, up to its end.

        The loop `parse_data` runs when no span tree is wanted, with the common cases inline:
        an untagged, unanchored scalar (nearly every event) is read as `scalar` would read it,
        a collection opens and closes as `start` and `end` would, and the stream's and the first
        document's events pass. The innermost collection
        (`parent`), its pending key (`key`, the top of `_keys`) and the budget live in locals;
        they are written back before anything else (`scalar`, `alias`, `_add`, an error) reads
        them. Events of classes other than ruamel.yaml's go through `event_kind`.
        """
        containers, keys, opened = self._containers, self._keys, self._opened
        anchors, shared = self.anchors, self._shared
        parent: Any = None  # the innermost open collection; None at the top
        in_list = False  # whether `parent` is a sequence
        key: str | None = None  # `parent`'s pending key
        budget = self.budget
        documents = 0
        inline = self.restore is None
        maybe_typed, plain_words, number_starts = MAYBE_TYPED, PLAIN_WORDS, NUMBER_STARTS
        # libyaml's and the pure parser's events are ruamel.yaml's classes, bound here.
        scalar_event = ScalarEvent
        map_start, seq_start = MappingStartEvent, SequenceStartEvent
        map_end, seq_end = MappingEndEvent, SequenceEndEvent
        stream_start, stream_end = StreamStartEvent, StreamEndEvent
        document_start, document_end = DocumentStartEvent, DocumentEndEvent
        for event in events:
            cls = type(event)
            if cls is scalar_event:
                if inline and event.ctag is None and event.anchor is None:
                    value = event.value
                    if event.style or (value and value[0] not in maybe_typed):  # text
                        if shared is not None and len(value) <= SHARED_TEXT:
                            value = (shared.setdefault(value, value) if len(shared) < SHARED_KEYS
                                     else shared.get(value, value))  # fmt: skip
                    elif value in plain_words:
                        value = plain_words[value]
                    elif value[0] in number_starts:
                        try:
                            value = resolve_number(value)
                        except RoundtripError as error:
                            if containers:
                                keys[-1] = key
                            raise self.places.error(
                                type(error), error.message, event.start_mark.index, self.field()
                            ) from None
                    budget -= 1
                    if budget < 0:
                        self.budget = budget
                        self._spend(0, event.start_mark.index)
                    if in_list:
                        parent.append(value)
                        continue
                    if key is not None:
                        parent[key] = value
                        key = None
                        continue
                    if parent is not None and type(value) is str and value not in parent:
                        key = value if shared is None else self._share(value)
                        continue
                    if containers:
                        keys[-1] = key
                    self._add(value, event, alias=False)  # the root, or a key it refuses
                    continue
                kind = SCALAR
            elif cls is map_end or cls is seq_end:
                value = containers.pop()
                keys.pop()
                at, anchor = opened.pop()
                if anchor is not None:
                    anchors[anchor] = value
                budget -= 1
                if budget < 0:
                    self.budget = budget
                    self._spend(0, at)
                if not containers:
                    parent = None
                    self.root = value
                    continue
                parent = containers[-1]
                key = keys[-1]
                in_list = type(parent) is list
                if in_list:
                    parent.append(value)
                elif key is not None:
                    parent[key] = value
                    key = None
                else:
                    self._add(value, at, alias=False)  # refuses a collection as a key
                continue
            elif (
                (cls is map_start or cls is seq_start)
                and event.ctag is None
                and len(containers) < MAX_DEPTH
            ):
                if containers:
                    keys[-1] = key
                in_list = cls is seq_start
                parent = [] if in_list else ({} if containers else self._root_mapping())
                containers.append(parent)
                keys.append(None)
                key = None
                opened.append((event.start_mark.index, event.anchor))
                continue
            elif cls is stream_start or cls is document_end:
                continue
            elif cls is stream_end:
                break
            elif cls is document_start and documents == 0:
                documents = 1
                continue
            else:
                kind = event_kind(cls)
            # The rest goes to the methods, with the state they read written back.
            if containers:
                keys[-1] = key
            self.budget = budget
            if kind == SCALAR:
                self.scalar(event)
            elif kind in (MAP, SEQ):
                self.start(event, kind == MAP)
            elif kind == END:
                self.end()
            elif kind == ALIAS:
                self.alias(event)
            elif kind == DOCUMENT:
                documents += 1
                if documents > 1:
                    raise self.places.error(
                        ParseError, MORE_THAN_ONE_DOCUMENT, event.start_mark.index
                    )
            elif kind == STREAM_END:
                break
            budget = self.budget
            if containers:
                parent = containers[-1]
                in_list = type(parent) is list
                key = keys[-1]
            else:
                parent = None
        self.budget = budget

    def scalar(self, event: Any) -> Any:
        value = event.value if self.restore is None else self.restore(event.value)
        tag = event.tag
        try:
            if tag is None:  # the common case, inline: most scalars are untagged text
                if not event.style and (not value or value[0] in MAYBE_TYPED):
                    value = resolve_plain(value)
            else:
                value = scalar_value(tag, value, not event.style)
        except RoundtripError as error:
            at = event.start_mark.index
            raise self.places.error(type(error), error.message, at, self.field()) from None
        if event.anchor is not None:
            self.anchors[event.anchor] = value
        self.budget -= 1
        if self.budget < 0:
            self._spend(0, event.start_mark.index)
        # _add's common cases, inline: a sequence item, a string key, a mapping value.
        containers = self._containers
        if containers:
            parent = containers[-1]
            if type(parent) is list:
                parent.append(value)
                return value
            keys = self._keys
            key = keys[-1]
            if key is not None:
                parent[key] = value
                keys[-1] = None
                return value
            if type(value) is str and value not in parent:
                keys[-1] = self._share(value)
                return value
        self._add(value, event, alias=False)
        return value

    def _share(self, key: str) -> str:
        """The string object this parse uses for the key `key` (see SHARED_KEYS)."""
        shared = self._shared
        if shared is None:
            return key
        return shared.setdefault(key, key) if len(shared) < SHARED_KEYS else shared.get(key, key)

    def start(self, event: Any, is_map: bool) -> dict[str, Any] | list[Any]:
        at = event.start_mark.index
        if len(self._containers) >= MAX_DEPTH:
            raise self.places.error(LimitError, f"nesting deeper than {MAX_DEPTH} levels", at)
        try:
            check_collection_tag(event.tag, "map" if is_map else "seq")
        except RoundtripError as error:
            raise self.places.error(type(error), error.message, at) from None
        container: dict[str, Any] | list[Any] = (
            [] if not is_map else {} if self._containers else self._root_mapping()
        )
        self._containers.append(container)
        self._keys.append(None)
        self._opened.append((at, event.anchor))
        return container

    def _root_mapping(self) -> dict[str, Any]:
        return {} if self._dropping is None else self._dropping

    def end(self) -> Any:
        value = self._containers.pop()
        self._keys.pop()
        at, anchor = self._opened.pop()
        if anchor is not None:
            self.anchors[anchor] = value
        self._spend(1, at)
        self._add(value, at, alias=False)
        return value

    @staticmethod
    def _at(event: Any) -> int:
        """The offset a value was added at: its event's, or a collection's own start."""
        return event if isinstance(event, int) else int(event.start_mark.index)

    def alias(self, event: Any) -> Any:
        at = event.start_mark.index
        name = event.anchor
        if name not in self.anchors:
            message = (
                f"alias *{name} refers to a node that contains it"
                if any(name == anchor for _, anchor in self._opened)
                else f"alias *{name} refers to no anchor defined before it"
            )
            raise self.places.error(ParseError, message, at)
        value = self.anchors[name]
        self._spend(_expanded_size(value, self._sizes), at)
        self._add(value, event, alias=True)
        return value

    def _spend(self, cost: int, at: int) -> None:
        self.budget -= cost
        if self.budget < 0:
            raise self.places.error(
                LimitError,
                "alias expansion makes the data too large (possible 'billion laughs' document)",
                at,
            )

    def _add(self, value: Any, event: Any, *, alias: bool) -> None:
        if not self._containers:
            self.root = value
            return
        parent = self._containers[-1]
        if type(parent) is list:
            parent.append(value)
        elif self._keys[-1] is None:
            if type(value) is not str or alias:
                what = "an alias" if alias else _KINDS.get(type(value), "that")
                at = self._at(event)
                raise self.places.error(
                    ParseError, f"mapping keys must be strings, not {what}", at, self.field()
                )
            if value in parent:
                raise DuplicateKey(value, self._at(event))
            self._keys[-1] = value
        else:
            parent[self._keys[-1]] = value
            self._keys[-1] = None


class TreeBuilder:
    """The span tree from events and the values DataBuilder gave them (tree.py's nodes)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.root: Node | None = None
        self._anchors: dict[str, Node] = {}
        self._open: list[Mapping | Sequence] = []
        self._keys: list[Scalar | None] = []

    def scalar(self, event: Any, value: Any) -> Scalar:
        mark = event.start_mark
        start = mark.index
        tag = event.tag
        if event.anchor is not None or tag is not None:
            start = token_start(self.text, start)
        node = Scalar(
            value,
            event.style or None,  # libyaml reports plain as "", the pure parser as None
            start,
            event.end_mark.index,
            mark.line,
            mark.column,
            event.anchor,
            tag,
        )
        self._named(event.anchor, node)
        self._add(node)
        return node

    def start(self, event: Any, is_map: bool, data: dict[str, Any] | list[Any]) -> None:
        mark = event.start_mark
        start = mark.index
        if event.anchor is not None or event.tag is not None:
            start = token_start(self.text, start)
        cls = Mapping if is_map else Sequence
        node = cls(bool(event.flow_style), start, mark.line, mark.column, event.anchor)
        node.data = data
        self._open.append(node)
        self._keys.append(None)

    def end(self, event: Any) -> Mapping | Sequence:
        node = self._open.pop()
        self._keys.pop()
        node.end = _collection_end(node, event.end_mark.index)
        self._named(node.anchor, node)
        self._add(node)
        return node

    def alias(self, event: Any) -> Alias:
        mark = event.start_mark
        target = self._anchors[event.anchor]
        node = Alias(event.anchor, target, mark.index, event.end_mark.index, mark.line, mark.column)
        self._add(node)
        return node

    def first_key(self, name: str) -> Scalar | None:
        """The key `name` in the innermost open mapping, if it has one."""
        node = self._open[-1] if self._open else None
        entry = node.entry(name) if isinstance(node, Mapping) else None
        return entry.key if entry is not None else None

    def _named(self, anchor: str | None, node: Node) -> None:
        if anchor is not None:
            self._anchors[anchor] = node

    def _add(self, node: Node) -> None:
        if not self._open:
            self.root = node
            return
        parent = self._open[-1]
        if isinstance(parent, Sequence):
            parent.items.append(node)
        elif self._keys[-1] is None:
            assert isinstance(node, Scalar), "DataBuilder refuses keys that are not strings"
            self._keys[-1] = node
        else:
            parent.entries.append(Entry(self._keys[-1], node))
            self._keys[-1] = None


def token_start(text: str, start: int) -> int:
    """Skip the anchor and tag in front of a node to where its own token begins."""
    i = start
    while i < len(text) and text[i] in "&!":
        while i < len(text) and text[i] not in " \t\r\n":
            i += 1
        while i < len(text) and text[i] in " \t\r\n":
            i += 1
    return i


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
