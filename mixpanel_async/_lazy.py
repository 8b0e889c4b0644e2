"""Lazy re-exports: a package declares its public names as imports in an `if TYPE_CHECKING:`
block, and `lazy_exports` turns that block into a PEP 562 `__getattr__`.

The block is the single list of where each name comes from: mypy reads it as ordinary imports,
and at run time it is read from the module's source (once, on the first name asked for), so a
name appended to the block (and to `__all__`) is found without any other change. A name's
module is imported only when the name is first used, then the value is cached in the package's
globals, so later look-ups cost nothing. A submodule's name (`pkg.sub` after `import pkg`)
imports that submodule, as it did when the package imported everything up front.
"""

from __future__ import annotations

import ast
import functools
import importlib
import importlib.util
import sys
import typing
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from types import ModuleType
from typing import Any


def _is_type_checking(test: ast.expr) -> bool:
    """Whether an `if` test is `TYPE_CHECKING` or `typing.TYPE_CHECKING`."""
    if isinstance(test, ast.Name):
        return test.id == "TYPE_CHECKING"
    return isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"


def declared_imports(
    source: str, package: str | None = None
) -> tuple[dict[str, tuple[str, str]], list[str]]:
    """Read the `if TYPE_CHECKING:` imports of a module's source.

    Args:
        source: The module's Python source.
        package: The package's name, for its submodules named by `from . import sub`.

    Returns:
        `{public name: (module, name in that module)}` for every `from m import a [as b]`
        (`(module, "")` for `import m [as b]`, and `(package.sub, "")` for a submodule exported
        by `from . import sub`), and the modules
        star-imported (`from m import *`), in source order.
    """
    names: dict[str, tuple[str, str]] = {}
    stars: list[str] = []
    for node in ast.parse(source).body:
        if not (isinstance(node, ast.If) and _is_type_checking(node.test)):
            continue
        for stmt in node.body:
            if isinstance(stmt, ast.Import):
                for alias in stmt.names:
                    bound = alias.asname or alias.name.partition(".")[0]
                    names[bound] = (alias.name if alias.asname else bound, "")
            if isinstance(stmt, ast.ImportFrom) and package and stmt.level == 1 and not stmt.module:
                for alias in stmt.names:
                    names[alias.asname or alias.name] = (f"{package}.{alias.name}", "")
            if isinstance(stmt, ast.ImportFrom) and stmt.module and stmt.level == 0:
                for alias in stmt.names:
                    if alias.name == "*":
                        stars.append(stmt.module)
                    else:
                        names[alias.asname or alias.name] = (stmt.module, alias.name)
    return names, stars


def lazy_exports(
    module_name: str, all_names: list[str]
) -> tuple[Callable[[str], object], Callable[[], list[str]]]:
    """Build a module's `__getattr__` and `__dir__` from its `if TYPE_CHECKING:` imports.

    Args:
        module_name: The module's `__name__`; its `__file__` is read on the first look-up.
        all_names: The module's `__all__` (listed by `__dir__`).

    Returns:
        `(__getattr__, __dir__)` to assign at module level.
    """

    def getattr_(name: str) -> object:
        if name.startswith("__"):
            raise AttributeError(f"module {module_name!r} has no attribute {name!r}")
        table, stars = _declared(module_name)
        namespace = vars(sys.modules[module_name])
        if name in table:
            value = _resolve(*table[name])
            namespace[name] = value
            return value
        for source in stars:
            star = importlib.import_module(source)
            if name in getattr(star, "__all__", ()):
                value = getattr(star, name)
                namespace[name] = value
                return value
        is_package = hasattr(sys.modules[module_name], "__path__")
        if is_package and importlib.util.find_spec(f"{module_name}.{name}") is not None:
            # `import pkg; pkg.sub` worked while the package imported its submodules eagerly
            return importlib.import_module(f"{module_name}.{name}")
        raise AttributeError(f"module {module_name!r} has no attribute {name!r}")

    def dir_() -> list[str]:
        return sorted({*vars(sys.modules[module_name]), *all_names})

    return getattr_, dir_


class _Declared(Mapping[str, Any]):
    """A module's `if TYPE_CHECKING:` imports as a mapping: a name is imported when looked up.

    `typing.get_type_hints` takes it as `localns`, so that annotations naming what a module
    imports only for the type checker (the lazily loaded models, results and frames) resolve.
    """

    def __init__(self, module: ModuleType) -> None:
        self._module = module

    def __getitem__(self, name: str) -> Any:
        found = _declared(self._module.__name__)[0].get(name)
        if found is None:
            raise KeyError(name)
        return _resolve(*found)

    def __iter__(self) -> Iterator[str]:
        return iter(_declared(self._module.__name__)[0])

    def __len__(self) -> int:
        return len(_declared(self._module.__name__)[0])


@functools.cache
def _declared(module_name: str) -> tuple[dict[str, tuple[str, str]], tuple[str, ...]]:
    """`declared_imports` of a loaded module's source, read once (none without a `.py`)."""
    module = sys.modules[module_name]
    path = getattr(module, "__file__", None)
    if not path or not path.endswith(".py"):
        return {}, ()
    names, stars = declared_imports(Path(path).read_text(encoding="utf-8"), module_name)
    return names, tuple(stars)


def _resolve(source: str, original: str) -> Any:
    """What a declared import names: module `source`, or its attribute `original`."""
    imported = importlib.import_module(source)
    if not original:
        return imported
    try:
        return getattr(imported, original)
    except AttributeError as missing:  # a submodule not imported yet (`from pkg import sub`)?
        try:
            return importlib.import_module(f"{source}.{original}")
        except ModuleNotFoundError:
            raise missing from None


def type_hints(obj: Any, *, include_extras: bool = False) -> dict[str, Any]:
    """`typing.get_type_hints(obj)`, also resolving names the object's module imports only
    under `if TYPE_CHECKING:` (imported now, as the annotation is evaluated).

    Args:
        obj: A function, method or class.
        include_extras: Keep `Annotated` metadata.

    Returns:
        The evaluated annotations by name.
    """
    module = sys.modules.get(getattr(obj, "__module__", "") or "")
    local = _Declared(module) if module is not None else None
    return typing.get_type_hints(obj, localns=local, include_extras=include_extras)
