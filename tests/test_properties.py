"""Property tests (hypothesis): round trips, stable re-emission, any YAML style, minimal edits.

The data comes from strategies derived from the JSON Schema (tests/strategies.py); styled
texts from a test-side writer with random per-node styles (tests/yaml_styles.py), whose output
is first checked against an independent reader (PyYAML's parser, YAML 1.2 core resolution).

Judged by independent means only (tests/judge.py): the output read by PyYAML and ruamel.yaml,
data compared as JSON, and lines outside the edited node compared byte for byte.

a. from_dict -> dumps -> loads gives the same data and body, as other readers see it too.
b. House style is stable (dumps(loads(t)) == t, a fixed point) and reads back the same data in
   a YAML 1.1 reader too (PyYAML safe_load), as the house style promises.
c. Any style: dumps(loads(text)) == text byte for byte, and the data is what was written.
d. Random edits through the attrs objects change only the edited field's lines; the result
   reloads to exactly the edited data; undoing the edit gives back the original bytes.
"""

from __future__ import annotations

import copy
import difflib
import re
from typing import Any

import attrs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import roundtrip as rt
from roundtrip.tree import Alias, Mapping, Node, Scalar, Sequence

from . import strategies as S
from . import yaml_styles as Y
from .conftest import GOLDEN_FILES
from .judge import disagreeing_readers, equal_data
from .schema_strategies import SchemaData, json_identity

# Generating a record with a styled text is slow-ish (hundreds of draws); the data sizes are
# bounded by the strategies, not by hypothesis.
_SLOW = settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

GOLDEN_TEXTS = {p.name: p.read_bytes().decode("utf-8") for p in GOLDEN_FILES}


def _schema_order(data: dict[str, Any], node: dict[str, Any] | None = S.SCHEMA) -> None:
    """Assert that every mapping's keys come in the schema's property order."""
    if node is None:
        return
    node = S.resolve(node)
    if isinstance(data, dict):
        order = list(node.get("properties", {}))
        assert list(data) == [key for key in order if key in data], list(data)
        for key, value in data.items():
            _schema_order(value, S.child(node, key))
    elif isinstance(data, list):
        for value in data:
            _schema_order(value, S.child(node, 0))


# -- a. from_dict round trip -----------------------------------------------------------------


@_SLOW
@given(S.records(share=False), S.bodies())
def test_from_dict_round_trip(data: dict[str, Any], body: str) -> None:
    article = rt.from_dict(data, body=body)
    expected = rt.to_dict(article)
    assert equal_data(expected, data)  # date-times too, exactly as given
    _schema_order(expected)
    text = rt.dumps(article)
    again = rt.loads(text)
    assert equal_data(rt.to_dict(again), data)
    assert again.body == body
    assert disagreeing_readers(_front_matter(text), data) == []


# -- b. house style: stable, a fixed point, readable by YAML 1.1 -----------------------------


def _front_matter(text: str) -> str:
    """The YAML between the fences of a house-style text (no BOM, LF)."""
    assert text.startswith("---\n"), text[:20]
    return text[4 : text.index("\n---\n", 3) + 1]


@_SLOW
@given(S.records(), S.bodies())
def test_house_style_is_stable(data: dict[str, Any], body: str) -> None:
    text = rt.dumps(rt.from_dict(data, body=body))
    once = rt.dumps(rt.loads(text))
    assert once == text
    assert rt.dumps(rt.loads(once)) == once
    # The house style writes plain only what any YAML reader, 1.1 or 1.2, reads as that string.
    assert disagreeing_readers(_front_matter(text), data, yaml11=True) == []


# -- c. any style ------------------------------------------------------------------------------


@_SLOW
@given(Y.styled_records())
def test_any_style_round_trips_exactly(record: tuple[str, str, dict[str, Any], str]) -> None:
    text, yaml_text, data, body = record
    # The writer is trusted only as far as an independent reader agrees with it.
    assert equal_data(Y.oracle_load(yaml_text), data), "the test-side writer is wrong"
    article = rt.loads(text)
    assert equal_data(rt.to_dict(article), data)
    assert article.body == body
    assert rt.dumps(article) == text
    # Bytes too: what `dump` writes to a file.
    assert rt.dumps(rt.loads(text.encode("utf-8"))).encode("utf-8") == text.encode("utf-8")


# -- d. edits ----------------------------------------------------------------------------------

Path = tuple[str | int, ...]


def _snake(key: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", key).lower()


def _get_attr(record: Any, path: Path) -> Any:
    """The attrs-side value at a data path (`related.0.provider` -> record.related[0].provider)."""
    for part in path:
        record = record[part] if isinstance(part, int) else getattr(record, _snake(part))
    return record


def _set_attr(record: Any, path: Path, value: Any) -> None:
    parent, last = _get_attr(record, path[:-1]), path[-1]
    if isinstance(last, int):
        parent[last] = value
    else:
        assert _snake(last) in attrs.fields_dict(type(parent)), (type(parent), last)
        setattr(parent, _snake(last), value)


@attrs.frozen
class Edit:
    """One edit of a record: `kind` is set, add, remove, insert (an item) or delete (an item).

    `path` leads to the field (set/add/remove) or to the item (insert/delete)."""

    kind: str
    path: Path
    value: Any = None  # plain data, as generated


def _candidates(data: dict[str, Any], schema: SchemaData = S.ARTICLE) -> dict[str, list[Path]]:
    """Every path each kind of edit can apply to, found by walking the data with the schema
    (an edit keeps the data valid: no item beyond `maxItems`, none below `minItems`)."""
    found: dict[str, list[Path]] = {k: [] for k in ("set", "add", "remove", "insert", "delete")}

    def walk(value: Any, node: dict[str, Any], path: Path) -> None:
        node = schema.resolve(node)
        if isinstance(value, dict):
            required = set(node.get("required", []))
            for key in node.get("properties", {}):
                if key not in value:
                    found["add"].append((*path, key))
                elif key not in required:
                    found["remove"].append((*path, key))
            for key, item in value.items():
                sub = schema.child(node, key)
                assert sub is not None
                if not isinstance(item, list):
                    found["set"].append((*path, key))
                walk(item, sub, (*path, key))
        elif isinstance(value, list):
            sub = schema.child(node, 0)
            assert sub is not None
            if len(value) < node.get("maxItems", len(value) + 1):
                found["insert"] += [(*path, index) for index in range(len(value) + 1)]
            for index, item in enumerate(value):
                if len(value) > node.get("minItems", 0):
                    found["delete"].append((*path, index))
                found["set"].append((*path, index))
                walk(item, sub, (*path, index))

    walk(data, schema.schema, ())
    return {kind: paths for kind, paths in found.items() if paths}


def _schema_at(path: Path, schema: SchemaData = S.ARTICLE) -> dict[str, Any]:
    node: dict[str, Any] | None = schema.schema
    for part in path:
        node = schema.child(node, part)
    assert node is not None, path
    return node


def _hot_paths(article: rt.Article) -> set[Path]:
    """Paths whose node in the text is out of the ordinary: anchored, an alias, a flow
    collection, a block scalar, tagged, or a mapping whose first key follows a `- `.
    Edits there are drawn more often (they are where a splicer goes wrong)."""
    source = article.source
    assert source is not None
    text = source.envelope.yaml
    hot: set[Path] = set()

    def visit(node: Node, path: Path) -> None:
        if isinstance(node, Alias):
            hot.add(path)
            return
        if getattr(node, "anchor", None) or (isinstance(node, Scalar) and (
                node.tag or node.style in ("|", ">"))):  # fmt: skip
            hot.add(path)
        if isinstance(node, Mapping):
            if node.flow or (node.entries and text[: node.entries[0].key.start].rstrip(" ")
                             .endswith("-")):  # fmt: skip
                hot.add(path)
            for entry in node.entries:
                visit(entry.value, (*path, entry.name))
        elif isinstance(node, Sequence):
            if node.flow or any("\n" in text[text.rfind("-", 0, i.start) : i.start]
                                for i in node.items if not node.flow):  # fmt: skip
                hot.add(path)
            for index, item in enumerate(node.items):
                visit(item, (*path, index))

    visit(source.root, ())
    return hot


@st.composite
def edits(
    draw: st.DrawFn,
    data: dict[str, Any],
    hot: set[Path] = frozenset(),  # type: ignore[assignment]
    schema: SchemaData = S.ARTICLE,
) -> Edit:
    candidates = _candidates(data, schema)
    kind = draw(st.sampled_from(sorted(candidates)))
    # Half the time, an edit at or inside an out-of-the-ordinary node when there is one.
    near = [p for p in candidates[kind] if any(p[: len(h)] == h or p[:-1] == h for h in hot)]
    path = draw(st.sampled_from(near if near and draw(st.booleans()) else candidates[kind]))
    if kind in ("remove", "delete"):
        return Edit(kind, path)
    node = _schema_at(path[:-1], schema) if kind == "insert" else _schema_at(path, schema)
    if kind == "insert":
        node = schema.child(node, 0) or {}
    current = S.get_path(data, path) if kind == "set" else None
    fresh_values = schema.values(node)
    parent = _schema_at(path[:-1], schema)
    if schema.resolve(parent).get("uniqueItems"):
        # A new item of a `uniqueItems` array differs from the others.
        others = S.get_path(data, path[:-1])
        taken = {
            json_identity(item)
            for i, item in enumerate(others)
            if kind == "insert" or i != path[-1]
        }
        fresh_values = fresh_values.filter(lambda v: json_identity(v) not in taken)
    if kind == "set" and draw(st.integers(0, 9)) == 0:
        value = copy.deepcopy(current)  # setting a field to the value it has
    elif kind == "set" and isinstance(current, dict) and draw(st.booleans()):
        # A new object that keeps most fields: exercise nested diffs, not only a rewrite.
        value = copy.deepcopy(current)
        fresh = draw(fresh_values)
        if isinstance(fresh, dict):  # (a schema may also take a list or a scalar there)
            keys = sorted(fresh)  # none in an empty free-form map
            for key in (
                draw(st.lists(st.sampled_from(keys), max_size=2, unique=True)) if keys else []
            ):
                value[key] = fresh[key]
            value = {k: value[k] for k in fresh if k in value}
        else:
            value = fresh
    else:
        value = draw(fresh_values)
    return Edit(kind, path, value)


def _apply_to_data(
    data: dict[str, Any], edit: Edit, schema: SchemaData = S.ARTICLE
) -> dict[str, Any]:
    """The plain data after `edit` (date-times as given: the model keeps their text)."""
    result = copy.deepcopy(data)
    parent = S.get_path(result, edit.path[:-1])
    last = edit.path[-1]
    order = list(schema.resolve(_schema_at(edit.path[:-1], schema)).get("properties", {}))
    if edit.kind in ("set", "add"):
        parent[last] = copy.deepcopy(edit.value)
        if isinstance(parent, dict) and order:  # keep schema order, as to_dict does
            items = dict(parent)
            parent.clear()
            parent.update({key: items[key] for key in order if key in items})
    elif edit.kind == "remove":
        del parent[last]
    elif edit.kind == "insert":
        parent.insert(last, copy.deepcopy(edit.value))
    else:
        del parent[last]
    return result


def _apply_to_article(article: rt.Article, edit: Edit, expected: dict[str, Any]) -> Any:
    """Make `edit` through the attrs objects; returns a function that undoes it."""
    path = edit.path
    if edit.kind in ("set", "add"):
        typed = _get_attr(rt.from_dict(expected), path)  # the attrs form of the new value
        old = _get_attr(article, path)
        _set_attr(article, path, typed)
        return lambda: _set_attr(article, path, old)
    if edit.kind == "remove":
        old = _get_attr(article, path)
        _set_attr(article, path, None)
        return lambda: _set_attr(article, path, old)
    items = _get_attr(article, path[:-1])
    index = path[-1]
    assert isinstance(items, list) and isinstance(index, int)
    if edit.kind == "insert":
        items.insert(index, _get_attr(rt.from_dict(expected), path))
        return lambda: items.pop(index)
    old = items.pop(index)
    return lambda: items.insert(index, old)


# -- where an edit may change the text ---------------------------------------------------------


# A dash, then only white space, comments, anchors and tags before the item's own token.
_DASH_HEAD = re.compile(r"-(?:\s+(?:(?:[&!]\S*|#[^\n]*)\s*)*)?")


class Region:
    """Lines (0-based, in the YAML between the fences) an edit may change or insert at."""

    def __init__(self, yaml_text: str) -> None:
        self.text = yaml_text
        self.changed: set[int] = set()
        self.inserts: set[int] = set()

    def line(self, pos: int) -> int:
        return self.text.count("\n", 0, pos)

    def last_line(self, node: Node) -> int:
        if isinstance(node, Mapping | Sequence) and not node.flow:
            children = node.items if isinstance(node, Sequence) else [e.value for e in node.entries]
            if children:
                return self.last_line(children[-1])
        end = max(node.end, node.start + 1)
        if isinstance(node, Scalar) and node.style in ("|", ">"):
            # libyaml ends a block scalar after the blank lines that follow it; but a value
            # ending in lines of spaces has one text line for each (deeper than its indent).
            end = node.start + len(self.text[node.start : node.end].rstrip(" \t\r\n"))
            value = str(node.data).rstrip("\n")
            lines = value.split("\n") if value else []
            content = max((i + 1 for i, line in enumerate(lines) if line.strip()), default=0)
            return self.line(end - 1) + len(lines) - content
        return self.line(end - 1)

    def head_line(self, node: Node, key: Scalar | None) -> int:
        """First line of a node with what introduces it: its key, or the dash of an item."""
        if key is not None:
            return self.line(key.start)
        pos = node.start
        for _ in range(8):  # the dash, then only spaces, line breaks, anchors and tags
            pos = self.text.rfind("-", 0, pos)
            if pos < 0:
                break
            if _DASH_HEAD.fullmatch(self.text, pos, node.start):
                return self.line(pos)
        return self.line(node.start)

    def span(self, node: Node, key: Scalar | None) -> range:
        return range(self.head_line(node, key), self.last_line(node) + 1)

    def allow(self, lines: range) -> None:
        self.changed.update(lines)
        self.inserts.update(range(lines.start, lines.stop + 1))

    def owns_line(self, pos: int) -> bool:
        return not self.text[self.text.rfind("\n", 0, pos) + 1 : pos].strip()

    def blank(self, line: int) -> bool:
        lines = self.text.split("\n")
        return 0 <= line < len(lines) and not lines[line].strip()


def _walk(root: Mapping, path: Path) -> list[tuple[Node, Scalar | None]]:
    """The nodes along `path` (root first), each with its key; stops at an alias."""
    chain: list[tuple[Node, Scalar | None]] = [(root, None)]
    node: Node = root
    for part in path:
        if isinstance(node, Alias):
            break
        if isinstance(node, Mapping):
            assert isinstance(part, str)
            entry = node.entry(part)
            if entry is None:
                break
            node = entry.value
            chain.append((node, entry.key))
        else:
            assert isinstance(node, Sequence) and isinstance(part, int), (node, part)
            if part >= len(node.items):
                break
            node = node.items[part]
            chain.append((node, None))
    return chain


def _between(region: Region, heads: list[int], lasts: list[int], at: range | None = None) -> None:
    """Allow insertions before child `i` of a block collection, for `i` in `at` (default: all
    children and the end)."""
    for index in at if at is not None else range(len(heads) + 1):
        if index == 0:
            region.inserts.add(heads[0])
        elif index == len(heads):
            region.inserts.add(lasts[-1] + 1)
        else:
            region.inserts.update(range(lasts[index - 1] + 1, heads[index] + 1))


def _equal_run(items: list[Any], index: int, value: Any) -> range:
    """Indexes equivalent to `index` for inserting (or deleting) `value` in `items`: the data
    cannot tell one of several equal neighbours from another."""
    low = index
    while low > 0 and equal_data(items[low - 1], value):
        low -= 1
    high = index
    while high < len(items) and equal_data(items[high], value):
        high += 1
    return range(low, high + 1)


def _region(article: Any, edit: Edit, data: dict[str, Any] | None = None) -> Region:
    """The lines `edit` may change in the text `article` was read from (`data`: its data)."""
    source = article.source
    assert source is not None
    root = source.root
    region = Region(source.envelope.yaml)
    target = edit.path if edit.kind in ("set", "add", "remove") else edit.path[:-1]
    # The collection whose membership changes, or the node that is set.
    owner_path = edit.path[:-1] if edit.kind in ("add", "remove", "insert", "delete") else target
    chain = _walk(root, owner_path)
    depth = len(chain) - 1
    touched: tuple[int, int]
    alias_at = next((i for i, (n, _) in enumerate(chain) if isinstance(n, Alias)), None)
    if alias_at is not None and (alias_at < len(owner_path) or edit.kind != "set"):
        # An alias on the way is written out whole.
        node, key = chain[alias_at]
        region.allow(region.span(node, key))
        return region
    if edit.kind == "set":
        assert depth == len(owner_path), "a set path must exist in the text"
        node, key = chain[-1]
        region.allow(region.span(node, key))
        touched = (node.start, node.end)
    else:
        owner, owner_key = chain[-1]
        assert depth == len(owner_path)
        touched = (owner.start, owner.end)
        if isinstance(owner, Mapping | Sequence) and owner.flow:
            # Membership changes in a flow collection rewrite that collection.
            region.allow(region.span(owner, owner_key))
        elif isinstance(owner, Mapping):
            heads = [region.line(e.key.start) for e in owner.entries]
            lasts = [region.last_line(e.value) for e in owner.entries]
            if edit.kind == "add":
                _between(region, heads, lasts)
                if not region.owns_line(owner.entries[0].key.start):
                    # A key placed before a first key on the `- ` line takes the dash line.
                    region.changed.add(heads[0])
            else:
                index = [e.name for e in owner.entries].index(str(edit.path[-1]))
                _removed(region, heads, lasts, index)
                if index + 1 < len(heads) and not region.owns_line(owner.entries[index].key.start):
                    # The key shared its line with a `- `: the next key moves up to the dash.
                    region.changed.add(heads[index + 1])
                entry = owner.entries[index]
                touched = (entry.key.start, entry.value.end)
        else:
            assert isinstance(owner, Sequence)
            heads = [region.head_line(item, None) for item in owner.items]
            lasts = [region.last_line(item) for item in owner.items]
            before = data if data is not None else rt.to_dict(article)
            items = S.get_path(before, edit.path[:-1])
            index = edit.path[-1]
            assert isinstance(index, int)
            if edit.kind == "insert" and owner.items:
                _between(region, heads, lasts, _equal_run(items, index, edit.value))
            elif edit.kind == "delete" and len(owner.items) > 1:
                run = _equal_run(items[:index] + items[index + 1 :], index, items[index])
                for equal in run:
                    _removed(region, heads, lasts, equal)
                touched = (owner.items[run.start].start, owner.items[run.stop - 1].end)
            else:  # the sequence becomes, or stops being, empty: `key: []`
                region.allow(region.span(owner, owner_key))
    # Aliases of anything the edit touches are written out in full.
    _allow_aliases(region, root, touched)
    return region


def _removed(region: Region, heads: list[int], lasts: list[int], index: int) -> None:
    lines = range(heads[index], lasts[index] + 1)
    region.allow(lines)
    for neighbour in (lines.start - 1, lines.stop):
        if region.blank(neighbour):  # one blank line may go with it
            region.changed.add(neighbour)


def _allow_aliases(region: Region, root: Node, touched: tuple[int, int]) -> None:
    start, end = touched

    def visit(node: Node, key: Scalar | None) -> None:
        if isinstance(node, Alias):
            target = node.target
            if target.start < max(end, start + 1) and start < max(target.end, target.start + 1):
                region.allow(region.span(node, key))
            return
        if isinstance(node, Mapping):
            for entry in node.entries:
                visit(entry.value, entry.key)
        elif isinstance(node, Sequence):
            for item in node.items:
                visit(item, None)

    visit(root, None)


_FENCE = re.compile(r"^---[ \t]*\r?$", re.MULTILINE)


def _between_fences(text: str) -> str:
    """The YAML between the first two `---` lines of a record text (BOM and CRLF allowed)."""
    text = text.removeprefix("\ufeff")
    opening = _FENCE.search(text)
    assert opening is not None and opening.start() == 0, text[:20]
    closing = _FENCE.search(text, opening.end() + 1)
    assert closing is not None
    return text[opening.end() + 1 : closing.start()]


def _file_lines(text: str) -> list[str]:
    """Lines split at LF only (libyaml also breaks at NEL and LS; the spans count LF)."""
    return text.split("\n")


def _insert_shifts(old: list[str], block: list[str], at: int) -> list[int]:
    """Offsets by which inserting `block` at line `at` of `old` gives the same text (difflib
    may place an inserted block anywhere along a run of lines equal to its own, rotated)."""
    shifts = [0]
    for k in range(1, 64):
        if at + k > len(old) or old[at + k - 1] != block[(k - 1) % len(block)]:
            break
        shifts.append(k)
    for k in range(1, 64):
        if at - k < 0 or old[at - k] != block[-k % len(block)]:
            break
        shifts.append(-k)
    return shifts


def _delete_shifts(old: list[str], start: int, stop: int) -> list[int]:
    """The same for deleting old[start:stop]."""
    shifts = [0]
    for k in range(64):
        if stop + k >= len(old) or old[stop + k] != old[start + k]:
            break
        shifts.append(k + 1)
    for k in range(1, 64):
        if start - k < 0 or old[start - k] != old[stop - k]:
            break
        shifts.append(-k)
    return shifts


def _field_then_trivia(old: list[str], start: int, stop: int, changed: set[int]) -> bool:
    """Whether old[start:stop] is lines of the field with only comment or blank lines after
    its first: a removed field may take the comments after it along (they hold no data), and
    where it shared its line with a `- `, the next key moves up past them to the dash."""
    inside = [n for n in range(start, stop) if n in changed]
    if not inside:
        return False
    return all(
        n > min(inside) and (not old[n].strip() or old[n].strip().startswith("#"))
        for n in range(start, stop)
        if n not in changed
    )


def _check_edit(text: str, edit: Edit) -> None:
    article = rt.loads(text)
    before = rt.to_dict(article)
    expected = _apply_to_data(before, edit)
    region = _region(article, edit)
    undo = _apply_to_article(article, edit, expected)
    assert equal_data(rt.to_dict(article), expected), "the attrs edit gives other data"
    written = rt.dumps(article)

    # Other readers see exactly the edited data in the written text.
    original = (_between_fences(text), before)
    assert disagreeing_readers(_between_fences(written), expected, baseline=original) == []
    again = rt.loads(written)
    assert equal_data(rt.to_dict(again), expected)
    assert again.body == article.body
    assert rt.dumps(again) == written
    if equal_data(expected, before):
        assert written == text
    _assert_changes_within(text, written, region, edit)

    # Undoing the edit gives back the original bytes.
    undo()
    assert rt.dumps(article) == text


def _assert_changes_within(text: str, written: str, region: Region, edit: Edit) -> None:
    """Every changed line of the old text lies in the edited field's own lines (the YAML starts
    on line 1 of the file, after the opening fence)."""
    old, new = _file_lines(text), _file_lines(written)
    changed = {line + 1 for line in region.changed}
    inserts = {line + 1 for line in region.inserts}
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        where = (
            f"{tag} old lines {i1 + 1}-{i2} by new lines {j1 + 1}-{j2}:"
            f" {old[i1:i2]!r} -> {new[j1:j2]!r}"
        )
        if i1 < i2:
            shifts = _delete_shifts(old, i1, i2) if tag == "delete" else [0]
            ok = any(set(range(i1 + k, i2 + k)) <= changed for k in shifts)
            if not ok and (tag == "delete" or edit.kind == "remove"):
                ok = any(_field_then_trivia(old, i1 + k, i2 + k, changed) for k in shifts)
            assert ok, f"{edit}: changed lines outside the field ({where})"
        else:
            ok = any(i1 + k in inserts for k in _insert_shifts(old, new[j1:j2], i1))
            assert ok, f"{edit}: inserted outside the field ({where})"


@_SLOW
@given(st.sampled_from(sorted(GOLDEN_TEXTS)), st.data())
def test_edit_golden_changes_only_the_field(name: str, data: st.DataObject) -> None:
    text = GOLDEN_TEXTS[name]
    article = rt.loads(text)
    edit = data.draw(edits(rt.to_dict(article), _hot_paths(article)), label="edit")
    _check_edit(text, edit)


@_SLOW
@given(Y.styled_records(explicit_keys=False), st.data())
def test_edit_any_style_changes_only_the_field(
    record: tuple[str, str, dict[str, Any], str], data: st.DataObject
) -> None:
    _check_edits(record, data)


# Explicit `? key` entries get a property of their own, so that the main one keeps its share
# of examples for the common layouts.
@_SLOW
@given(Y.styled_records(explicit_keys=True), st.data())
def test_edit_any_style_with_explicit_keys_changes_only_the_field(
    record: tuple[str, str, dict[str, Any], str], data: st.DataObject
) -> None:
    _check_edits(record, data)


def test_adding_a_key_after_an_explicit_key_keeps_it() -> None:
    text = GOLDEN_TEXTS["000_6bef1e912cfb9f3e.txt"].replace(
        "    quality: 17\n", "    ? quality\n    : 17\n", 1
    )
    article = rt.loads(text)
    article.related[0].images = [
        rt.Image(url="https://a.example/i", width=1, height=2, is_cached=True)
    ]
    written = rt.dumps(article)
    assert "    ? quality\n    : 17\n    images:\n" in written


def _check_edits(record: tuple[str, str, dict[str, Any], str], data: st.DataObject) -> None:
    text = record[0]
    article = rt.loads(text)
    before, hot = rt.to_dict(article), _hot_paths(article)
    # Several independent edits of one text: a styled text is dear to generate, an edit cheap.
    for index in range(data.draw(st.integers(1, 4), label="edits")):
        edit = data.draw(edits(before, hot), label=f"edit {index}")
        try:
            _check_edit(text, edit)
        except Exception as error:
            error.add_note(f"(failed at edit {index}: {edit})")
            raise
