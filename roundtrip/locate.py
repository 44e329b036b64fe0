"""Where given paths of the data start in the text: one pass over the events, no node tree.

Placing a few problems needs no more than the offsets of the nodes and keys they name; a
record with a million unknown keys must not build a million nodes to place their warnings.
"""

from __future__ import annotations

from typing import Any

from .builders import token_start
from .tree import Path


class Locator:
    """Fed a text's events: records where the nodes at `nodes` and the keys at `keys` start.

    `node_at[path]` is the start of the node's own token (after any anchor and tag),
    `key_at[path]` that of the key naming it (-1 where the text has none: below an alias).
    `through_alias` is set when a path asked for leads below an alias (its nodes are the
    anchor's: only the span tree can follow it). `key_at` (its keys: the key paths asked for)
    is filled in place, keeping the caller's path objects: a million unknown keys must not
    make a million new tuples.
    """

    def __init__(self, text: str, nodes: set[Path], key_at: dict[Path, int], restore: Any) -> None:
        self.text = text
        self.nodes = nodes
        self.restore = restore
        self.node_at: dict[Path, int] = {}
        self.key_at = key_at
        for path in key_at:  # a second pass (the pure parser's) starts afresh
            key_at[path] = -1
        self.below = {path[:i] for path in nodes for i in range(len(path))}
        self.below.update({path[:-1] for path in self.key_at})
        self.through_alias = False
        # One entry per open collection: its path, and its next index or pending key.
        self._open: list[tuple[Path, list[Any]]] = []

    def scalar(self, event: Any) -> None:
        if self._open and self._pending_key():
            path, state = self._open[-1]
            key = event.value if self.restore is None else self.restore(event.value)
            if (*path, key) in self.key_at:
                self.key_at[(*path, key)] = token_start(self.text, event.start_mark.index)
            state[0] = key
            return
        self._node(event)
        self._advance()

    def start(self, event: Any, is_map: bool) -> None:
        path = self._node(event)
        self._open.append((path, [None if is_map else 0, is_map]))

    def end(self) -> None:
        self._open.pop()
        self._advance()

    def alias(self, event: Any) -> None:
        path = self._child_path()
        if path in self.nodes:
            self.node_at[path] = event.start_mark.index
        if path in self.below:
            self.through_alias = True
        self._advance()

    def _pending_key(self) -> bool:
        _, state = self._open[-1]
        return bool(state[1]) and state[0] is None

    def _child_path(self) -> Path:
        if not self._open:
            return ()
        path, state = self._open[-1]
        return (*path, state[0])

    def _node(self, event: Any) -> Path:
        path = self._child_path()
        if path in self.nodes:
            start = event.start_mark.index
            if event.anchor is not None or event.tag is not None:
                start = token_start(self.text, start)
            self.node_at[path] = start
        return path

    def _advance(self) -> None:
        if not self._open:
            return
        _, state = self._open[-1]
        state[0] = None if state[1] else state[0] + 1
