"""Regenerate the tool-written golden records from the two seed records.

For each seed ``golden/<stem>.txt`` the front matter (text between the ``---`` fences) is loaded and
dumped again by three tools, each with its default settings, and wrapped as
``"---\\n" + output + "---\\n\\n"`` (empty body):

* ``<stem>.pyyaml-default.txt``  -- PyYAML: ``yaml.safe_dump(yaml.safe_load(fm))``, all defaults
  (sorted keys, width 80, ``allow_unicode=False`` so non-ASCII is escaped, indentless sequences).
* ``<stem>.ruamel-default.txt``  -- ruamel.yaml: data loaded with ``YAML(typ='safe')`` (plain dicts,
  timestamps become aware ``datetime``), dumped with ``YAML()`` (round-trip dumper, defaults).
* ``<stem>.yaml-js-default.txt`` -- JavaScript ``yaml`` package:
  ``YAML.stringify(YAML.parse(fm))``, defaults (core schema, so timestamps stay strings).
  Skipped when ``node`` or the package is missing; point ``NODE_PATH`` at a ``node_modules``
  that holds it (e.g. ``npm install yaml`` in /tmp/jsyaml).

Versions the committed files were made with: PyYAML 6.0.3, ruamel.yaml 0.19.1 (clib 0.2.15),
yaml (npm) 2.9.1 on node 20.

Usage:  python bench/make_tool_goldens.py           # (re)write the files
        python bench/make_tool_goldens.py --check   # only compare, exit 1 on a difference
"""

from __future__ import annotations

import io
import json
import os
import pathlib
import shutil
import subprocess
import sys

GOLDEN = pathlib.Path(__file__).resolve().parent.parent / "golden"
SEEDS = ("000_6bef1e912cfb9f3e", "002_a1f7abd1a28687f0")

JS_SNIPPET = r"""
const YAML = require("yaml");
const inp = JSON.parse(require("fs").readFileSync(0, "utf8"));
const out = {};
for (const k in inp) out[k] = YAML.stringify(YAML.parse(inp[k]));
process.stdout.write(JSON.stringify(out));
"""


def front_matter(stem: str) -> str:
    text = (GOLDEN / f"{stem}.txt").read_text(encoding="utf-8")
    lines = text.split("\n")
    assert lines[0] == "---", stem
    end = lines.index("---", 1)
    return "\n".join(lines[1:end]) + "\n"


def wrap(out: str) -> str:
    return "---\n" + out + "---\n\n"


def pyyaml_dump(fm: str) -> str:
    import yaml  # type: ignore[import-untyped]

    return str(yaml.safe_dump(yaml.safe_load(fm)))


def ruamel_dump(fm: str) -> str:
    from ruamel.yaml import YAML

    data = YAML(typ="safe").load(fm)
    buf = io.StringIO()
    YAML().dump(data, buf)
    return buf.getvalue()


def js_dump(fms: dict[str, str]) -> dict[str, str] | None:
    if shutil.which("node") is None:
        print("node not found: skipping yaml-js-default files", file=sys.stderr)
        return None
    r = subprocess.run(
        ["node", "-e", JS_SNIPPET],
        input=json.dumps(fms),
        capture_output=True,
        text=True,
        env=dict(os.environ),
    )
    if r.returncode:
        if "MODULE_NOT_FOUND" in r.stderr:
            print(
                "npm package 'yaml' not found (set NODE_PATH to a node_modules holding it): "
                "skipping yaml-js-default files",
                file=sys.stderr,
            )
        else:
            print(
                "node/yaml failed, skipping yaml-js-default files:\n" + r.stderr[-800:],
                file=sys.stderr,
            )
        return None
    out: dict[str, str] = json.loads(r.stdout)
    return out


def main(argv: list[str]) -> int:
    check = "--check" in argv
    fms = {stem: front_matter(stem) for stem in SEEDS}
    outputs: dict[str, str] = {}
    for stem, fm in fms.items():
        outputs[f"{stem}.pyyaml-default.txt"] = wrap(pyyaml_dump(fm))
        outputs[f"{stem}.ruamel-default.txt"] = wrap(ruamel_dump(fm))
    js = js_dump(fms)
    if js is not None:
        for stem, out in js.items():
            outputs[f"{stem}.yaml-js-default.txt"] = wrap(out)
    status = 0
    for name, text in outputs.items():
        path = GOLDEN / name
        data = text.encode("utf-8")
        if check:
            same = path.exists() and path.read_bytes() == data
            print(("same " if same else "DIFF ") + name)
            status |= not same
        else:
            path.write_bytes(data)
            print("wrote", name)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
