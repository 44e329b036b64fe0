"""JSON Schema `pattern` with the meaning JSON Schema gives it: an ECMA-262 regular expression.

Python's `re` reads the same text differently in ways that change verdicts: `$` also matches
before a final newline, `.` matches `\\r`, U+2028 and U+2029, and `\\d` / `\\w` match non-ASCII
digits and letters. Translating those few tokens makes a Python check of a pattern agree with
Ajv (which compiles patterns with the `u` flag), so both accept the same strings.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

_OUTSIDE_CLASS = {
    "$": r"\Z",
    ".": "[^\n\r\u2028\u2029]",
    r"\d": "[0-9]",
    r"\D": "[^0-9]",
    r"\w": "[A-Za-z0-9_]",
    r"\W": "[^A-Za-z0-9_]",
}
_INSIDE_CLASS = {r"\d": "0-9", r"\w": "A-Za-z0-9_"}
_TOKEN = re.compile(r"\\.|\[\^?\]?|\]|.", re.DOTALL)


def translate(pattern: str) -> str:
    """The Python regular expression that matches what ECMA-262 `pattern` matches."""
    out: list[str] = []
    in_class = False
    for token in _TOKEN.findall(pattern):
        if in_class:
            in_class = token != "]"
            out.append(_INSIDE_CLASS.get(token, token))
        elif token.startswith("["):
            in_class = True
            out.append(token)
        else:
            out.append(_OUTSIDE_CLASS.get(token, token))
    return "".join(out)


@functools.cache
def searcher(pattern: str) -> Callable[[str], bool]:
    """A test whether a string contains a match of ECMA-262 `pattern`, as `RegExp.test` does."""
    search = re.compile(translate(pattern)).search
    return lambda text: search(text) is not None
