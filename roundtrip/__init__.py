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
import sys
import types
from typing import TYPE_CHECKING, Any

from .errors import (
    ConflictError,
    EmitError,
    EnvelopeError,
    FormatError,
    LimitError,
    ParseError,
    Problem,
    RoundtripError,
    RoundtripWarning,
    SchemaError,
)

if TYPE_CHECKING:
    from .api import dump, dumps, from_dict, load, loads, schema, to_dict
    from .corpus import verify
    from .model import Article, Image, Provider, RelatedArticle
    from .record_format import Format

    ARTICLE: Format
    from .patching import PatchTestFailed, patch
    from .query import get
    from .validation import validate

__version__ = "0.1.0"

_LAZY = {
    "load": "api", "loads": "api", "dump": "api", "dumps": "api", "to_dict": "api",
    "from_dict": "api", "schema": "api",
    "Format": "record_format",
    "get": "query", "patch": "patching", "PatchTestFailed": "patching", "validate": "validation",
    "Article": "model", "RelatedArticle": "model", "Provider": "model", "Image": "model",
}  # fmt: skip

__all__ = [
    "ARTICLE",
    "Article",
    "ConflictError",
    "EmitError",
    "EnvelopeError",
    "Format",
    "FormatError",
    "Image",
    "LimitError",
    "ParseError",
    "PatchTestFailed",
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
    "get",
    "load",
    "loads",
    "patch",
    "schema",
    "to_dict",
    "validate",
    "verify",
]


def __getattr__(name: str) -> Any:
    if name == "ARTICLE":  # the built-in format, built on first use
        from .record_format import article

        globals()[name] = article()
        return globals()[name]
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'roundtrip' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


class _Verify:
    """`rt.verify(paths, ...)` verifies records (see `corpus.verify`); used as a namespace it
    is the `roundtrip.verify` module, so `import roundtrip.verify as v` keeps working."""

    __slots__ = ()  # no instance dict: attribute writes and reads all reach the module

    def __call__(self, paths: Any, **options: Any) -> Any:
        from .corpus import verify

        return verify(paths, **options)

    def __getattr__(self, name: str) -> Any:
        return getattr(importlib.import_module(".verify", __name__), name)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(importlib.import_module(".verify", __name__), name, value)


class _Package(types.ModuleType):
    def __setattr__(self, name: str, value: Any) -> None:
        # Importing the submodule `roundtrip.verify` sets this attribute: keep the function.
        if name == "verify" and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


if not TYPE_CHECKING:
    verify = _Verify()
    sys.modules[__name__].__class__ = _Package
