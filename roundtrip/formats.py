"""The `format` keywords the toolkit checks, and the patterns that carry their strictness abroad.

Each format has one Python check. Where that check is stricter than other validators read the
format (ajv-formats accepts a leap second, `+0100`, `+01`, year 0000, and a port that is not a
number), the format also has an ECMA-262 `pattern` stating the stricter reading; `portable`
adds it beside every use of the format, and that augmented schema is what Python validates
with and what `roundtrip schema export` writes, so every validator reaches the same verdicts.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from .ecma import searcher

# Year 0000 is a date to ajv-formats; Python's dates start at year 1.
_FULL_DATE = "(?!0000)[0-9]{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])"
DATE_PATTERN = f"^{_FULL_DATE}$"
DATE_TIME_PATTERN = (
    f"^{_FULL_DATE}"
    "[Tt ](?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:\\.[0-9]+)?"
    "(?:[Zz]|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])$"
)
# A scheme, something after its colon, and where there is an authority, a numeric port.
URI_PATTERN = (
    "^[A-Za-z][A-Za-z0-9+.-]*:(?:(?!//)[^\\s]"
    "|//(?:[^/?#@\\s]*@)?(?:\\[[^\\]/?#\\s]*\\]|[^:/?#@\\[\\]\\s]*)(?::[0-9]*)?(?:[/?#]|$))"
)

# ajv-formats' `email` (its `i` flag written out: ASCII letters only, as JavaScript reads it).
_EMAIL_CHARS = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]"
_EMAIL_LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
EMAIL_PATTERN = f"^{_EMAIL_CHARS}+(?:\\.{_EMAIL_CHARS}+)*@(?:{_EMAIL_LABEL}\\.)+{_EMAIL_LABEL}$"

FORMAT_PATTERNS: dict[str, str] = {
    "date-time": DATE_TIME_PATTERN,
    "date": DATE_PATTERN,
    "uri": URI_PATTERN,
    "email": EMAIL_PATTERN,
}
PATTERN_FORMATS: dict[str, str] = {pattern: name for name, pattern in FORMAT_PATTERNS.items()}

# Keywords whose values are instance data, not schemas: never walked.
_DATA_KEYWORDS = frozenset({"const", "enum", "default", "examples"})

_date_time_shape = searcher(DATE_TIME_PATTERN)
_date_shape = searcher(DATE_PATTERN)
_email_shape = searcher(EMAIL_PATTERN)

# A plain subset of RFC 3986 URIs that most URLs are: a scheme, `//`, a registered host name, a
# port, a path, a query and a fragment, each of the characters its rule allows, `%` only before
# two hex digits. Matching it proves a URI without rfc3986_validator's much slower expression,
# which stays the judge of everything else.
_URI_CHARS = "A-Za-z0-9_.~\\-!$&'()*+,;=%"  # unreserved, sub-delims, percent-encoded
_PLAIN_URI = re.compile(
    f"[A-Za-z][A-Za-z0-9+.-]*://[{_URI_CHARS}]*(?::[0-9]*)?(?:/[{_URI_CHARS}:@/]*)?"
    f"(?:\\?[{_URI_CHARS}:@/?]*)?(?:#[{_URI_CHARS}:@/?]*)?"
)
_BAD_PERCENT = re.compile("%(?![0-9A-Fa-f]{2})")


def is_date_time(value: object) -> bool:
    """RFC 3339 date-time with an offset; YAML's space separator is accepted, as PyYAML writes it.

    The date must exist and the whole value must fit a Python datetime, so that everything the
    schema accepts the typed model can hold.
    """
    if not isinstance(value, str):
        return True
    if not _date_time_shape(value):
        return False
    try:
        datetime.fromisoformat(value.upper().replace(" ", "T", 1))
    except ValueError:
        return False
    return True


def is_date(value: object) -> bool:
    """RFC 3339 full-date (`2023-10-19`) of a day that exists, as a Python `date` holds it."""
    if not isinstance(value, str):
        return True
    if not _date_shape(value):
        return False
    try:
        date(int(value[:4]), int(value[5:7]), int(value[8:10]))
    except ValueError:
        return False
    return True


def is_plain_uri(value: str) -> bool:
    """Whether a string is a URI of the plain kind most URLs are (see _PLAIN_URI). Such a URI
    also matches URI_PATTERN: a numeric port, then `/`, `?`, `#` or the end."""
    return _PLAIN_URI.fullmatch(value) is not None and (
        "%" not in value or _BAD_PERCENT.search(value) is None
    )


def is_uri(value: object) -> bool:
    """An absolute URI (RFC 3986), checked as jsonschema checks `format: uri`."""
    if not isinstance(value, str) or is_plain_uri(value):
        return True
    from rfc3986_validator import validate_rfc3986  # compiles a large regex: on first use only

    return validate_rfc3986(value, rule="URI") is not None


def is_email(value: object) -> bool:
    """An email address as ajv-formats reads `format: email` (stricter than jsonschema's `@`)."""
    return not isinstance(value, str) or _email_shape(value)


# The one implementation of each format, shared by jsonschema and the fast check.
FORMATS: dict[str, Callable[[object], bool]] = {
    "date-time": is_date_time,
    "date": is_date,
    "uri": is_uri,
    "email": is_email,
}
# Formats whose check tests their pattern first: beside them the pattern needs no second test.
CHECKS_ITS_PATTERN = frozenset({"date-time", "date", "email"})
# Checks that prove a format and its pattern at once: the usual values pass them, so the fast
# check tries them first.
FORMAT_SHORTCUTS: dict[str, Callable[[str], bool]] = {"uri": is_plain_uri}


def portable(schema: dict[str, Any]) -> dict[str, Any]:
    """A copy of `schema` with each format's pattern beside every use of that format."""
    result: dict[str, Any] = copy.deepcopy(schema)
    _add_patterns(result)
    return result


def _add_patterns(node: Any) -> None:
    if isinstance(node, list):
        for item in node:
            _add_patterns(item)
        return
    if not isinstance(node, dict):
        return
    for key, value in node.items():
        if key not in _DATA_KEYWORDS:
            _add_patterns(value)
    name = node.get("format")
    pattern = FORMAT_PATTERNS.get(name) if isinstance(name, str) else None
    if pattern is None or node.get("pattern") == pattern:
        return
    if "pattern" in node:
        # One `pattern` per schema object: the format's own goes into an `allOf`.
        node["allOf"] = [*node.get("allOf", []), {"pattern": pattern}]
    else:
        node["pattern"] = pattern
