"""The items of a top-level entry's block sequence, and an item's keys, found from the lines.

One level down from entries.py: when a top-level entry's key stands alone on its line (a plain
key, maybe a comment after it) and its value's first line is a `- ` at some column c, the
value is a block sequence whose items each start with a `-` at column c on a line of its own;
everything else in an item stands further right — except what libyaml lets pass inside a flow
collection or a quoted scalar. So the lines that start with c spaces and a `-` followed by a
space, a tab or the line's end include every item's dash, and are exactly the items' dashes
when they are as many as the items the data has (the same safety count as the entries').

An item's text, from its dash's line up to the next dash's line (or the entry's end), means the
same read alone — as a block sequence of one item, or under a bare key at column 0 as in the
document — as in the document: there it is parsed with the sequence's indentation c on top of
the indentation stack, and the levels below c (the root mapping's) come into play only at a
token at column c or less, which in an item's text must be its own dash alone
(`item_text_stands_alone` checks that; the items before it end at its dash's line, which the
safety count shows is a real dash). A comment line is skipped, and a quoted scalar's text read,
whatever its indentation, in both readings alike; a block scalar ends at the same line in both.

The same holds one level down, for an item that is a block mapping: its keys stand at one
column, the first on the dash's line and every other at the start of a line of its own
(`item_keys`, counted against the item's keys and spelling each), and each entry but the first
means the same read alone when no content stands at the keys' column or left of it but its
key (`entry_text_stands_alone`).
"""

from __future__ import annotations

import functools
import re

from .entries import breaks_only_at_lf

# A top-level key the lines can tell: a plain name, then `:` and nothing but a comment.
_KEY_LINE = re.compile(r"([A-Za-z_][A-Za-z0-9_.-]*)[ \t]*:(?:[ \t]+#[^\n]*|[ \t]*)\r?\n")
_DASH_AFTER_SPACES = re.compile(r"( *)-(?:[ \t]|\r?$)", re.M)


_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_.-]*)[ \t]*:(?:[ \t]|\r?$)", re.M)


@functools.lru_cache(maxsize=16)
def _key_lines(column: int) -> re.Pattern[str]:
    """Lines that start with a plain key at `column` (after spaces)."""
    return re.compile(rf"^ {{{column}}}[A-Za-z_][A-Za-z0-9_.-]*[ \t]*:(?:[ \t]|\r?$)", re.M)


@functools.lru_cache(maxsize=16)
def _content_lines(column: int) -> re.Pattern[str]:
    """Line breaks before a line with content at `column` (after exactly that many spaces):
    anything but white space, a comment or a block sequence item's dash."""
    return re.compile(rf"\n {{{column}}}(?:[^ \t\r\n#-]|-(?=[^ \t\r\n]))")


@functools.lru_cache(maxsize=16)
def _dash_lines(column: int) -> re.Pattern[str]:
    """Lines that start with a `-` at `column` (after spaces), as a block sequence item does."""
    return re.compile(rf"^ {{{column}}}-(?:[ \t]|\r?$)", re.M)


def item_heads(
    text: str, start: int, end: int, name: str, count: int
) -> tuple[int, list[int]] | None:
    """For the top-level entry `name` at `text[start:end]`, whose value is a sequence of
    `count` items: the column of its items' dashes and where each item's line starts. None
    when the lines cannot tell (the key's line holds more than the key, the value is not a
    block sequence starting on the next content line, or the dashes are not as many as the
    items)."""
    if count == 0 or not breaks_only_at_lf(text, start, end):
        return None
    key = _KEY_LINE.match(text, start, end)
    if key is None or key[1] != name:
        return None
    pos = key.end()
    while pos < end:  # the value's first content line: blank and comment lines before it
        line_end = text.find("\n", pos, end)
        line_end = end if line_end < 0 else line_end
        content = text[pos:line_end].strip(" \t\r")
        if content and content[0] != "#":
            break
        pos = line_end + 1
    first = _DASH_AFTER_SPACES.match(text, pos, end)
    if first is None:
        return None
    column = len(first[1])
    heads = [pos]
    dash = "\n" + " " * column + "-"  # a line with exactly `column` spaces before a `-`
    at = text.find(dash, pos, end)
    while at >= 0 and len(heads) <= count:
        after = at + len(dash)
        if after == end or text[after] in " \t\r\n":
            heads.append(at + 1)
        at = text.find(dash, after, end)
    if len(heads) != count:
        return None
    return column, heads


def item_keys(
    text: str, start: int, end: int, column: int, names: list[str]
) -> tuple[int, list[int]] | None:
    """For the item at `text[start:end]` (its dash at `column`), a block mapping whose keys are
    `names`: the column of its keys and where each starts (the first on the dash's line, the
    others at their lines' starts). None when the lines cannot tell (the same count as for
    the items, and each key line must spell its key)."""
    key_at = start + column + 1
    while key_at < end and text[key_at] == " ":
        key_at += 1
    if key_at >= end or text[key_at] in "\t\r\n" or not names:
        return None
    indent = key_at - start
    heads = [key_at]
    heads += [found.start() + 1 for found in _content_lines(indent).finditer(text, key_at, end)]
    if len(heads) != len(names):
        return None
    for index, (head, name) in enumerate(zip(heads, names, strict=True)):
        key = _KEY.match(text, head + (indent if index else 0), end)
        if key is None or key[1] != name:
            return None
    return indent, heads


def item_text_stands_alone(piece: str, column: int) -> bool:
    """Whether `piece` — whole lines, the items of a block sequence at `column` — holds no
    content at `column` or left of it but its items' dashes, and starts with one: then read
    alone it means what it means in its document (see the module's docstring)."""
    return _stands_alone(piece, column, _dash_lines(column))


def entry_text_stands_alone(piece: str, column: int) -> bool:
    """Whether `piece` — whole lines, entries of a block mapping at `column` inside an item —
    holds no content at `column` or left of it but its keys, and starts with one: then, by the
    items' argument one level down, read alone it means what it means in its document."""
    return _stands_alone(piece, column, _key_lines(column))


def _stands_alone(piece: str, column: int, head: re.Pattern[str]) -> bool:
    first = True
    for line in piece.split("\n"):
        content = line.lstrip(" ")
        if not content.strip(" \t\r") or content.lstrip(" \t").startswith("#"):
            continue
        if first and head.match(line) is None:
            return False
        first = False
        if len(line) - len(content) <= column and head.match(line) is None:
            return False
    return not first
