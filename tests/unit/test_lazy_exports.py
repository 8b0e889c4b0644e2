"""`import mixpanel_async` defers its heavy imports, and every public name still resolves: each
`__all__` name of the package and of `mixpanel_async.models`, through `from ... import`,
attribute access and `import *`, to the object its declaring module defines."""

from __future__ import annotations

import importlib
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import mixpanel_async
import mixpanel_async.migration
import mixpanel_async.models
from mixpanel_async._lazy import declared_imports

HEAVY = ("polars", "pyarrow", "numpy", "aiohttp", "fsspec", "mixpanel_async._generated.models")


def _run(code: str) -> str:
    """Run `code` in a fresh interpreter and return what it prints."""
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def test_bare_import_loads_no_heavy_dependency() -> None:
    loaded = _run(
        f"""
        import sys
        import mixpanel_async, mixpanel_async.models
        heavy = {HEAVY!r}
        print(sorted(m for m in sys.modules if m.startswith(heavy)))
        """
    )
    assert loaded == "[]"


@pytest.mark.parametrize(
    "package", [mixpanel_async, mixpanel_async.models, mixpanel_async.migration]
)
def test_every_public_name_resolves_to_its_declaring_module(package: object) -> None:
    source = Path(package.__file__).read_text()  # type: ignore[attr-defined]
    table, stars = declared_imports(source, package.__name__)  # type: ignore[attr-defined]
    names: list[str] = package.__all__  # type: ignore[attr-defined]
    assert len(names) == len(set(names))
    for name in names:
        value = getattr(package, name)
        if name in table:
            module, original = table[name]
            imported = importlib.import_module(module)
            assert value is (getattr(imported, original) if original else imported), name
        elif name != "__version__":
            assert any(name in importlib.import_module(s).__all__ for s in stars), name


def test_from_import_star_and_dir_in_a_fresh_interpreter() -> None:
    out = _run(
        """
        import mixpanel_async
        names = {}
        exec("from mixpanel_async import *", names)
        missing = [n for n in mixpanel_async.__all__ if n not in names]
        listed = set(mixpanel_async.__all__) <= set(dir(mixpanel_async))
        from mixpanel_async import AsyncWorkspace, Bookmark, QueryResult
        from mixpanel_async.models import Bookmark as B2
        print(missing, listed, Bookmark is B2, AsyncWorkspace.__module__)
        """
    )
    assert out == "[] True True mixpanel_async.workspace"


def test_unknown_names_and_submodules() -> None:
    with pytest.raises(AttributeError, match="no attribute 'NoSuchName'"):
        _ = mixpanel_async.NoSuchName  # type: ignore[attr-defined]
    with pytest.raises(ImportError):
        exec("from mixpanel_async.models import NoSuchModel", {})
    out = _run("import mixpanel_async; print(mixpanel_async.reports.__name__)")
    assert out == "mixpanel_async.reports"


def test_declared_imports_reads_only_the_type_checking_block() -> None:
    table, stars = declared_imports(
        textwrap.dedent(
            """
            from typing import TYPE_CHECKING
            from a import eager
            if TYPE_CHECKING:
                from b import one, two as deux
                from c import *
            if typing.TYPE_CHECKING:
                from d import three
            """
        )
    )
    assert table == {"one": ("b", "one"), "deux": ("b", "two"), "three": ("d", "three")}
    assert stars == ["c"]


def test_operations_load_no_model_and_pickle_by_reference() -> None:
    out = _run(
        """
        import pickle, sys
        from mixpanel_async._generated.operations import ALL
        print(sorted(m for m in sys.modules if m.startswith("mixpanel_async._generated.models.")))
        print(all(pickle.loads(pickle.dumps(op)) is op for op in ALL.values()))
        print(ALL["create_alert"].body.model.__name__, ALL["list_alerts"].response.__name__)
        """
    )
    assert out.splitlines() == ["[]", "True", "CreateAlertParams CustomAlertListResponse"]


def test_an_unknown_name_is_an_attribute_error_in_modules_and_packages() -> None:
    for module in (mixpanel_async, mixpanel_async.models):
        with pytest.raises(AttributeError):
            module.NoSuchName  # type: ignore[attr-defined]  # noqa: B018
