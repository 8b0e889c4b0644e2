"""What a new user's own project meets: our pytest fixtures under pytest-asyncio's strict mode
and under anyio's plugin, a strict mypy run over code using the package, and the peer's CLI
installed next to ours."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

USER_TEST = """
import pytest

{mark}
async def test_tracking_lands(mixpanel_workspace, mixpanel_emulator):
    await mixpanel_workspace.import_events(
        [{{"event": "Sign Up", "properties": {{"distinct_id": "u1", "time": 1700000000,
                                             "$insert_id": "a"}}}}]
    )
    assert [e["event"] for e in mixpanel_emulator.events()] == ["Sign Up"]


def test_the_emulator_fixture_is_sync(mixpanel_emulator):
    assert mixpanel_emulator.url.startswith("http://127.0.0.1:")
"""


def run_user_suite(tmp_path: Path, ini: str, mark: str, *flags: str) -> str:
    (tmp_path / "pytest.ini").write_text(textwrap.dedent(ini))
    (tmp_path / "test_user.py").write_text(USER_TEST.format(mark=mark))
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *flags, str(tmp_path)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_fixtures_work_in_pytest_asyncio_strict_mode(tmp_path: Path) -> None:
    ini = """
        [pytest]
        asyncio_mode = strict
        asyncio_default_fixture_loop_scope = function
    """
    assert "2 passed" in run_user_suite(tmp_path, ini, "@pytest.mark.asyncio")


def test_fixtures_work_in_pytest_asyncio_auto_mode(tmp_path: Path) -> None:
    ini = """
        [pytest]
        asyncio_mode = auto
        asyncio_default_fixture_loop_scope = function
    """
    assert "2 passed" in run_user_suite(tmp_path, ini, "")


def test_fixtures_work_under_anyio_without_pytest_asyncio(tmp_path: Path) -> None:
    pytest.importorskip("anyio")
    (tmp_path / "conftest.py").write_text(
        "import pytest\n\n\n@pytest.fixture\ndef anyio_backend():\n    return 'asyncio'\n"
    )
    out = run_user_suite(tmp_path, "[pytest]\n", "@pytest.mark.anyio", "-p", "no:asyncio")
    assert "2 passed" in out


def test_strict_mypy_accepts_a_user_script(tmp_path: Path) -> None:
    script = tmp_path / "service.py"
    script.write_text(
        textwrap.dedent(
            """
            import polars as pl

            from mixpanel_async import AsyncWorkspace, Metric


            async def weekly_buyers() -> pl.DataFrame:
                async with AsyncWorkspace(base_url="http://127.0.0.1:4808") as ws:
                    result = await ws.query(Metric("Purchase", math="unique"), unit="week")
                    names: list[str] = await ws.events()
                    print(names)
                    return result.df
            """
        )
    )
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(script)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("command", ["mp", "mixpanel-async"])
def test_both_clis_work_in_one_environment(command: str) -> None:
    executable = shutil.which(command, path=str(Path(sys.executable).parent))
    assert executable is not None, f"{command} is not installed next to {sys.executable}"
    done = subprocess.run([executable, "--help"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Usage" in done.stdout


def test_a_misspelt_keyword_names_the_class_users_call() -> None:
    from mixpanel_async import AsyncWorkspace

    ws = AsyncWorkspace(base_url="http://127.0.0.1:9", project="1")
    with pytest.raises(TypeError, match=r"^AsyncWorkspace\.segmentation\(\) got an unexpected"):
        ws.segmentation(evnt="Purchase")  # type: ignore[call-arg]
    with pytest.raises(TypeError, match=r"^AsyncWorkspace\.query\(\)"):
        ws.query(metric="x")  # type: ignore[call-arg]


def test_half_set_environment_credentials_name_what_is_missing(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from mixpanel_async import AsyncWorkspace, ConfigError

    monkeypatch.setenv("MP_CONFIG_PATH", str(tmp_path / "none.toml"))
    for name in ("MP_API_BASE_URL", "MP_OAUTH_TOKEN", "MP_REGION"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("MP_USERNAME", "svc")
    monkeypatch.setenv("MP_SECRET", "s3cret")
    monkeypatch.setenv("MP_PROJECT_ID", "12")
    with pytest.raises(ConfigError, match="but MP_REGION is not") as info:
        AsyncWorkspace()
    assert "s3cret" not in str(info.value)
    monkeypatch.delenv("MP_USERNAME")
    monkeypatch.delenv("MP_SECRET")
    monkeypatch.delenv("MP_PROJECT_ID")
    monkeypatch.setenv("MP_OAUTH_TOKEN", "tok")
    with pytest.raises(ConfigError, match="but MP_PROJECT_ID and MP_REGION are not"):
        AsyncWorkspace()
