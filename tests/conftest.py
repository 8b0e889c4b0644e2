"""Suite-wide isolation: no real credentials, config file or token store leaks into a test."""

from __future__ import annotations

from pathlib import Path

import pytest

_VARS = (
    "MP_USERNAME", "MP_SECRET", "MP_PROJECT_ID", "MP_REGION", "MP_OAUTH_TOKEN", "MP_WORKSPACE_ID",
    "MP_CONFIG_PATH", "MP_ACCOUNT", "MP_TARGET", "MP_API_BASE_URL", "MP_APP_BASE_URL",
    "MP_CUSTOM_HEADER_NAME", "MP_CUSTOM_HEADER_VALUE", "MP_STORAGE_DIR", "MP_OAUTH_STORAGE_DIR",
    "MP_AUTH_FILE", "MIXPANEL_TOKEN", "MIXPANEL_API_SECRET",
)  # fmt: skip


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in _VARS:
        monkeypatch.delenv(name, raising=False)
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("MP_CONFIG_PATH", str(home / ".mp" / "config.toml"))
