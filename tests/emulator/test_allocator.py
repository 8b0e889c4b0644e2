"""`emulator.allocator`: the emulator's own process sets Polars' allocator up before Polars
loads, never overriding the user's setting, and does nothing once Polars is loaded. Each case
runs in a fresh interpreter (the setting is read once per process)."""

from __future__ import annotations

import os

from mixpanel_async.emulator import allocator
from tests.helpers import fresh_python


def _fresh(code: str, **env: str) -> str:
    clean = {k: v for k, v in os.environ.items() if k != allocator.ENV}
    return fresh_python(code, clean | env)


def test_set_before_polars_loads() -> None:
    code = (
        "import os\n"
        "from mixpanel_async.emulator import allocator\n"
        "print(allocator.configure(), os.environ[allocator.ENV])\n"
        "import polars\n"
        "print(polars.Series([1, 2]).sum())\n"
    )
    assert _fresh(code).splitlines() == [f"True {allocator.SETTING}", "3"]


def test_the_users_setting_wins() -> None:
    code = (
        "import os\n"
        "from mixpanel_async.emulator import allocator\n"
        "print(allocator.configure(), os.environ[allocator.ENV])\n"
    )
    assert _fresh(code, **{allocator.ENV: "narenas:2"}) == "False narenas:2"


def test_polars_own_options_passed_on_by_a_parent_are_overridden() -> None:
    parent = _fresh("import os, polars\nprint(os.environ['" + allocator.ENV + "'])")
    code = (
        "import os\n"
        "from mixpanel_async.emulator import allocator\n"
        "print(allocator.configure(), os.environ[allocator.ENV])\n"
    )
    assert _fresh(code, **{allocator.ENV: parent}) == f"True {parent},{allocator.SETTING}"


def test_too_late_once_polars_is_loaded() -> None:
    code = (
        "import os, polars\n"
        "from mixpanel_async.emulator import allocator\n"
        "print(allocator.configure(), allocator.SETTING in os.environ[allocator.ENV])\n"
    )
    assert _fresh(code) == "False False"  # Polars' own options, unchanged


def test_polars_takes_the_setting_after_its_own() -> None:
    code = (
        "import os\n"
        "from mixpanel_async.emulator import allocator\n"
        "allocator.configure()\n"
        "import polars\n"
        "print(os.environ[allocator.ENV].endswith(',' + allocator.SETTING))\n"
    )
    assert _fresh(code) == "True"
