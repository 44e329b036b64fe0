"""libyaml's syntax errors as ParseErrors placed where the fix goes, and checks libyaml lacks."""

from __future__ import annotations

import re

from ruamel.yaml.error import MarkedYAMLError, YAMLError

from .builders import Places
from .errors import ParseError, RoundtripError

_QUOTE_OPENS = re.compile(r"""(?:^|[\s:\[{,-])(["'])""")
_DIRECTIVE = re.compile(r"^%[^\n]*", re.MULTILINE)
_LINE_START_BOM = re.compile("^\ufeff", re.MULTILINE)
_KEY_PREFIX = re.compile(r"^[ \t]*(?:-[ \t]+)*|:[ \t]+")
_SIMPLE_KEY_LIMIT = 1024  # libyaml's (and YAML's) longest implicit key


def check_text(places: Places) -> None:
    """Refuse what libyaml would read differently from the text: a BOM starting a line."""
    text = places.text
    if "\ufeff" in text:
        bom = _LINE_START_BOM.search(text)
        if bom is not None:
            raise places.error(
                ParseError,
                "a byte order mark (U+FEFF) starts this line: only the file may start with one",
                bom.start(),
            )


def syntax_error(error: YAMLError, places: Places) -> RoundtripError:
    """The ParseError for a libyaml error, placed where the fix goes."""
    text = places.text
    if isinstance(error, MarkedYAMLError) and error.problem_mark is not None:
        at = error.problem_mark.index
        problem = error.problem or ""
        message = " ".join(part for part in (problem, error.context) if part)
        directive = _DIRECTIVE.search(text, 0, at + 1)
        quote = _unclosed_quote(text, at)
        if directive is not None and "document start" in problem:
            return places.error(
                ParseError,
                f"directives ({directive[0].split()[0]}) are not allowed between the fences:"
                " a record's YAML is one document without directives",
                directive.start(),
            )
        if error.context_mark is not None and (
            "end of stream" in problem or problem.startswith("did not find expected ',' or")
        ):
            # An unclosed quote or bracket: where it opened is where the fix goes.
            what = "a bracket" if "flow" in (error.context or "") else "a quote"
            return places.error(
                ParseError,
                f"YAML syntax error: {message} ({what} opened here is not closed)",
                error.context_mark.index,
            )
        key_start = _long_key_start(text, at)
        if "mapping values are not allowed" in problem and key_start is not None:
            return places.error(
                ParseError,
                f"YAML syntax error: an implicit key longer than {_SIMPLE_KEY_LIMIT} characters"
                " (write it shorter, or as an explicit `? key`)",
                key_start,
            )
        if text[at : at + 1] == "\t":
            message = "a tab cannot indent YAML (use spaces): " + message
        elif quote is not None:
            at = quote
            message = f"a quoted value is not closed (its quote opens here): {message}"
        return places.error(ParseError, f"YAML syntax error: {message}", at)
    position = getattr(error, "position", None)
    if isinstance(position, int):  # a reader error: a character YAML does not allow
        character = getattr(error, "character", None)
        shown = f"U+{character:04X}" if isinstance(character, int) else repr(character)
        reason = getattr(error, "reason", "not allowed")
        return places.error(
            ParseError, f"character {shown} is not allowed in YAML ({reason})", position
        )
    return ParseError(f"YAML error: {error}".replace("\n", " "))


def _long_key_start(text: str, at: int) -> int | None:
    """Where the implicit key ending at the `:` at `at` starts, if it is too long to be one."""
    line_start = text.rfind("\n", 0, at) + 1
    head = text[line_start:at]
    # The key starts after the line's indentation and dashes, or the last `: ` of an outer key.
    start = line_start + max(match.end() for match in _KEY_PREFIX.finditer(head))
    return start if at - start > _SIMPLE_KEY_LIMIT else None


def _unclosed_quote(text: str, end: int) -> int | None:
    """Where the last line before `end` opens a quote it never closes, if one does.

    libyaml reports an unclosed quote where the scalar it swallowed stops making sense, often
    lines later; the line with the open quote is where the fix goes.
    """
    found = None
    line_end = text.find("\n", end)
    for line in re.finditer(r"[^\n]*", text[: len(text) if line_end < 0 else line_end]):
        opening = _QUOTE_OPENS.search(line[0])
        if opening is None:
            continue
        rest = line[0][opening.end() :]
        closing = r'(?<!\\)"' if opening[1] == '"' else r"'(?!')"
        if re.search(closing, rest) is None:
            found = line.start() + opening.start(1)
    return found
