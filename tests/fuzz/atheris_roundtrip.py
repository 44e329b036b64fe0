"""Coverage-guided fuzzing of loads/dumps with atheris (not part of the pytest run).

Property, for every input: `rt.loads` either raises RoundtripError (placed, if at all, inside
the input), or the record loads and `rt.dumps` gives back the same bytes. A record that loads
must also survive a one-field edit: writing it raises RoundtripError or gives text that loads
back with only that field changed. Anything else — another exception, different bytes — is a
crash.

    pip install atheris
    python tests/fuzz/atheris_roundtrip.py -max_total_time=600 [CORPUS_DIR ...]

With no corpus directory, a fresh one is made under $TMPDIR, seeded from golden/ (libFuzzer
writes new inputs into the first corpus directory, so golden/ itself is never passed).
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import warnings
from pathlib import Path

import atheris

with atheris.instrument_imports(include=["roundtrip"]):
    import roundtrip as rt
    from roundtrip.api import to_dict

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "golden"

warnings.simplefilter("ignore", rt.RoundtripWarning)


def check(data: bytes) -> None:
    for strict in (True, False):
        try:
            article = rt.loads(data, strict=strict)
        except rt.RoundtripError as error:
            check_place(error, data)
            continue
        emitted = rt.dumps(article).encode("utf-8")
        if emitted != data:
            raise AssertionError(
                f"round trip changed the bytes (strict={strict}):\n"
                f"in:  {data[:400]!r}\nout: {emitted[:400]!r}"
            )
        check_edit(article, strict)
        return


def check_place(error: rt.RoundtripError, data: bytes) -> None:
    """An error placed in the text must point inside it."""
    lines = data.count(b"\n") + 1
    for problem in error.problems:
        if problem.line is not None and not 1 <= problem.line <= lines:
            raise AssertionError(f"{error} is placed outside the {lines} lines of the input")
        if problem.column is not None and problem.column < 1:
            raise AssertionError(f"{error} has a column before the first")


def check_edit(article: rt.Article, strict: bool) -> None:
    """Edit one field; the rewritten text must hold exactly the edited data."""
    expected = to_dict(article)
    article.heat = article.heat + 1 if article.heat < 10**6 else 0
    expected["heat"] = article.heat
    try:
        text = rt.dumps(article)
    except rt.RoundtripError:
        return  # refusing to write is allowed; writing something else is not
    again = rt.loads(text, strict=strict)
    if to_dict(again) != expected or again.body != article.body:
        raise AssertionError(f"editing `heat` changed other data:\n{text[:800]!r}")


def test_one_input(data: bytes) -> None:
    check(data)


# YAML and record tokens for libFuzzer's -dict (written beside the corpus).
DICTIONARY = [
    "---\n",
    "...\n",
    "\r\n",
    "\ufeff",
    "\t",
    " #",
    ": ",
    "- ",
    "? ",
    "&a ",
    "*a",
    "&b ",
    "*b",
    "!!str ",
    "!!int ",
    "!!python/object/apply:os.system ",
    "!<tag:x> ",
    "!x ",
    "<<: ",
    "%YAML 1.2\n",
    "%TAG ! tag:x:\n",
    "{",
    "}",
    "[",
    "]",
    ",",
    '"',
    "'",
    "|",
    "|-",
    "|+",
    ">",
    ">-",
    "|2",
    "\\x00",
    "\\u2028",
    "\\ud800",
    "\\N",
    "\\\n",
    "0x",
    "0o",
    "1e400",
    ".inf",
    ".nan",
    "-0",
    "null",
    "~",
    "true",
    "True",
    "yes",
    "2023-02-30T09:00:00Z",
    "2023-10-19 09:00:00+02:00",
    "2023-10-19T25:00:00Z",
    "category",
    "title",
    "excerpt",
    "publishedDateTime",
    "originalUrl",
    "webUrl",
    "ampWebUrl",
    "cdnAmpWebUrl",
    "type",
    "quality",
    "heat",
    "published",
    "provider",
    "topics",
    "images",
    "related",
    "secured",
    "name",
    "domain",
    "url",
    "width",
    "height",
    "isCached",
]


def write_dictionary(directory: Path) -> Path:
    path = directory / "roundtrip.dict"
    lines = []
    for token in DICTIONARY:
        raw = token.encode("utf-8")
        escaped = "".join(
            chr(b) if 32 <= b < 127 and chr(b) not in '"\\' else f"\\x{b:02x}" for b in raw
        )
        lines.append(f'"{escaped}"')
    path.write_text("\n".join(lines) + "\n", encoding="ascii")
    return path


def main() -> None:
    args = sys.argv[:]
    if not any(not arg.startswith("-") for arg in args[1:]):
        corpus = Path(tempfile.mkdtemp(prefix="roundtrip-fuzz-corpus-"))
        for path in sorted(GOLDEN.glob("*.txt")):
            shutil.copy(path, corpus / path.name)
        print(f"corpus: {corpus} (seeded from {GOLDEN})", file=sys.stderr)
        args.append(str(corpus))
    if not any(arg.startswith("-dict=") for arg in args):
        directory = Path(tempfile.mkdtemp(prefix="roundtrip-fuzz-dict-"))
        args.insert(1, f"-dict={write_dictionary(directory)}")
    if not any(arg.startswith("-max_len=") for arg in args):
        args.append("-max_len=16384")
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
    atheris.Setup(args, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
