"""`mp` command lines work unchanged with `mixpanel-async`: every command of the peer's CLI
exists here (but `NOT_YET`) with its options, short forms included, and the same arguments (but
`KNOWN_GAPS`, each with its reason)."""

from __future__ import annotations

import functools
from typing import Any

import pytest
from typer.main import get_command

from mixpanel_async.cli import app

peer_main = pytest.importorskip("mixpanel_headless.cli.main")

NOT_HERE = {"--link"}
"""Peer options we do not offer: `--link` reads a report URL (see `query_report_link`)."""


def commands(typer_app: Any, group: str) -> dict[str, Any]:
    return dict(get_command(typer_app).commands[group].commands)  # type: ignore[attr-defined]


def options(command: Any) -> set[str]:
    return {o for p in command.params for o in (*p.opts, *p.secondary_opts) if o.startswith("-")}


def arguments(command: Any) -> list[str]:
    return [p.name for p in command.params if p.param_type_name == "argument"]


@pytest.mark.parametrize("group", ["query", "inspect"])
def test_the_peers_commands_and_options_exist(group: str) -> None:
    ours = commands(app, group)
    for name, theirs in commands(peer_main.app, group).items():
        assert name in ours, f"{group} {name}"
        missing = options(theirs) - options(ours[name]) - NOT_HERE
        assert not missing, (group, name, missing)
        assert arguments(theirs) == arguments(ours[name]), (group, name)


KNOWN_GAPS = {
    ("reports", "link"),  # builds a link to a saved report, not from a definition file
    ("reports", "resolve"),  # resolves only; --run/--mode are `query saved-report`'s job
}
"""Peer commands whose command lines differ here, each for the reason given."""

NOT_YET: dict[tuple[str, str], str] = {}
"""Peer commands with no counterpart here, and why."""


@functools.cache
def _peer_commands() -> list[tuple[str, str, Any]]:
    """(group, command, click command) for every command of `mp`; a top-level command (`login`,
    `help`) is its own group and command."""
    found = []
    for group, theirs in get_command(peer_main.app).commands.items():  # type: ignore[attr-defined]
        if not hasattr(theirs, "commands") or list(theirs.commands) == [group]:
            found.append((group, group, getattr(theirs, "commands", {}).get(group, theirs)))
            continue
        found += [(group, name, command) for name, command in theirs.commands.items()]
    return found


@functools.cache
def _our_groups() -> dict[str, Any]:
    return dict(get_command(app).commands)  # type: ignore[attr-defined]


def _ours(group: str, name: str) -> Any:
    mine = _our_groups().get(group)
    if mine is None or group == name:
        return mine
    return getattr(mine, "commands", {}).get(name)


def test_every_peer_command_exists_here() -> None:
    missing = [
        (group, name)
        for group, name, _ in _peer_commands()
        if _ours(group, name) is None and (group, name) not in NOT_YET
    ]
    assert not missing
    assert all(_ours(group, name) is None for group, name in NOT_YET)  # the list stays true


def test_the_peers_command_lines_work_here() -> None:
    checked = 0
    for group, name, command in _peer_commands():
        mine = _ours(group, name)
        if mine is None or group in ("query", "inspect") or (group, name) in KNOWN_GAPS:
            continue
        checked += 1
        missing = options(command) - options(mine) - NOT_HERE  # short forms included
        assert not missing, (group, name, missing)
        assert arguments(command) == arguments(mine), (group, name)
    assert checked > 150
