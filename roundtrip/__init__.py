"""roundtrip: read, validate, edit and write YAML front matter article records losslessly.

    import roundtrip as rt
    article = rt.load("golden/000_6bef1e912cfb9f3e.txt")
    article.heat = 80
    rt.dump(article, "golden/000_6bef1e912cfb9f3e.txt")  # only the `heat:` line changes

The model and engine load on first use, so that importing the package (and the command line's
`--help`) stays fast.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .errors import (
    ConflictError,
    EmitError,
    EnvelopeError,
    LimitError,
    ParseError,
    Problem,
    RoundtripError,
    RoundtripWarning,
    SchemaError,
)

if TYPE_CHECKING:
    from .api import dump, dumps, from_dict, load, loads, schema, to_dict
    from .model import Article, Image, Provider, RelatedArticle

__version__ = "0.1.0"

_LAZY = {
    "load": "api", "loads": "api", "dump": "api", "dumps": "api", "to_dict": "api",
    "from_dict": "api", "schema": "api",
    "Article": "model", "RelatedArticle": "model", "Provider": "model", "Image": "model",
}  # fmt: skip

__all__ = [
    "Article",
    "ConflictError",
    "EmitError",
    "EnvelopeError",
    "Image",
    "LimitError",
    "ParseError",
    "Problem",
    "Provider",
    "RelatedArticle",
    "RoundtripError",
    "RoundtripWarning",
    "SchemaError",
    "__version__",
    "dump",
    "dumps",
    "from_dict",
    "load",
    "loads",
    "schema",
    "to_dict",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'roundtrip' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value
