"""Write the machine-made golden files of the test formats: records as YAML libraries dump them.

    python tests/formats/make_goldens.py          # rewrite them
    python tests/formats/make_goldens.py --check  # exit 1 if a file differs from what it writes

Each record below is written in five styles: PyYAML `safe_dump` (its default: keys sorted),
PyYAML with `sort_keys=False, allow_unicode=True` (key order kept, as most Python tools call
it), PyYAML with `default_flow_style=True` (flow collections), and ruamel.yaml's round-trip
dumper (its default, and with `indent(mapping=2, sequence=4, offset=2)`). The other golden
files are written by hand, as people and other tools write front matter. The output is
committed: the files are the goldens, and tests/test_formats.py checks that this script still
writes the same bytes with the libraries installed.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from ruamel.yaml import YAML

HERE = Path(__file__).resolve().parent

BLOG_BODY = """
Static sites keep their posts as Markdown files with a YAML header.

## Why front matter

- it is plain text
- every generator reads it

```yaml
title: not front matter, only an example
```
"""

EVENT_BODY = """
Doors open half an hour before the start. Bring your ticket on your phone.

---

*Accessibility*: step-free entrance on the left.
"""

RECORDS: dict[str, list[tuple[str, dict[str, Any], str]]] = {
    "blog": [
        (
            "migration",
            {
                "title": "Moving the blog to Hugo: notes",
                "date": "2024-02-29",
                "lastmod": "2024-03-01T08:30:00+01:00",
                "draft": False,
                "description": "What broke, what got faster, and one thing I miss.",
                "tags": ["hugo", "static sites", "migration"],
                "categories": ["meta"],
                "author": {"name": "Zo\u00eb Adams", "email": "zoe@example.org"},
                "reading-time": 7,
                "show-toc": True,
                "class": "post",
                "params": {"math": True, "hero": {"color": "#ffcc00", "height": 320}},
            },
            BLOG_BODY,
        ),
        (
            "week-notes",
            {
                "title": "Week notes: 12",
                "date": "2023-12-31",
                "tags": ["week notes", "yes", "null"],
                "cover-image": {"image": "/img/week-12.jpg", "alt": "A desk", "relative": True},
                "weight": 0,
                "aliases": ["https://old.example.com/2023/12/31/week-notes-12/"],
                "params": {"series": "week notes", "order": 12, "ratio": 0.75, "hidden": None},
            },
            BLOG_BODY,
        ),
    ],
    "event": [
        (
            "jazz-night",
            {
                "kind": "event",
                "schemaVersion": 2,
                "name": "Summer Jazz Night",
                "status": "scheduled",
                "starts": "2024-07-12T19:30:00+02:00",
                "ends": None,
                "timezone": "Europe/Paris",
                "venue": {
                    "name": "Parc de la Villette",
                    "city": "Paris",
                    "country": "FR",
                    "latitude": 48.8938,
                    "longitude": 2.3908,
                },
                "tickets": [
                    {"tier": "standard", "price": 24.5, "currency": "EUR", "available": True},
                    {"tier": "reduced", "price": 12.0, "available": False},
                ],
                "capacity": 1200,
                "durationMinutes": 150,
                "rating": None,
                "pricePoints": [12.0, 24.5],
            },
            EVENT_BODY,
        ),
        (
            "rust-meetup",
            {
                "kind": "event",
                "name": "Rust meetup #31",
                "status": "postponed",
                "starts": "2024-11-05T18:00:00Z",
                "ends": "2024-11-05T21:00:00Z",
                "venue": {"name": "Impact Hub", "city": "Z\u00fcrich", "country": "CH"},
                "fallbackVenue": {"name": "Online", "city": "Z\u00fcrich"},
                "host": {"name": "Ana P\u00e9rez", "email": None},
                "speakers": [
                    {"name": "Li Wei", "email": "li.wei@example.com"},
                    {"name": "Sam O'Neil", "homepage": "https://sam.example.net/"},
                ],
                "tickets": [{"tier": "free", "price": 0.0}],
                "rating": 4.5,
                "onlineUrl": "https://meet.example.com/rust-31",
                "notes": "Pizza: yes.\nDrinks: bring your own.\n",
            },
            EVENT_BODY,
        ),
    ],
}


def _pyyaml(data: dict[str, Any], **options: Any) -> str:
    text: str = yaml.safe_dump(data, **options)
    return text


def _ruamel(data: dict[str, Any], indents: tuple[int, int, int] | None = None) -> str:
    writer = YAML()  # round-trip, its defaults
    if indents is not None:
        writer.indent(mapping=indents[0], sequence=indents[1], offset=indents[2])
    out = io.StringIO()
    writer.dump(data, out)
    return out.getvalue()


STYLES: dict[str, Callable[[dict[str, Any]], str]] = {
    "pyyaml-default": _pyyaml,
    "pyyaml-unsorted": lambda d: _pyyaml(d, sort_keys=False, allow_unicode=True),
    "pyyaml-flow": lambda d: _pyyaml(d, sort_keys=False, default_flow_style=True),
    "ruamel-default": _ruamel,
    "ruamel-indented": lambda d: _ruamel(d, (2, 4, 2)),
}


def goldens() -> dict[Path, bytes]:
    """Every machine-made golden file and its bytes."""
    files: dict[Path, bytes] = {}
    for name, records in RECORDS.items():
        for stem, data, body in records:
            for style, dump in STYLES.items():
                path = HERE / name / "golden" / f"{stem}.{style}.md"
                files[path] = ("---\n" + dump(data) + "---\n" + body).encode("utf-8")
    return files


def main(argv: list[str]) -> int:
    check = "--check" in argv
    stale = []
    for path, data in goldens().items():
        if check:
            if not path.exists() or path.read_bytes() != data:
                stale.append(path)
        else:
            path.write_bytes(data)
    for path in stale:
        print(f"differs: {path}")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
