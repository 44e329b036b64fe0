"""The source text a record was loaded from: the "trivia" kept under the typed model."""

from __future__ import annotations

from typing import Any

import attrs

from .envelope import Envelope
from .tree import Mapping


@attrs.frozen(eq=False)
class SourceDocument:
    """A parsed record text: its envelope, its YAML as nodes, and the data the text holds.

    `data` is the front matter as the model writes it (see convert.normalize); writing a
    record back compares the record's data with it and splices only the differences.
    """

    path: str | None
    envelope: Envelope
    root: Mapping
    data: dict[str, Any]

    @property
    def text(self) -> str:
        """The record's text exactly as it was read."""
        return self.envelope.render(self.envelope.yaml, self.envelope.body)
