"""The envelope of a record: BOM, the `---` fences, line endings and the body around the YAML."""

from __future__ import annotations

import bisect
import re
from array import array

import attrs

from .errors import EnvelopeError

BOM = "\ufeff"
_OPEN_FENCE = re.compile(r"---[ \t]*(\r\n|\n)")
_FENCE = re.compile(r"---[ \t]*(?:\r\n|\n|\Z)")


@attrs.frozen
class Envelope:
    """Everything of a record's text except the YAML, kept verbatim.

    `separator` is the blank line between the closing fence and the body, when there is one;
    the body is what follows it.
    """

    bom: str
    open_fence: str
    yaml: str
    close_fence: str
    separator: str
    body: str
    _line_starts: array[int] | None = attrs.field(default=None, init=False, eq=False, repr=False)

    @property
    def newline(self) -> str:
        """The line ending the document uses, taken from its opening fence."""
        return "\r\n" if self.open_fence.endswith("\r\n") else "\n"

    @property
    def yaml_line(self) -> int:
        """1-based line number of the first YAML line in the file."""
        return 2

    def position(self, index: int) -> tuple[int, int]:
        """The file's 1-based (line, column) of an index into `yaml`."""
        if self._line_starts is None:  # built once: an error report may place many problems
            # (an array, not a list: the record keeps it, 8 bytes a line rather than 36)
            starts = array("q", [0])
            starts.extend(match.end() for match in re.finditer("\n", self.yaml))
            object.__setattr__(self, "_line_starts", starts)
        assert self._line_starts is not None
        line = bisect.bisect_right(self._line_starts, index)
        return line + self.yaml_line - 1, index - self._line_starts[line - 1] + 1

    def parts(self, yaml: str, body: str) -> tuple[str, ...]:
        """The pieces of the record text with new YAML and body in this envelope, in order."""
        close_fence, separator = self.close_fence, self.separator
        if body and not close_fence.endswith("\n"):  # a body needs the fence's line ended
            close_fence += self.newline
            separator = self.newline
        elif not separator and body.startswith(self.newline):
            # The reader takes one line break after the fence as the separator.
            separator = self.newline
        return (self.bom, self.open_fence, yaml, close_fence, separator, body)

    def render(self, yaml: str, body: str) -> str:
        """The whole record text with new YAML and body in this envelope."""
        return "".join(self.parts(yaml, body))


def canonical_envelope(yaml: str, body: str) -> tuple[str, ...]:
    """The pieces of a record with no source text: LF, no BOM, a blank line after `---`."""
    return ("---\n", yaml, "---\n", "\n", body)


def _closing_fence(text: str, start: int) -> re.Match[str] | None:
    """The first `---` line from `start` (a line start) on: found by `str.find`, which is many
    times faster than a multi-line regex search over the whole front matter."""
    at = start
    while True:
        if text.startswith("---", at):
            fence = _FENCE.match(text, at)
            if fence is not None:
                return fence
        found = text.find("\n---", at)
        if found < 0:
            return None
        at = found + 1


def split_envelope(text: str) -> Envelope:
    """Split a record's text into its envelope and its YAML, or raise EnvelopeError."""
    if not text:
        raise EnvelopeError(
            "the file is empty; a record starts with a `---` line", line=1, column=1
        )
    nul = text.find("\x00")
    if nul >= 0:
        line = text.count("\n", 0, nul) + 1
        column = nul - (text.rfind("\n", 0, nul) + 1) + 1
        raise EnvelopeError(
            "NUL byte: this is binary data, not a text record", line=line, column=column
        )
    bom = BOM if text.startswith(BOM) else ""
    opening = _OPEN_FENCE.match(text, len(bom))
    if opening is None:
        raise EnvelopeError("missing opening fence: the first line must be `---`", line=1, column=1)
    closing = _closing_fence(text, opening.end())
    if closing is None:
        last_line = text.count("\n") + (0 if text.endswith("\n") else 1)
        raise EnvelopeError(
            "missing closing fence: no `---` line ends the front matter", line=last_line, column=1
        )
    newline = opening.group(1)
    rest = text[closing.end() :]
    separator = newline if rest.startswith(newline) else ""
    return Envelope(
        bom=bom,
        open_fence=opening.group(0),
        yaml=text[opening.end() : closing.start()],
        close_fence=closing.group(0),
        separator=separator,
        body=rest[len(separator) :],
    )
