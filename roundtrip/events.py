"""The YAML events of a text, as YAML 1.2 reads it.

libyaml (through `_ruamel_yaml`) is fast and marks every event with its source offsets, but it
reads two things the YAML 1.1 way: it breaks lines at NEL, LS and PS (U+0085, U+2028, U+2029),
where YAML 1.2 keeps them as characters, and it rejects a `:` inside a flow plain scalar
(`[AI:ML]`), which YAML 1.2 reads as part of the scalar. The first is read YAML 1.2's way by
handing libyaml a text where those characters stand in as private-use characters of the same
length (so every offset is unchanged) and swapping them back in the values; for the second, the
file is read with ruamel.yaml's pure-Python parser, which accepts it, with the same offsets.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from _ruamel_yaml import CParser
from ruamel.yaml.error import YAMLError

from .errors import ParseError
from .tree import place

YAML11_BREAKS = "\x85\u2028\u2029"
# libyaml's errors that YAML 1.2 readers do not raise, so the pure parser gets a try.
_STRICTER_THAN_YAML12 = ("found unexpected ':'",)


class Translation:
    """Stand-ins for the YAML 1.1 line breaks in a text, and the way back in values."""

    def __init__(self, text: str, first_line: int = 1) -> None:
        self.to_text: dict[int, str] | None = None
        self.text = text
        if "\x85" not in text and "\u2028" not in text and "\u2029" not in text:
            return  # (the YAML11_BREAKS, tested one by one: no generator for every record)
        used = set(text)
        spare = [chr(code) for code in range(0xE000, 0xF900) if chr(code) not in used][:3]
        if len(spare) < len(YAML11_BREAKS):  # a text using every private-use character
            at = min(text.find(char) for char in YAML11_BREAKS if char in text)
            line, column = place(text, at)
            raise ParseError(
                f"U+{ord(text[at]):04X} (a line break in YAML 1.1, a character in YAML 1.2)"
                " cannot be read unambiguously in this text; escape it in a double-quoted string",
                line=line + first_line - 1,
                column=column,
            )
        stand_ins = dict(zip(YAML11_BREAKS, spare, strict=True))
        self.text = text.translate({ord(c): s for c, s in stand_ins.items()})
        self.to_text = {ord(s): c for c, s in stand_ins.items()}
        self._pattern = re.compile("[" + "".join(stand_ins.values()) + "]")

    @property
    def restore(self) -> Callable[[str], str] | None:
        """What gives a scalar's value its original characters back; None: nothing to do."""
        return self._value if self.to_text is not None else None

    def _value(self, text: str) -> str:
        if self.to_text is None or self._pattern.search(text) is None:
            return text
        return text.translate(self.to_text)


# What an event is, as a small int: compared faster than classes, and the same for libyaml's
# events and the pure parser's. All are true.
SCALAR, MAP, SEQ, END, ALIAS, DOCUMENT, STREAM_END, OTHER = range(1, 9)
_KIND_NAMES = {
    "ScalarEvent": SCALAR, "MappingStartEvent": MAP, "SequenceStartEvent": SEQ,
    "MappingEndEvent": END, "SequenceEndEvent": END, "AliasEvent": ALIAS,
    "DocumentStartEvent": DOCUMENT, "StreamEndEvent": STREAM_END,
}  # fmt: skip
KINDS: dict[type, int] = {}  # event class -> kind, filled by event_kind


def event_kind(cls: type) -> int:
    """The kind of events of class `cls` (look in KINDS first: this fills it)."""
    kind = KINDS.get(cls)
    if kind is None:
        kind = KINDS[cls] = _KIND_NAMES.get(cls.__name__, OTHER)
    return kind


def c_events(text: str) -> Iterator[Any]:
    """libyaml's parse events of `text` (already translated), up to the stream's end; raises
    YAMLError."""
    parser = CParser(text)
    return iter(parser.get_event, None)  # libyaml gives no None: the caller stops at the end


def stricter_than_yaml12(error: YAMLError) -> bool:
    """Whether libyaml may have refused something that YAML 1.2 readers accept: a `:` in a
    flow plain scalar (`[AI:ML]`), or one starting it (`[:x]`)."""
    problem = str(getattr(error, "problem", ""))
    context = str(getattr(error, "context", ""))
    return problem.startswith(_STRICTER_THAN_YAML12) or (
        problem.startswith("did not find expected node content") and "flow" in context
    )


def pure_events(text: str) -> Iterator[Any]:
    """The parse events of `text` from ruamel.yaml's pure-Python YAML 1.2 parser (slower)."""
    from ruamel.yaml import YAML  # loaded only for the rare file that needs it

    # "safe", not "rt": the round-trip scanner marks folds in folded scalars with a BEL (U+0007).
    return iter(YAML(typ="safe", pure=True).parse(text))
