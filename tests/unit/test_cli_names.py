"""Pure pieces of the command line: command names from operation ids, errors in CLI terms."""

from __future__ import annotations

from mixpanel_async._generated.operations import ALL
from mixpanel_async.cli.common import cli_message, exit_code
from mixpanel_async.cli.registry import command_names, families
from mixpanel_async.config import NO_ACCOUNT_MESSAGE
from mixpanel_async.exceptions import (
    AuthenticationError,
    ConfigError,
    ParamValidationError,
    QueryError,
)


def test_command_names_drop_the_family_words() -> None:
    dashboards = [op for op in ALL.values() if op.family == "dashboards"]
    names = {name: op.operation_id for name, op in command_names("dashboards", dashboards).items()}
    assert names["list"] == "list_dashboards"
    assert names["get"] == "get_dashboard"
    assert names["bulk-delete"] == "bulk_delete_dashboards"
    flags = command_names("feature_flags", families()["feature_flags"])
    assert {"list", "create", "get", "update", "delete", "get-history"} <= set(flags)
    assert command_names("bookmarks", families()["bookmarks"])["list"].operation_id == (
        "list_bookmarks_v2"
    )


def test_every_operation_of_a_family_gets_exactly_one_name() -> None:
    for family, ops in families().items():
        names = command_names(family, ops)
        assert sorted(op.operation_id for op in names.values()) == sorted(
            op.operation_id for op in ops
        ), family


def test_messages_speak_in_options() -> None:
    exc = ParamValidationError("out.parquet exists; pass overwrite=True to replace it")
    assert cli_message(exc) == "out.parquet exists; use --overwrite to replace it"
    exc = ConfigError("No project configured for account 'x': set MP_PROJECT_ID or pass project=.")
    assert cli_message(exc).endswith("set MP_PROJECT_ID or use --project.")
    message = cli_message(ConfigError(NO_ACCOUNT_MESSAGE))
    assert "\n" not in message
    assert "base_url" not in message
    assert "account add" in message
    half = ConfigError("MP_USERNAME set for a service account, but MP_REGION is not.\n"
                       + NO_ACCOUNT_MESSAGE)  # fmt: skip
    assert cli_message(half).startswith("MP_USERNAME set for a service account")


def test_exit_codes() -> None:
    assert exit_code(ParamValidationError("x")) == 2
    assert exit_code(ConfigError("x")) == 3
    assert exit_code(AuthenticationError("x", status_code=401)) == 3
    assert exit_code(QueryError("x", status_code=400)) == 1
