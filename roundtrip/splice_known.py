"""Edit a record whose unknown top-level keys a lenient read left in the text (unread.py),
without reading them.

In a block mapping at column 0, each entry's text, from its key's line to the next entry's,
means the same wherever it stands (see focus.py). So the entries of the known keys, cut out
of the text (entries.entry_spans) and joined, are a small text of their own holding exactly
the known data, as a parse of it proves. The edit is planned and checked whole on that text,
then each of its edits is moved to where its entry stands in the whole text. The unknown
entries are not touched, so the written text still holds them as it did. Where an edit
would meet an unknown entry (at the border of two known entries that unknown ones part, a
line that the unknown entry could continue), the caller reads every key instead.
"""

from __future__ import annotations

import bisect
import functools
import itertools
from collections.abc import Callable, Iterable
from typing import Any

from .convert import same
from .entries import entry_spans, starts_entry
from .errors import EmitError, RoundtripError
from .layout import Layout
from .parse import parse_data, parse_tree
from .plan import Edit, Needs
from .splice import Schema, apply, plan


def splice_known(text: str, unread: int, old: dict[str, Any], new: dict[str, Any],
                 schema: Schema, newline: str, check: Callable[[str], None], house: Layout,
                 changed: Iterable[str], frame: tuple[str, str],
                 wanted: Needs) -> str | None:  # fmt: skip
    """The edited text (between the two parts of `frame`) of `text`, whose known top-level
    keys hold `old` and whose `unread` other keys are left out of it, made to hold `new` (the
    same keys) there; None when the known entries cannot be cut out, or an edit not moved.

    `check` reads a text of the known entries back and raises EmitError when it does not hold
    `new`; the finest plan that passes is taken (see splice.splice_checked)."""
    if "*" in text:  # an alias could reach an anchor in an entry left out
        return None
    spans = entry_spans(text, list(old), len(old) + unread)
    if spans is None:
        return None
    known = "".join(text[start:end] for start, end in spans)
    try:
        if not same(parse_data(known), old):
            return None
    except RoundtripError:
        return None
    changed = set(changed)
    tree = functools.cache(lambda: parse_tree(known))
    failure: EmitError | None = None
    for coarse in (0, 1, 2):  # the fallbacks, as splice_checked tries them
        try:
            edits, _ = plan(known, tree, old, new, schema, newline, coarse=coarse, house=house,
                            changed=changed, wanted=wanted)  # fmt: skip
            check(apply(known, edits))
        except EmitError as error:
            failure = error
            continue
        moved = _moved(known, edits, spans, len(text), [name in changed for name in old])
        return None if moved is None else apply(text, moved, *frame)
    assert failure is not None
    raise failure


def _moved(
    known: str, edits: list[Edit], spans: list[tuple[int, int]], size: int, edited: list[bool]
) -> list[Edit] | None:
    """`edits` of the joined text `known` moved to the whole text (of `size` characters),
    whose entries at `spans` it joins (`edited`: whether each entry's data changes); None when
    one cannot be.

    Where two joined entries (or the start or end of the text and the first or last one)
    stand apart in the whole text, unknown entries come between. An edit at such a border is
    moved only when what it writes leaves the border as it is in both texts: a line's end
    before, and a key at column 0 after. An insertion there goes to the end of the entry
    before, if that one changes."""
    starts = list(itertools.accumulate((end - start for start, end in spans), initial=0))
    # Whether unknown entries stand before each joined entry, and after the last.
    between = (before[1] != after[0] for before, after in itertools.pairwise(spans))
    apart = [spans[0][0] != 0, *between, spans[-1][1] != size]
    moved: list[Edit] = []
    for start, end, text in edits:
        first = bisect.bisect_right(starts, start) - 1
        last = max(bisect.bisect_left(starts, end) - 1, first)
        if first == len(spans):  # an insertion at the very end: the last entry's
            first = last = first - 1
        if any(apart[first + 1 : last + 1]):
            return None  # it spans entries that unknown ones part
        at = start - starts[first] + spans[first][0]
        if start == starts[first] and apart[first]:
            if start == end:  # an insertion: the entry before's, if that one changes
                if first == 0 or not edited[first - 1] or not text.endswith("\n"):
                    return None
                at = spans[first - 1][1]
            elif not starts_entry(text + known[end : end + 2]):
                return None  # a line the unknown entry before would take in
        ends_line = (text[-1:] or known[start - 1 : start]) == "\n"
        if end == starts[last + 1] and apart[last + 1] and not ends_line:
            return None  # a line the next unknown entry's key would continue
        moved.append(Edit(at, at + end - start, text))
    return moved
