"""The package's modules import one another without cycles (function-level and
`TYPE_CHECKING` imports count), so `reports` keeps the layers its docstring lists."""

from __future__ import annotations

import ast
import graphlib
from pathlib import Path

import mixpanel_async

ROOT = Path(mixpanel_async.__file__).parent


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _import_graph() -> dict[str, set[str]]:
    files = {_module_name(f): f for f in ROOT.rglob("*.py")}
    graph: dict[str, set[str]] = {name: set() for name in files}
    for name, path in files.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text())):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*parts, base] if base else parts)
                subs = [f"{base}.{alias.name}" for alias in node.names]
                targets = [sub for sub in subs if sub in files] or [base]
            graph[name] |= {t for t in targets if t in files and t != name}
    return graph


def test_no_module_imports_its_importers() -> None:
    sorter = graphlib.TopologicalSorter(_import_graph())
    try:
        sorter.prepare()
    except graphlib.CycleError as error:
        raise AssertionError(f"import cycle: {' -> '.join(error.args[1])}") from None


def test_reports_layers_are_in_the_package_docstring() -> None:
    doc = mixpanel_async.reports.__doc__ or ""
    modules = {p.stem for p in (ROOT / "reports").glob("*.py") if p.stem != "__init__"}
    assert {m for m in modules if f"`{m}`" not in doc} == set()
