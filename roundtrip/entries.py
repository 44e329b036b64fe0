"""The top-level entries of a record's YAML, found from its lines without parsing it.

A block mapping at column 0 is a run of entries, each starting with its key at column 0 on a
line of its own; everything else in its text stands further right, or is a comment, a blank
line or the `- ` of a sequence item written at its key's column. So when the first content
line starts at column 0, the lines that start there with anything else are exactly its keys —
checked by counting them against the keys the data has (a line at column 0 inside a flow
collection or a quoted scalar, which libyaml lets pass, makes one too many). Where a key line
starts with a property, an alias, an explicit `? ` or anything else that is not the key itself,
or where libyaml breaks lines elsewhere than at LF, the lines cannot tell, and `entry_heads`
gives None: the caller parses the text whole.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator

# What a line starting at column 0 with anything but white space, a comment or a `- ` item
# dash starts with; and a line break before one (searched for faster than `^` in re.M mode).
_KEY_START = re.compile(r"[^- \t\r\n#]|-[^ \t\r\n]")
_KEY_LINE = re.compile(r"\n(?:[^- \t\r\n#]|-[^ \t\r\n])")
# What a key line may not start with: properties, aliases, explicit keys, flow collections,
# block scalar indicators, reserved characters, and `...` (the end of a document).
_NOT_A_PLAIN_KEY = "?&!*{[|>%@`"
# A key that, written plain, is that very string (no word YAML reads as null, a boolean or a
# number) and ends at its `:`; and what follows the `:` of a plain key.
_PLAIN_NAME = re.compile(
    r"(?!(?:null|true|false|yes|no|on|off|y|n)$)[A-Za-z_][A-Za-z0-9_-]*", re.ASCII | re.I
)
_KEY_END = re.compile(r":(?:[ \t\r\n]|$)")
# A block scalar's header: `|` or `>` with its indicators, ending its line (a comment may
# follow).
_BLOCK_HEADER = re.compile(r"[ \t][|>][-+0-9]*[ \t]*(?:#[^\n]*)?\r?$", re.M)


def entry_heads(text: str, count: int) -> list[int] | None:
    """Where each of the `count` top-level keys of `text` (which parsed, holding a mapping of
    `count` keys) starts, in order; None when the lines cannot tell."""
    if not breaks_only_at_lf(text, 0, len(text)):
        return None
    heads = list(_key_lines(text))
    if len(heads) != count or not heads:
        return None
    if not all(map(_may_be_plain_key, itertools.repeat(text), heads)):
        return None
    if not _only_comments(text, 0, heads[0]):  # the mapping does not start at column 0
        return None
    return heads


def entry_spans(text: str, names: list[str], count: int) -> list[tuple[int, int]] | None:
    """Where the entries with the keys `names` (in the text's order, each written plain) start
    and end, at the next entry's line, among the `count` top-level entries of `text`; None
    when the lines cannot tell (as for `entry_heads`). Every head is looked at, but only the
    spans asked for are kept: a text may have a million entries."""
    if not names or not all(map(_PLAIN_NAME.fullmatch, names)) or (
        not breaks_only_at_lf(text, 0, len(text))):  # fmt: skip
        return None
    spans: list[tuple[int, int]] = []
    wanted = iter(names)
    name = next(wanted)
    opened = -1  # where the last entry asked for starts, until the next head ends it
    seen = 0
    for head in _key_lines(text):
        if not _may_be_plain_key(text, head) or (seen == 0 and not _only_comments(text, 0, head)):
            return None
        if opened >= 0:
            spans.append((opened, head))
            opened = -1
        if name and text.startswith(name, head) and _KEY_END.match(text, head + len(name)):
            opened = head
            name = next(wanted, "")
        seen += 1
    if opened >= 0:
        spans.append((opened, len(text)))
    return spans if seen == count and not name else None


def starts_entry(text: str) -> bool:
    """Whether `text` starts with what only a top-level key's line at column 0 starts with."""
    return _KEY_START.match(text) is not None and _may_be_plain_key(text, 0)


def _key_lines(text: str) -> Iterator[int]:
    """Where the lines that start at column 0 with anything but a comment or an item's dash
    start, in order."""
    if _KEY_START.match(text):
        yield 0
    for match in _KEY_LINE.finditer(text):
        yield match.start() + 1


def _may_be_plain_key(text: str, head: int) -> bool:
    char = text[head]
    return char not in _NOT_A_PLAIN_KEY and not (char == "." and text.startswith("...", head))


def breaks_only_at_lf(text: str, start: int, end: int) -> bool:
    """Whether libyaml breaks the lines of `text[start:end]` only where LF does: no lone CR,
    and none of the YAML 1.1 breaks (NEL, LS, PS), which the focused parse does not translate.
    Otherwise lines split at LF would not be libyaml's lines."""
    if (text.find("\x85", start, end) >= 0 or text.find("\u2028", start, end) >= 0
            or text.find("\u2029", start, end) >= 0):  # fmt: skip
        return False  # (the YAML11_BREAKS, tested one by one: no generator for every record)
    return text.find("\r", start, end) < 0 or (
        text.count("\r", start, end) == text.count("\r\n", start, end))  # fmt: skip


def content_end(text: str, start: int, end: int) -> int | None:
    """Just past the last content of the entry at `text[start:end]` (a trailing comment kept),
    when its lines tell: its last line that is neither blank nor a comment. None when a line
    after that might be a quoted scalar's text rather than a comment. (A block scalar's text can
    look like anything: ask `may_hold_block_scalar` first.)"""
    stop = end
    comments = False
    while stop > start:
        line_end = stop - 1 if text[stop - 1] == "\n" else stop
        line_start = max(text.rfind("\n", start, line_end) + 1, start)
        content = text[line_start:line_end].strip(" \t\r")
        if content and content[0] != "#":
            if comments and (text.find('"', start, end) >= 0 or text.find("'", start, end) >= 0):
                return None
            return line_start + len(text[line_start:line_end].rstrip(" \t\r"))
        comments = comments or bool(content)
        stop = line_start
    return None


def may_hold_block_scalar(text: str, start: int, end: int) -> bool:
    """Whether `text[start:end]` may hold a literal or folded block scalar (it has a line
    ending as a block scalar's header does)."""
    if text.find("|", start, end) < 0 and text.find(">", start, end) < 0:
        return False
    return _BLOCK_HEADER.search(text, start, end) is not None


def _only_comments(text: str, start: int, end: int) -> bool:
    """Whether the lines of `text[start:end]` are all blank or comments."""
    return all(
        not line.strip(" \t\r") or line.lstrip(" \t").startswith("#")
        for line in text[start:end].split("\n")
    )
