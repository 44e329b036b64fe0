"""The built-in article format's schema and validation, for callers that want only those.

Everything here is `rt.ARTICLE`'s (record_format.article()): one schema read, one validator.
"""

from __future__ import annotations

from typing import Any

from .fastcheck import Check
from .validator import Validator
from .validator import Violation as Violation  # the type validate() returns, re-exported


def load_schema() -> dict[str, Any]:
    """The article schema as parsed JSON (shared: do not mutate)."""
    from .record_format import article

    return article().document.document


def validation_schema() -> dict[str, Any]:
    """The schema data is checked against: the article schema with its formats' patterns
    (what `roundtrip schema export --lang jsonschema` writes; shared: do not mutate)."""
    from .record_format import article

    return article().validation_schema


def article_validator() -> Validator:
    """The article's Validator, built once."""
    from .record_format import article

    validator: Validator = article().validator
    return validator


def fast_check() -> Check:
    """The article's compiled yes/no check (built on first use)."""
    return article_validator().check


def validate(data: Any, *, fast: bool = True) -> list[Violation]:
    """Every violation of the article schema by `data` (see Validator.validate)."""
    return article_validator().validate(data, fast=fast)
