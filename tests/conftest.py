"""Suite-wide isolation: no real credentials, config file or token store leaks into a test.

Plain helpers the modules share are in tests/helpers.py; fixtures in the conftest.py files.
"""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.register_assert_rewrite("tests.helpers")

_VARS = (
    "MP_USERNAME", "MP_SECRET", "MP_PROJECT_ID", "MP_REGION", "MP_OAUTH_TOKEN", "MP_WORKSPACE_ID",
    "MP_CONFIG_PATH", "MP_ACCOUNT", "MP_TARGET", "MP_API_BASE_URL", "MP_APP_BASE_URL",
    "MP_CUSTOM_HEADER_NAME", "MP_CUSTOM_HEADER_VALUE", "MP_STORAGE_DIR", "MP_OAUTH_STORAGE_DIR",
    "MP_AUTH_FILE", "MIXPANEL_TOKEN", "MIXPANEL_API_SECRET",
)  # fmt: skip


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No MP_* variable from outside; HOME is an empty `tmp_path / "home"` and MP_CONFIG_PATH a
    file that does not exist under it. Every test has this; none needs to set it up again."""
    for name in _VARS:
        monkeypatch.delenv(name, raising=False)
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("MP_CONFIG_PATH", str(home / ".mp" / "config.toml"))
