"""The one place the command line and the API get "the format" (its schema) from.

Today it is always the built-in article schema; `--schema` and `schema = ...` in
`[tool.roundtrip]` (issue 9) will choose another here, and every command follows.
"""

from __future__ import annotations

from typing import Any


def current_schema() -> dict[str, Any]:
    """The schema records are judged by (shared: do not mutate)."""
    from .article_schema import load_schema

    return load_schema()
