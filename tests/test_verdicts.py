"""Every validator agrees: the toolkit in Python and Ajv on the exported schema, case by case.

tests/verdicts/article.json holds edge cases (date-times, integers, URIs, patterns, types,
keys), each an edit of a seed record's text and the verdict the format gives it. Python reads
the record with `roundtrip.loads`; JavaScript reads it with the `yaml` package and validates it
with Ajv (draft 2020-12) and ajv-formats against `roundtrip schema export`. Both must give the
case's verdict. The ECMA-262 meaning of patterns is checked against node's own RegExp.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest

import roundtrip as rt
from roundtrip.ecma import searcher

from .test_schema_export import JS_DIR, ROOT, exported_dir, needs_js, node  # noqa: F401

CORPUS_FILE = ROOT / "tests" / "verdicts" / "article.json"
CORPUS: dict[str, Any] = json.loads(CORPUS_FILE.read_text(encoding="utf-8"))
SEED = (ROOT / CORPUS["seed"]).read_text(encoding="utf-8")
CASES = CORPUS["cases"]
IDS = [case["name"] for case in CASES]


def case_text(case: dict[str, Any]) -> str:
    assert SEED.count(case["find"]) == 1, f"{case['name']}: `find` must occur once in the seed"
    return SEED.replace(case["find"], case["replace"])


def test_the_corpus_is_large_and_balanced() -> None:
    assert len(CASES) >= 100
    assert len(set(IDS)) == len(IDS)
    verdicts = [case["valid"] for case in CASES]
    assert verdicts.count(True) >= 30 and verdicts.count(False) >= 30


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_python_verdict(case: dict[str, Any]) -> None:
    text = case_text(case)
    if case["valid"]:
        rt.loads(text)
    else:
        with pytest.raises(rt.SchemaError):
            rt.loads(text)


@pytest.fixture(scope="module")
def js_verdicts(exported_dir: Path) -> dict[str, dict[str, Any]]:  # noqa: F811
    result = node("verdicts.mjs", exported_dir / "article.schema.json", CORPUS_FILE)
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["name"] for line in lines] == IDS
    return {line["name"]: line for line in lines}


@needs_js
@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_javascript_verdict(case: dict[str, Any], js_verdicts: dict[str, dict[str, Any]]) -> None:
    report = js_verdicts[case["name"]]
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
