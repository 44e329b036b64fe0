"""The source text a record was loaded from: the "trivia" kept under the typed model."""

from __future__ import annotations

import os
from typing import Any

from .envelope import Envelope
from .parse import parse_data, parse_tree
from .tree import Mapping


class SourceDocument:
    """A parsed record text: its envelope and the data its YAML holds.

    `origin` is the absolute name of the file the text was read from, if any: writing the
    record back there first checks that the file still holds `text` (compare-and-swap).
    `data` is the front matter exactly as the text holds it (date-times as written: the model
    keeps their text); writing a record back compares the record's data with it and splices
    only the differences. `unread` counts the top-level keys of the text that `data` leaves
    out (unknown keys a lenient read of a large text did not keep: see unread.py). The
    node tree with every span (`root`) is built on first use: verifying an unedited record
    never needs it.
    """

    __slots__ = ("_root", "checked_by", "data", "envelope", "origin", "path", "unread")

    def __init__(self, path: str | None, envelope: Envelope, data: dict[str, Any], *,
                 checked_by: object = None, unread: int = 0) -> None:  # fmt: skip
        self.path = path
        self.origin = None if path is None else os.path.abspath(path)
        self.envelope = envelope
        self.data = data
        self.checked_by = checked_by  # the validator that found `data` valid, if one did
        self.unread = unread
        self._root: Mapping | None = None

    def __getstate__(self) -> tuple[None, dict[str, Any]]:
        # A copy or a pickle does not carry `checked_by`: another process has its own
        # validators, and copying one would rebuild it. Its edits are then checked whole.
        state = {name: getattr(self, name) for name in self.__slots__}
        state["checked_by"] = None
        return None, state

    @property
    def root(self) -> Mapping:
        """The YAML as nodes with their spans in `envelope.yaml`."""
        if self._root is None:
            self._root = parse_tree(self.envelope.yaml)
        return self._root

    def all_data(self) -> dict[str, Any]:
        """The front matter with every key, the unread ones too (read from the text again)."""
        if not self.unread:
            return self.data
        return parse_data(self.envelope.yaml, first_line=self.envelope.yaml_line)

    @property
    def text(self) -> str:
        """The record's text exactly as it was read."""
        return "".join(self.parts)

    @property
    def parts(self) -> tuple[str, ...]:
        """The record's text exactly as it was read, in pieces (a large text not copied)."""
        return self.envelope.parts(self.envelope.yaml, self.envelope.body)
