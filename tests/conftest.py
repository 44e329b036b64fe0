"""Shared fixtures: the golden records and the seeds."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, settings

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "golden"
SEEDS = sorted(p for p in GOLDEN.glob("*.txt") if p.name.count(".") == 1)
GOLDEN_FILES = sorted(p for p in GOLDEN.rglob("*") if p.is_file() and not p.name.startswith("."))

# CI runs a fixed set of examples (derandomize), so that a green run means the same thing
# every time; `HYPOTHESIS_PROFILE=dev` (the default off CI) explores new ones on each run.
settings.register_profile(
    "ci",
    max_examples=100,
    deadline=None,
    derandomize=True,
    # A failure is reported as found: shrinking a styled record can take many minutes.
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", max_examples=50, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))


@pytest.fixture(params=SEEDS, ids=lambda p: p.name)
def seed_path(request: pytest.FixtureRequest) -> Path:
    path: Path = request.param
    return path


@pytest.fixture
def seed_text(seed_path: Path) -> str:
    return seed_path.read_bytes().decode("utf-8")


@pytest.fixture(autouse=True)
def _private_verify_cache(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each test gets an empty verify cache: no verdict leaks between tests or from the user's."""
    monkeypatch.setenv("ROUNDTRIP_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
