"""Shared fixtures (the golden records and the seeds) and the hypothesis profiles.

The default profile is deterministic: every run draws the same examples, whatever the hash
seed, machine or load (derandomized, no example database, no deadline), so a green run means
the same thing every time. `HYPOTHESIS_PROFILE=explore` draws new examples on every run, many
more of them (`--hypothesis-seed=N` makes one exploration repeatable); see README, Testing.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, settings

import roundtrip
from roundtrip.active_format import use_format

# Hypothesis mixes the constants of the local modules loaded (sys.modules) into what it draws:
# load every module of the package before any test runs, so that which tests ran before (and
# so which modules they loaded lazily) cannot change the examples.
for _module in pkgutil.walk_packages(roundtrip.__path__, "roundtrip."):
    if not _module.name.endswith("__main__"):
        importlib.import_module(_module.name)

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "golden"
SEEDS = sorted(p for p in GOLDEN.glob("*.txt") if p.name.count(".") == 1)
GOLDEN_FILES = sorted(p for p in GOLDEN.rglob("*") if p.is_file() and not p.name.startswith("."))

_SLOW_OK = [HealthCheck.too_slow, HealthCheck.data_too_large]
# The default run's examples are fixed (derandomize) and few enough to keep the suite short;
# `tests/explore.sh` runs the random exploration (the "explore" profile).
settings.register_profile(
    "default",
    max_examples=30,
    deadline=None,
    derandomize=True,
    database=None,
    # A failure is reported as found: shrinking a styled record can take many minutes.
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=_SLOW_OK,
)
settings.register_profile(
    "explore",
    max_examples=int(os.environ.get("HYPOTHESIS_EXAMPLES", "500")),
    deadline=None,
    derandomize=False,
    database=None,
    # Shrinking a failure can take many minutes: HYPOTHESIS_SHRINK=1 asks for it.
    phases=[Phase.explicit, Phase.generate]
    + ([Phase.shrink] if os.environ.get("HYPOTHESIS_SHRINK") == "1" else []),
    suppress_health_check=_SLOW_OK,
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


# Tests that share an expensive module-scoped fixture (a Dask cluster, a corpus, a tsc or an Ajv
# run, the draws of another process), by node id prefix, and the fixture that names their group:
# pytest-xdist sends a group to one worker, so the fixture is made once; every other test goes to
# whichever worker is free. (The `xdist_group` mark would say this on the tests, but
# pytest-xdist 3.8 loses it under pytest 9.2: pytest-xdist issue 1386.)
SHARED_SETUP = {
    "tests/test_scale.py::": "client",
    "tests/test_scale_local.py::": "corpus",
    "tests/test_schema_export.py::": "exported_dir",
    "tests/test_typescript.py::": "tsc_output",
    "tests/test_determinism.py::": "_draws",
    "tests/test_verdicts.py::test_javascript_verdict[": "js_verdicts",
    "tests/test_own_schema.py::test_the_exported_typescript_types_": "exported_typescript",
    "tests/test_own_schema.py::test_each_test_formats_typescript_types_": "exported_typescript",
}


@pytest.hookimpl(optionalhook=True)  # a hook of pytest-xdist: without it, the suite runs serially
def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> object:
    """`--dist loadscope` (pyproject.toml) with a scope per SHARED_SETUP group, else per test."""
    if config.getvalue("dist") != "loadscope":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class SharedSetupScheduling(LoadScopeScheduling):  # type: ignore[misc]
        def _split_scope(self, nodeid: str) -> str:
            groups = (group for prefix, group in SHARED_SETUP.items() if nodeid.startswith(prefix))
            return next(groups, nodeid)

    return SharedSetupScheduling(config, log)


@pytest.fixture(params=SEEDS, ids=lambda p: p.name)
def seed_path(request: pytest.FixtureRequest) -> Path:
    path: Path = request.param
    return path


@pytest.fixture
def seed_text(seed_path: Path) -> str:
    return seed_path.read_bytes().decode("utf-8")


@pytest.fixture(autouse=True)
def _article_is_the_current_format() -> Iterator[None]:
    """Each test starts with the article as the current format, and leaves it so: a command run
    in this process with `--schema` (`main([...])`) makes its format current for the process."""
    use_format(None)
    yield
    use_format(None)


@pytest.fixture(autouse=True)
def _private_verify_cache(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each test gets an empty verify cache: no verdict leaks between tests or from the user's."""
    monkeypatch.setenv("ROUNDTRIP_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
