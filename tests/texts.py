"""Small helpers the edit tests share: a record's YAML text, a one-place replacement, and the
lines an edit changed."""

from __future__ import annotations

import difflib
import re


def front(text: str) -> str:
    """A record's YAML text, between its fences (lines that are `---`: a value may end in
    `---` too, as `type: ---` does)."""
    return re.split(r"^---\r?\n", text, maxsplit=2, flags=re.M)[1]


def replaced(text: str, old: str, new: str) -> str:
    """`text` with its first `old` (which it must hold) made `new`."""
    assert old in text
    return text.replace(old, new, 1)


def changed(before: str, after: str) -> list[str]:
    """The lines removed (`- `) or added (`+ `) between two texts."""
    diff = difflib.ndiff(before.splitlines(keepends=True), after.splitlines(keepends=True))
    return [line for line in diff if line[:1] in "+-"]
