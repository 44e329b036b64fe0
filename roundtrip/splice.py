"""Write edited data back into a record's YAML text, changing only the lines that changed.

`splice` is the whole write side of an edit: plan the edits (plan.Planner, which renders new
parts through render.Renderer and finds its way in the text through lines.Lines), then `apply`
them to the text. `edited_region` and `region_holds` let the caller check the result by
reading back only the top-level entries the edits touched — or only the items, when the edits
fall inside some items of one entry's block sequence, or only some entries of one such item.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable
from typing import Any, NamedTuple

from .convert import same
from .errors import EmitError, RoundtripError
from .focus import focused_tree
from .focus_stubs import Items, KeyedItem, Root
from .items import entry_text_stands_alone, item_heads, item_keys, item_text_stands_alone
from .layout import HOUSE, Layout
from .lines import Lines
from .parse import parse_data
from .plan import Edit, Needs, Planner, needs
from .render import Renderer
from .scalar_line import holds_scalar
from .tree import Mapping, Node

Schema = dict[str, Any] | None


def apply(text: str, edits: Iterable[Edit], before: str = "", after: str = "") -> str:
    """`text` with every edit made, between `before` and `after` (the rest of a record's
    text); edits must not overlap (insertions may share a place).

    Edits in the first half of a large text are made by replacing the prefix they fall in,
    and in the second half by formatting the prefix before them: the text is not first
    copied in pieces.
    """
    ordered = sorted(edits, key=lambda edit: (edit[0], edit[1]))
    if not ordered:
        return "".join((before, text, after))
    first = pos = ordered[0].start
    pieces: list[str] = []
    for start, end, replacement in ordered:
        if start < pos:
            raise EmitError("internal error: overlapping edits")
        pieces.append(text[pos:start])
        pieces.append(replacement)
        pos = end
    if 2 * pos >= len(text):
        # `%.*s` writes the unedited prefix into the result, where `text[:first]` would
        # copy it out first (and an f-string's `{text:.{first}}` too).
        rest = "".join((*pieces, text[pos:], after))
        return "%s%.*s%s" % (before, first, text, rest)  # noqa: UP031
    # A prefix is found where it starts, at 0: `replace` builds the result in one copy.
    edited = text.replace(text[:pos], "".join((before, text[:first], *pieces)), 1)
    return "".join((edited, after))


def plan(text: str, root: Mapping | Callable[[], Mapping], old: dict[str, Any],
         new: dict[str, Any], schema: Schema, newline: str, *, coarse: int = 0,
         house: Layout = HOUSE, changed: Iterable[str] | None = None,
         wanted: Needs | None = None) -> tuple[list[Edit], Mapping]:  # fmt: skip
    """The edits that make `text` (holding `old`) hold `new`, and the tree they were planned on.

    `root` is the text's full span tree, or a function that builds it: then only the part
    of the tree the edit needs is built (focus.focused_tree), and the full one only if the
    document's layout must be measured. `changed`, if given, names the top-level keys whose
    values differ (or are new): the others are not compared again; `wanted`, if given, is
    `needs` of those values, found already.
    """
    full = root if callable(root) else lambda: root
    if wanted is None and changed is None:
        wanted = needs(old, new)
    elif wanted is None:
        wanted = {key: needs(old[key], new[key]) for key in changed or () if key in old}
    focused = None if coarse or not callable(root) else focused_tree(text, old, wanted)
    tree = focused if focused is not None else full()
    lines = Lines(text, newline)
    planner = Planner(lines, Renderer(lines, full, schema, house), coarse=coarse)
    return planner.plan(tree, old, new, schema, wanted), tree


def splice(text: str, root: Mapping | Callable[[], Mapping], old: dict[str, Any],
           new: dict[str, Any], schema: Schema, newline: str, *, coarse: int = 0,
           house: Layout = HOUSE) -> str:  # fmt: skip
    """The YAML text `text`, holding `old`, edited to hold `new`.

    `coarse` (1 or 2) plans a fallback for a layout a finer splice got wrong (see Planner).
    """
    return apply(text, plan(text, root, old, new, schema, newline, coarse=coarse,
                            house=house)[0])  # fmt: skip


class Region(NamedTuple):
    """A stretch of an edited text, whole top-level entries or whole items of one entry's
    block sequence, that holds every edit."""

    start: int  # in the edited text
    end: int
    keys: list[str]  # the top-level keys the new data has there
    # Items of the sequence that is keys[0]'s value: (first, stop) indexes and the column of
    # their dashes; None when the region is whole top-level entries.
    items: tuple[int, int, int] | None = None
    # Entries of that one item (items[0]): their keys and column; None when whole items.
    fields: tuple[tuple[str, ...], int] | None = None


def spliced(text: str, root: Mapping | Callable[[], Mapping], old: dict[str, Any],
            new: dict[str, Any], schema: Schema, newline: str, *, coarse: int = 0,
            house: Layout = HOUSE, changed: Iterable[str] | None = None,
            frame: tuple[str, str] = ("", ""), wanted: Needs | None = None,
            ) -> tuple[str, Region | None]:  # fmt: skip
    """`splice` (between the two parts of `frame`, see `apply`), and the region of the result
    that holds the edits (see `edited_region`)."""
    edits, tree = plan(text, root, old, new, schema, newline, coarse=coarse, house=house,
                       changed=changed, wanted=wanted)  # fmt: skip
    region = edited_region(text, tree, edits, new)
    written = apply(text, edits, *frame)
    if region is None or not frame[0]:
        return written, region
    shift = len(frame[0])
    # (Region(...) rather than NamedTuple._replace, which costs several times as much)
    return written, Region(region.start + shift, region.end + shift, *region[2:])


def edited_region(
    text: str, root: Mapping, edits: list[Edit], new: dict[str, Any]
) -> Region | None:
    """The top-level entries the edits touch (or the items, see `_edited_items`), as a region
    of the edited text, or None.

    A block mapping at column 0 is a run of entries each starting on a line of its own at
    column 0: an entry's text, up to the next entry's line, means the same in the document as
    read alone, as long as no alias reaches across (a region with `&` or `*` is not offered).
    So the edited text holds the new data when the edited region, read alone, holds its part.
    An insertion at the border of two entries counts for both.
    """
    if root.flow or not root.entries or not edits:
        return None
    # A block mapping's entries all start at one column, each on its own line with its key:
    # at column 0 an entry starts where its key's line does (the focused tree's root knows,
    # and its data's keys are its entries' names, in order).
    if isinstance(root, Root):
        starts = [0, *root.heads[1:]]
        names = list(root.data)
    else:
        lines = Lines(text, "\n")
        if lines.column(lines.entry_head(root.entries[0])):
            return None
        starts = [0, *(lines.start(entry.key.start) for entry in root.entries[1:])]
        names = [entry.name for entry in root.entries]
    first = max(bisect.bisect_right(starts, min(edit.start for edit in edits) - 1) - 1, 0)
    last = bisect.bisect_right(starts, max(edit.end for edit in edits)) - 1
    start, end = starts[first], starts[last + 1] if last + 1 < len(starts) else len(text)
    if text.find("&", start, end) >= 0 or text.find("*", start, end) >= 0:  # (no copies)
        return None
    growth = sum(len(edit.text) - (edit.end - edit.start) for edit in edits)
    outside = {*names[:first], *names[last + 1 :]}
    if not outside <= new.keys():  # a key that goes, left outside: the region cannot tell
        return None
    if first == last:
        items = _edited_items(text, root, first, start, end, edits, new)
        if items is not None:
            return Region(items.start, items.end + growth, *items[2:])
    return Region(start, end + growth, [key for key in new if key not in outside])


def _edited_items(
    text: str, root: Mapping, index: int, start: int, end: int, edits: list[Edit],
    new: dict[str, Any],
) -> Region | None:  # fmt: skip
    """The items the edits touch of the top-level entry at `text[start:end]` (the `index`-th),
    as a region of the text before the edits, or None.

    Where the entry's value is a block sequence whose items the lines tell apart (items.py),
    each item's text, from its dash's line to the next one's, means the same in the document
    as read alone when no content stands at the dashes' column or left of it but the dash
    (`region_holds` checks that of the written items). So when the sequence keeps its length
    and the items outside the region keep their data, the edited text holds the new data when
    the edited items, read alone, hold theirs.
    """
    name = root.entries[index].name
    old, value = root.data.get(name), new.get(name)
    if not isinstance(old, list) or not isinstance(value, list) or len(old) != len(value):
        return None
    sequence = root.entries[index].value
    # The focused tree found them already, on the same lines (focus._entry_by_items).
    found = sequence.heads if isinstance(sequence, Items) else (
        item_heads(text, start, end, name, len(old)))  # fmt: skip
    if found is None:
        return None
    column, heads = found
    low, high = min(edit.start for edit in edits), max(edit.end for edit in edits)
    if low < heads[0]:  # an edit on the key's line
        return None
    first = max(bisect.bisect_right(heads, low - 1) - 1, 0)
    last = bisect.bisect_right(heads, high) - 1
    others = [*range(first), *range(last + 1, len(old))]
    if not all(old[i] is value[i] or same(old[i], value[i]) for i in others):
        return None
    stop = heads[last + 1] if last + 1 < len(heads) else end
    region = Region(heads[first], stop, [name], (first, last + 1, column))
    if first == last:
        item = sequence.items[first] if isinstance(sequence, Items) else None
        return _edited_fields(text, region, old[first], value[first], low, high, item) or region
    return region


def _edited_fields(
    text: str, region: Region, old: Any, new: Any, low: int, high: int, item: Node | None
) -> Region | None:
    """The entries the edits (from `low` to `high`) touch of the one item of `region`, a
    block mapping that keeps its keys, as a region of the text before the edits, or None.

    The items' argument one level down (items.py): the item's entries, but its first (which
    shares the dash's line), each from its key's line to the next one's, mean the same read
    alone as in the document when no content stands at the keys' column or left of it but the
    keys (`region_holds` checks that of the written entries). `item`: its node in the
    focused tree, if any (which found its keys already)."""
    if type(old) is not dict or type(new) is not dict or old.keys() != new.keys():
        return None
    assert region.items is not None
    names = list(old)
    found = item.keys if isinstance(item, KeyedItem) else (
        item_keys(text, region.start, region.end, region.items[2], names))  # fmt: skip
    if found is None or len(names) < 2:
        return None
    indent, heads = found
    if low < heads[1]:  # an edit in the first entry
        return None
    first = bisect.bisect_right(heads, low - 1) - 1
    last = bisect.bisect_right(heads, high) - 1
    others = names[:first] + names[last + 1 :]
    if not all(old[key] is new[key] or same(old[key], new[key]) for key in others):
        return None
    stop = heads[last + 1] if last + 1 < len(heads) else region.end
    return Region(heads[first], stop, region.keys, region.items,
                  (tuple(names[first : last + 1]), indent))  # fmt: skip


def region_holds(text: str, region: Region, new: dict[str, Any]) -> bool:
    """Whether the edited region of `text`, read alone, holds the new data's part.

    False when that cannot be told this way (the caller then reads the whole text). A region
    that is one written line `key: scalar` in scalar_line.py's shape is told without a parse.
    """
    piece = text[region.start : region.end]
    if "&" in piece or "*" in piece:
        return False
    if region.fields is not None and region.items is not None:
        keys, column = region.fields
        item = new[region.keys[0]][region.items[0]]
        if len(keys) == 1 and holds_scalar(piece, column, keys[0], item[keys[0]]):
            return True  # one line `key: scalar` that holds the new value (scalar_line.py)
        if not entry_text_stands_alone(piece, column):
            return False
        try:
            entries = parse_data(piece)
        except RoundtripError:
            return False
        return same(entries, {key: item[key] for key in keys})
    if region.items is not None:
        first, stop, column = region.items
        if not item_text_stands_alone(piece, column):
            return False
        try:  # under a key at column 0, as in the document
            items = parse_data("items:\n" + piece)
        except RoundtripError:
            return False
        return same(items, {"items": new[region.keys[0]][first:stop]})
    if len(region.keys) == 1 and holds_scalar(piece, 0, region.keys[0], new[region.keys[0]]):
        return True  # one line `key: scalar` at column 0 that holds the new value
    content = next((line for line in piece.split("\n") if line.strip()
                    and not line.lstrip().startswith("#")), None)  # fmt: skip
    if content is None:
        return not region.keys
    if content[0] in " \t":  # it would continue the entry before the region
        return False
    try:
        written = parse_data(piece)
    except RoundtripError:
        return False
    return same(written, {key: new[key] for key in region.keys})


def splice_checked(text: str, root: Callable[[], Mapping], old: dict[str, Any],
                   new: dict[str, Any], schema: Schema, newline: str,
                   check: Callable[[str], None], house: Layout = HOUSE,
                   changed: Iterable[str] | None = None, frame: tuple[str, str] = ("", ""),
                   wanted: Needs | None = None) -> str:  # fmt: skip
    """The edited text, read back and found to hold `new`: the finest splice that passes;
    between the two parts of `frame` (the rest of the record's text, so that a large record's
    new text is built in one piece).

    `check` reads a whole text back and raises EmitError when it does not hold `new`. The fine
    splice is read back by its edited region where that can be told alone; when it fails (to
    plan or to check), the coarser plans are tried in turn, each checked whole, and the last
    failure is raised. `changed`, `wanted`: see `plan`.
    """
    before, after = frame
    if changed is None:
        changed = [key for key in new if key not in old or not same(old[key], new[key])]
    changed = list(changed)
    try:
        written, region = spliced(text, root, old, new, schema, newline, house=house,
                                  changed=changed, frame=frame, wanted=wanted)  # fmt: skip
        # The region is read back alone only when it holds every changed value: outside it
        # the text is the old one (an edit a plan missed would pass unseen).
        if (
            region is None
            or not set(changed) <= set(region.keys)
            or not region_holds(written, region, new)
        ):
            check(written[len(before) : len(written) - len(after)])
        return written
    except EmitError as error:
        failure = error
    for coarse in (1, 2):
        try:
            yaml = splice(text, root, old, new, schema, newline, coarse=coarse, house=house)
            check(yaml)
            return "".join((before, yaml, after))
        except EmitError as error:
            failure = error
    raise failure
