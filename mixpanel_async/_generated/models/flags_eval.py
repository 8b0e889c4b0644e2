# Generated from openapi/flags_eval.yaml by `python -m codegen`. Do not edit by hand:
# change the spec or codegen/templates and regenerate.

from __future__ import annotations

from typing import Any

import attrs


@attrs.frozen(kw_only=True)
class FlagsError:
    error: str
    status: str | None = None


@attrs.frozen(kw_only=True)
class SelectedVariant:
    variant_key: str | None = None
    variant_value: Any | None = None
    experiment_id: str | None = None
    is_experiment_active: bool | None = None
    is_qa_tester: bool | None = None


@attrs.frozen(kw_only=True)
class RemoteFlagsResponse:
    flags: dict[str, SelectedVariant]
    code: int | None = None


@attrs.frozen(kw_only=True)
class FlagDefinition:
    id: str
    name: str
    key: str
    status: str
    project_id: int
    context: str
    ruleset: dict[str, Any]
    experiment_id: str | None = None
    is_experiment_active: bool | None = None
    hash_salt: str | None = None


@attrs.frozen(kw_only=True)
class FlagDefinitionsResponse:
    flags: list[FlagDefinition]
    code: int | None = None
