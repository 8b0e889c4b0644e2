# Generated from openapi/replays.yaml by `python -m codegen`. Do not edit by hand:
# change the spec or codegen/templates and regenerate.

from __future__ import annotations

from typing import Literal, TypeAlias

import attrs

ReplayEnv: TypeAlias = Literal["prod", "dev"]


@attrs.frozen(kw_only=True)
class ReplayToSign:
    replay_id: str
    replay_env: ReplayEnv


@attrs.frozen(kw_only=True)
class SignReplaysParams:
    replays: list[ReplayToSign]


@attrs.frozen(kw_only=True)
class SignedReplayUrl:
    replay_id: str
    url: str
    query_string: str


@attrs.frozen(kw_only=True)
class SignedReplaysEnvelope:
    results: list[SignedReplayUrl]
    status: str | None = None


@attrs.frozen(kw_only=True)
class RecordReplayResponse:
    code: int | None = None
    status: str | None = None
