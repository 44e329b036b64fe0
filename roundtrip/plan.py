"""Plan the edits that make a YAML text hold new data, touching only the nodes that change.

The planner walks the old data and the new data beside the text's span tree and returns edits
— (start, end, replacement) over the text — each decided once and never taken back:

- a changed scalar is rewritten over its own token, in its own style where that style can hold
  the new value (comments and layout around it stay);
- a removed key or item takes its lines with it (and one blank line, when it stood between
  blank lines); the first key of an item written on the `- ` line hands that place to the next
  key;
- a new key goes where the mapping's order puts it (the schema's, or the alphabetical order
  of a visibly sorted mapping), a new item where the sequence alignment puts it, written in
  the document's own style (render.Renderer);
- a change of kind, or an empty collection that gains entries, rewrites that one node;
- an alias whose anchored node changes, or goes, is written out with the value it had.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from typing import Any, NamedTuple

import attrs

from .convert import same
from .lines import Lines
from .render import Renderer
from .schema_doc import child_schema, key_order
from .tree import Alias, Entry, Mapping, Node, Scalar, Sequence

Schema = dict[str, Any] | None


class Edit(NamedTuple):
    """Replace `text[start:end]` with `text` (an insertion when start == end)."""

    start: int
    end: int
    text: str


@attrs.frozen
class Slot:
    """Where a node sits: the value of `key`, an item of a block sequence, or in a flow."""

    key: Scalar | None = None
    flow: bool = False


class Alignment(NamedTuple):
    """How a sequence's old items map to its new ones."""

    pairs: list[tuple[int, int]]  # (old index, new index) of items kept, maybe edited
    removed: list[int]  # old indexes
    inserted_before: int  # old index the new items go before (len(old): after the last)
    inserted: list[Any]  # new values


def align(old: list[Any], new: list[Any]) -> Alignment:
    """Pair a sequence's items: equal runs at both ends stay, the middle pairs by position.

    One insertion or deletion anywhere, or any number of items edited in place, is found
    exactly; several membership changes at once are covered by pairing and a tail of
    removals or insertions (correct, if not always the fewest lines).
    """
    n, m = len(old), len(new)
    prefix = 0
    while prefix < min(n, m) and same(old[prefix], new[prefix]):
        prefix += 1
    suffix = 0
    while suffix < min(n, m) - prefix and same(old[n - 1 - suffix], new[m - 1 - suffix]):
        suffix += 1
    paired = min(n, m) - prefix - suffix
    pairs = [(prefix + k, prefix + k) for k in range(paired)]
    removed = list(range(prefix + paired, n - suffix))
    return Alignment(pairs, removed, n - suffix, new[prefix + paired : m - suffix])


# What the planner opens: for each node whose data changes, the children whose data changes,
# by key or by old index; {} is a changed node whose children all stay.
Needs = dict[Any, "Needs"]


def needs(old: Any, new: Any) -> Needs:
    """The paths from a node holding `old` to the nodes whose data changes to reach `new`
    (computed once: the focused tree and the planner both follow them)."""
    if isinstance(old, dict) and isinstance(new, dict):
        return {key: needs(old[key], new[key]) for key in old
                if key in new and not same(old[key], new[key])}  # fmt: skip
    if isinstance(old, list) and isinstance(new, list):
        if len(old) == len(new):  # align pairs each item with the one at its place
            return {i: needs(a, b) for i, (a, b) in enumerate(zip(old, new, strict=True))
                    if not same(a, b)}  # fmt: skip
        return {i: needs(old[i], new[j]) for i, j in align(old, new).pairs
                if not same(old[i], new[j])}  # fmt: skip
    return {}


def ends_in_block_scalar(node: Node) -> bool:
    """Whether a node's text ends with a literal or folded block scalar, which would take in
    more-indented lines that come to follow it."""
    while isinstance(node, Mapping | Sequence) and not node.flow:
        if isinstance(node, Mapping):
            if not node.entries:
                return False
            node = node.entries[-1].value
        else:
            if not node.items:
                return False
            node = node.items[-1]
    return isinstance(node, Scalar) and node.style in ("|", ">")


class Planner:
    """Collects the edits that turn one document's data into another's."""

    def __init__(self, lines: Lines, renderer: Renderer, *, coarse: int = 0) -> None:
        """`coarse` > 0 plans the fallbacks for when a finer plan fails its check: at 1 no key
        or item is placed or removed among others, a collection whose members change is
        rewritten whole (the smallest node enclosing the change); at 2 each changed top-level
        value is. Rewritten nodes keep the document's layout and key order."""
        self.lines = lines
        self.render = renderer
        self.coarse = coarse
        self.edits: list[Edit] = []
        self.root: Node | None = None
        # Anchored nodes whose data changes, and spans whose text is rewritten or removed:
        # aliases of either are written out (expand_aliases).
        self.changed: set[int] = set()
        self.gone: list[tuple[int, int]] = []

    def plan(
        self, root: Mapping, old: dict[str, Any], new: dict[str, Any], schema: Schema,
        wanted: Needs,
    ) -> list[Edit]:  # fmt: skip
        """The edits that make `root`, holding `old`, hold `new` (`wanted`: `needs(old, new)`)."""
        self.root = root
        if wanted or old.keys() != new.keys():  # what `not same(old, new)` says, known already
            self.node(root, old, new, schema, Slot(), wanted)
        self.expand_aliases(root, schema)
        return self.edits

    # -- the walk --------------------------------------------------------------------------

    def node(self, node: Node, old: Any, new: Any, schema: Schema, slot: Slot, need: Needs) -> None:
        """Plan the edits that make `node`, holding `old`, hold `new` (they differ; `need`
        names the children that differ)."""
        if not isinstance(node, Alias) and node.anchor is not None:
            self.changed.add(id(node))
        # An empty collection has no entry to place new ones beside: it is rewritten whole.
        # Coarse planning rewrites whole each collection that gains or loses members.
        if self.coarse >= 2:
            inside = node is self.root
        else:
            inside = not self.coarse or _same_members(old, new)
        inside = inside and bool(old) and bool(new)
        if inside and isinstance(node, Mapping) and isinstance(old, dict) and isinstance(new, dict):
            self.mapping(node, old, new, schema, slot, need)
        elif (
            inside
            and isinstance(node, Sequence)
            and isinstance(old, list)
            and isinstance(new, list)
        ):
            self.sequence(node, old, new, schema, need)
        else:
            self.replace(node, new, schema, slot)

    def mapping(
        self, node: Mapping, old: dict[str, Any], new: dict[str, Any], schema: Schema,
        slot: Slot, need: Needs,
    ) -> None:  # fmt: skip
        if old.keys() == new.keys():  # no key to remove or place: only the changed values
            for entry in node.entries:
                name = entry.name
                if name in need:
                    self.node(entry.value, old[name], new[name], child_schema(schema, name),
                              Slot(entry.key, node.flow), need[name])  # fmt: skip
            return
        names = [entry.name for entry in node.entries]  # asked once: a stub's is a property
        kept = [entry for entry, name in zip(node.entries, names, strict=True) if name in new]
        if not kept:  # nothing to place new keys beside
            self.replace(node, new, schema, slot)
            return
        for entry, name in zip(node.entries, names, strict=True):
            if name in need:
                self.node(entry.value, old[name], new[name], child_schema(schema, name),
                          Slot(entry.key, node.flow), need[name])  # fmt: skip
        removed = [index for index, name in enumerate(names) if name not in new]
        added = [key for key in new if key not in old]
        lines = self.lines
        if node.flow:
            self.remove_flow(
                lambda i: lines.entry_head(node.entries[i]),
                lambda i: lines.content_end(node.entries[i].value),
                len(node.entries), removed,
            )  # fmt: skip
            if added:
                self.insert_flow_keys(node, kept, added, new, schema)
            return
        joined = self.remove_block(
            lambda i: lines.entry_head(node.entries[i]),
            lambda i: lines.content_end(node.entries[i].value),
            len(node.entries), removed,
            lambda i: ends_in_block_scalar(node.entries[i].value),
        )  # fmt: skip
        if added:
            self.insert_block_keys(node, kept, added, new, schema, joined=joined)

    def sequence(
        self, node: Sequence, old: list[Any], new: list[Any], schema: Schema, need: Needs
    ) -> None:
        item_schema = child_schema(schema, 0)
        if len(old) == len(new):  # each item keeps its place (see align): none goes or comes
            for i, inner in need.items():
                self.node(node.items[i], old[i], new[i], item_schema, Slot(flow=node.flow), inner)
            return
        alignment = align(old, new)
        for i, j in alignment.pairs:
            if i in need:
                self.node(node.items[i], old[i], new[j], item_schema, Slot(flow=node.flow), need[i])
        lines = self.lines
        joined = False
        if node.flow:
            self.remove_flow(
                lambda i: lines.head(node.items[i]),
                lambda i: lines.content_end(node.items[i]),
                len(node.items), alignment.removed,
            )  # fmt: skip
        else:
            joined = self.remove_block(
                lambda i: lines.dash(node.items[i]),
                lambda i: lines.content_end(node.items[i]),
                len(node.items), alignment.removed,
                lambda i: ends_in_block_scalar(node.items[i]),
            )  # fmt: skip
        if alignment.inserted:
            at = alignment.inserted_before
            first_kept = min(set(range(len(node.items) + 1)) - set(alignment.removed))
            inline = joined and at == first_kept
            self.insert_items(node, at, alignment.inserted, item_schema, inline=inline)

    # -- removing --------------------------------------------------------------------------

    def remove_block(
        self, head: Callable[[int], int], end: Callable[[int], int], count: int,
        removed: list[int], open_below: Callable[[int], bool],
    ) -> bool:  # fmt: skip
        """Remove children (by index) of a block collection with their lines.

        When the first child shares its line with the `- ` or `? ` that introduces the
        collection and goes, the first kept child moves up into its place (or, when comments
        stand between them, the indicator is left alone on its line). Returns whether the
        first kept child moved up. Comment and blank lines after removed children go with
        them when a block scalar (`open_below`) would end just above: there they would
        become its text.
        """
        if not removed:
            return False
        lines = self.lines
        skip: set[int] = set()
        joined = False
        if removed[0] == 0 and not lines.owns(head(0)):
            gone = set(removed)
            first_kept = next(index for index in range(count) if index not in gone)
            run_end = end(first_kept - 1)
            if lines.blank_only(lines.after(run_end), lines.start(head(first_kept))):
                self.remove(head(0), head(first_kept))
                skip = set(range(first_kept))
                joined = True
            else:
                start = head(0)
                while lines.text[start - 1] in " \t":
                    start -= 1
                self.remove(start, lines.end(end(0)))
                skip = {0}
        spans: list[list[int]] = []
        gone = set(removed)
        for index in removed:
            if index in skip:
                continue
            start, stop = lines.start(head(index)), lines.after(end(index))
            if spans and spans[-1][1] == start:
                spans[-1][1] = stop  # adjacent children go as one run
            else:
                spans.append([start, stop])
            above = index - 1
            while above in gone:
                above -= 1
            if above >= 0 and open_below(above):
                while spans[-1][1] < len(lines.text) and lines.comment_or_blank(spans[-1][1]):
                    spans[-1][1] = lines.after(spans[-1][1])
        for start, stop in spans:
            self.remove_lines(start, stop)
        return joined

    def remove_lines(self, start: int, end: int) -> None:
        """Remove whole lines; when they stood between blank lines, one blank line goes too."""
        lines = self.lines
        blank_before = start > 0 and lines.is_blank(lines.start(start - 1))
        blank_after = end >= len(lines.text) or lines.is_blank(end)
        if blank_before and blank_after:
            start = lines.start(start - 1)
        self.remove(start, end)

    def remove(self, start: int, end: int) -> None:
        self.gone.append((start, end))
        self.edits.append(Edit(start, end, ""))

    def remove_flow(
        self, head: Callable[[int], int], end: Callable[[int], int], count: int, removed: list[int]
    ) -> None:
        """Remove flow collection entries (by index) with their commas.

        A run of removed entries goes from its first entry to the next kept one; a run at the
        end goes from the end of the kept entry before it.
        """
        runs: list[list[int]] = []
        for index in removed:
            if runs and runs[-1][-1] == index - 1:
                runs[-1].append(index)
            else:
                runs.append([index])
        for run in runs:
            first, last = run[0], run[-1]
            if last + 1 < count:
                self.remove(head(first), head(last + 1))
            else:
                self.remove(end(first - 1), end(last))

    # -- adding ----------------------------------------------------------------------------

    def placement(
        self, kept: list[Entry], added: list[str], schema: Schema
    ) -> dict[int, list[str]]:
        """New keys grouped by the index of the kept entry they follow (-1: before all).

        Schema order among the keys present, unless the mapping is visibly sorted
        alphabetically (or, with too few keys to tell, the document sorts its keys).
        """
        names = [entry.name for entry in kept]
        schema_order = [key for key in key_order(schema) if key in names]
        if len(names) > 1:
            alphabetical = names == sorted(names) and names != schema_order
        else:
            alphabetical = self.render.layout.sorted_keys
        groups: dict[int, list[str]] = {}
        if alphabetical:
            for key in sorted(added):
                groups.setdefault(bisect.bisect(names, key) - 1, []).append(key)
            return groups
        order = [key for key in key_order(schema) if key in names or key in added]
        order += [key for key in added if key not in order]
        position = {name: index for index, name in enumerate(names)}
        anchor = -1
        for key in order:
            if key in position:
                anchor = position[key]
            elif key in added:
                groups.setdefault(anchor, []).append(key)
        return groups

    def insert_block_keys(
        self, node: Mapping, kept: list[Entry], added: list[str], new: dict[str, Any],
        schema: Schema, *, joined: bool,
    ) -> None:  # fmt: skip
        lines = self.lines
        for anchor, keys in self.placement(kept, added, schema).items():
            column = lines.column(lines.entry_head(kept[max(anchor, 0)]))
            text = self.render.entries(keys, new, schema, column)
            if anchor >= 0:
                self.insert_after_entry(node, kept[anchor], text)
            else:
                head = lines.entry_head(kept[0])
                self.insert_before(head, text, column, inline=joined or not lines.owns(head))

    def insert_after_entry(self, node: Mapping, entry: Entry, new_lines: list[str]) -> None:
        """New lines after an entry; a blank line first when blank lines part the entries."""
        lines = self.lines
        pos = lines.after(lines.content_end(entry.value))
        following = node.entries.index(entry) + 1
        blank = ""
        if following < len(node.entries):
            gap = lines.text[pos : lines.start(lines.entry_head(node.entries[following]))]
            if any(not line.strip() for line in gap.splitlines()):
                blank = lines.newline
        self.insert_lines(pos, new_lines, prefix=blank)

    def insert_flow_keys(
        self, node: Mapping, kept: list[Entry], added: list[str], new: dict[str, Any],
        schema: Schema,
    ) -> None:  # fmt: skip
        lines = self.lines
        for anchor, keys in self.placement(kept, added, schema).items():
            texts = [
                f"{self.render.key(key, flow=True)}: "
                + self.render.inline(new[key], child_schema(schema, key), flow=True)
                for key in keys
            ]
            if anchor >= 0:
                pos = lines.content_end(kept[anchor].value)
                self.insert(pos, "".join(", " + text for text in texts))
            else:
                self.insert(lines.entry_head(kept[0]), "".join(text + ", " for text in texts))

    def insert_items(
        self, node: Sequence, index: int, values: list[Any], schema: Schema, *, inline: bool
    ) -> None:
        """Insert `values` before item `index` of a sequence (after the last when past it)."""
        lines = self.lines
        before = index < len(node.items)
        reference = node.items[index if before else -1]
        if node.flow:
            texts = [self.render.inline(value, schema, flow=True) for value in values]
            if before:
                self.insert(lines.head(reference), "".join(text + ", " for text in texts))
            else:
                self.insert(lines.content_end(reference), "".join(", " + text for text in texts))
            return
        dash = lines.dash(reference)
        column = lines.column(dash)
        # The reference's distance from its dash, when its content is written on the dash's
        # line (an anchor or tag alone there says nothing of it).
        same_line = lines.start(reference.start) == lines.start(dash)
        width = lines.column(reference.start) - column if same_line else None
        new_lines = self.render.items(values, schema, column, width)
        if before:
            self.insert_before(dash, new_lines, column, inline=inline or not lines.owns(dash))
        else:
            self.insert_lines(lines.after(lines.content_end(reference)), new_lines)

    def insert_before(self, pos: int, new_lines: list[str], column: int, *, inline: bool) -> None:
        """New lines before the line at `pos`; `inline`: `pos` follows a `- ` or `? ` on its
        line, so the new lines start there and what stood at `pos` moves to a line of its own."""
        if not inline:
            self.insert_lines(self.lines.start(pos), new_lines)
            return
        text = self.render.joined(new_lines, first_column=column)
        self.insert(pos, text + self.lines.newline + " " * column)

    def insert_lines(self, pos: int, new_lines: list[str], *, prefix: str = "") -> None:
        """Whole lines inserted at the start of a line (or at the end of the text)."""
        newline = self.lines.newline
        text = "".join(line + newline for line in new_lines)
        self.insert(pos, self.lines.break_before(pos) + prefix + text)

    def insert(self, pos: int, text: str) -> None:
        self.edits.append(Edit(pos, pos, text))

    # -- rewriting -------------------------------------------------------------------------

    def replace(self, node: Node, new: Any, schema: Schema, slot: Slot) -> None:
        """Rewrite one node whole; a scalar keeps its style, a node its anchor and tag."""
        lines, render = self.lines, self.render
        start, end = node.start, lines.content_end(node)
        self.gone.append((lines.head(node), end))
        new = in_order_of(node, new)
        in_flow = slot.flow or (isinstance(node, Mapping | Sequence) and node.flow)
        if in_flow or not render.writes_block(new):
            if isinstance(node, Scalar):
                text = render.scalar_like(node, new, schema, flow=slot.flow)
                if node.tag not in (None, "!") and type(new) is not type(node.data):
                    # A tag (`!!str`) would make the new value its type: it goes, the anchor stays.
                    start = lines.head(node)
                    text = (f"&{node.anchor} " if node.anchor else "") + text
            else:
                text = render.inline(new, schema, flow=slot.flow)
            if isinstance(node, Mapping | Sequence) and not node.flow and slot.key is not None:
                # A block collection becomes one line: it goes up beside its key (any comment
                # after the key stays after it).
                # The comment after its last line goes with the lines.
                start = lines.properties_end(lines.after_colon(slot.key))
                text = " " + text + lines.text[start : lines.end(start)]
                end = lines.end(end)
            self.edits.append(Edit(start, end, text))
            return
        if slot.key is not None:
            step = render.layout.mapping if isinstance(new, dict) else render.layout.sequence
            block = render.block(new, schema, slot.key.column + step)
            start = lines.properties_end(lines.after_colon(slot.key))
            if lines.end(start) < node.start:  # the rest of the key's line (a comment) stays
                start = lines.end(start)
            self.edits.append(Edit(start, end, lines.newline + render.joined(block)))
            return
        column = 0 if node is self.root else lines.column(start)
        block = render.block(new, schema, column)
        self.edits.append(Edit(start, end, render.joined(block, first_column=column)))

    # -- aliases ---------------------------------------------------------------------------

    def expand_aliases(self, root: Mapping, schema: Schema) -> None:
        """Write out in full every alias whose anchored node changes or goes.

        Otherwise an unchanged alias would silently take on its anchor's new value (or lose
        its anchor with a removed line). The alias keeps the value it had: its target's old
        data. Aliases inside rewritten or removed text are gone already.
        """
        if not (self.changed or self.gone) or "*" not in self.lines.text:
            return
        lines = self.lines
        gone = list(self.gone)

        def within(start: int, end: int) -> bool:
            return any(s <= start and end <= e for s, e in gone)

        for alias, value_schema, slot in _aliases(root, schema):
            target = alias.target
            lost = id(target) in self.changed or within(
                lines.head(target), lines.content_end(target)
            )
            if lost and not within(alias.start, alias.end):
                self.replace(alias, target.data, value_schema, slot)


def _same_members(old: Any, new: Any) -> bool:
    """Whether two collections have the same keys, or the same length."""
    if isinstance(old, dict) and isinstance(new, dict):
        return old.keys() == new.keys()
    return isinstance(old, list) and isinstance(new, list) and len(old) == len(new)


def in_order_of(node: Node, value: Any) -> Any:
    """`value` with each mapping's keys in the order the text has them (new keys last), so
    that a node written out again keeps its own order."""
    if isinstance(node, Mapping) and isinstance(value, dict):
        entries = {entry.name: entry.value for entry in node.entries}
        order = [name for name in entries if name in value]
        order += [key for key in value if key not in entries]
        return {
            key: in_order_of(entries[key], value[key]) if key in entries else value[key]
            for key in order
        }
    if isinstance(node, Sequence) and isinstance(value, list):
        items = node.items
        return [in_order_of(items[i], v) if i < len(items) else v for i, v in enumerate(value)]
    return value


def _aliases(root: Mapping, schema: Schema) -> list[tuple[Alias, Schema, Slot]]:
    """Every alias in the tree with its schema and slot."""
    found: list[tuple[Alias, Schema, Slot]] = []
    stack: list[tuple[Node, Schema, Slot]] = [(root, schema, Slot())]
    while stack:
        node, node_schema, slot = stack.pop()
        if isinstance(node, Alias):
            found.append((node, node_schema, slot))
        elif isinstance(node, Mapping):
            for entry in node.entries:
                entry_slot = Slot(entry.key, node.flow)
                stack.append((entry.value, child_schema(node_schema, entry.name), entry_slot))
        elif isinstance(node, Sequence):
            item_schema = child_schema(node_schema, 0)
            stack.extend((item, item_schema, Slot(flow=node.flow)) for item in node.items)
    return found
