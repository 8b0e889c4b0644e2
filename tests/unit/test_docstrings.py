"""Every public module, class, function and method of the client's query layers has a
docstring (read from the source, so nothing is imported)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import mixpanel_async

ROOT = Path(mixpanel_async.__file__).parent
PACKAGES = ("api", "reports", "results")
DOCUMENTED_DUNDERS = frozenset({"__init__", "__attrs_post_init__", "__call__"})


def _undocumented(body: list[ast.stmt], where: str) -> Iterator[str]:
    for node in body:
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            continue
        if node.name.startswith("_") and node.name not in DOCUMENTED_DUNDERS:
            continue
        if ast.get_docstring(node) is None:
            yield f"{where}:{node.lineno} {node.name}"
        if isinstance(node, ast.ClassDef):
            yield from _undocumented(node.body, where)


def test_public_names_have_docstrings() -> None:
    missing = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            tree = ast.parse(path.read_text())
            where = str(path.relative_to(ROOT))
            if path.name != "__init__.py" and ast.get_docstring(tree) is None:
                missing.append(f"{where}: module")
            missing += _undocumented(tree.body, where)
    assert missing == []
