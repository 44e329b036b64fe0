"""Write edited data back into a record's YAML text, changing only the lines that changed.

`splice` is the whole write side of an edit: measure nothing up front, plan the edits
(plan.Planner, which renders new parts through render.Renderer and finds its way in the text
through lines.Lines), then `apply` them to the text.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .errors import EmitError
from .lines import Lines
from .plan import Edit, Planner
from .render import Renderer
from .tree import Mapping

Schema = dict[str, Any] | None


def apply(text: str, edits: Iterable[Edit]) -> str:
    """`text` with every edit made; edits must not overlap (insertions may share a place)."""
    out: list[str] = []
    pos = 0
    for start, end, replacement in sorted(edits, key=lambda edit: (edit[0], edit[1])):
        if start < pos:
            raise EmitError("internal error: overlapping edits")
        out.append(text[pos:start])
        out.append(replacement)
        pos = end
    out.append(text[pos:])
    return "".join(out)


def plan(text: str, root: Mapping, old: dict[str, Any], new: dict[str, Any], schema: Schema,
         newline: str, *, coarse: bool = False) -> list[Edit]:  # fmt: skip
    """The edits that make `text` (parsed as `root`, holding `old`) hold `new`."""
    lines = Lines(text, newline)
    return Planner(lines, Renderer(lines, root), coarse=coarse).plan(root, old, new, schema)


def splice(text: str, root: Mapping, old: dict[str, Any], new: dict[str, Any], schema: Schema,
           newline: str, *, coarse: bool = False) -> str:  # fmt: skip
    """The YAML text `text`, holding `old`, edited to hold `new`.

    `coarse` rewrites each changed top-level value whole instead of splicing inside it: the
    fallback for a layout the fine splice got wrong (the result is checked either way).
    """
    return apply(text, plan(text, root, old, new, schema, newline, coarse=coarse))
