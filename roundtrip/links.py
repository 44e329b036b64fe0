"""`verify --links`: the rule a format's records link by, read from its schema, and the join.

The rule is the root annotation `x-roundtrip-links` of the schema:

    "x-roundtrip-links": {"key": "webUrl", "list": "related", "fields": ["title", ...]}

Each record is known by the value of its top-level property `key`. Each item of its top-level
array `list` names another record by the item's own `key`, and must agree with every record of
that key on each of `fields` (properties of both the record and the item). A field whose schema
says `"format": "date-time"` agrees when both name the same instant (`...09:00:00Z` and
`...09:00:00+00:00`). A schema without the annotation defines no links.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import attrs

from .errors import Problem, RoundtripError

ANNOTATION = "x-roundtrip-links"


class LinkRuleError(RoundtripError):
    """The schema's `x-roundtrip-links` does not describe links its records can have."""


@attrs.frozen
class LinkRule:
    """What `--links` checks: records known by `key`, whose `list` items must agree with the
    record they name on `fields`; `instants` are the fields compared as date-times."""

    key: str
    list: str
    fields: tuple[str, ...]
    instants: frozenset[str] = frozenset()

    @classmethod
    def from_schema(cls, schema: dict[str, Any]) -> LinkRule | None:
        """The rule a schema declares, checked against its properties; None without one."""
        from .schema_doc import SchemaDocument

        return cls.from_root(SchemaDocument(schema).root)

    @classmethod
    def from_root(cls, root: dict[str, Any]) -> LinkRule | None:
        """The rule of a resolved root schema (a format's `root_schema`: `$ref`s followed)."""
        annotation = root.get(ANNOTATION)
        if annotation is None:
            return None
        return _parse(annotation, root)


def _parse(annotation: Any, schema: dict[str, Any]) -> LinkRule:
    where = f"#/{ANNOTATION}"
    if not isinstance(annotation, dict) or set(annotation) != {"key", "list", "fields"}:
        raise LinkRuleError(
            f'{where}: expected {{"key": PROPERTY, "list": PROPERTY, "fields": [PROPERTY, ...]}}, '
            f"got {annotation!r}"
        )
    key, listed, fields = annotation["key"], annotation["list"], annotation["fields"]
    root = _properties(schema)
    for name, value in (("key", key), ("list", listed)):
        if not isinstance(value, str) or value not in root:
            raise LinkRuleError(f"{where}/{name}: {value!r} is not a property of the record")
    array = _node(root[listed])
    item = _node(array.get("items")) if array.get("type") == "array" else {}
    item_properties = _properties(item)
    if not item_properties:
        raise LinkRuleError(f"{where}/list: {listed!r} is not an array of objects")
    if key not in item_properties:
        raise LinkRuleError(f"{where}/key: the items of {listed!r} have no property {key!r}")
    if not isinstance(fields, list) or not fields or len(set(map(str, fields))) != len(fields):
        raise LinkRuleError(f"{where}/fields: expected a non-empty list of distinct properties")
    instants = set()
    for index, field in enumerate(fields):
        if not isinstance(field, str) or field not in root or field not in item_properties:
            raise LinkRuleError(
                f"{where}/fields/{index}: {field!r} is not a property of both the record "
                f"and the items of {listed!r}"
            )
        nodes = (root[field], item_properties[field])
        formats = {_node(node).get("format") for node in nodes}
        if "date-time" in formats:
            instants.add(field)
    return LinkRule(key, listed, tuple(fields), frozenset(instants))


def _properties(node: dict[str, Any]) -> dict[str, Any]:
    properties = node.get("properties", {})
    return properties if isinstance(properties, dict) else {}


def _node(node: Any) -> dict[str, Any]:
    return node if isinstance(node, dict) else {}


# What --links joins on the key, and all of a record it needs: the linked fields only.
# A target is a record: (key, order, name, its linked fields).
# A reference is a list item: (its key, order, name, index, its linked fields, and where each
# of them is in the file). `order` is the file's place in the listing.
LinkTarget = tuple[Any, int, str, tuple[Any, ...]]
LinkReference = tuple[Any, int, str, int, tuple[Any, ...], tuple[tuple[int, int], ...]]
# A link problem, sortable into the order a local run reports them: (order, index, field).
LinkProblem = tuple[int, int, int, str, Problem]


def link_facts(
    rule: LinkRule,
    order: int,
    path: str,
    record: dict[str, Any] | None,
    positions: dict[str, tuple[int, int]],
) -> tuple[list[LinkTarget], list[LinkReference]]:
    """The join's inputs from one verified record (nothing when it kept no record).

    `positions` are the file positions of the list's items (`"0"`) and their fields (`"0.f"`).
    """
    if record is None:
        return [], []
    targets: list[LinkTarget] = [
        (_hashable(record.get(rule.key)), order, path, tuple(record.get(f) for f in rule.fields))
    ]
    references: list[LinkReference] = []
    for index, item in enumerate(record.get(rule.list) or []):
        entry_position = positions.get(str(index), (0, 0))
        places = tuple(positions.get(f"{index}.{field}", entry_position) for field in rule.fields)
        fields = tuple(item.get(field) for field in rule.fields)
        references.append((_hashable(item.get(rule.key)), order, path, index, fields, places))
    return targets, references


def _hashable(value: Any) -> Any:
    """A key value usable in a dict (a key the schema lets be a list or object is unusual)."""
    if isinstance(value, dict | list):
        import json

        return json.dumps(value, sort_keys=True)
    return value


def join_links(
    rule: LinkRule, targets: Iterable[LinkTarget], references: Iterable[LinkReference]
) -> list[LinkProblem]:
    """Every list item that disagrees with a record of its key, on any linked field."""
    by_key: dict[Any, list[LinkTarget]] = {}
    for target in sorted(targets, key=lambda target: target[1]):
        by_key.setdefault(target[0], []).append(target)
    found: list[LinkProblem] = []
    for key, order, name, index, mine, positions in references:
        others = [target for target in by_key.get(key, ()) if target[1] != order]
        for number, field in enumerate(rule.fields):
            instant = field in rule.instants
            disagreeing = [
                target for target in others if not _agree(instant, target[3][number], mine[number])
            ]
            if not disagreeing:
                continue
            first = disagreeing[0]
            more = f" (and {len(disagreeing) - 1} more)" if len(disagreeing) > 1 else ""
            line, column = positions[number]
            problem = Problem(
                f"disagrees with {first[2]}{more}: {_brief(mine[number])} here, "
                f"{_brief(first[3][number])} there",
                line=line or None,
                column=column or None,
                field=f"{rule.list}.{index}.{field}",
            )
            found.append((order, index, number, name, problem))
    return found


def _agree(instant: bool, theirs: Any, mine: Any) -> bool:
    """Equal values; date-times keep their text, so two spellings of one instant agree."""
    if theirs == mine:
        return True
    if not instant or not (isinstance(theirs, str) and isinstance(mine, str)):
        return False
    from .convert import parse_date_time

    try:
        return parse_date_time(theirs) == parse_date_time(mine)
    except ValueError:
        return False


def _brief(value: Any) -> str:
    if value is None:
        return "absent"
    text = repr(value)
    return text if len(text) <= 50 else text[:47] + "..."
