"""The default test run draws the same examples whatever the hash seed."""

from __future__ import annotations

import functools
import os
import subprocess
import sys
import textwrap

from .conftest import ROOT

DRAW = textwrap.dedent(
    """
    import json, sys
    if len(sys.argv) > 1:  # a module some earlier test would have loaded lazily
        __import__(sys.argv[1])
    from hypothesis import HealthCheck, given, settings
    import tests.conftest  # the default profile
    from tests import yaml_styles as Y
    from tests.test_properties import edits, _hot_paths
    from hypothesis import strategies as st
    import roundtrip as rt

    drawn = []

    @settings(max_examples=8, suppress_health_check=list(HealthCheck))
    @given(Y.styled_records(), st.data())
    def draw(record, data):
        article = rt.loads(record[0])
        edit = data.draw(edits(rt.to_dict(article), _hot_paths(article)))
        drawn.append([record[0], repr(edit)])

    draw()
    print(json.dumps(drawn))
    """
)


@functools.cache
def _draws(hash_seed: str, *preload: str) -> str:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    env.pop("HYPOTHESIS_PROFILE", None)
    done = subprocess.run(
        [sys.executable, "-c", DRAW, *preload],
        capture_output=True, text=True, cwd=ROOT, env=env, check=True,
    )  # fmt: skip
    return done.stdout


def test_styled_records_and_edits_do_not_depend_on_the_hash_seed() -> None:
    first = _draws("1", "roundtrip.cli")
    assert len(first) > 1000  # records were drawn
    assert _draws("2", "roundtrip.cli") == first


def test_examples_do_not_depend_on_the_modules_earlier_tests_loaded() -> None:
    """Hypothesis draws constants from the local modules loaded (conftest loads them all)."""
    assert _draws("1", "roundtrip.cli") == _draws("1", "roundtrip.verify")
