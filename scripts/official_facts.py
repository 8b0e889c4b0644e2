"""Regenerate `openapi/official_facts.json` from a copy of Mixpanel's docs, or the README table.

    python scripts/official_facts.py --git <clone-or-mirror of mixpanel/docs> [--rev HEAD]
    python scripts/official_facts.py --dir <folder holding the official *.openapi.yaml files>
    python scripts/official_facts.py --table      # rewrite the table in openapi/README.md

The official specs carry no repository licence file, so we keep only the facts the conformance
test compares (operations, parameters, body and answer field names), never the files themselves.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.conformance.compare import TABLE_BEGIN, TABLE_END, readme_table
from tests.conformance.spec_facts import FACTS, OFFICIAL_FILES, OPENAPI, load_yaml, operations


def _official(args: argparse.Namespace) -> tuple[dict[str, str], str]:
    """The official files' texts by name, and the source they came from."""
    texts: dict[str, str] = {}
    if args.git:
        rev = subprocess.run(
            ["git", "-C", args.git, "rev-parse", args.rev],
            check=True, capture_output=True, text=True,
        ).stdout.strip()  # fmt: skip
        for name in OFFICIAL_FILES:
            texts[name] = subprocess.run(
                ["git", "-C", args.git, "show", f"{rev}:openapi/{name}"],
                check=True, capture_output=True, text=True,
            ).stdout  # fmt: skip
        return texts, f"mixpanel/docs@{rev}"
    folder = Path(args.dir)
    for name in OFFICIAL_FILES:
        texts[name] = (folder / name).read_text()
    return texts, f"mixpanel/docs (folder {folder.name})"


def write_facts(args: argparse.Namespace) -> None:
    """Extract and save the official facts."""
    texts, source = _official(args)
    facts = {
        "source": source,
        "note": "Facts from Mixpanel's official OpenAPI files, by scripts/official_facts.py.",
        "operations": {name: list(operations(load_yaml(text))) for name, text in texts.items()},
    }
    FACTS.write_text(_dump(facts))
    print(f"wrote {FACTS.relative_to(OPENAPI.parent)} from {source}")


def _dump(facts: dict[str, object]) -> str:
    """The facts as JSON with one operation per line (small, readable diffs on a refresh)."""
    ops: dict[str, list[object]] = facts["operations"]  # type: ignore[assignment]
    head = {k: v for k, v in facts.items() if k != "operations"}
    lines = ["{", *(f" {json.dumps(k)}: {json.dumps(v)}," for k, v in sorted(head.items()))]
    lines.append(' "operations": {')
    for i, (name, rows) in enumerate(sorted(ops.items())):
        lines.append(f"  {json.dumps(name)}: [")
        lines += [
            f"   {json.dumps(row, sort_keys=True)}{',' if j < len(rows) - 1 else ''}"
            for j, row in enumerate(rows)
        ]
        lines.append("  ]" + ("," if i < len(ops) - 1 else ""))
    return "\n".join([*lines, " }", "}", ""])


def write_table() -> None:
    """Rewrite the table of listed differences between the README's markers."""
    readme = OPENAPI / "README.md"
    text = readme.read_text()
    head, found, rest = text.partition(TABLE_BEGIN)
    if not found:
        raise SystemExit(f"{readme}: no marker {TABLE_BEGIN!r}")
    _, _, tail = rest.partition(TABLE_END)
    readme.write_text(head + readme_table() + tail)
    print(f"rewrote the differences table in {readme.relative_to(OPENAPI.parent)}")


def main() -> None:
    """Command line: see the module docstring."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--git", help="a clone (or bare mirror) of mixpanel/docs")
    parser.add_argument("--rev", default="HEAD", help="the revision to read (with --git)")
    parser.add_argument("--dir", help="a folder holding the official *.openapi.yaml files")
    parser.add_argument("--table", action="store_true", help="rewrite openapi/README.md's table")
    args = parser.parse_args()
    if args.table:
        write_table()
    elif args.git or args.dir:
        write_facts(args)
    else:
        parser.error("give --git, --dir or --table")


if __name__ == "__main__":
    main()
