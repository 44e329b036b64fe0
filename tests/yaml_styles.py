"""A test-side YAML writer that renders record data in random styles, and an oracle reader.

`styled_records()` draws schema-valid data (tests/strategies.py) and writes it as a whole record
text with random per-node choices: plain, single-quoted, double-quoted (with optional escapes
such as `\\u2019` or `\\x41`), literal and folded block scalars, scalars broken over lines,
block indentation of 1-4 (sequences also indentless), compact or bare-dash items, flow
collections (one line or many), explicit `? key` entries, `!!str` tags, int and bool spellings,
comments (head, end-of-line, own-line at any indentation), blank lines, trailing spaces and tabs,
shuffled keys, anchors and aliases for repeated values, CRLF, a BOM, and fence and separator
variants.

The writer never consults roundtrip. `oracle_load` reads YAML with PyYAML's event parser
(libyaml, and the pure-Python parser where it can) and resolves plain scalars by the YAML 1.2
core schema implemented here, so a test can confirm that a text says what the writer meant
before it compares roundtrip's reading with it.
"""

from __future__ import annotations

import functools
import json
import re
from collections import Counter
from typing import Any

import yaml
from hypothesis import strategies as st

from . import strategies as S
from .judge import equal_data

# -- YAML 1.2 core schema, from the spec (10.3.2) ---------------------------------------------

_CORE_NULL = re.compile(r"null|Null|NULL|~|")
_CORE_BOOL = {"true": True, "True": True, "TRUE": True,
              "false": False, "False": False, "FALSE": False}  # fmt: skip
_CORE_INT = re.compile(r"[-+]?[0-9]+")
_CORE_OCT = re.compile(r"0o[0-7]+")
_CORE_HEX = re.compile(r"0x[0-9a-fA-F]+")
_CORE_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
_CORE_INF = re.compile(r"[-+]?(\.inf|\.Inf|\.INF)")
_CORE_NAN = re.compile(r"\.nan|\.NaN|\.NAN")


def core_resolve(text: str) -> Any:
    """The value of an untagged plain scalar under the YAML 1.2 core schema."""
    if _CORE_NULL.fullmatch(text):
        return None
    if text in _CORE_BOOL:
        return _CORE_BOOL[text]
    if _CORE_INT.fullmatch(text):
        return int(text, 10)
    if _CORE_OCT.fullmatch(text):
        return int(text[2:], 8)
    if _CORE_HEX.fullmatch(text):
        return int(text[2:], 16)
    if _CORE_FLOAT.fullmatch(text):
        return float(text)
    if _CORE_INF.fullmatch(text):
        return float("-inf") if text.startswith("-") else float("inf")
    if _CORE_NAN.fullmatch(text):
        return float("nan")
    return text


_TAG = "tag:yaml.org,2002:"


def _tagged(tag: str, value: str, plain: bool) -> Any:
    if tag == _TAG + "str":
        return value
    resolved = core_resolve(value)
    expected = {_TAG + "int": int, _TAG + "bool": bool, _TAG + "null": type(None)}.get(tag)
    if expected is None or type(resolved) is not expected or not plain:
        raise ValueError(f"oracle: unsupported tagged scalar {tag} {value!r}")
    return resolved


def _compose(events: Any) -> Any:
    """Plain data from a PyYAML event stream, plain scalars resolved by the core schema."""
    anchors: dict[str, Any] = {}
    stack: list[tuple[Any, list[Any], str | None]] = []  # (container, pending key, anchor)
    root: list[Any] = []

    def place(value: Any) -> None:
        if not stack:
            root.append(value)
            return
        container, pending, _ = stack[-1]
        if isinstance(container, list):
            container.append(value)
        elif not pending:
            if not isinstance(value, str) or value in container:
                raise ValueError(f"oracle: bad or duplicate key {value!r}")
            pending.append(value)
        else:
            container[pending.pop()] = value

    for event in events:
        if isinstance(event, yaml.ScalarEvent):
            plain = not event.style
            if event.tag is None:
                value: Any = core_resolve(event.value) if plain else event.value
            elif event.tag == "!":
                value = event.value
            else:
                value = _tagged(event.tag, event.value, plain)
            if event.anchor:
                anchors[event.anchor] = value
            place(value)
        elif isinstance(event, yaml.AliasEvent):
            place(anchors[event.anchor])
        elif isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
            container: Any = {} if isinstance(event, yaml.MappingStartEvent) else []
            stack.append((container, [], event.anchor))
        elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
            container, _, anchor = stack.pop()
            if anchor:
                anchors[anchor] = container
            place(container)
    if len(root) != 1:
        raise ValueError(f"oracle: expected one document, got {len(root)}")
    return root[0]


def oracle_load(text: str) -> Any:
    """The data of one YAML document, read by libyaml (PyYAML) and, without tabs, by PyYAML's
    pure-Python parser too; both must agree."""
    data = _compose(yaml.parse(text, Loader=yaml.CSafeLoader))
    if "\t" not in text:
        again = _compose(yaml.parse(text, Loader=yaml.SafeLoader))
        if not equal_data(data, again):
            raise ValueError("oracle: libyaml and the pure-Python parser disagree")
    return data


@functools.lru_cache(maxsize=100_000)
def _reads_back(document: str, expected: str) -> bool:
    try:
        data = oracle_load(document)
    except (yaml.YAMLError, ValueError):
        return False
    return equal_data(data, {"k": expected}) or equal_data(data, {"k": [expected]})


# -- which styles can hold a string -----------------------------------------------------------

# Characters a writer must escape (or may not write raw): non-printables, and those YAML 1.1
# readers such as libyaml take for line breaks or a BOM.
_SPECIAL = re.compile(
    "[\\x00-\\x08\\x0a-\\x1f\\x7f-\\x9f\\u2028\\u2029\\ufeff\\ud800-\\udfff\\ufffe\\uffff]"
)
_NAMED_ESCAPES = {
    "\0": "\\0", "\a": "\\a", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\v": "\\v", "\f": "\\f",
    "\r": "\\r", "\x1b": "\\e", " ": "\\ ", '"': '\\"', "/": "\\/", "\\": "\\\\", "\x85": "\\N",
    "\xa0": "\\_", "\u2028": "\\L", "\u2029": "\\P",
}  # fmt: skip
_INDICATOR_START = set("-?:,[]{}#&*!|>'\"%@`")
_FLOW_CHARS = set(",[]{}:#?")


def plain_ok(value: str, *, flow: bool) -> bool:
    """Conservatively: whether `value` written plain reads back as this string (YAML 1.2)."""
    if not value or value != value.strip(" \t") or _SPECIAL.search(value):
        return False
    if value[0] in _INDICATOR_START and not (
        value[0] in "-?:" and len(value) > 1 and value[1] not in " \t" and not flow
    ):
        return False
    if any(mark in value for mark in (": ", ":\t", " #", "\t#")) or value.endswith(":"):
        return False
    if value.startswith(("---", "...")) or (flow and _FLOW_CHARS & set(value)):
        return False
    if core_resolve(value) is not value:
        return False
    document = f"k: [{value}]\n" if flow else f"k: {value}\n"
    return _reads_back(document, value)


def single_ok(value: str) -> bool:
    return _SPECIAL.search(value.replace("\n", "")) is None


def _white(char: str) -> bool:
    return char in " \t"


def _fold_points(text: str) -> list[int]:
    """Indexes of single spaces between two non-white characters (a line break folds there)."""
    return [
        i
        for i in range(1, len(text) - 1)
        if text[i] == " " and not _white(text[i - 1]) and not _white(text[i + 1])
    ]


def block_lines(value: str) -> tuple[list[str], int] | None:
    """The content lines of a block scalar for `value` and its number of final line breaks."""
    if _SPECIAL.search(value.replace("\n", "")):
        return None
    stripped = value.rstrip("\n")
    if not stripped.strip("\n"):
        return None
    lines = stripped.split("\n")
    # libyaml refuses a tab where a block scalar's indentation is still being read.
    if any(line.startswith("\t") or (not line.strip() and "\t" in line) for line in lines):
        return None
    return lines, len(value) - len(stripped)


def _needs_indicator(lines: list[str]) -> bool:
    """Whether a block scalar's indentation cannot be detected from its first content line."""
    return next(line for line in lines if line).startswith(" ")


def folded_ok(value: str) -> bool:
    found = block_lines(value)
    if found is None or "\t" in value:
        return False
    lines, trailing = found
    if trailing > 1 or not lines[0] or not lines[-1]:
        return False
    return all(line == line.strip(" ") for line in lines)


# -- the writer --------------------------------------------------------------------------------


def _value_key(value: Any) -> str:
    return json.dumps(value, sort_keys=True)


def _all_values(value: Any) -> Any:
    yield value
    if isinstance(value, dict):
        for item in value.values():
            yield from _all_values(item)
    elif isinstance(value, list):
        for item in value:
            yield from _all_values(item)


def _quoted(lines: list[str], quote: str) -> list[str]:
    lines = list(lines)
    lines[0] = quote + lines[0]
    lines[-1] += quote
    return lines


class Line:
    """One output line; `end` says what may follow it on the line: None (nothing), "value"
    (trailing spaces, tabs, a comment), "spaces" (trailing spaces, a comment)."""

    __slots__ = ("end", "text")

    def __init__(self, text: str, end: str | None) -> None:
        self.text = text
        self.end = end


class Writer:
    def __init__(self, draw: st.DrawFn, *, explicit_keys: bool = True) -> None:
        self.draw = draw
        self.explicit_keys = explicit_keys
        self.lines: list[Line] = []
        self.anchored: dict[str, str] = {}
        self.repeats: Counter[str] = Counter()
        self.anchor_serial = 0
        # After a block scalar: (content column, keep chomping) - gaps must respect it.
        self.after_block: tuple[int, bool] | None = None
        level = st.sampled_from([0, 0, 5, 15, 40, 90])
        self.p = {
            name: draw(level)
            for name in ("gap", "comment", "trailing", "flow", "shuffle", "anchor", "alias",
                         "quote", "escape", "multiline", "block", "next_line", "tag",
                         "spelling", "key_style", "colon")
        }  # fmt: skip

    # -- random choices

    def chance(self, percent: int) -> bool:
        # Shrinks towards False: a failing example loses the features it does not need.
        return percent > 0 and self.draw(st.integers(0, 99)) >= 100 - percent

    def pick(self, options: list[Any]) -> Any:
        return self.draw(st.sampled_from(options))

    # -- output

    def emit(self, text: str, end: str | None) -> None:
        self.lines.append(Line(text, end))
        self.after_block = None

    def comment_text(self) -> str:
        text = self.draw(
            st.text(
                st.characters(
                    exclude_categories=("Cs", "Cc"),
                    exclude_characters="\x85\u2028\u2029\ufeff\ufffe\uffff",
                ),
                max_size=20,
            )
        )
        return self.pick(["", " ", " "]) + text

    def gap(self, column: int) -> None:
        """Blank lines and own-line comments, where a new entry or item may start."""
        if not self.chance(self.p["gap"]):
            return
        limit = None
        if self.after_block is not None:
            content, keep = self.after_block
            if keep:
                return
            limit = content - 1
        for _ in range(self.draw(st.integers(1, 3))):
            indent = self.draw(st.integers(0, column + 4))
            if limit is not None:
                indent = min(indent, limit)
            if self.chance(50):
                self.lines.append(Line(" " * self.pick([0, 0, 0, indent]), None))
            else:
                self.lines.append(Line(" " * indent + "#" + self.comment_text(), None))

    def finish(self, newline: str) -> str:
        out = []
        for line in self.lines:
            text = line.text
            # A line holding only indentation (an empty value's) must not gain a tab: there it
            # would indent, which no YAML reader accepts. Replaced after the pick, so that the
            # draws stay the same.
            tabs_ok = line.end == "value" and bool(text.strip())
            if line.end is not None and self.chance(self.p["trailing"]):
                picked = self.pick([" ", "  ", "\t", " \t"] if line.end == "value" else [" "])
                text += picked if tabs_ok else picked.replace("\t", " ")
            if line.end is not None and self.chance(self.p["comment"]):
                space = " " if text.endswith((" ", "\t")) else self.pick([" ", "  ", " \t"])
                if not tabs_ok:
                    space = space.replace("\t", " ")
                text += space + "#" + self.comment_text()
            out.append(text + newline)
        return "".join(out)

    # -- properties

    def anchor_or_alias(self, value: Any) -> tuple[str, str | None]:
        """(properties such as `&a1 `, alias text) for a node about to be written."""
        key = _value_key(value)
        if key in self.anchored and self.chance(max(self.p["alias"], 30)):
            return "", "*" + self.anchored[key]
        repeated = self.repeats[key] > 1
        if self.chance(self.p["anchor"] * (3 if repeated else 1) // 2):
            self.anchor_serial += 1
            name = self.pick(["a", "id", "ref-", "x_", "Anchor", "n"]) + str(self.anchor_serial)
            self.anchored[key] = name
            return "&" + name, None
        return "", None

    # -- scalars

    def int_text(self, value: int) -> str:
        if not self.chance(self.p["spelling"]):
            return str(value)
        if value < 0:
            return self.pick([str(value), "-" + "0" * self.draw(st.integers(1, 2)) + str(-value)])
        return self.pick([
            "+" + str(value), f"0x{value:x}", f"0x{value:X}", f"0o{value:o}",
            "0" * self.draw(st.integers(1, 2)) + str(value),
        ])  # fmt: skip

    def float_text(self, value: float) -> str:
        """A YAML 1.2 core float spelling of `value` (never one an int reading could take)."""
        text = repr(value)
        if not self.chance(self.p["spelling"]):
            return text
        mantissa, _, exponent = text.partition("e")
        options = [text, text.upper()]
        if "." in mantissa:
            options.append(mantissa + "0" * self.draw(st.integers(1, 3)) + text[len(mantissa) :])
            if mantissa.endswith(".0"):
                options.append(mantissa[:-1] + text[len(mantissa) :])  # `5.`
            if mantissa.startswith(("0.", "-0.")) and mantissa not in ("0.0", "-0.0"):
                options.append(mantissa.replace("0.", ".", 1) + text[len(mantissa) :])  # `.5`
        if not exponent:
            options.append(text + "e0")
            options.append(text + "E+00")
        if not text.startswith("-"):
            options.append("+" + text)
        return self.pick(options)

    def null_text(self, *, empty_ok: bool) -> str:
        if not self.chance(self.p["spelling"]):
            return "null"
        return self.pick(["null", "~", "Null", "NULL"] + ([""] if empty_ok else []))

    def bool_text(self, value: bool) -> str:
        word = "true" if value else "false"
        if not self.chance(self.p["spelling"]):
            return word
        return self.pick([word, word.capitalize(), word.upper()])

    def double_tokens(self, value: str) -> list[str]:
        tokens = []
        for char in value:
            must = char in '"\\' or char == "\n" or _SPECIAL.search(char) is not None
            if not must and not self.chance(self.p["escape"] // 3):
                tokens.append(char)
                continue
            options = []
            if char in _NAMED_ESCAPES:
                options.append(_NAMED_ESCAPES[char])
            code = ord(char)
            if code <= 0xFF:
                options += [f"\\x{code:02x}", f"\\x{code:02X}"]
            if code <= 0xFFFF:
                options.append(f"\\u{code:04X}")
            options.append(f"\\U{code:08x}")
            tokens.append(self.pick(options))
        return tokens

    def continuation(self, column: int) -> str:
        return " " * (column + self.draw(st.integers(1, 4)))

    def broken(self, parts: list[str], points: list[int], column: int, joiner: str) -> list[str]:
        """Split `parts` (joined) over lines at some of `points` (indexes into parts); the part
        at a point is replaced by a line break (joiner "") or kept before an escaped one."""
        if not points:
            return ["".join(parts)]
        chosen = sorted(set(self.draw(st.lists(st.sampled_from(points), max_size=4))))
        lines, start = [], 0
        for point in chosen:
            if joiner == "\\":
                lines.append("".join(parts[start:point]) + "\\")
                start = point
            else:
                lines.append("".join(parts[start:point]))
                start = point + 1
        lines.append("".join(parts[start:]))
        return [lines[0]] + [self.continuation(column) + line for line in lines[1:]]

    def string_lines(self, value: str, column: int, *, flow: bool, key_column: int | None
                     ) -> tuple[list[str], tuple[int, bool] | None]:  # fmt: skip
        """`value` as a scalar: its first line (inline) and continuation lines; for a block
        scalar also (content column, keep). `column` is the parent's indentation."""
        multiline = not flow and self.chance(self.p["multiline"])
        styles = ["double"]
        if plain_ok(value, flow=flow) and "\n" not in value:
            styles += ["plain"] * (1 if self.chance(self.p["quote"]) else 6)
        if single_ok(value) and ("\n" not in value or multiline):
            styles += ["single"] * 2
        if not flow and self.chance(self.p["block"]):
            found = block_lines(value)
            if found is not None and (key_column is not None or not _needs_indicator(found[0])):
                styles += ["literal"] * 4
            if folded_ok(value):
                styles += ["folded"] * 4
        style = self.pick(styles)
        if style == "plain":
            if multiline and _fold_points(value):
                return self.broken(list(value), _fold_points(value), column, ""), None
            return [value], None
        if style == "single":
            if "\n" in value:
                return self.single_multiline(value, column), None
            text = value.replace("'", "''")
            if multiline and _fold_points(text):
                return _quoted(self.broken(list(text), _fold_points(text), column, ""), "'"), None
            return ["'" + text + "'"], None
        if style == "double":
            tokens = self.double_tokens(value)
            if multiline and len(tokens) > 1:
                folds = _fold_points("".join(t if len(t) == 1 else "x" for t in tokens))
                escaped = [
                    i
                    for i in range(1, len(tokens))
                    if not _white(tokens[i][0]) and not _white(tokens[i - 1][0])
                ]
                if folds and self.chance(50):
                    lines = self.broken(tokens, folds, column, "")
                else:
                    lines = self.broken(tokens, escaped, column, "\\")
                return _quoted(lines, '"'), None
            return ['"' + "".join(tokens) + '"'], None
        return self.block_scalar(value, style, column, key_column)

    def single_multiline(self, value: str, column: int) -> list[str]:
        """A single-quoted scalar whose line feeds are written as empty lines."""
        segments = value.replace("'", "''").split("\n")
        ok = (
            segments[0] and segments[-1]
            and all(s == s.strip(" \t") for s in segments[1:-1])
            and segments[0] == segments[0].rstrip(" \t")
            and segments[-1] == segments[-1].lstrip(" \t")
        )  # fmt: skip
        if not ok:
            return ['"' + "".join(self.double_tokens(value)) + '"']
        lines = ["'" + segments[0]]
        for segment in segments[1:]:
            if segment:
                lines.append("")
                lines.append(self.continuation(column) + segment)
            else:
                lines.append("")
        lines[-1] += "'"
        return lines

    def block_scalar(self, value: str, style: str, column: int, key_column: int | None
                     ) -> tuple[list[str], tuple[int, bool]]:  # fmt: skip
        found = block_lines(value)
        assert found is not None
        lines, trailing = found
        step = self.draw(st.integers(1, 4))
        content = key_column + step if key_column is not None else column + 1 + step
        indicator = ""
        if key_column is not None and (_needs_indicator(lines) or self.chance(20)):
            indicator = str(content - key_column)
        if style == "literal":
            chomp = "-" if trailing == 0 else "" if trailing == 1 else "+"
            body = [" " * content + line if line else "" for line in lines]
            body += [""] * max(trailing - 1, 0)
            head = "|"
        else:
            chomp = "-" if trailing == 0 else ""
            body = []
            for index, line in enumerate(lines):
                if index:
                    body.append("")
                if line:
                    points = _fold_points(line)
                    parts = self.broken(list(line), points, content - 1, "") if points else [line]
                    body.append(" " * content + parts[0])
                    body += [" " * content + part.lstrip(" ") for part in parts[1:]]
            head = ">"
        header = head + (indicator + chomp if self.chance(50) else chomp + indicator)
        return [header, *body], (content, chomp == "+")

    def scalar(self, value: Any, column: int, *, flow: bool, key_column: int | None
               ) -> tuple[list[str], tuple[int, bool] | None]:  # fmt: skip
        if isinstance(value, bool):
            text = self.bool_text(value)
            return [("!!bool " if self.chance(self.p["tag"] // 4) else "") + text], None
        if value is None:
            return [self.null_text(empty_ok=not flow and key_column is not None)], None
        if isinstance(value, float):
            return [self.float_text(value)], None
        if isinstance(value, int):
            text = self.int_text(value)
            tagged = self.chance(self.p["tag"] // 4) and not text.startswith("0o")
            return [("!!int " if tagged else "") + text], None
        assert isinstance(value, str), value
        lines, block = self.string_lines(value, column, flow=flow, key_column=key_column)
        if self.chance(self.p["tag"]):
            lines[0] = "!!str " + lines[0]
        return lines, block

    # -- collections

    def flow(self, value: Any, column: int, *, properties: bool = True) -> list[str]:
        """`value` in flow style: the first line is inline, the others full lines."""
        props, alias = self.anchor_or_alias(value) if properties else ("", None)
        if alias is not None:
            return [alias]
        prefix = props + " " if props else ""
        if not isinstance(value, dict | list):
            lines, _ = self.scalar(value, column, flow=True, key_column=None)
            return [prefix + lines[0]]
        open_, close = ("{", "}") if isinstance(value, dict) else ("[", "]")
        if not value:
            return [prefix + self.pick([open_ + close, open_ + " " + close])]
        inner = column + self.draw(st.integers(1, 3))
        items: list[list[str]] = []
        for key, item in self.keyed(value):
            lines = self.flow(item, inner)
            if key is not None:
                lines[0] = self.key_text(key, flow=True) + ": " + lines[0]
            items.append(lines)
        if not self.chance(self.p["multiline"] + 10):
            parts = [" ".join(lines[0:1]) for lines in items]
            if all(len(lines) == 1 for lines in items):
                spaced = self.chance(30)
                text = (", " if not self.chance(10) else ",").join(parts)
                return [prefix + open_ + (" " if spaced else "") + text + (" " if spaced else "")
                        + close]  # fmt: skip
        out = [prefix + open_]
        for index, lines in enumerate(items):
            last = index == len(items) - 1
            comma = "" if last and not self.chance(20) else ","
            out.append(" " * inner + lines[0])
            out += lines[1:]
            out[-1] += comma
        out.append(" " * self.pick([inner, max(column, 0)]) + close)
        return out

    def keyed(self, value: dict[str, Any] | list[Any]) -> list[tuple[str | None, Any]]:
        if isinstance(value, list):
            return [(None, item) for item in value]
        keys = list(value)
        if len(keys) > 1 and self.chance(self.p["shuffle"]):
            keys = self.draw(st.permutations(keys))
        return [(key, value[key]) for key in keys]

    def key_text(self, key: str, *, flow: bool = False) -> str:
        if not plain_ok(key, flow=True) or "'" in key or '"' in key or "\\" in key:
            # A free-form map's key: quoted as any string would be.
            quoted = ['"' + "".join(self.double_tokens(key)) + '"']
            if single_ok(key) and "\n" not in key:
                quoted.append("'" + key.replace("'", "''") + "'")
            text = self.pick(quoted)
        elif self.chance(self.p["key_style"]):
            text = self.pick(['"' + key + '"', "'" + key + "'"])
        else:
            text = key
        if not flow and self.chance(self.p["colon"]):
            text += " " * self.draw(st.integers(1, 3))
        return text

    def block_mapping(self, value: dict[str, Any], column: int, lead: str) -> None:
        for index, (key, item) in enumerate(self.keyed(value)):
            if index:
                self.gap(column)
            start = lead if index == 0 else " " * column
            if (
                self.explicit_keys
                and not isinstance(item, dict | list)
                and self.chance(self.p["key_style"] // 3)
            ):
                # An explicit key: `? key` and, on the next line, `: value`.
                self.emit(start + "?" + " " * self.pick([1, 1, 2]) + self.key_text(key), "spaces")
                head, explicit = " " * column + ":", True
            else:
                head, explicit = start + self.key_text(key) + ":", False
            self.node(head, item, column, in_sequence=False, explicit=explicit)

    def block_sequence(self, value: list[Any], column: int) -> None:
        for index, item in enumerate(value):
            if index:
                self.gap(column)
            self.node(" " * column + "-", item, column, in_sequence=True)

    def node(
        self, head: str, value: Any, column: int, *, in_sequence: bool, explicit: bool = False
    ) -> None:
        """A mapping value or sequence item; `head` ends with its `:` or `-` and `column` is
        the indentation of its key or dash."""
        separator = " " * self.pick([1, 1, 1, 1, 2, 3])
        props, alias = self.anchor_or_alias(value)
        if alias is not None:
            self.emit(head + separator + alias, "value")
            return
        props_text = separator + props if props else ""
        # libyaml takes no tab after a `-`, nor after the `:` of an explicit entry.
        head_end = "spaces" if in_sequence or explicit else "value"
        block = isinstance(value, dict | list) and value and not self.chance(self.p["flow"])
        if block and isinstance(value, dict):
            if in_sequence and not props and not self.chance(15):
                lead = head + separator
                self.block_mapping(value, len(lead), lead)
                return
            self.emit(head + props_text, head_end)
            self.gap(column)
            inner = column + self.pick([1, 2, 2, 2, 3, 4])
            self.block_mapping(value, inner, " " * inner)
            return
        if block:
            self.emit(head + props_text, head_end)
            self.gap(column)
            offsets = [1, 2, 2, 3, 4] if in_sequence else [0, 0, 1, 2, 2, 2, 3, 4]
            self.block_sequence(value, column + self.pick(offsets))
            return
        if isinstance(value, dict | list):
            lines = self.flow(value, column, properties=False)
            self.emit(head + separator + (props + " " if props else "") + lines[0], "value")
            for line in lines[1:]:
                self.emit(line, "value")
            return
        key_column = None if in_sequence else column
        lines, block_scalar = self.scalar(value, column, flow=False, key_column=key_column)
        if len(lines) == 1 and not props and self.chance(self.p["next_line"]):
            self.emit(head, head_end)
            self.emit(self.continuation(column) + lines[0], "value")
            return
        first_end = "spaces" if block_scalar else ("value" if len(lines) == 1 else None)
        self.emit(head + separator + (props + " " if props else "") + lines[0], first_end)
        for index, line in enumerate(lines[1:], 1):
            last = index == len(lines) - 1
            self.emit(line, "value" if last and block_scalar is None else None)
        if block_scalar is not None:
            self.after_block = block_scalar

    def document(self, data: dict[str, Any]) -> None:
        for value in _all_values(data):
            self.repeats[_value_key(value)] += 1
        self.gap(0)
        if self.chance(3):
            for line in self.flow(data, 0):
                self.emit(line, "value")
        else:
            column = 0 if not self.chance(5) else self.pick([1, 2])
            self.block_mapping(data, column, " " * column)
        self.gap(0)


@st.composite
def styled_records(
    draw: st.DrawFn,
    share: bool = True,
    explicit_keys: bool = True,
    records: st.SearchStrategy[dict[str, Any]] | None = None,
) -> tuple[str, str, dict[str, Any], str]:
    """(record text, its YAML, the data written, the body) in random styles; the data comes
    from `records` (default: article records, tests/strategies.py)."""
    data = draw(records if records is not None else S.records(share=share))
    body = draw(S.bodies())
    writer = Writer(draw, explicit_keys=explicit_keys)
    writer.document(data)
    newline = draw(st.sampled_from(["\n", "\n", "\r\n"]))
    yaml_text = writer.finish(newline)
    bom = "\ufeff" if draw(st.integers(0, 9)) == 0 else ""
    fence_space = st.sampled_from(["", "", "", " ", "\t", "  "])
    opening = "---" + draw(fence_space) + newline
    closing = "---" + draw(fence_space)
    if not body and draw(st.integers(0, 4)) == 0:
        tail = ""  # the closing fence ends the file
    else:
        separator = newline if body.startswith(newline) or draw(st.integers(0, 3)) else ""
        tail = newline + separator + body
    return bom + opening + yaml_text + closing + tail, yaml_text, data, body
