"""Write edited data back into a record's YAML text, changing only the lines that changed.

The splicer compares the data the text holds with the data to write, walking the node tree
beside both, and collects edits — (start, end, replacement) over the YAML text:
- a changed scalar is rewritten over its own token, in its own style where that style can
  hold the new value (so comments and layout around it stay);
- a removed key or item takes its lines with it (and one blank line, when it stood between
  blank lines);
- a new key or item goes where the schema order puts it, in the document's own indentation;
- a change of kind, or a new or removed entry in a flow collection, rewrites that one node.
"""

from __future__ import annotations

import difflib
import json
import re
from typing import Any

import attrs

from .article_schema import child_schema, key_order
from .convert import same
from .errors import EmitError
from .layout import (
    Layout,
    entry_lines,
    inline_text,
    item_lines,
    key_text,
    mapping_lines,
    scalar_text,
    sequence_lines,
)
from .scalars import block_scalar, bool_like, double_quoted, plain_ok, single_quoted
from .tree import Alias, Entry, Mapping, Node, Scalar, Sequence

Schema = dict[str, Any] | None
Edit = tuple[int, int, str]
_PROPERTIES_AND_COMMENTS = re.compile(r"[&!][^ \t\r\n]*|(?:^|(?<=[ \t]))#.*")


@attrs.frozen
class Slot:
    """Where a node sits: the value of `key`, an item of a block sequence, or in a flow."""

    key: Scalar | None = None
    flow: bool = False


ROOT = Slot()


class Splicer:
    """Collects the edits that turn one document's data into another's."""

    def __init__(self, text: str, root: Mapping, newline: str, *, coarse: bool = False) -> None:
        self.text = text
        self.coarse = coarse
        self.root = root
        self.newline = newline
        self.edits: list[Edit] = []
        self._layout: Layout | None = None

    # -- text positions -------------------------------------------------------------------

    def line_start(self, pos: int) -> int:
        return self.text.rfind("\n", 0, pos) + 1

    def after_line(self, pos: int) -> int:
        """Just past the line break that ends the line holding `pos` (or the end of text)."""
        end = self.text.find("\n", pos)
        return len(self.text) if end < 0 else end + 1

    def content_end(self, node: Node) -> int:
        """Just past the last character that belongs to `node` (its trailing comment excluded)."""
        if isinstance(node, Mapping | Sequence) and not node.flow:
            children = node.items if isinstance(node, Sequence) else [e.value for e in node.entries]
            return self.content_end(children[-1]) if children else node.start
        if isinstance(node, Scalar) and node.style in ("|", ">"):
            # libyaml ends a block scalar after its trailing blank lines; they are not ours.
            last = node.start + len(self.text[node.start : node.end].rstrip(" \t\r\n"))
            end = self.text.find("\n", last)
            end = len(self.text) if end < 0 else end
            return end - 1 if self.text[end - 1 : end] == "\r" else end
        return node.end

    def owns_line(self, pos: int) -> bool:
        """Whether only indentation stands before `pos` on its line."""
        return not self.text[self.line_start(pos) : pos].strip()

    def dash(self, item: Node) -> int:
        """Position of the `-` that introduces a block sequence item.

        Between the dash and the item only anchors, tags, comments and line breaks can stand.
        """
        end = item.start
        while end > 0:
            start = self.line_start(end)
            segment = _PROPERTIES_AND_COMMENTS.sub(lambda m: " " * len(m[0]), self.text[start:end])
            pos = segment.rstrip().rfind("-")
            if pos >= 0 and not segment[pos + 1 :].strip():
                return start + pos
            if segment.strip():
                break
            end = start - 1
        raise EmitError("cannot find the dash of a sequence item", line=item.line + 1)

    def column(self, pos: int) -> int:
        return pos - self.line_start(pos)

    def is_blank_line_at(self, pos: int) -> bool:
        """Whether the line starting at `pos` is empty or whitespace only."""
        end = self.text.find("\n", pos)
        return (
            pos < len(self.text) and not self.text[pos : len(self.text) if end < 0 else end].strip()
        )

    # -- layout of the document ------------------------------------------------------------

    @property
    def layout(self) -> Layout:
        """The document's own indentation, measured from its first example of each kind."""
        if self._layout is None:
            found: dict[str, int] = {}
            self._measure(self.root, found)
            self._layout = Layout(**found)
        return self._layout

    def _measure(self, node: Node, found: dict[str, int]) -> None:
        if isinstance(node, Mapping) and not node.flow:
            for entry in node.entries:
                value = entry.value
                if isinstance(value, Mapping) and not value.flow and value.entries:
                    found.setdefault("mapping", value.column - entry.key.column)
                elif isinstance(value, Sequence) and not value.flow and value.items:
                    found.setdefault(
                        "sequence", self.column(self.dash(value.items[0])) - entry.key.column
                    )
                self._measure(value, found)
        elif isinstance(node, Sequence) and not node.flow:
            for item in node.items:
                found.setdefault("item", item.column - self.column(self.dash(item)))
                self._measure(item, found)

    # -- the diff --------------------------------------------------------------------------

    def diff(self, node: Node, old: Any, new: Any, schema: Schema, slot: Slot) -> None:
        """Collect the edits that make `node`, holding `old`, hold `new`."""
        if same(old, new):
            return
        # An empty collection has no entry to place new ones beside: it is rewritten whole.
        both = old and new and not (self.coarse and node is not self.root)
        if isinstance(node, Mapping) and isinstance(old, dict) and isinstance(new, dict) and both:
            self.diff_mapping(node, old, new, schema, slot)
        elif (
            isinstance(node, Sequence) and isinstance(old, list) and isinstance(new, list) and both
        ):
            self.diff_sequence(node, old, new, schema, slot)
        else:
            self.replace(node, new, schema, slot)

    def diff_mapping(
        self, node: Mapping, old: dict[str, Any], new: dict[str, Any], schema: Schema, slot: Slot
    ) -> None:
        removed = [entry for entry in node.entries if entry.name not in new]
        added = [key for key in new if key not in old]
        kept = [entry for entry in node.entries if entry.name in new]
        if not kept and (removed or added):
            self.replace(node, new, schema, slot)
            return
        first = node.entries[0]
        if not node.flow and first in removed and not self.owns_line(first.key.start):
            # The first key shares its line with a `- `: rewriting the item keeps that simple.
            self.replace(node, new, schema, slot)
            return
        child_slot = Slot(flow=node.flow)
        for entry in kept:
            if not same(old[entry.name], new[entry.name]):
                self.diff(
                    entry.value, old[entry.name], new[entry.name],
                    child_schema(schema, entry.name), attrs.evolve(child_slot, key=entry.key),
                )  # fmt: skip
        if node.flow:
            spans = [(self.head(e.key), self.content_end(e.value)) for e in node.entries]
            self.delete_flow(spans, [node.entries.index(entry) for entry in removed])
        else:
            for entry in removed:
                start = self.line_start(entry.key.start)
                self.delete(start, self.after_line(self.content_end(entry.value)))
        if added:
            self.insert_keys(node, kept, added, new, schema)

    def insert_keys(
        self,
        node: Mapping,
        kept: list[Entry],
        added: list[str],
        new: dict[str, Any],
        schema: Schema,
    ) -> None:
        order = [key for key in key_order(schema) if key in new]
        order += [key for key in new if key not in order]
        present = {entry.name: entry for entry in kept}
        groups: dict[int, list[str]] = {}  # index into kept (-1: before all) -> new keys
        anchor = -1
        for key in order:
            if key in present:
                anchor = kept.index(present[key])
            elif key in added:
                groups.setdefault(anchor, []).append(key)
        for anchor, keys in groups.items():
            if node.flow:
                values = [inline_text(new[k], child_schema(schema, k), flow=True) for k in keys]
                texts = [
                    f"{key_text(key)}: {value}" for key, value in zip(keys, values, strict=True)
                ]
                if anchor >= 0:
                    self.insert_flow_after(self.content_end(kept[anchor].value), texts)
                else:
                    self.insert_flow_before(self.head(kept[0].key), texts)
                continue
            column = kept[max(anchor, 0)].key.column
            lines = [
                line
                for key in keys
                for line in self._entry_lines(key, new[key], child_schema(schema, key), column)
            ]
            if anchor >= 0:
                self.insert_after(node.entries, kept[anchor], lines)
            else:
                self.insert_before(kept[0].key.start, lines, column)

    def _entry_lines(self, key: str, value: Any, schema: Schema, column: int) -> list[str]:
        return entry_lines(key, value, schema, column, self.layout)

    def diff_sequence(
        self, node: Sequence, old: list[Any], new: list[Any], schema: Schema, slot: Slot
    ) -> None:
        item_schema = child_schema(schema, 0)
        item_slot = Slot(flow=node.flow)
        keys_old, keys_new = [_key(x) for x in old], [_key(x) for x in new]
        matcher = difflib.SequenceMatcher(None, keys_old, keys_new, autojunk=False)
        opcodes = matcher.get_opcodes()
        if len(old) == len(new):
            # Items edited in place: pairing by position touches fewer items than an
            # alignment that sees equal items shift (as it does when items repeat).
            moved = sum(max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in opcodes if tag != "equal")
            changed = [i for i, (a, b) in enumerate(zip(keys_old, keys_new, strict=True)) if a != b]
            if len(changed) <= moved:
                opcodes = [("replace", i, i + 1, i, i + 1) for i in changed]
        removed: list[int] = []
        for tag, i1, i2, j1, j2 in opcodes:
            if tag == "equal":
                continue
            paired = min(i2 - i1, j2 - j1)
            for k in range(paired):
                self.diff(node.items[i1 + k], old[i1 + k], new[j1 + k], item_schema, item_slot)
            removed += range(i1 + paired, i2)
            extra = new[j1 + paired : j2]
            if extra:
                self.insert_items(node, i1 + paired, extra, item_schema)
        if not removed:
            return
        if node.flow:
            spans = [(self.head(item), self.content_end(item)) for item in node.items]
            self.delete_flow(spans, removed)
            return
        dashes = [self.dash(node.items[index]) for index in removed]
        if not all(self.owns_line(dash) for dash in dashes):
            self.edits = [
                edit for edit in self.edits if not node.start <= edit[0] < self.content_end(node)
            ]
            self.replace(node, new, schema, slot)
            return
        for index, dash in zip(removed, dashes, strict=True):
            self.delete(self.line_start(dash), self.after_line(self.content_end(node.items[index])))

    def insert_items(self, node: Sequence, index: int, values: list[Any], schema: Schema) -> None:
        """Insert `values` before item `index` of a sequence (after the last when past)."""
        reference = node.items[min(index, len(node.items) - 1)]
        if node.flow:
            texts = [inline_text(value, schema, flow=True) for value in values]
            if index < len(node.items):
                self.insert_flow_before(self.head(reference), texts)
            else:
                self.insert_flow_after(self.content_end(reference), texts)
            return
        dash = self.dash(reference)
        layout = attrs.evolve(self.layout, item=reference.column - self.column(dash))
        lines = [
            line
            for value in values
            for line in item_lines(value, schema, self.column(dash), layout)
        ]
        text = "".join(line + self.newline for line in lines)
        if index < len(node.items):
            self.edits.append((self.line_start(dash), self.line_start(dash), text))
        else:
            pos = self.after_line(self.content_end(reference))
            self.edits.append((pos, pos, self._line_break_before(pos) + text))

    # -- edits -----------------------------------------------------------------------------

    def _line_break_before(self, pos: int) -> str:
        """A line break when `pos` is the end of a text that has no final one."""
        return self.newline if pos == len(self.text) and not self.text.endswith("\n") else ""

    def delete(self, start: int, end: int) -> None:
        """Remove whole lines; when they stood between blank lines, one blank line goes too."""
        blank_before = start > 0 and self.is_blank_line_at(self.line_start(start - 1))
        blank_after = end >= len(self.text) or self.is_blank_line_at(end)
        if blank_before and blank_after:
            start = self.line_start(start - 1)
        self.edits.append((start, end, ""))

    def delete_flow(self, spans: list[tuple[int, int]], removed: list[int]) -> None:
        """Remove flow collection entries (by index) with their commas.

        A run of removed entries goes from its first entry to the next kept one; a run at the
        end goes from the end of the kept entry before it.
        """
        runs: list[list[int]] = []
        for index in sorted(removed):
            if runs and runs[-1][-1] == index - 1:
                runs[-1].append(index)
            else:
                runs.append([index])
        for run in runs:
            first, last = run[0], run[-1]
            if last + 1 < len(spans):
                self.edits.append((spans[first][0], spans[last + 1][0], ""))
            else:
                self.edits.append((spans[first - 1][1], spans[last][1], ""))

    def insert_flow_after(self, pos: int, texts: list[str]) -> None:
        self.edits.append((pos, pos, "".join(", " + text for text in texts)))

    def insert_flow_before(self, pos: int, texts: list[str]) -> None:
        self.edits.append((pos, pos, "".join(text + ", " for text in texts)))

    def head(self, node: Node) -> int:
        """Where a node starts, its anchor and tag included."""
        start = node.start
        anchor = node.name if isinstance(node, Alias) else node.anchor
        if anchor is not None and not isinstance(node, Alias):
            found = self.text.rfind("&" + anchor, 0, start)
            start = found if found >= 0 else start
        if isinstance(node, Scalar) and node.tag is not None and node.tag != "!":
            found = self.text.rfind("!", 0, start)
            start = min(start, found) if found >= 0 else start
        return start

    def insert_after(self, entries: list[Entry], entry: Entry, lines: list[str]) -> None:
        pos = self.after_line(self.content_end(entry.value))
        following = entries.index(entry) + 1
        blank = ""
        if following < len(entries):
            gap = self.text[pos : self.line_start(entries[following].key.start)]
            if any(not line.strip() for line in gap.splitlines()):
                blank = self.newline
        text = "".join(line + self.newline for line in lines)
        self.edits.append((pos, pos, self._line_break_before(pos) + blank + text))

    def insert_before(self, pos: int, lines: list[str], column: int) -> None:
        if self.owns_line(pos):
            start = self.line_start(pos)
            self.edits.append((start, start, "".join(line + self.newline for line in lines)))
            return
        text = lines[0][column:] + "".join(self.newline + line for line in lines[1:])
        self.edits.append((pos, pos, text + self.newline + " " * column))

    def replace(self, node: Node, new: Any, schema: Schema, slot: Slot) -> None:
        """Rewrite one node whole, keeping its style where it is a scalar."""
        start, end = node.start, self.content_end(node)
        block = isinstance(new, dict | list) and bool(new)
        if isinstance(node, Scalar) and not block:
            self.edits.append((start, end, self.scalar_like(node, new, schema, flow=slot.flow)))
            return
        if slot.flow or (isinstance(node, Mapping | Sequence) and node.flow and new):
            self.edits.append((start, end, inline_text(new, schema, flow=slot.flow)))
            return
        was_block = isinstance(node, Mapping | Sequence)
        if not block:
            text = inline_text(new, schema)
            if was_block and slot.key is not None:
                self.edits.append((self.after_colon(slot.key), end, " " + text))
            else:
                self.edits.append((start, end, text))
            return
        if slot.key is not None:
            step = self.layout.mapping if isinstance(new, dict) else self.layout.sequence
            column = slot.key.column + step
            lines = self._block_lines(new, schema, column)
            self.edits.append(
                (self.after_colon(slot.key), end, "".join(self.newline + line for line in lines))
            )
            return
        column = self.column(start) if node is not self.root else 0
        lines = self._block_lines(new, schema, column)
        text = lines[0][column:] + "".join(self.newline + line for line in lines[1:])
        self.edits.append((start, end, text))

    def _block_lines(self, value: Any, schema: Schema, column: int) -> list[str]:
        if isinstance(value, dict):
            return mapping_lines(value, schema, column, self.layout)
        return sequence_lines(value, schema, column, self.layout)

    def after_colon(self, key: Scalar) -> int:
        pos = self.text.find(":", key.end)
        if pos < 0:
            raise EmitError("cannot find the `:` after a key", line=key.line + 1)
        return pos + 1

    def scalar_like(self, node: Scalar, value: Any, schema: Schema, *, flow: bool) -> str:
        """`value` in the style of the scalar it replaces, where that style can hold it."""
        original = self.text[node.start : node.end]
        if isinstance(value, bool) and isinstance(node.data, bool):
            return bool_like(original, value)
        if not isinstance(value, str):
            return scalar_text(value, schema)
        if node.style is None:
            is_date_time = schema is not None and schema.get("format") == "date-time"
            if plain_ok(value, timestamp=is_date_time, flow=flow):
                return value
        elif node.style == "'":
            quoted = single_quoted(value)
            if quoted is not None:
                return quoted
        elif node.style in ("|", ">") and not flow:
            indent = " " * self.block_indent(node)
            block = block_scalar(value, indent, folded=node.style == ">")
            if block is None:
                block = block_scalar(value, indent)
            if block is not None:
                return block
        return double_quoted(value) if node.style else scalar_text(value, schema, flow=flow)

    def block_indent(self, node: Scalar) -> int:
        """The indentation of a block scalar's content lines."""
        pos = self.after_line(node.start)
        while pos < node.end and self.is_blank_line_at(pos):
            pos = self.after_line(pos)
        line = self.text[pos : self.text.find("\n", pos)] if pos < node.end else ""
        return len(line) - len(line.lstrip(" ")) or node.column + 2

    def apply(self) -> str:
        """The text with every edit made; edits must not overlap."""
        out: list[str] = []
        pos = 0
        for start, end, text in sorted(self.edits, key=lambda edit: (edit[0], edit[1])):
            if start < pos:
                raise EmitError("internal error: overlapping edits")
            out.append(self.text[pos:start])
            out.append(text)
            pos = end
        out.append(self.text[pos:])
        return "".join(out)


def _key(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def splice(text: str, root: Mapping, old: dict[str, Any], new: dict[str, Any], schema: Schema,
           newline: str, *, coarse: bool = False) -> str:  # fmt: skip
    """The YAML text `text`, holding `old`, edited to hold `new`.

    `coarse` rewrites each changed top-level value whole instead of splicing inside it: the
    fallback for a layout the fine splice got wrong (the result is checked either way).
    """
    splicer = Splicer(text, root, newline, coarse=coarse)
    splicer.diff(root, old, new, schema, ROOT)
    expand_aliases(splicer, schema)
    return splicer.apply()


def expand_aliases(splicer: Splicer, schema: Schema) -> None:
    """Write out in full every alias whose anchored node an edit has touched.

    Otherwise an unchanged alias would silently take on its anchor's new value (or lose its
    anchor to a deleted line). An alias outside every edit keeps the value it had, which is
    its target's old data.
    """
    aliases: list[tuple[Alias, Schema, Slot]] = []
    _collect_aliases(splicer.root, schema, ROOT, aliases)
    for alias, value_schema, slot in aliases:
        target = alias.target
        start, end = target.start, splicer.content_end(target)
        touched = any((s < end and e > start) or start < s == e < end for s, e, _ in splicer.edits)
        inside = any(s <= alias.start and alias.end <= e and s != e for s, e, _ in splicer.edits)
        if touched and not inside:
            splicer.replace(alias, target.data, value_schema, slot)


def _collect_aliases(
    node: Node, schema: Schema, slot: Slot, out: list[tuple[Alias, Schema, Slot]]
) -> None:
    if isinstance(node, Alias):
        out.append((node, schema, slot))
    elif isinstance(node, Mapping):
        for entry in node.entries:
            child_slot = Slot(key=entry.key, flow=node.flow)
            _collect_aliases(entry.value, child_schema(schema, entry.name), child_slot, out)
    elif isinstance(node, Sequence):
        for index, item in enumerate(node.items):
            _collect_aliases(item, child_schema(schema, index), Slot(flow=node.flow), out)
