"""Where things are in a YAML text: its lines, and the extent of each node of the span tree.

The planner asks "where does this line start", "does this key own its line", "where is the
dash of this item", "where does this node's own text end". Each answer is found in the text
with `str.find` / `str.rfind` around the position asked about, so nothing is indexed up front
and a large record pays only for the few lines an edit looks at.
"""

from __future__ import annotations

import re

from .errors import EmitError
from .tree import Alias, Entry, Mapping, Node, Scalar, Sequence

# Anchors, tags and comments: what may stand between a `-` and its item.
_PROPERTIES_AND_COMMENTS = re.compile(r"[&!][^ \t\r\n]*|(?:^|(?<=[ \t]))#.*")


class Lines:
    """Positions in one YAML text (`newline` is the line ending new lines get)."""

    __slots__ = ("newline", "text")

    def __init__(self, text: str, newline: str) -> None:
        self.text = text
        self.newline = newline

    # -- lines ---------------------------------------------------------------------------

    def start(self, pos: int) -> int:
        """Where the line holding `pos` starts."""
        return self.text.rfind("\n", 0, pos) + 1

    def after(self, pos: int) -> int:
        """Just past the line break that ends the line holding `pos` (or the end of text)."""
        end = self.text.find("\n", pos)
        return len(self.text) if end < 0 else end + 1

    def end(self, pos: int) -> int:
        """Where the line holding `pos` ends, before its line break (CR LF or LF)."""
        end = self.text.find("\n", pos)
        if end < 0:
            return len(self.text)
        return end - 1 if self.text[end - 1 : end] == "\r" else end

    def column(self, pos: int) -> int:
        return pos - self.start(pos)

    def owns(self, pos: int) -> bool:
        """Whether only indentation stands before `pos` on its line."""
        return not self.text[self.start(pos) : pos].strip()

    def is_blank(self, pos: int) -> bool:
        """Whether the line starting at `pos` is empty or white space only."""
        return pos < len(self.text) and not self.text[pos : self.end(pos)].strip()

    def comment_or_blank(self, pos: int) -> bool:
        """Whether the line starting at `pos` holds only white space or a comment."""
        content = self.text[pos : self.end(pos)].strip()
        return not content or content.startswith("#")

    def blank_only(self, start: int, end: int) -> bool:
        """Whether the text between two positions holds nothing but white space."""
        return not self.text[start:end].strip()

    def break_before(self, pos: int) -> str:
        """A line break to write first when inserting at the end of a text without a final one."""
        return self.newline if pos == len(self.text) and not self.text.endswith("\n") else ""

    # -- nodes -----------------------------------------------------------------------------

    def content_end(self, node: Node) -> int:
        """Just past the last character that belongs to `node` (a trailing comment excluded)."""
        while isinstance(node, Mapping | Sequence) and not node.flow:
            if isinstance(node, Sequence):
                if not node.items:
                    return node.start
                node = node.items[-1]
            else:
                if not node.entries:
                    return node.start
                node = node.entries[-1].value
        if isinstance(node, Scalar) and node.style in ("|", ">"):
            return self._block_scalar_end(node)
        return node.end

    def _block_scalar_end(self, node: Scalar) -> int:
        """libyaml ends a block scalar after its trailing empty lines, which are not ours; but a
        line of spaces deeper than the scalar's indentation is content (a space of its value)."""
        indent = self.block_indent(node)
        last = self.end(node.start)  # the header line, when every line after it is empty
        pos = self.after(node.start)
        while pos < node.end:
            end = self.end(pos)
            if end - pos > indent or self.text[pos:end].strip(" "):
                last = end
            pos = self.after(end)
        return last

    def head(self, node: Node) -> int:
        """Where a node starts, its anchor and tag included (in either order)."""
        if isinstance(node, Alias):
            return node.start
        start = node.start
        if node.anchor is not None:
            found = self.text.rfind("&" + node.anchor, 0, node.start)
            start = min(start, found) if found >= 0 else start
        if isinstance(node, Scalar) and node.tag is not None and node.tag != "!":
            found = self.text.rfind("!", 0, node.start)
            while found > 0 and self.text[found - 1] == "!":  # `!!str`
                found -= 1
            start = min(start, found) if found >= 0 else start
        return start

    def entry_head(self, entry: Entry) -> int:
        """Where a mapping entry starts: its key with the key's properties, or the `?` that
        opens an explicit key."""
        start = self.head(entry.key)
        line_start = self.start(start)
        before = self.text[line_start:start].rstrip(" \t")
        return line_start + len(before) - 1 if before.endswith("?") else start

    def dash(self, item: Node) -> int:
        """Position of the `-` that introduces a block sequence item.

        Between the dash and the item only anchors, tags, comments and line breaks can stand.
        """
        end = self.head(item)
        while end > 0:
            start = self.start(end)
            segment = _PROPERTIES_AND_COMMENTS.sub(lambda m: " " * len(m[0]), self.text[start:end])
            pos = segment.rstrip().rfind("-")
            if pos >= 0 and not segment[pos + 1 :].strip():
                return start + pos
            if segment.strip():
                break
            end = start - 1
        raise EmitError("cannot find the dash of a sequence item", line=item.line + 1)

    def after_colon(self, key: Scalar) -> int:
        """Just past the `:` that ends a mapping key (on a later line for a `? key`; comments
        between are stepped over)."""
        text, pos = self.text, key.end
        while pos < len(text):
            char = text[pos]
            if char == ":":
                return pos + 1
            if char == "#":
                pos = self.end(pos)
            elif char in " \t\r\n":
                pos += 1
            else:
                break
        raise EmitError("cannot find the `:` after a key", line=key.line + 1)

    def properties_end(self, after: int) -> int:
        """Just past the anchor and tag that follow `after` (a key's `:`), or `after`.

        Comments and line breaks end the search: they are not part of the node.
        """
        text = self.text
        pos = end = after
        while True:
            while pos < len(text) and text[pos] in " \t":
                pos += 1
            if pos >= len(text) or text[pos] not in "&!":
                return end
            while pos < len(text) and text[pos] not in " \t\r\n":
                pos += 1
            end = pos

    def block_indent(self, node: Scalar) -> int:
        """The indentation of a block scalar's content lines."""
        pos = self.after(node.start)
        while pos < node.end and self.is_blank(pos):
            pos = self.after(pos)
        line = self.text[pos : self.end(pos)] if pos < node.end else ""
        spaces = len(line) - len(line.lstrip(" "))
        if isinstance(node.data, str):  # an indentation indicator may leave spaces in the value
            first = next((text for text in node.data.split("\n") if text.strip()), "")
            spaces -= len(first) - len(first.lstrip(" "))
        return spaces or node.column + 2
