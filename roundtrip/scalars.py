"""Write scalar values as YAML text: plain when YAML reads them back unchanged, else quoted."""

from __future__ import annotations

import math
import re
from typing import Any

from .errors import LimitError
from .parse import resolve_plain

# Plain strings other YAML readers (YAML 1.1: PyYAML, older tools) would not read as strings.
_YAML11_SPECIAL = re.compile(
    r"""(?x)
    y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF|=|<<
    |[-+]?(?:0b[01_]+|0[0-7_]+|(?:0|[1-9][0-9_]*)|0x[0-9a-fA-F_]+|[1-9][0-9_]*(?::[0-5]?[0-9])+)
    |[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*
    """
)
_TIMESTAMP = re.compile(r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:(?:[Tt]|[ \t]+).*)?")
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
_FLOW_INDICATORS = frozenset(",[]{}:?")
_ESCAPES = {
    "\0": "\\0", "\a": "\\a", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\v": "\\v", "\f": "\\f",
    "\r": "\\r", "\x1b": "\\e", '"': '\\"', "\\": "\\\\", "\x85": "\\N", "\xa0": "\\_",
    "\u2028": "\\L", "\u2029": "\\P",
}  # fmt: skip
_UNPRINTABLE = re.compile(
    "[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f\\u2028\\u2029\\ufeff\\ud800-\\udfff\\ufffe\\uffff]"
)
_NEEDS_ESCAPE = re.compile(
    '[\\x00-\\x1f"\\\\\\x7f-\\x9f\\xa0\\u2028\\u2029\\ufeff\\ud800-\\udfff\\ufffe\\uffff]'
)


def plain_ok(value: str, *, timestamp: bool = False, flow: bool = False) -> bool:
    """Whether `value` can be written plain and be read back as this string by any YAML reader.

    `timestamp` allows strings shaped like YAML timestamps (for date-time fields, where the
    house style writes them plain); `flow` forbids the flow indicators.
    """
    if not value or value != value.strip(" \t") or value[0] in _INDICATORS:
        if not (value and value[0] in "-?:" and len(value) > 1 and value[1] not in " \t"):
            return False
        if value != value.strip(" \t"):
            return False
    try:
        if resolve_plain(value) is not value or _YAML11_SPECIAL.fullmatch(value):
            return False
    except LimitError:  # an integer too long to convert is still an integer
        return False
    if not timestamp and _TIMESTAMP.fullmatch(value):
        return False
    if ": " in value or " #" in value or "\t#" in value or value.endswith(":"):
        return False
    # libyaml ends a plain scalar inside a flow collection at any `:` or `?`.
    if flow and any(char in _FLOW_INDICATORS for char in value):
        return False
    return _NEEDS_ESCAPE.search(value) is None


def double_quoted(value: str) -> str:
    """`value` as a one-line double-quoted scalar; printable Unicode stays as it is."""
    return '"' + _NEEDS_ESCAPE.sub(_escape, value) + '"'


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    known = _ESCAPES.get(char)
    if known is not None:
        return known
    code = ord(char)
    return f"\\x{code:02X}" if code <= 0xFF else f"\\u{code:04X}"


def single_quoted(value: str) -> str | None:
    """`value` as a one-line single-quoted scalar, or None when that style cannot hold it."""
    if _UNPRINTABLE.search(value) or "\n" in value or "\r" in value:
        return None
    return "'" + value.replace("'", "''") + "'"


def block_scalar(value: str, indent: str, *, folded: bool = False) -> str | None:
    """`value` as a literal (`|`) or folded (`>`) block scalar whose lines start with `indent`.

    The text runs from the indicator to the end of the last content line. None when the style
    cannot hold the value; values ending in more than one newline are left to double quotes
    rather than to keep-chomping, whose trailing blank lines are easy to break in an edit, and
    so are values starting with white space: their indentation indicator would count from the
    parent collection's indentation, which the scalar's own text does not tell.
    """
    stripped = value.rstrip("\n")
    trailing = len(value) - len(stripped)
    if not stripped or trailing > 1 or _UNPRINTABLE.search(value) or "\r" in value:
        return None
    if stripped[:1] in (" ", "\t"):
        return None
    lines = stripped.split("\n")
    if folded:
        # Folding turns one line break into a space: k newlines are written as k + 1 breaks,
        # except before the first line, where empty lines are not folded (k stay k).
        # More-indented lines are not folded, so such values are not written folded.
        if any(line[:1] in (" ", "\t") or line[-1:] in (" ", "\t") for line in lines):
            return None
        text = stripped.lstrip("\n")
        folded_text = re.sub("\n+", lambda breaks: "\n" * (len(breaks[0]) + 1), text)
        lines = [""] * (len(stripped) - len(text)) + folded_text.split("\n")
    chomp = "-" if trailing == 0 else ""
    body = "\n".join(indent + line if line else "" for line in lines)
    return (">" if folded else "|") + chomp + "\n" + body


def plain_value(value: Any) -> str:
    """A non-string scalar value in its canonical plain spelling."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return ".nan"
        if math.isinf(value):
            return ".inf" if value > 0 else "-.inf"
        text = repr(value)
        return text if "." in text or "e" in text or "n" in text else text + ".0"
    raise TypeError(f"cannot write {type(value).__name__} as a YAML scalar")


def bool_like(original: str, value: bool) -> str:
    """`value` spelled with the capitalisation of an existing boolean (`True`, `TRUE`)."""
    word = "true" if value else "false"
    if original.isupper():
        return word.upper()
    if original[:1].isupper():
        return word.capitalize()
    return word
