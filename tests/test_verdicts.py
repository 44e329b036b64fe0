"""Every validator agrees: the toolkit in Python and Ajv on the exported schema, case by case.

Each tests/verdicts/<format>.json holds edge cases for one format (its `schema`): each case is
an edit of the format's `seed` record text and the verdict the format gives it. Python reads
the record with the product, `rt.Format.from_schema(schema).loads`; JavaScript reads it with
the `yaml` package and validates it with Ajv (draft 2020-12) and ajv-formats against the
format's exported schema (`fmt.export_schema()`, what `roundtrip schema export` writes). Both
must give the case's verdict. The ECMA-262 meaning of patterns is checked against node's own
RegExp.
"""

from __future__ import annotations

import functools
import json
import re
import subprocess
from typing import Any

import pytest

import roundtrip as rt
from roundtrip.ecma import searcher

from .test_schema_export import ROOT, needs_js, node

VERDICTS = ROOT / "tests" / "verdicts"
CORPORA: dict[str, dict[str, Any]] = {
    path.stem: json.loads(path.read_text(encoding="utf-8"))
    for path in sorted(VERDICTS.glob("*.json"))
}
CASES = [(name, case) for name, corpus in CORPORA.items() for case in corpus["cases"]]
IDS = [f"{name}: {case['name']}" for name, case in CASES]


@functools.cache
def seed_text(name: str) -> str:
    return (ROOT / CORPORA[name]["seed"]).read_bytes().decode("utf-8")


@functools.cache
def record_format(name: str) -> rt.Format:
    return rt.Format.from_schema(ROOT / CORPORA[name]["schema"])


# What the product does not do yet (issue 9), by the name a case gives it in its `needs`, with
# the side (`python` or `javascript`) whose verdict waits for it. A case that needs one is
# expected to fail, strictly: the day the product does it, the case passes, and the entry here
# and the case's `needs` must go.
PENDING: dict[str, tuple[str, str]] = {}


def missing_needs(case: dict[str, Any], side: str) -> list[str]:
    """Why the product cannot give `case` its verdict yet on `side` (empty: it can)."""
    needs = case.get("needs", [])
    unknown = set(needs) - set(PENDING)
    assert not unknown, f"{case.get('name', case)}: needs nothing pending: {unknown}"
    return [PENDING[need][1] for need in needs if PENDING[need][0] == side]


def _params(side: str) -> list[Any]:
    params = []
    for (name, case), case_id in zip(CASES, IDS, strict=True):
        reasons = missing_needs(case, side)
        marks = [pytest.mark.xfail(reason="; ".join(reasons), strict=True)] if reasons else []
        params.append(pytest.param(name, case, id=case_id, marks=marks))
    return params


def case_text(name: str, case: dict[str, Any]) -> str:
    seed = seed_text(name)
    assert seed.count(case["find"]) == 1, f"{case['name']}: `find` must occur once in the seed"
    return seed.replace(case["find"], case["replace"])


def test_every_format_of_the_tests_has_a_corpus() -> None:
    formats = {path.parent.name for path in (ROOT / "tests" / "formats").glob("*/schema.json")}
    assert formats | {"article"} <= set(CORPORA)


@pytest.mark.parametrize("name", sorted(CORPORA))
def test_the_corpus_is_large_and_balanced(name: str) -> None:
    cases = CORPORA[name]["cases"]
    names = [case["name"] for case in cases]
    assert len(cases) >= 100
    assert len(set(names)) == len(names)
    verdicts = [case["valid"] for case in cases]
    assert verdicts.count(True) >= 30 and verdicts.count(False) >= 30
    record_format(name).loads(seed_text(name))  # the seed itself is valid


@pytest.mark.parametrize(("name", "case"), _params("python"))
def test_python_verdict(name: str, case: dict[str, Any]) -> None:
    text = case_text(name, case)
    fmt = record_format(name)
    if case["valid"]:
        fmt.loads(text)
    else:
        with pytest.raises(rt.SchemaError):
            fmt.loads(text)


@pytest.fixture(scope="module")
def js_verdicts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    """Ajv's report on every case, by test id."""
    out = tmp_path_factory.mktemp("exported")
    reports: dict[str, dict[str, Any]] = {}
    for name in CORPORA:
        exported = out / f"{name}.schema.json"
        exported.write_text(json.dumps(record_format(name).export_schema()), encoding="utf-8")
        result = node("verdicts.mjs", exported, VERDICTS / f"{name}.json")
        assert result.returncode == 0, result.stderr
        lines = [json.loads(line) for line in result.stdout.splitlines()]
        assert [line["name"] for line in lines] == [case["name"] for case in CORPORA[name]["cases"]]
        reports.update({f"{name}: {line['name']}": line for line in lines})
    return reports


@needs_js
@pytest.mark.parametrize(("name", "case"), _params("javascript"))
def test_javascript_verdict(
    name: str, case: dict[str, Any], js_verdicts: dict[str, dict[str, Any]]
) -> None:
    report = js_verdicts[f"{name}: {case['name']}"]
    assert report["valid"] is case["valid"], report["errors"]
    assert all(error["keyword"] != "yaml" for error in report["errors"]), report["errors"]


# Patterns with the tokens Python and ECMA-262 read differently, and strings that tell them apart.
PATTERN_CASES = [
    ("^a$", ["a", "a\n", "\na", "ab"]),
    ("^x.y$", ["x-y", "x\ny", "x\ry", "x\u2028y", "x\u2029y", "x\u0085y"]),
    ("^\\d+$", ["123", "\u0661\u0662", "\uff11\uff12", "12\n"]),
    ("^\\w+$", ["abc_1", "été", "ß"]),
    ("^[\\d.]+$", ["1.2", "\u0661.\u0662"]),
    ("^[^$]+$", ["abc", "a$c", "ab\n"]),
    ("\\$$", ["a$", "a$\n", "a"]),
    ("^\\D\\W$", ["a!", "1!", "a\u00e9"]),
]


@needs_js
def test_patterns_match_as_ecma_regexps_do() -> None:
    pairs = [(pattern, text) for pattern, texts in PATTERN_CASES for text in texts]
    script = (
        "const pairs = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
        "console.log(JSON.stringify(pairs.map(([p, s]) => new RegExp(p, 'u').test(s))));"
    )
    result = subprocess.run(
        ["node", "-e", script], input=json.dumps(pairs), capture_output=True, text=True,
        check=True, timeout=60,
    )  # fmt: skip
    expected = json.loads(result.stdout)
    assert [searcher(pattern)(text) for pattern, text in pairs] == expected
    # ...and these pairs are worth testing: Python's own `re` gets some of them wrong.
    assert [re.search(pattern, text) is not None for pattern, text in pairs] != expected
