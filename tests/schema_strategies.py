"""Hypothesis strategies for the data of ANY JSON Schema the toolkit supports, and its pieces.

`SchemaData(schema)` walks a JSON Schema (draft 2020-12, the subset of issue 9: `type` (a name
or a list with `null`), `properties`, `required`, `additionalProperties`, `items`, `$ref` to
`$defs`, `enum`, `const`, length, range, item-count and `multipleOf` limits, `uniqueItems`,
`pattern`, `format` date-time / date / uri / email) and draws plain JSON data valid under it:
keys in schema order, each optional key sometimes absent, free-form maps with awkward keys.
A keyword it does not know makes it fail loudly instead of generating data that silently
misses a rule.

Written without the toolkit: nothing here imports `roundtrip` (tests/strategies.py wraps it
for the article, whose schema it reads through `rt.schema()`), so the data cannot inherit the
toolkit's reading of a schema. Text is deliberately awkward for YAML writers and readers.
"""

from __future__ import annotations

import base64
import copy
import json
import math
import re
import string
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

from hypothesis import strategies as st
from rfc3986_validator import validate_rfc3986

# Keywords that only annotate (any other `x-*` key is an annotation too).
ANNOTATIONS = frozenset(
    {"title", "description", "$schema", "$id", "$defs", "$comment", "default", "examples"}
)
_HANDLED = frozenset(
    {"type", "properties", "required", "additionalProperties", "items", "format", "pattern",
     "minLength", "maxLength", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
     "multipleOf", "minItems", "maxItems", "uniqueItems", "enum", "const", "$ref"}
)  # fmt: skip
FORMATS = frozenset({"date-time", "date", "uri", "email"})
# What `type: X` accepts, as JSON data (a bool is not a number; 3.0 is an integer).
JSON_TYPES = ("object", "array", "string", "integer", "number", "boolean", "null")


def _annotation(key: str) -> bool:
    return key in ANNOTATIONS or key.startswith("x-")


def check_keywords(node: dict[str, Any]) -> None:
    """Fail on a keyword this module does not generate data for."""
    unknown = {key for key in node if not _annotation(key)} - _HANDLED
    if unknown:
        raise NotImplementedError(f"tests/schema_strategies.py does not handle {sorted(unknown)}")
    if "format" in node and node["format"] not in FORMATS:
        raise NotImplementedError(f"format {node['format']!r}")


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


# -- date-times and dates ----------------------------------------------------------------------


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


def date_texts() -> st.SearchStrategy[str]:
    """RFC 3339 full-dates (`2024-02-29`) of years 0001-9999: what a Python `date` holds."""
    return st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)).map(
        lambda d: f"{d.year:04d}-{d.month:02d}-{d.day:02d}"
    )


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
    return (
        st.lists(pieces, min_size=min(min_size, 1), max_size=3)
        .map("".join)
        .filter(lambda text: len(text) >= min_size)
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


# -- e-mail addresses -------------------------------------------------------------------------

# RFC 5321/5322 dot-atom addresses with a DNS domain: what every e-mail check accepts (the
# HTML5 and ajv-formats patterns, and jsonschema's "contains an @").
_ATEXT = string.ascii_letters + string.digits + "!#$%&'*+/=?^_`{|}~-"
_atom = st.text(_ATEXT, min_size=1, max_size=8)
_dns_label = st.builds(
    lambda first, middle, last: first + middle + last if middle or last else first,
    st.sampled_from(string.ascii_letters + string.digits),
    st.text(string.ascii_letters + string.digits + "-", max_size=6),
    st.text(string.ascii_letters + string.digits, min_size=1, max_size=1),
)


def emails() -> st.SearchStrategy[str]:
    """Plain dot-atom addresses: `first.last+tag@mail.example.org`."""
    local = st.lists(_atom, min_size=1, max_size=3).map(".".join)
    domain = st.lists(_dns_label, min_size=2, max_size=4).map(".".join)
    return st.builds(lambda lp, d: f"{lp}@{d}", local, domain)


# -- patterns ---------------------------------------------------------------------------------

_BASE64_RUN = re.compile(r"(\[A-Za-z0-9\+/\]\{([0-9]+)\}(=*))")


def pattern_strings(pattern: str) -> st.SearchStrategy[str]:
    """Strings matching `pattern`; runs of base64 characters are real base64 of random bytes.

    `st.from_regex` reads a Python regex: the patterns of the schemas here mean the same in
    ECMA-262 (no `\\d`, `\\w`, `.` or `$` before a newline); the final filter makes sure."""
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
    return strategy.filter(lambda s: re.search(pattern, s) is not None and "\n" not in s)


# -- numbers ------------------------------------------------------------------------------------


def _decimal_floats(low: float, high: float) -> st.SearchStrategy[float]:
    """Floats as people write them: a few decimal places (`4.5`, `12.99`, `-33.87`)."""
    places = st.integers(0, 3)
    return st.tuples(st.floats(low, high, allow_nan=False, allow_infinity=False), places).map(
        lambda pair: round(pair[0], pair[1])
    )


def _in_range(node: dict[str, Any], value: float) -> bool:
    return (
        ("minimum" not in node or value >= node["minimum"])
        and ("maximum" not in node or value <= node["maximum"])
        and ("exclusiveMinimum" not in node or value > node["exclusiveMinimum"])
        and ("exclusiveMaximum" not in node or value < node["exclusiveMaximum"])
    )


def _multiples(node: dict[str, Any], integral: bool) -> st.SearchStrategy[Any]:
    """Multiples k * multipleOf inside the range (exact: multipleOf is an integer or a power
    of two fraction in the schemas here)."""
    step = node["multipleOf"]
    low = max(node.get("minimum", node.get("exclusiveMinimum", -1000 * step)), -1000 * step)
    high = min(node.get("maximum", node.get("exclusiveMaximum", 1000 * step)), 1000 * step)
    ks = st.integers(math.ceil(low / step), math.floor(high / step))
    if integral:
        return ks.map(lambda k: int(k * step))
    return ks.map(lambda k: float(k * step))


def integers_for(node: dict[str, Any]) -> st.SearchStrategy[int]:
    if "multipleOf" in node:
        strategy: st.SearchStrategy[int] = _multiples(node, integral=True)
    else:
        low, high = node.get("minimum"), node.get("maximum")
        if "exclusiveMinimum" in node:
            low = max(low, node["exclusiveMinimum"] + 1) if low is not None else (
                node["exclusiveMinimum"] + 1)  # fmt: skip
        if "exclusiveMaximum" in node:
            high = min(high, node["exclusiveMaximum"] - 1) if high is not None else (
                node["exclusiveMaximum"] - 1)  # fmt: skip
        small = st.integers(
            min_value=max(low, -100) if low is not None else -100,
            max_value=min(high, 5000) if high is not None else 5000,
        )
        strategy = st.one_of(small, st.integers(min_value=low, max_value=high))
    return strategy.filter(lambda value: _in_range(node, value))


def floats_for(node: dict[str, Any], ints: bool) -> st.SearchStrategy[float | int]:
    """Numbers in the node's range: mostly short decimals, some any float; with `ints` also
    integers (JSON Schema numbers include them)."""
    if "multipleOf" in node:
        strategy: st.SearchStrategy[Any] = _multiples(node, integral=False)
    else:
        low = node.get("minimum", node.get("exclusiveMinimum", -1e6))
        high = node.get("maximum", node.get("exclusiveMaximum", 1e6))
        strategy = st.one_of(
            _decimal_floats(low, high),
            _decimal_floats(low, high),
            st.floats(low, high, allow_nan=False, allow_infinity=False),
        )
    if ints:
        strategy = st.one_of(strategy, integers_for(node))
    return strategy.filter(lambda value: _in_range(node, value))


# -- free-form JSON data (an `additionalProperties: {}` map) ----------------------------------

_free_keys = st.one_of(
    st.sampled_from(["color", "hero", "math", "toc", "lang", "x", "on", "null", "1", "a b"]),
    st.text(_ASCII, min_size=1, max_size=10),
)
_free_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-(2**40), 2**40),
    st.floats(allow_nan=False, allow_infinity=False), texts(max_size=40),
)  # fmt: skip
free_json: st.SearchStrategy[Any] = st.recursive(
    _free_scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(_free_keys, inner, max_size=3)
    ),
    max_leaves=6,
)


# -- uniqueness as JSON Schema sees it -----------------------------------------------------------


def json_identity(value: Any) -> str:
    """A key equal for values JSON Schema calls equal: 1 == 1.0, but true != 1."""

    def norm(v: Any) -> Any:
        if isinstance(v, bool) or v is None:
            return ["b", v]
        if isinstance(v, int | float):
            return ["n", int(v) if float(v).is_integer() else v]
        if isinstance(v, list):
            return [norm(x) for x in v]
        if isinstance(v, dict):
            return {k: norm(x) for k, x in v.items()}
        return v

    return json.dumps(norm(value), sort_keys=True)


# -- the schema walk -------------------------------------------------------------------------


class SchemaData:
    """Strategies for the data of one JSON Schema document (`$ref`s resolve within it)."""

    def __init__(self, schema: dict[str, Any], *, number_ints: bool = True) -> None:
        self.schema = schema
        self.number_ints = number_ints

    def resolve(self, node: dict[str, Any]) -> dict[str, Any]:
        """Follow a local `$ref` (`#/$defs/Name`) to the schema it names."""
        ref = node.get("$ref")
        if ref is None:
            return node
        if {key for key in node if not _annotation(key)} != {"$ref"}:
            raise NotImplementedError(f"keywords beside $ref: {sorted(node)}")
        target: Any = self.schema
        for part in ref.removeprefix("#/").split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        return self.resolve(target)

    def child(self, node: dict[str, Any] | None, key: str | int) -> dict[str, Any] | None:
        """The subschema for a mapping key or a sequence index under `node`, if any."""
        if node is None:
            return None
        node = self.resolve(node)
        if not {k for k in node if not _annotation(k)}:
            return {}  # inside a free-form value: anything
        if isinstance(key, int):
            items = node.get("items")
            return self.resolve(items) if isinstance(items, dict) else None
        prop = node.get("properties", {}).get(key)
        if prop is None:
            prop = node.get("additionalProperties")
        if prop is True:
            return {}
        return self.resolve(prop) if isinstance(prop, dict) else None

    def shape(self, node: dict[str, Any]) -> str:
        """A schema without its annotations: two fields of one shape accept the same values."""

        def strip(value: Any) -> Any:
            if isinstance(value, dict):
                if "$ref" in value:
                    return strip(self.resolve(value))
                return {k: strip(v) for k, v in value.items() if not _annotation(k)}
            if isinstance(value, list):
                return [strip(v) for v in value]
            return value

        return json.dumps(strip(node), sort_keys=True)

    def values(self, node: dict[str, Any], depth: int = 0) -> st.SearchStrategy[Any]:
        """Valid values for the (sub)schema `node`."""
        node = self.resolve(node)
        check_keywords(node)
        if "const" in node:
            return st.just(copy.deepcopy(node["const"]))
        if "enum" in node:
            return st.sampled_from([copy.deepcopy(v) for v in node["enum"]]).filter(
                lambda v: self._type_ok(node, v)
            )
        kind = node.get("type")
        if isinstance(kind, list):
            kinds = [k for k in kind if k != "null"]
            if len(kinds) != 1 or len(kind) != 2:
                raise NotImplementedError(f"type {kind!r}")
            return st.one_of(st.none(), self._typed(kinds[0], node, depth))
        if kind is None and not {k for k in node if not _annotation(k)}:
            return free_json  # `{}` or `true`: any JSON value
        return self._typed(kind, node, depth)

    @staticmethod
    def _type_ok(node: dict[str, Any], value: Any) -> bool:
        kind = node.get("type")
        kinds = kind if isinstance(kind, list) else [kind] if kind else list(JSON_TYPES)
        checks = {
            "string": lambda v: isinstance(v, str),
            "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
            "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
            "boolean": lambda v: isinstance(v, bool),
            "null": lambda v: v is None,
            "array": lambda v: isinstance(v, list),
            "object": lambda v: isinstance(v, dict),
        }
        return any(checks[k](value) for k in kinds)

    def _typed(self, kind: str | None, node: dict[str, Any], depth: int) -> st.SearchStrategy[Any]:
        if kind == "object":
            return self._object(node, depth)
        if kind == "array":
            return self._array(node, depth)
        if kind == "string":
            return self._string(node)
        if kind == "integer":
            return integers_for(node)
        if kind == "number":
            return floats_for(node, self.number_ints)
        if kind == "boolean":
            return st.booleans()
        if kind == "null":
            return st.none()
        raise NotImplementedError(f"schema type {kind!r}")

    def _object(self, node: dict[str, Any], depth: int) -> st.SearchStrategy[dict[str, Any]]:
        properties = node.get("properties", {})
        extra = node.get("additionalProperties", True)
        if not properties:
            # A free-form map: keys of our choosing, values of the additional schema.
            if extra is False:
                return st.just({})
            inner = free_json if extra in (True, {}) else self.values(extra, depth + 1)
            return st.dictionaries(_free_keys, inner, max_size=4)
        if extra not in (False, True, {}):
            raise NotImplementedError("properties beside an additionalProperties schema")
        required = set(node.get("required", []))
        order = list(properties)
        fixed = {k: self.values(v, depth + 1) for k, v in properties.items() if k in required}
        optional = {k: self.values(v, depth + 1) for k, v in properties.items()
                    if k not in required}  # fmt: skip
        return st.fixed_dictionaries(fixed, optional=optional).map(
            lambda d: {key: d[key] for key in order if key in d}
        )

    def _array(self, node: dict[str, Any], depth: int) -> st.SearchStrategy[list[Any]]:
        items = self.values(node["items"], depth + 1)
        default_max = 4 if depth < 2 else 2
        return st.lists(
            items,
            min_size=node.get("minItems", 0),
            max_size=node.get("maxItems", default_max),
            unique_by=json_identity if node.get("uniqueItems") else None,
        )

    def _string(self, node: dict[str, Any]) -> st.SearchStrategy[str]:
        min_size = node.get("minLength", 0)
        max_size = node.get("maxLength")
        if "pattern" in node:
            strategy = pattern_strings(node["pattern"])
        elif node.get("format") == "date-time":
            strategy = date_time_texts()
        elif node.get("format") == "date":
            strategy = date_texts()
        elif node.get("format") == "uri":
            strategy = uris()
        elif node.get("format") == "email":
            strategy = emails()
        else:
            strategy = texts(min_size, max_size)
        # Lengths count code points, as JSON Schema says.
        return strategy.filter(
            lambda s: len(s) >= min_size and (max_size is None or len(s) <= max_size)
        )

    # -- shared sub-objects (for anchors and aliases) -----------------------------------------

    def nodes(
        self, data: Any, node: dict[str, Any] | None, path: tuple[str | int, ...] = ()
    ) -> Iterator[tuple[tuple[str | int, ...], str]]:
        """(path, shape) of every value below the root."""
        if node is None:
            return
        node = self.resolve(node)
        if path:
            yield path, self.shape(node)
        if isinstance(data, dict):
            for key, value in data.items():
                yield from self.nodes(value, self.child(node, key), (*path, key))
        elif isinstance(data, list):
            for index, value in enumerate(data):
                yield from self.nodes(value, self.child(node, index), (*path, index))

    def with_shared_values(self) -> Any:
        """A function of data drawing a copy with a few values copied over others of the same
        schema shape (writers then use anchors and aliases)."""

        @st.composite
        def shared(draw: st.DrawFn, data: dict[str, Any]) -> dict[str, Any]:
            data = copy.deepcopy(data)
            for _ in range(draw(st.integers(0, 3))):
                groups: dict[str, list[tuple[str | int, ...]]] = {}
                for path, kind in self.nodes(data, self.schema):
                    groups.setdefault(kind, []).append(path)
                choices = [paths for paths in groups.values() if len(paths) > 1]
                if not choices:
                    break
                paths = draw(st.sampled_from(choices))
                source, target = draw(st.lists(st.sampled_from(paths), min_size=2, max_size=2,
                                               unique=True))  # fmt: skip
                if source[: len(target)] == target or target[: len(source)] == source:
                    continue
                if not self._may_copy(data, source, target):
                    continue
                set_path(data, target, copy.deepcopy(get_path(data, source)))
            return data

        return shared

    def _may_copy(self, data: Any, source: tuple[str | int, ...], target: tuple[str | int, ...]
                  ) -> bool:  # fmt: skip
        """Whether copying keeps the data valid: an item copied into a `uniqueItems` array
        it is not already equal to may duplicate a sibling."""
        parent = target[:-1]
        node: dict[str, Any] | None = self.schema
        for part in parent:
            node = self.child(node, part)
        if node is None or not self.resolve(node).get("uniqueItems"):
            return True
        items = get_path(data, parent)
        value = json_identity(get_path(data, source))
        return all(json_identity(item) != value for item in items)

    def records(self, share: bool = True) -> st.SearchStrategy[dict[str, Any]]:
        """Data valid under the schema; with `share`, some values repeat."""
        base = self.values(self.schema)
        if not share:
            return base
        return st.one_of(base, base.flatmap(self.with_shared_values()))


def get_path(data: Any, path: tuple[str | int, ...]) -> Any:
    for part in path:
        data = data[part]
    return data


def set_path(data: Any, path: tuple[str | int, ...], value: Any) -> None:
    get_path(data, path[:-1])[path[-1]] = value


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
