"""The command line's own edges, through the installed entry point: click's usage errors (a
missing or unknown option, a bad choice, an unknown command) are one `error:` line with exit
code 2, and an empty answer in the `table`/`csv` formats still prints its header."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import orjson
import pytest

from mixpanel_async.emulator import Emulator

SCRIPT = Path(sys.executable).with_name("mixpanel-async")


def cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run `mixpanel-async ARGS` in a subprocess (text output, never raising)."""
    return subprocess.run([str(SCRIPT), *args], env=env, capture_output=True, text=True)


@pytest.fixture
def env(mixpanel_emulator: Emulator, tmp_path: Path) -> dict[str, str]:
    """An environment pointing the command line at the emulator, with an empty config."""
    values = {**os.environ, "MP_API_BASE_URL": mixpanel_emulator.url,
              "MP_CONFIG_PATH": str(tmp_path / "config.toml"), "COLUMNS": "200"}  # fmt: skip
    for name in ("MP_USERNAME", "MP_SECRET", "MP_PROJECT_ID", "MP_REGION", "MP_OAUTH_TOKEN"):
        values.pop(name, None)
    return values


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["query", "segmentation", "-e", "E", "--bogus"], "No such option: --bogus"),
        (["query", "segmentation", "-e", "E", "-f", "xml"], "'xml' is not one of"),
        (["query", "segmentation"], "Missing option '--event'"),
        (["dashboards", "get"], "Missing argument"),
        (["no-such-group"], "No such command 'no-such-group'"),
        (["inspect", "top-events", "--limit", "many"], "'many' is not a valid int"),
    ],
)
def test_usage_errors_are_one_line_with_exit_code_2(
    env: dict[str, str], args: list[str], says: str
) -> None:
    done = cli(*args, env=env)
    assert done.returncode == 2, done.stderr
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1, done.stderr
    assert done.stderr.startswith("error: ")
    assert says in done.stderr
    assert "--help" in done.stderr  # it names where to look
    assert "╭" not in done.stderr  # no box
    assert "Traceback" not in done.stderr


def test_a_group_without_a_command_prints_its_help(env: dict[str, str]) -> None:
    done = cli("query", env=env)
    assert done.returncode == 2
    assert "segmentation" in done.stdout
    assert "error" not in done.stderr


def _csv_header(text: str) -> list[str]:
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == 1, text  # the header and nothing else
    return rows[0]


@pytest.mark.parametrize(
    ("args", "columns"),
    [
        (["drop-filters", "list"], {"id", "eventName", "filters"}),
        (["dashboards", "list"], {"id", "title", "is_private"}),
        (["annotations", "list"], {"id", "date", "description"}),
        (["custom-properties", "list"], {"customPropertyId", "name", "resourceType"}),
        (["inspect", "top-events"], {"event", "count", "percent_change"}),
        (["inspect", "events"], {"value"}),
        (["api", "list_drop_filters"], {"id", "eventName"}),
        (["accounts", "list"], {"name", "type", "region", "default_project", "active"}),
        (["target", "list"], {"name", "account", "project", "workspace"}),
    ],
)
def test_an_empty_answer_prints_its_header(
    env: dict[str, str], args: list[str], columns: set[str]
) -> None:
    as_csv = cli(*args, "-f", "csv", env=env)
    assert as_csv.returncode == 0, as_csv.stderr
    header = _csv_header(as_csv.stdout)
    assert columns <= set(header)
    as_table = cli(*args, "-f", "table", env=env)
    assert as_table.returncode == 0, as_table.stderr
    lines = as_table.stdout.splitlines()
    assert len(lines) == 4, as_table.stdout  # borders around the header row, no data rows
    assert header[0] in lines[1]  # wide tables squeeze the later names


def test_help_is_the_library_reference_offline() -> None:
    offline = {**os.environ, "MP_API_BASE_URL": "http://127.0.0.1:9"}
    listing = cli("help", env=offline)
    assert listing.returncode == 0
    assert "dashboards:" in listing.stdout
    assert "create_dashboard" in listing.stdout
    only = cli("help", "--domain", "dashboards", "--no-hints", env=offline).stdout
    assert "create_dashboard" in only
    assert "create_alert" not in only
    method = cli("help", "AsyncWorkspace.create_dashboard", env=offline).stdout
    assert method.startswith("AsyncWorkspace.create_dashboard(self, params")
    found = cli("help", "search", "cohort", "-f", "json", "--jq", "map(.name)", env=offline)
    names = orjson.loads(found.stdout)
    assert "create_cohort" in names
    unknown = cli("help", "Nothing", env=offline)
    assert unknown.returncode == 2
    assert unknown.stderr.count("\n") == 1


def test_account_is_the_group_and_accounts_its_alias(env: dict[str, str]) -> None:
    shown = cli("--help", env=env).stdout
    assert " account " in shown
    assert " accounts " not in shown
    for group in ("account", "accounts"):
        assert cli(group, "list", "-f", "csv", env=env).stdout.startswith("name,type")
