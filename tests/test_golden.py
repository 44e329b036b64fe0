"""Every golden file round-trips byte for byte; canonical emission rebuilds the seeds."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

import roundtrip as rt

from .conftest import GOLDEN_FILES, ROOT, SEEDS

SHARED_SEEDS = ROOT.parent / "shared" / "seeds"
# Variants whose front matter holds other data than their seed (they carry their own URLs).
DATA_VARIANTS = [p for p in GOLDEN_FILES if ".data-" in p.name]
STYLE_VARIANTS = [p for p in GOLDEN_FILES if p not in SEEDS and p not in DATA_VARIANTS]


def _seed_of(path: Path) -> Path:
    return GOLDEN / (path.name.split(".")[0] + ".txt")


GOLDEN = ROOT / "golden"


@pytest.mark.parametrize("path", GOLDEN_FILES, ids=lambda p: p.name)
def test_golden_round_trips_byte_for_byte(path: Path) -> None:
    data = path.read_bytes()
    article = rt.loads(data)
    assert rt.dumps(article).encode("utf-8") == data


@pytest.mark.skipif(not SHARED_SEEDS.is_dir(), reason="../shared/seeds is not beside the clone")
def test_seeds_are_in_golden_unchanged() -> None:
    for seed in SHARED_SEEDS.iterdir():
        assert (GOLDEN / seed.name).read_bytes() == seed.read_bytes()


def test_golden_covers_the_styles() -> None:
    texts = {p.name: p.read_bytes() for p in GOLDEN_FILES}
    joined = b"".join(texts.values())
    assert any(t.startswith(b"\xef\xbb\xbf") for t in texts.values()), "a BOM"
    assert any(b"\r\n" in t for t in texts.values()), "CRLF"
    for marker in (b"#", b"&", b"*", b"|", b">-", b"{", b"[", b"\\u2019", b"'", b"True"):
        assert marker in joined, marker
    assert any(not t.endswith(b"\n") for t in texts.values()), "no final newline"
    assert len(GOLDEN_FILES) >= 40


def test_canonical_emission_rebuilds_each_seed(seed_text: str) -> None:
    article = rt.loads(seed_text)
    rebuilt = rt.from_dict(rt.to_dict(article))
    assert rebuilt.source is None
    assert rt.dumps(rebuilt) == seed_text


@pytest.mark.parametrize("path", STYLE_VARIANTS, ids=lambda p: p.name)
def test_style_variant_holds_its_seeds_data_and_rebuilds_as_the_seed(path: Path) -> None:
    seed = rt.loads(_seed_of(path).read_bytes())
    variant = rt.loads(path.read_bytes())
    data = rt.to_dict(variant)
    assert rt.from_dict(data) == rt.from_dict(rt.to_dict(seed))  # date-times as instants
    # House style, but a date-time keeps its text: another spelling is other YAML data.
    spellings = iter(
        [data["publishedDateTime"], *(item["publishedDateTime"] for item in data["related"])]
    )
    seed_text = _seed_of(path).read_text(encoding="utf-8")
    rebuilt = re.sub(r"(publishedDateTime: ).*", lambda m: m[1] + next(spellings), seed_text)
    assert rt.dumps(rt.from_dict(rt.to_dict(variant))) == rebuilt


@pytest.mark.parametrize("path", DATA_VARIANTS, ids=lambda p: p.name)
def test_data_variant_rebuilds_stably(path: Path) -> None:
    canonical = rt.dumps(rt.from_dict(rt.to_dict(rt.loads(path.read_bytes()))))
    assert rt.dumps(rt.loads(canonical)) == canonical
    assert rt.to_dict(rt.loads(canonical)) == rt.to_dict(rt.loads(path.read_bytes()))


def test_typed_model_of_a_seed() -> None:
    article = rt.load(SEEDS[0])
    assert article.published_date_time == datetime(2023, 10, 19, 9, 0, tzinfo=UTC)
    assert article.published_date_time.tzinfo is not None
    assert article.provider == rt.Provider(
        name="MIT Technology Review", domain="technologyreview.com"
    )
    assert article.images is not None and article.images[0].is_cached is True
    assert article.related[0].amp_web_url is None
    assert article.related[1].quality == 12
    assert isinstance(article.secured, str) and ";" in article.secured
    assert article.body == ""
    assert article.source is not None and article.source.path == str(SEEDS[0])
