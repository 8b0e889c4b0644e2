"""`from mixpanel_async import AsyncWorkspace`, opening a workspace and a first cheap call load
only what they use (issue 19): no polars, pyarrow or numpy, no aiohttp before the session
opens, no result or report modules, and only the called family's generated code. Checked in
fresh interpreters (what a process has imported), never by timing."""

from __future__ import annotations

import json
import textwrap

from mixpanel_async._lazy import type_hints
from mixpanel_async.emulator import Emulator
from mixpanel_async.workspace import AsyncWorkspace
from tests.helpers import fresh_python

FRAMES = ("polars", "pyarrow", "numpy", "fsspec")
OURS = (
    "mixpanel_async._generated.models.",
    "mixpanel_async._generated.operations.",
    "mixpanel_async.results",
    "mixpanel_async.reports",
    "mixpanel_async.bulk.tabular",
    "mixpanel_async.bulk.records",
)


def _modules_after(code: str) -> dict[str, list[str]]:
    """Run `code` in a fresh interpreter; the modules loaded at each `mark(label)` it calls."""
    script = (
        textwrap.dedent(
            """
        import json, sys
        marks = {}
        def mark(label):
            marks[label] = sorted(sys.modules)
        """
        )
        + textwrap.dedent(code)
        + "\nprint(json.dumps(marks))\n"
    )
    marks: dict[str, list[str]] = json.loads(fresh_python(script).splitlines()[-1])
    return marks


def _loaded(modules: list[str], prefixes: tuple[str, ...]) -> list[str]:
    return [m for m in modules if m.startswith(prefixes) or m.split(".")[0] in prefixes]


def test_importing_and_building_a_workspace_loads_no_heavy_module() -> None:
    marks = _modules_after(
        """
        from mixpanel_async import AsyncWorkspace
        mark("import")
        AsyncWorkspace(base_url="http://127.0.0.1:9", project="1", username="u", secret="s")
        mark("built")
        """
    )
    for label in ("import", "built"):
        assert _loaded(marks[label], (*FRAMES, "aiohttp", *OURS)) == [], label


def test_a_first_cheap_call_loads_only_its_family(mixpanel_emulator: Emulator) -> None:
    marks = _modules_after(
        f"""
        import asyncio
        from mixpanel_async import AsyncWorkspace

        async def main():
            async with AsyncWorkspace(
                base_url={mixpanel_emulator.url!r}, project="1", username="u", secret="s"
            ) as ws:
                mark("opened")
                await ws.events()
                mark("events")
                await ws.segmentation("x", from_date="2024-01-01", to_date="2024-01-02")
                mark("segmentation")

        asyncio.run(main())
        """
    )
    assert "aiohttp" in marks["opened"]
    assert _loaded(marks["opened"], (*FRAMES, *OURS)) == []
    assert _loaded(marks["events"], (*FRAMES, *OURS)) == [
        "mixpanel_async._generated.operations.discovery"
    ]
    assert _loaded(marks["segmentation"], FRAMES) == []
    assert _loaded(marks["segmentation"], ("mixpanel_async._generated.models.",)) == [
        "mixpanel_async._generated.models.query"
    ]
    assert "mixpanel_async.results.query" in marks["segmentation"]


def test_annotations_of_lazily_imported_types_still_resolve() -> None:
    """The command line reads the methods' annotations; those naming a type imported only for
    the type checker resolve through `type_hints` (importing it then)."""
    hints = type_hints(AsyncWorkspace.segmentation)
    assert hints["return"].__name__ == "SegmentationResult"
    frame = type_hints(AsyncWorkspace.export_events)["return"]
    assert f"{frame.__module__}.{frame.__name__}" == "polars.dataframe.frame.DataFrame"
