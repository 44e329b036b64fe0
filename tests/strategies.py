"""Hypothesis strategies for article records, derived from the article's JSON Schema.

The article is one format among others: the data comes from tests/schema_strategies.py walking
`rt.schema()` (properties and their order, `required`, `type`, `format`, `pattern`, limits,
`items`, `$ref`/`$defs`), so that a change to the schema changes the data generated (and a
keyword the walk does not know makes it fail loudly instead of generating data that silently
misses the new rule).

The data is plain JSON data with the schema's camelCase keys, in schema order, each optional
field sometimes absent. Nothing here re-implements the library's comparison or normalisation:
the properties judge by reading the output with other YAML readers (tests/judge.py).
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

import roundtrip as rt

from .schema_strategies import (  # noqa: F401  (the article's tests use them through here)
    AWKWARD,
    BODY_LINES,
    WORDS,
    SchemaData,
    bodies,
    date_time_texts,
    get_path,
    pattern_strings,
    set_path,
    texts,
    uris,
)

SCHEMA: dict[str, Any] = rt.schema()
ARTICLE = SchemaData(SCHEMA)

resolve = ARTICLE.resolve
child = ARTICLE.child
shape = ARTICLE.shape


def from_schema(node: dict[str, Any], depth: int = 0) -> st.SearchStrategy[Any]:
    """Valid values for the (sub)schema `node` of the article schema."""
    return ARTICLE.values(node, depth)


def records(share: bool = True) -> st.SearchStrategy[dict[str, Any]]:
    """Article front matter data valid under the schema; with `share`, some values repeat."""
    return ARTICLE.records(share)
