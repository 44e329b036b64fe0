"""The one place the command line and the API get "the format" (its schema) from.

Today it is always the built-in article schema; `--schema` and `schema = ...` in
`[tool.roundtrip]` (issue 9) will choose another here, and every command follows.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .links import LinkRule


def current_schema() -> dict[str, Any]:
    """The schema records are judged by (shared: do not mutate)."""
    from .article_schema import load_schema

    return load_schema()


def current_schema_name() -> str:
    """How messages name the current format: its schema's title, or its file."""
    return str(current_schema().get("title", "the schema"))


@functools.cache
def current_link_rule() -> LinkRule | None:
    """The rule `verify --links` checks, from the schema's `x-roundtrip-links` (None: none)."""
    from .links import LinkRule

    return LinkRule.from_schema(current_schema())
