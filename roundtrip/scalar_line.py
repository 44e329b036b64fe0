"""A one-line entry `key: scalar` told from its line alone, without a parse.

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

In that shape the line holds exactly one scalar in its context, and its context is the one
the parser saw (the entry reads alone as in the document, and this reading changes nothing
around it): no character of it can be an indicator, start a comment or continue onto another
line, and the blank lines after it add nothing. The scalar alone then decides its value: a
plain one by the core schema (resolve.resolve_plain, as the loader resolves it), a quoted one
its text between the quotes. Anything else, or a value that is not what the caller says it
must be, is left to the parser.

For the focused tree the value read must be exactly (type and value) the old data, which was
read from this very text: that proves the line was read as the parser read it. For the
read-back the value read must be exactly the new data: the written line then holds it, as a
parse would have found.
"""

from __future__ import annotations

import re
from typing import Any

from .convert import same
from .errors import RoundtripError
from .resolve import resolve_plain
from .tree import Entry, Scalar

_SAFE = r"A-Za-z0-9_.+~/"
_PLAIN = rf"(?:[{_SAFE}]|-(?=[{_SAFE}]))(?:[{_SAFE}-]| (?=[{_SAFE}-]))*"
# The line from its key (after the indentation): the key, then the value (plain, '…' or "…"),
# then the line's end and nothing but blank lines.
_LINE = re.compile(
    rf"([A-Za-z_][A-Za-z0-9_-]*) *: +(?:({_PLAIN})|'([^'\\\n]*)'|\"([^\"\\\n]*)\")(?:\n[ \n]*)?"
)


def _read(text: str, start: int, end: int, column: int) -> tuple[str, int, int, Any] | None:
    """The key, the value's span and its value of the one-line entry at `text[start:end]`
    (its key at `column` of the first line), or None when it is not in the shape above."""
    at = start + column
    if text[start:at].strip(" "):
        return None
    found = _LINE.match(text, at, end)
    if found is None or found.end() != end:
        return None
    key, plain = found[1], found[2]
    if plain is not None:
        try:
            value = resolve_plain(plain)
        except RoundtripError:  # an integer too large: the parser words it
            return None
        return key, found.start(2), found.end(2), value
    group = 3 if found[3] is not None else 4
    value = found[group]
    if not value.isprintable():
        return None
    return key, found.start(group) - 1, found.end(group) + 1, value


def scalar_entry(
    text: str, name: str, value: Any, start: int, end: int, line: int, column: int
) -> Entry | None:
    """The entry `name` at `text[start:end]` (from the start of line `line`, its key at
    `column`), holding the old data `value`, as focus_parse.entry_alone would parse it; None
    when the line is not a one-line `key: scalar` that provably holds `value`."""
    read = _read(text, start, end, column)
    if read is None:
        return None
    key, value_start, value_end, found = read
    if key != name or resolve_plain(key) != name or not same(found, value):
        return None
    quote = text[value_start]
    style = quote if quote in "'\"" else None
    key_start = start + column
    return Entry(
        Scalar(name, None, key_start, key_start + len(key), line, column, None, None),
        Scalar(value, style, value_start, value_end, line, value_start - start, None, None),
    )


def holds_scalar(piece: str, column: int, name: str, value: Any) -> bool:
    """Whether `piece`, a written entry read alone (its key at `column`), is a one-line
    `name: scalar` that holds `value`; False also when that cannot be told this way."""
    read = _read(piece, 0, len(piece), column)
    if read is None or read[0] != name or resolve_plain(name) != name:
        return False
    return same(read[3], value)
