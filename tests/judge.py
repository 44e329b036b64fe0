"""Independent judges for the property tests: other YAML readers, and data compared as JSON.

Nothing here comes from roundtrip: a property judged by the library's own comparison or
normalisation could not see the library's mistakes.
"""

from __future__ import annotations

import json
import math
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.constructor import SafeConstructor


def as_json(data: Any) -> str:
    """Data as canonical JSON text: tells 1 from True and 1.0 from 1; key order ignored."""
    return json.dumps(data, sort_keys=True, ensure_ascii=False, allow_nan=True)


def equal_data(a: Any, b: Any) -> bool:
    """Whether two pieces of plain data are the same data (NaN equal to NaN)."""
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return as_json(a) == as_json(b)


class Yaml11(yaml.SafeLoader):
    """PyYAML (YAML 1.1) with timestamps left as the strings they are in the schema."""


Yaml11.add_constructor("tag:yaml.org,2002:timestamp", yaml.SafeLoader.construct_yaml_str)


def read_pyyaml(text: str) -> Any:
    """The data PyYAML (a YAML 1.1 reader) sees in `text`."""
    return yaml.load(text, Loader=Yaml11)


class _Constructor(SafeConstructor):
    """ruamel.yaml's safe constructor, timestamps as strings."""


_Constructor.add_constructor("tag:yaml.org,2002:timestamp", SafeConstructor.construct_yaml_str)


def read_ruamel(text: str) -> Any:
    """The data ruamel.yaml's pure-Python YAML 1.2 reader sees in `text`."""
    reader = YAML(typ="safe", pure=True)
    reader.Constructor = _Constructor
    return reader.load(text)


def disagreeing_readers(
    yaml_text: str,
    expected: Any,
    *,
    yaml11: bool = False,
    baseline: tuple[str, Any] | None = None,
) -> list[str]:
    """The readers that see other data than `expected` in `yaml_text`: the YAML 1.2 oracle
    (tests/yaml_styles.py), ruamel.yaml (skipped with tabs: its scanner refuses trailing tabs
    that YAML allows) and, with `yaml11`, PyYAML's YAML 1.1 reading.

    With a `baseline` (an original text and its data), a reader that already misreads the
    original is not asked: ruamel.yaml reads `1_000` as 1000 even in YAML 1.2, where the core
    schema makes it a string, and an edit elsewhere cannot be blamed for that."""
    from .yaml_styles import oracle_load

    readers = {"YAML 1.2 oracle": oracle_load}
    if "\t" not in yaml_text:
        readers["ruamel.yaml"] = read_ruamel
    if yaml11:
        readers["PyYAML (YAML 1.1)"] = read_pyyaml
    wrong = []
    for name, read in readers.items():
        if baseline is not None and not _reads(read, *baseline):
            continue
        if not _reads(read, yaml_text, expected):
            wrong.append(name)
    return wrong


def _reads(read: Any, yaml_text: str, expected: Any) -> bool:
    try:
        seen = read(yaml_text)
    except Exception:  # a reader that cannot read it disagrees
        return False
    return equal_data(seen, expected)
