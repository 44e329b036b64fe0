"""What every record class shares, generated or made at run time: its source text."""

from __future__ import annotations

from .document import SourceDocument

__all__ = ["Record", "SourceDocument", "short_repr"]


class Record:
    """The base of a format's root class: a record remembers the text it was loaded from
    (`source`), so that writing it back changes only what was edited; `attrs.evolve` carries
    the source along."""

    __slots__ = ()
    _source: SourceDocument | None

    @property
    def source(self) -> SourceDocument | None:
        """The text this record was loaded from, or None for a record built in code."""
        return self._source


def short_repr(value: str) -> str:
    """A long string shortened for a record's repr (bodies and blobs)."""
    return repr(value) if len(value) <= 24 else repr(value[:20] + "...")
