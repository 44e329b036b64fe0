"""Hypothesis strategies for article records, derived from the JSON Schema.

Everything here is computed by walking `rt.schema()` — properties and their order, `required`,
`type`, `format` (date-time, uri), `pattern`, `minLength`, `minimum`, `items`, `$ref`/`$defs` —
so that a change to the schema changes the data generated (and a keyword this module does not
know makes it fail loudly instead of generating data that silently misses the new rule).

The data is plain JSON data with the schema's camelCase keys, in schema order, each optional
field sometimes absent. Text is deliberately awkward for YAML writers and readers.

Nothing here re-implements the library's comparison or normalisation: the properties judge by
reading the output with other YAML readers (tests/judge.py).
"""

from __future__ import annotations

import base64
import copy
import json
import re
import string
from datetime import datetime
from typing import Any

from hypothesis import strategies as st
from rfc3986_validator import validate_rfc3986

import roundtrip as rt
from roundtrip.article_schema import child_schema as child
from roundtrip.article_schema import resolve

SCHEMA: dict[str, Any] = rt.schema()

# Keywords that only annotate; everything else must be handled below.
_ANNOTATIONS = frozenset(
    {"title", "description", "x-yaml-style", "$schema", "$id", "$defs", "$comment"}
)
_HANDLED = frozenset(
    {"type", "properties", "required", "additionalProperties", "items", "format", "pattern",
     "minLength", "maxLength", "minimum", "maximum", "minItems", "maxItems", "$ref"}
)  # fmt: skip


def _check_keywords(node: dict[str, Any]) -> None:
    unknown = set(node) - _ANNOTATIONS - _HANDLED
    if unknown:
        raise NotImplementedError(f"tests/strategies.py does not handle schema keywords {unknown}")
    if node.get("additionalProperties", False) not in (False, {}):
        raise NotImplementedError("tests/strategies.py generates no additional properties")


def shape(node: dict[str, Any]) -> str:
    """A schema without its annotations: two fields of one shape accept the same values."""

    def strip(value: Any) -> Any:
        if isinstance(value, dict):
            if "$ref" in value:
                return strip(resolve(value))
            return {k: strip(v) for k, v in value.items() if k not in _ANNOTATIONS}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    return json.dumps(strip(node), sort_keys=True)


# -- text ------------------------------------------------------------------------------------

# Pieces that YAML writers get wrong: indicators, comment and mapping look-alikes, YAML 1.1
# and 1.2 scalars of other types, escapes, line breaks, and Unicode that needs care.
AWKWARD = [
    '"', "'", "''", '\\"', ": ", ":", " #", "#", "# ", "- ", "-", "--", "---", "...", "?", "? ",
    "[", "]", "{", "}", ",", ", ", "&", "&anchor", "*", "*alias", "!", "!!str", "!!int", "|",
    "|-", ">", ">+", "%", "%YAML 1.2", "@", "`", "=", "<<",
    "yes", "no", "on", "off", "y", "n", "Y", "N", "Yes", "NO", "On", "OFF", "true", "True",
    "FALSE", "null", "Null", "NULL", "~", "0x1F", "0o17", "017", "0b101", "1_000", "1e3",
    "-1.5", ".5", "1.", ".inf", "-.Inf", ".NaN", "12:30", "1:20:30", "+12", "-0", "007",
    "2023-10-19", "2023-10-19T09:00:00Z", "2023-10-19 09:00:00", "1.0.0",
    " ", "  ", "\t", " \t", "\\", "\\\\", "\\n", "\\x41", "\\u2019", "\\U0001F600", "/",
    "\u2019", "\u2018", "\u201c\u201d", "\u2014", "\xe9", "\xdf", "\u65e5\u672c", "\u0644\u0639",
    "\U0001f600", "\U0001f44d\U0001f3fd", "\U00010348", "\u200b", "\xa0", "\u3000", "\x85",
    "\u2028", "\u2029", "\ufeff", "\x07", "\x1b", "\x7f", "\x9f", "\x00", "\ufffd", "\ufffe",
    "\r", "\n", "\r\n", "\n\n", "\n ", " \n", "\n#", "\n- ", "\n---\n", "\n...\n",
]  # fmt: skip

WORDS = [
    "news", "article", "AI", "MIT", "Technology", "Review", "the", "a", "of", "and", "to", "in",
    "actors", "strike", "Meta", "Hollywood", "technologyreview.com", "$300,", "(AMP)", "it's",
    "don't", "e.g.", "x", "yes", "no", "on", "null", "~", "-", "#1", "50%", "C++", "C#",
    "foo:bar", "a/b", "\u2018quoted\u2019", "caf\xe9", "na\xefve", "\U0001f600", "\u00bd",
]  # fmt: skip

_ASCII = st.characters(min_codepoint=0x20, max_codepoint=0x7E)
_ANY_CHAR = st.characters(exclude_categories=("Cs",))  # every code point but surrogates

_pieces = st.one_of(
    st.sampled_from(AWKWARD),
    st.sampled_from(WORDS),
    st.text(_ASCII, min_size=1, max_size=12),
    st.text(_ANY_CHAR, min_size=1, max_size=4),
)

# Prose: words joined by single spaces (long, and foldable over lines by a YAML writer).
_prose = st.lists(
    st.one_of(st.sampled_from(WORDS), st.sampled_from(AWKWARD), st.text(_ASCII, min_size=1,
              max_size=10)),
    min_size=1, max_size=16,
).map(" ".join)  # fmt: skip

_paragraphs = st.lists(_prose, min_size=2, max_size=4).flatmap(
    lambda paras: st.sampled_from(["\n", "\n\n"]).map(lambda sep: sep.join(paras))
)


def texts(min_size: int = 0, max_size: int | None = None) -> st.SearchStrategy[str]:
    """Free text: awkward pieces, prose, paragraphs; at least `min_size` characters."""
    pieces = st.lists(_pieces, min_size=min_size, max_size=8).map("".join)
    strategy = st.one_of(pieces, pieces, _prose, _paragraphs)
    if min_size:
        strategy = st.one_of(strategy, st.sampled_from(WORDS))
    if max_size is not None:
        strategy = strategy.filter(lambda s: len(s) <= max_size)
    return strategy.filter(lambda s: len(s) >= min_size)


# -- date-times -------------------------------------------------------------------------------

@st.composite
def date_time_texts(draw: st.DrawFn) -> str:
    """RFC 3339 date-times with `T`, `t` or a space, `Z`/`z` or an offset, 0-9 fraction digits."""
    moment = draw(st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31)))
    fraction = draw(st.one_of(st.just(""), st.text("0123456789", min_size=1, max_size=9)))
    separator = draw(st.sampled_from("TTTt "))
    offset = draw(st.one_of(st.just(0), st.integers(-(24 * 60 - 1), 24 * 60 - 1)))
    if offset == 0:
        zone = draw(st.sampled_from(["Z", "Z", "z", "+00:00", "-00:00"]))
    else:
        sign = "+" if offset > 0 else "-"
        zone = f"{sign}{abs(offset) // 60:02d}:{abs(offset) % 60:02d}"
    text = (
        f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}{separator}"
        f"{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d}"
        + (f".{fraction}" if fraction else "")
        + zone
    )
    return text


# -- URIs -------------------------------------------------------------------------------------

_UNRESERVED = string.ascii_letters + string.digits + "-._~"
_SUB_DELIMS = "!$&'()*+,;="
_PCHAR = _UNRESERVED + _SUB_DELIMS + ":@"
_pct = st.tuples(st.sampled_from(string.hexdigits), st.sampled_from(string.hexdigits)).map(
    lambda pair: "%" + "".join(pair)
)


def _run(chars: str, min_size: int = 0, max_size: int = 10) -> st.SearchStrategy[str]:
    """A run of `chars` with some percent-encoded octets (few draws: URIs are many)."""
    pieces = st.one_of(st.text(chars, min_size=1, max_size=max_size), _pct)
    return st.lists(pieces, min_size=min(min_size, 1), max_size=3).map("".join).filter(
        lambda text: len(text) >= min_size
    )


_label = st.text(string.ascii_lowercase + string.digits + "-", min_size=1, max_size=12)
_host = st.one_of(
    st.lists(_label, min_size=1, max_size=4).map(".".join),
    st.tuples(*[st.integers(0, 255)] * 4).map(lambda parts: ".".join(map(str, parts))),
    st.sampled_from(["[::1]", "[2001:db8::7]", "[v1.fe]", "localhost", "xn--bcher-kva.example"]),
)
_scheme = st.one_of(
    st.sampled_from(["https", "http", "ftp", "file", "urn", "mailto", "tag", "data"]),
    st.tuples(
        st.sampled_from(string.ascii_letters),
        st.text(string.ascii_letters + string.digits + "+.-", max_size=6),
    ).map("".join),
)


@st.composite
def uris(draw: st.DrawFn) -> str:
    """Absolute URIs (RFC 3986) built from safe parts: hierarchical, or opaque like `urn:`."""
    scheme = draw(_scheme)
    if draw(st.booleans()):
        userinfo = draw(st.one_of(st.just(""), _run(_UNRESERVED + _SUB_DELIMS + ":").map(
            lambda u: u + "@")))  # fmt: skip
        port = draw(st.one_of(st.just(""), st.integers(0, 65535).map(lambda p: f":{p}")))
        segments = draw(st.lists(_run(_PCHAR), max_size=5))
        hier = "//" + userinfo + draw(_host) + port + "".join("/" + s for s in segments)
    else:
        first = draw(_run(_PCHAR, min_size=1))
        hier = first + "".join("/" + s for s in draw(st.lists(_run(_PCHAR), max_size=3)))
    query = draw(st.one_of(st.just(""), _run(_PCHAR + "/?").map(lambda q: "?" + q)))
    fragment = draw(st.one_of(st.just(""), _run(_PCHAR + "/?").map(lambda f: "#" + f)))
    uri = f"{scheme}:{hier}{query}{fragment}"
    assert validate_rfc3986(uri, rule="URI"), uri
    return uri


# -- patterns ---------------------------------------------------------------------------------

_BASE64_RUN = re.compile(r"(\[A-Za-z0-9\+/\]\{([0-9]+)\}(=*))")


def pattern_strings(pattern: str) -> st.SearchStrategy[str]:
    """Strings matching `pattern`; runs of base64 characters are real base64 of random bytes."""
    body = pattern.removeprefix("^").removesuffix("$")
    parts = _BASE64_RUN.split(body)
    # split() with groups gives: literal, (run, count, padding), literal, ...
    literals = parts[0::4]
    runs = [(int(parts[i + 2]), len(parts[i + 3])) for i in range(0, len(parts) - 1, 4)]
    if runs and not set("".join(literals)) & set(".^$*+?{}[]\\|()"):
        pieces: list[st.SearchStrategy[str]] = [st.just(literals[0])]
        for (count, padding), literal in zip(runs, literals[1:], strict=True):
            total = count + padding
            size = total * 3 // 4 - padding
            pieces.append(
                st.binary(min_size=size, max_size=size).map(
                    lambda b: base64.b64encode(b).decode("ascii")
                )
            )
            pieces.append(st.just(literal))
        strategy: st.SearchStrategy[str] = st.tuples(*pieces).map("".join)
    else:
        strategy = st.from_regex(pattern, fullmatch=True)
    return strategy.filter(lambda s: re.search(pattern, s) is not None)


# -- the schema walk -------------------------------------------------------------------------


def from_schema(node: dict[str, Any], depth: int = 0) -> st.SearchStrategy[Any]:
    """Valid values for the (sub)schema `node`."""
    node = resolve(node)
    _check_keywords(node)
    kind = node.get("type")
    if kind == "object":
        properties = node.get("properties", {})
        required = set(node.get("required", []))
        order = list(properties)
        fixed = {k: from_schema(v, depth + 1) for k, v in properties.items() if k in required}
        optional = {k: from_schema(v, depth + 1) for k, v in properties.items()
                    if k not in required}  # fmt: skip
        return st.fixed_dictionaries(fixed, optional=optional).map(
            lambda d: {key: d[key] for key in order if key in d}
        )
    if kind == "array":
        items = from_schema(node["items"], depth + 1)
        default_max = 4 if depth < 2 else 2
        return st.lists(
            items,
            min_size=node.get("minItems", 0),
            max_size=node.get("maxItems", default_max),
        )
    if kind == "string":
        min_size = node.get("minLength", 0)
        if "pattern" in node:
            strategy = pattern_strings(node["pattern"])
        elif node.get("format") == "date-time":
            strategy = date_time_texts()
        elif node.get("format") == "uri":
            strategy = uris()
        elif "format" in node:
            raise NotImplementedError(f"format {node['format']!r}")
        else:
            strategy = texts(min_size, node.get("maxLength"))
        return strategy.filter(lambda s: len(s) >= min_size)
    if kind == "integer":
        low, high = node.get("minimum"), node.get("maximum")
        small = st.integers(
            min_value=max(low, -100) if low is not None else -100,
            max_value=min(high, 5000) if high is not None else 5000,
        )
        return st.one_of(small, st.integers(min_value=low, max_value=high))
    if kind == "boolean":
        return st.booleans()
    raise NotImplementedError(f"schema type {kind!r}")


# -- shared sub-objects (for anchors and aliases) ---------------------------------------------


def _nodes(data: Any, node: dict[str, Any] | None, path: tuple[str | int, ...] = ()):  # type: ignore[no-untyped-def]
    """(path, shape) of every value below the root."""
    if node is None:
        return
    node = resolve(node)
    if path:
        yield path, shape(node)
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _nodes(value, child(node, key), (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _nodes(value, child(node, index), (*path, index))


def get_path(data: Any, path: tuple[str | int, ...]) -> Any:
    for part in path:
        data = data[part]  # type: ignore[index]
    return data


def set_path(data: Any, path: tuple[str | int, ...], value: Any) -> None:
    get_path(data, path[:-1])[path[-1]] = value


@st.composite
def with_shared_values(draw: st.DrawFn, data: dict[str, Any]) -> dict[str, Any]:
    """`data` with a few values copied over others of the same schema shape."""
    data = copy.deepcopy(data)
    for _ in range(draw(st.integers(0, 3))):
        groups: dict[str, list[tuple[str | int, ...]]] = {}
        for path, kind in _nodes(data, SCHEMA):
            groups.setdefault(kind, []).append(path)
        choices = [paths for paths in groups.values() if len(paths) > 1]
        if not choices:
            break
        paths = draw(st.sampled_from(choices))
        source, target = draw(st.lists(st.sampled_from(paths), min_size=2, max_size=2,
                                       unique=True))  # fmt: skip
        if source[: len(target)] == target or target[: len(source)] == source:
            continue
        set_path(data, target, copy.deepcopy(get_path(data, source)))
    return data


def records(share: bool = True) -> st.SearchStrategy[dict[str, Any]]:
    """Front matter data valid under the schema; with `share`, some values repeat."""
    base = from_schema(SCHEMA)
    if not share:
        return base
    return st.one_of(base, base.flatmap(with_shared_values))


# -- bodies -----------------------------------------------------------------------------------

BODY_LINES = [
    "# Heading", "", "", "---", "--- ", "---\t", "***", "...", "- item", "* item", "1. first",
    "text: with a colon", "key: value", "```yaml", "```", "\tindented code", "    code",
    "> quote", "<!-- comment -->", "na\xefve \u2018quotes\u2019 \U0001f600", "\ufeffBOM inside",
]  # fmt: skip
_body_text = st.text(
    st.characters(exclude_categories=("Cs",), exclude_characters="\x00\r\n"), max_size=30
)


@st.composite
def bodies(draw: st.DrawFn) -> str:
    """Markdown-ish bodies: empty, with `---` lines, CRLF or LF, with or without a final break."""
    if draw(st.integers(0, 4)) == 0:
        return ""
    lines = draw(st.lists(st.one_of(st.sampled_from(BODY_LINES), _body_text), min_size=1,
                          max_size=8))  # fmt: skip
    newline = draw(st.sampled_from(["\n", "\n", "\r\n"]))
    final = draw(st.booleans())
    return newline.join(lines) + (newline if final else "")
