"""The article's compiled fast check and jsonschema give the same verdict on every input."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import roundtrip as rt
from roundtrip.article_schema import fast_check, validate

from .conftest import GOLDEN_FILES, SEEDS

SEED_DATA = [rt.to_dict(rt.load(path)) for path in SEEDS]
JSON_SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-5, 5000), st.floats(allow_nan=False),
    st.sampled_from(["", "x", "2023-10-19T09:00:00Z", "2023-02-30T09:00:00Z",
                     "2023-10-19 09:00:00+00:00", "https://example.com/a", "not a uri", "news",
                     SEED_DATA[0]["secured"], SEED_DATA[0]["secured"][1:]]),
)  # fmt: skip
JSON = st.recursive(
    JSON_SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)


def paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a value inside `data`."""
    found = [prefix] if prefix else []
    if isinstance(data, dict):
        for key, value in data.items():
            found += paths(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += paths(value, (*prefix, index))
    return found


def fast_verdict(data: Any) -> bool:
    return fast_check()(data)


def slow_verdict(data: Any) -> bool:
    return not validate(data, fast=False)


@pytest.mark.parametrize("path", GOLDEN_FILES, ids=lambda p: p.name)
def test_both_paths_accept_golden(path: Any) -> None:
    data = rt.load(path).source.root.data  # type: ignore[union-attr]
    assert fast_verdict(data) and slow_verdict(data)


@given(
    seed=st.sampled_from(SEED_DATA),
    choice=st.integers(0, 10_000),
    action=st.sampled_from(["replace", "delete", "add"]),
    value=JSON,
)
def test_both_paths_agree_on_mutated_records(
    seed: dict[str, Any], choice: int, action: str, value: Any
) -> None:
    data = copy.deepcopy(seed)
    targets = paths(data)
    path = targets[choice % len(targets)]
    parent = data
    for part in path[:-1]:
        parent = parent[part]
    last = path[-1]
    if action == "replace":
        parent[last] = value
    elif action == "delete":
        del parent[last]
    elif isinstance(parent, dict):
        parent[f"unknown{choice}"] = value
    else:
        parent.append(value)
    assert fast_verdict(data) == slow_verdict(data)


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        (3000, True),
        (0, True),
        (3000.0, True),
        (3000.5, False),
        (True, False),
        ("3000", False),
        (-1, False),
        (-1.0, False),
        (None, False),
    ],
    ids=repr,
)
def test_both_paths_agree_on_image_widths(value: Any, valid: bool) -> None:
    data = copy.deepcopy(SEED_DATA[0])
    data["images"][0]["width"] = value
    assert fast_verdict(data) is valid
    assert slow_verdict(data) is valid
