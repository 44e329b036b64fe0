"""The value of a scalar: YAML 1.2 core schema resolution of plain scalars, and core tags.

Nothing is constructed from tags: every tag but the core ones is refused, so no input can
make the parser run code.
"""

from __future__ import annotations

import math
import re
from typing import Any

from .errors import LimitError, ParseError

CORE = "tag:yaml.org,2002:"
MAX_INT_BITS = 14_000  # about 4,200 decimal digits, under Python's conversion limit
# The core schema's numbers in one pattern, tried in its order: decimal int, octal or hex
# int, float (one regex call instead of one a form, for the many dates and numbers).
_NUMBER = re.compile(
    r"(?P<int>[-+]?[0-9]+)|(?P<based>0o[0-7]+|0x[0-9a-fA-F]+)"
    r"|(?P<float>[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?)"
)
_SPECIAL_FLOAT = {".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF",
                  ".nan", ".NaN", ".NAN"}  # fmt: skip
# The plain scalars that are null or a boolean, with their values.
PLAIN_WORDS: dict[str, Any] = {"": None, "~": None, "null": None, "Null": None, "NULL": None,
                               "true": True, "True": True, "TRUE": True,
                               "false": False, "False": False, "FALSE": False}  # fmt: skip
# Only these first characters can start a non-string plain scalar: a fast exit for text.
MAYBE_TYPED = frozenset("0123456789+-.~nNtTfF")
# Of those, the ones that can start a number; the others start only PLAIN_WORDS.
NUMBER_STARTS = frozenset("0123456789+-.")
_TAGGED_KINDS: dict[str, tuple[type, ...]] = {
    "int": (int,), "float": (int, float), "bool": (bool,), "null": (type(None),),
}  # fmt: skip


def resolve_plain(text: str) -> Any:
    """The value of a plain scalar under the YAML 1.2 core schema; LimitError for huge ints."""
    if text and text[0] not in MAYBE_TYPED:
        return text
    if text in PLAIN_WORDS:
        return PLAIN_WORDS[text]
    if text[0] not in NUMBER_STARTS:
        return text
    return resolve_number(text)


def resolve_number(text: str) -> Any:
    """The value of a plain scalar starting with one of NUMBER_STARTS: a number, or text."""
    number = _NUMBER.fullmatch(text)
    if number is None:
        if text in _SPECIAL_FLOAT:
            return float(text.lower().replace(".inf", "inf").replace(".nan", "nan"))
        return text
    form = number.lastgroup
    if form == "float":
        return _finite_float(text)
    try:
        if form == "based":
            value = int(text[2:], 8 if text[1] == "o" else 16)
            if value.bit_length() > MAX_INT_BITS:  # could not be written in decimal
                raise ValueError
            return value
        return int(text)
    except ValueError:  # Python refuses to convert more than 4,300 digits
        raise LimitError(f"an integer of {len(text):,} digits is too large") from None


def _finite_float(text: str) -> float:
    """A float that stands for the number written, or LimitError: a number past a double's
    range would be read, and then written, as infinity or zero: another number."""
    value = float(text)
    if math.isinf(value):
        raise LimitError(f"the number {text[:20]} is too large for a 64-bit float")
    if value == 0 and re.search("[1-9]", re.split("[eE]", text)[0]):
        raise LimitError(f"the number {text[:20]} is too small for a 64-bit float")
    return value


def scalar_value(tag: str | None, value: str, plain: bool) -> Any:
    """The value of a scalar event; ParseError (unplaced) for a tag records may not use.

    The non-specific tag `!` makes any scalar a string (YAML 1.2, 6.9.1): `! 77` is "77".
    """
    if tag is None:
        return resolve_plain(value) if plain else value
    if tag in ("!", CORE + "str"):
        return value
    kind = tag.removeprefix(CORE)
    allowed = _TAGGED_KINDS.get(kind)
    if allowed is None or tag == kind:
        raise ParseError(f"unsupported tag {tag!r}: records use plain YAML data only")
    resolved = resolve_plain(value) if plain else value
    if not isinstance(resolved, allowed) or (kind != "bool" and isinstance(resolved, bool)):
        raise ParseError(f"{value!r} is not a valid !!{kind}")
    return float(resolved) if kind == "float" and isinstance(resolved, int) else resolved


def check_collection_tag(tag: str | None, kind: str) -> None:
    """Refuse (unplaced ParseError) a collection tag other than `!` and the core one."""
    if tag is not None and tag not in ("!", CORE + kind):
        raise ParseError(f"unsupported tag {tag!r}: records use plain YAML data only")
