"""The typed record: attrs classes mirroring the schema, in its property order.

Attributes are snake_case; the converter (convert.py) maps them to the schema's camelCase keys.
Every class is mutable; `extra` holds keys the schema does not know, kept only in lenient mode.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import attrs

from .document import SourceDocument


def _short(value: str) -> str:
    return repr(value) if len(value) <= 24 else repr(value[:20] + "...")


@attrs.define(kw_only=True)
class Provider:
    """Who published an article."""

    name: str
    domain: str
    extra: dict[str, Any] = attrs.field(factory=dict, repr=False)


@attrs.define(kw_only=True)
class Image:
    """An image of an article."""

    url: str
    width: int
    height: int
    is_cached: bool
    extra: dict[str, Any] = attrs.field(factory=dict, repr=False)


@attrs.define(kw_only=True)
class RelatedArticle:
    """A summary of another article, shown beside this one."""

    title: str
    excerpt: str
    published_date_time: datetime
    web_url: str
    amp_web_url: str | None = None
    cdn_amp_web_url: str | None = None
    type: str
    provider: Provider
    quality: int
    images: list[Image] | None = None
    extra: dict[str, Any] = attrs.field(factory=dict, repr=False)


@attrs.define(kw_only=True)
class Article:
    """One article record: its front matter fields and the body after the closing fence.

    A record loaded from text remembers that text (`source`), so that writing it back changes
    only what was edited; `attrs.evolve` carries the source along.
    """

    category: str
    title: str
    excerpt: str
    published_date_time: datetime
    original_url: str
    web_url: str
    amp_web_url: str | None = None
    cdn_amp_web_url: str | None = None
    type: str
    quality: int
    heat: int
    published: bool
    provider: Provider
    topics: list[str]
    images: list[Image] | None = None
    related: list[RelatedArticle]
    secured: str = attrs.field(repr=_short)
    extra: dict[str, Any] = attrs.field(factory=dict, repr=False)
    body: str = attrs.field(default="", repr=_short)
    _source: SourceDocument | None = attrs.field(default=None, eq=False, repr=False, alias="source")

    @property
    def source(self) -> SourceDocument | None:
        """The text this record was loaded from, or None for a record built in code."""
        return self._source


RECORD_CLASSES: tuple[type, ...] = (Article, RelatedArticle, Provider, Image)
# Attributes that are not front matter fields.
NOT_FIELDS = frozenset({"extra", "body", "_source"})
