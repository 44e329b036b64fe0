"""The YAML of a record as nodes with their spans in the source text.

Offsets are indices into the front matter's YAML text (as Python str indices); `line` and
`column` are 0-based within it. Every node carries the plain data it stands for in `data`,
shared between an anchor and its aliases.
"""

from __future__ import annotations

from typing import Any, TypeAlias

Data: TypeAlias = Any
Path: TypeAlias = tuple[str | int, ...]


class Scalar:
    """A scalar: `start`/`end` span its token (quotes included), after any anchor or tag."""

    __slots__ = ("anchor", "column", "data", "end", "line", "start", "style", "tag")

    def __init__(
        self,
        data: Data,
        style: str | None,
        start: int,
        end: int,
        line: int,
        column: int,
        anchor: str | None,
        tag: str | None,
    ) -> None:
        self.data = data
        self.style = style
        self.start = start
        self.end = end
        self.line = line
        self.column = column
        self.anchor = anchor
        self.tag = tag


class Entry:
    """One `key: value` pair of a mapping."""

    __slots__ = ("key", "value")

    def __init__(self, key: Scalar, value: Node) -> None:
        self.key = key
        self.value = value

    @property
    def name(self) -> str:
        name: str = self.key.data
        return name


class Mapping:
    """A mapping; for a flow mapping `end` is just past its `}`."""

    __slots__ = ("_index", "anchor", "column", "data", "end", "entries", "flow", "line", "start")

    def __init__(self, flow: bool, start: int, line: int, column: int, anchor: str | None) -> None:
        self.flow = flow
        self.start = start
        self.line = line
        self.column = column
        self.anchor = anchor
        self.end = start
        self.entries: list[Entry] = []
        self.data: dict[str, Data] = {}
        self._index: dict[str, Entry] | None = None

    def entry(self, name: str) -> Entry | None:
        """The entry with key `name` (indexed on first use: error reports look up many)."""
        if self._index is None or len(self._index) != len(self.entries):
            self._index = {entry.key.data: entry for entry in self.entries}
        return self._index.get(name)


class Sequence:
    """A sequence; for a flow sequence `end` is just past its `]`."""

    __slots__ = ("anchor", "column", "data", "end", "flow", "items", "line", "start")

    def __init__(self, flow: bool, start: int, line: int, column: int, anchor: str | None) -> None:
        self.flow = flow
        self.start = start
        self.line = line
        self.column = column
        self.anchor = anchor
        self.end = start
        self.items: list[Node] = []
        self.data: list[Data] = []


class Alias:
    """An alias `*name`, standing for the node that carries the anchor."""

    __slots__ = ("column", "end", "line", "name", "start", "target")

    def __init__(
        self, name: str, target: Node, start: int, end: int, line: int, column: int
    ) -> None:
        self.name = name
        self.target = target
        self.start = start
        self.end = end
        self.line = line
        self.column = column

    @property
    def data(self) -> Data:
        return self.target.data


Node: TypeAlias = Scalar | Mapping | Sequence | Alias


def place(text: str, index: int) -> tuple[int, int]:
    """1-based line and column of `index` in `text`, counting only `\\n` as a line break.

    libyaml also breaks lines at a lone CR; editors and `grep -n` do not.
    """
    return text.count("\n", 0, index) + 1, index - text.rfind("\n", 0, index)


def node_at(root: Node, path: Path) -> tuple[Node, Scalar | None]:
    """The deepest node along `path` and, when the path ends at a mapping key, that key."""
    node, key = root, None
    for part in path:
        target = node.target if isinstance(node, Alias) else node
        if isinstance(target, Mapping) and isinstance(part, str):
            entry = target.entry(part)
            if entry is None:
                break
            node, key = entry.value, entry.key
        elif (
            isinstance(target, Sequence) and isinstance(part, int) and 0 <= part < len(target.items)
        ):
            node, key = target.items[part], None
        else:
            break
    return node, key
