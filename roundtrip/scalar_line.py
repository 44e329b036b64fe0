"""A one-line entry `key: scalar`, or a block sequence of one-line scalars, told from its
lines alone, without a parse.

An edit that changes one scalar of a mapping opens (focus.py) and reads back (splice.py) one
entry whose text, read alone, means the same as in the document (entries.py, items.py show
when). When that text is one line `key: scalar` at the entry's column and nothing after it but
blank lines, its key's and value's spans follow from the line, and its value from the
scalar's text alone — if the line keeps to a shape whose reading leaves no choice:

- the key a plain name (letters, digits, `_`, `-`) that resolves to that very name (not
  `true`, `null`…), then `:` and spaces;
- the value plain, from a conservative set of characters (letters, digits and `_.+~/-`, single
  spaces between them; no indicator first, so no anchor, tag, alias, `?`, flow collection,
  block scalar or sequence), or single- or double-quoted with no quote, backslash or
  character that is not printable inside (no escapes, no line break);
- no comment, no trailing space.

The same goes for an entry whose key stands alone on its line (`key:`, nothing after the
colon) followed by lines `- scalar`, each with its dash at one column right of the key's and a
scalar in the shape above after the dash and spaces, then blank lines only: a block sequence
of one-line scalars, each line holding one item.

In that shape the line holds exactly one scalar in its context, and its context is the one
the parser saw (the entry reads alone as in the document, and this reading changes nothing
around it): no character of it can be an indicator, start a comment or continue onto another
line, and the blank lines after it add nothing. The scalar alone then decides its value: a
plain one by the core schema (resolve.resolve_plain, as the loader resolves it), a quoted one
its text between the quotes. Anything else, or a value that is not what the caller says it
must be, is left to the parser.

For the focused tree the value (each item) read must be exactly (type and value) the old
data, which was read from this very text: that proves the lines were read as the parser read
them. For the read-back the value read must be exactly the new data: the written lines then
hold it, as a parse would have found.
"""

from __future__ import annotations

import re
from typing import Any

from .convert import same
from .errors import RoundtripError
from .resolve import resolve_plain
from .tree import Entry, Scalar, Sequence

_SAFE = r"A-Za-z0-9_.+~/"
_PLAIN = rf"(?:[{_SAFE}]|-(?=[{_SAFE}]))(?:[{_SAFE}-]| (?=[{_SAFE}-]))*"
_SCALAR = rf"(?:({_PLAIN})|'([^'\\\n]*)'|\"([^\"\\\n]*)\")"
# The line from its key (after the indentation): the key, then the value (plain, '…' or "…"),
# then the line's end and nothing but blank lines.
_LINE = re.compile(rf"([A-Za-z_][A-Za-z0-9_-]*) *: +{_SCALAR}(?:\n[ \n]*)?")
# A key alone on its line, and a sequence item's line: its indentation, dash and scalar.
_KEY_ALONE = re.compile(r"([A-Za-z_][A-Za-z0-9_-]*) *:\n")
_ITEM = re.compile(rf"( *)- +{_SCALAR}\n")

Found = tuple[int, int, Any]  # a scalar's span (quotes included) and value


def _scalar(found: re.Match[str], first: int) -> Found | None:
    """The scalar a match of _SCALAR (its groups from `first`) holds, or None when its text
    is not the value it seems (an integer too large, a character that is not printable)."""
    plain = found[first]
    if plain is not None:
        try:
            return found.start(first), found.end(first), resolve_plain(plain)
        except RoundtripError:  # an integer too large: the parser words it
            return None
    group = first + 1 if found[first + 1] is not None else first + 2
    value = found[group]
    if not value.isprintable():
        return None
    return found.start(group) - 1, found.end(group) + 1, value


def _read(text: str, start: int, end: int, column: int) -> tuple[str, Found] | None:
    """The key and value of the one-line entry at `text[start:end]` (its key at `column` of
    the first line), or None when it is not in the shape above."""
    at = start + column
    if text[start:at].strip(" "):
        return None
    found = _LINE.match(text, at, end)
    if found is None or found.end() != end:
        return None
    scalar = _scalar(found, 2)
    return None if scalar is None else (found[1], scalar)


def _read_items(
    text: str, start: int, end: int, column: int
) -> tuple[str, int, list[Found]] | None:
    """The key, the dashes' column and the items of the entry at `text[start:end]` (its key
    at `column`), a block sequence of one-line scalars; None when not in the shape above."""
    at = start + column
    if text[start:at].strip(" "):
        return None
    key = _KEY_ALONE.match(text, at, end)
    if key is None:
        return None
    pos, indent, items = key.end(), -1, []
    while (found := _ITEM.match(text, pos, end)) is not None:
        if indent < 0:
            indent = len(found[1])
        if len(found[1]) != indent or indent <= column:
            return None
        scalar = _scalar(found, 2)
        if scalar is None:
            return None
        items.append(scalar)
        pos = found.end()
    if not items or text[pos:end].strip(" \n"):
        return None
    return key[1], indent, items


def _key_is(key: str, name: str) -> bool:
    return key == name and resolve_plain(key) == name


def scalar_entry(
    text: str, name: str, value: Any, start: int, end: int, line: int, column: int
) -> Entry | None:
    """The entry `name` at `text[start:end]` (from the start of line `line`, its key at
    `column`), holding the old data `value`, as focus_parse.entry_alone would parse it; None
    when it is not a one-line `key: scalar`, or a block sequence of one-line scalars, that
    provably holds `value`."""
    if type(value) is list:
        return _items_entry(text, name, value, start, end, line, column)
    read = _read(text, start, end, column)
    if read is None:
        return None
    key, (value_start, value_end, found) = read
    if not _key_is(key, name) or not same(found, value):
        return None
    return Entry(
        _key(text, name, start + column, line, column),
        _node(text, value, value_start, value_end, line, value_start - start),
    )


def _items_entry(
    text: str, name: str, value: list[Any], start: int, end: int, line: int, column: int
) -> Entry | None:
    read = _read_items(text, start, end, column)
    if read is None:
        return None
    key, indent, items = read
    if not _key_is(key, name) or len(items) != len(value):
        return None
    line_start = text.index("\n", start) + 1  # the first item's line follows the key's
    sequence = Sequence(False, line_start + indent, line + 1, indent, None)
    sequence.data = value
    for index, ((item_start, item_end, found), data) in enumerate(zip(items, value,
                                                                       strict=True)):  # fmt: skip
        if not same(found, data):
            return None
        item = _node(text, data, item_start, item_end, line + 1 + index, item_start - line_start)
        sequence.items.append(item)
        line_start = item_end + 1
    sequence.end = sequence.items[-1].end
    return Entry(_key(text, name, start + column, line, column), sequence)


def _key(text: str, name: str, start: int, line: int, column: int) -> Scalar:
    return Scalar(name, None, start, start + len(name), line, column, None, None)


def _node(text: str, value: Any, start: int, end: int, line: int, column: int) -> Scalar:
    quote = text[start]
    return Scalar(value, quote if quote in "'\"" else None, start, end, line, column, None, None)


def holds_scalar(piece: str, column: int, name: str, value: Any) -> bool:
    """Whether `piece`, a written entry read alone (its key at `column`), is a one-line
    `name: scalar`, or a block sequence of one-line scalars, that holds `value`; False also
    when that cannot be told this way."""
    if type(value) is list:
        items = _read_items(piece, 0, len(piece), column)
        if items is None or not _key_is(items[0], name) or len(items[2]) != len(value):
            return False
        return all(same(found, data) for (_, _, found), data in zip(items[2], value,
                                                                       strict=True))  # fmt: skip
    read = _read(piece, 0, len(piece), column)
    return read is not None and _key_is(read[0], name) and same(read[1][2], value)
