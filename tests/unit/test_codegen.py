"""The generated code: up to date, deterministic, attrs-only, and shaped as the specs say."""

from __future__ import annotations

import importlib
import subprocess
import sys
import types
import typing
from pathlib import Path
from typing import Any

import attrs
import pytest

from mixpanel_async._generated import models
from mixpanel_async._generated.models import engage as engage_models
from mixpanel_async._generated.models import export as export_models
from mixpanel_async._generated.models import webhooks as webhooks_models
from mixpanel_async._generated.operations import ALL
from mixpanel_async._generated.operations import discovery as discovery_ops
from mixpanel_async._generated.operations import export as export_ops
from mixpanel_async._generated.operations import webhooks as webhooks_ops
from mixpanel_async._operation import JsonLines, ParamError, Request
from mixpanel_async.transport import codec
from mixpanel_async.transport.prepared import Prepared
from mixpanel_async.transport.session import Transport
from tests.helpers import fresh_python

ROOT = Path(__file__).resolve().parents[2]


def test_regeneration_leaves_the_tree_unchanged() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "codegen", "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_generated_file_has_the_do_not_edit_header() -> None:
    for path in (ROOT / "mixpanel_async" / "_generated").rglob("*.py"):
        assert "Do not edit by hand" in path.read_text().splitlines()[0], path


def test_at_least_twenty_attrs_models() -> None:
    import importlib
    import pkgutil

    count = 0
    for info in pkgutil.iter_modules(models.__path__):
        module = importlib.import_module(f"{models.__name__}.{info.name}")
        count += sum(
            1
            for v in vars(module).values()
            if isinstance(v, type) and attrs.has(v) and v.__module__ == module.__name__
        )
    assert count >= 20


def test_no_pydantic_at_runtime() -> None:
    code = (
        "import sys, mixpanel_async, mixpanel_async.emulator.app; "
        "print(any(m.split('.')[0] == 'pydantic' for m in sys.modules))"
    )
    assert fresh_python(code) == "False"


def test_operations_carry_the_spec_extensions() -> None:
    op = ALL["export_events"]
    assert (op.method, op.host, op.path, op.rate_limit) == ("GET", "export", "/export", "export")
    assert op.paging == {"style": "jsonl"}
    assert op.context_param("project_id") is not None
    assert ALL["query_profiles"].paging == {"style": "engage-session"}
    assert len({o.operation_id for o in ALL.values()}) == len(ALL)


def test_builders_validate_before_any_request() -> None:
    request = discovery_ops.list_event_names(type="general", limit=10)
    assert request.params == {"type": "general", "limit": 10}
    with pytest.raises(ParamError, match="type"):
        discovery_ops.list_event_names(type="bogus")  # type: ignore[arg-type]


def test_wire_keys_round_trip() -> None:
    wire = {"$distinct_id": "u1", "$properties": {"plan": "pro"}, "unknown": 1}
    profile = codec.structure(wire, engage_models.EngageProfile)
    assert profile.distinct_id == "u1"
    assert codec.unstructure(profile) == {"$distinct_id": "u1", "$properties": {"plan": "pro"}}


def _builders() -> list[Any]:
    families = sorted({op.family for op in ALL.values()})
    modules = [
        importlib.import_module(f"mixpanel_async._generated.operations.{f}") for f in families
    ]
    return [getattr(module, op_id) for module in modules for op_id in module.OPERATIONS]


def test_builders_are_typed_by_their_answer() -> None:
    answer = typing.get_type_hints(webhooks_ops.list_webhooks)["return"]
    assert answer == Request[list[webhooks_models.ProjectWebhook]]
    assert typing.get_type_hints(discovery_ops.list_event_names)["return"] == Request[list[str]]
    assert (
        typing.get_type_hints(export_ops.export_events)["return"]
        == Request[JsonLines[export_models.ExportedEvent]]
    )
    for builder in _builders():  # the transport never answers an untyped value
        (answer,) = typing.get_args(typing.get_type_hints(builder)["return"])
        union = typing.get_args(answer) if typing.get_origin(answer) is types.UnionType else ()
        assert Any not in (answer, *union), builder.__name__


def test_app_envelopes_are_unwrapped_by_the_operation() -> None:
    app = [op for op in ALL.values() if op.host == "app"]
    assert app
    # JSON answers are enveloped; a file (a lookup table's CSV) is the body itself, and so are
    # the annotation tags, which Mixpanel's published spec answers bare.
    bare = {"list_annotation_tags", "create_annotation_tag"}
    assert all(
        op.unwrap == "results"
        for op in app
        if op.response_media_type.endswith("json") and op.operation_id not in bare
    )
    assert all(ALL[name].unwrap is None for name in bare)
    assert ALL["download_lookup_table"].unwrap is None
    assert ALL["list_per_event_properties"].unwrap == "results"  # x-mixpanel-unwrap
    assert ALL["segmentation_sum"].unwrap is None  # `results` beside other fields: no envelope
    op = ALL["list_webhooks"]
    prepared = Prepared("GET", "http://x/webhooks/", "app", "app", [])
    hook = b'{"id": "w1", "name": "n", "url": "https://x", "is_enabled": true}'
    body = b'{"status": "ok", "results": [' + hook + b"]}"
    (decoded,) = Transport.decode(op, body, prepared)
    assert isinstance(decoded, webhooks_models.ProjectWebhook)
    assert decoded.id == "w1"
    assert Transport.decode(op, b"", prepared) is None


def test_spec_enums_are_named_aliases() -> None:
    from mixpanel_async._generated.models import query as query_models
    from mixpanel_async._generated.operations import query as query_ops
    from mixpanel_async.results import query as results

    hints = typing.get_type_hints(query_ops.segmentation)
    assert hints["unit"] == query_models.TimeUnit | None
    assert hints["type"] == query_models.CountType | None
    assert typing.get_args(query_models.TimeUnit) == query_ops.SEGMENTATION.param("unit").enum
    assert query_ops.SEGMENTATION.param("unit").default == "day"  # kept beside the $ref
    for name in ("TimeUnit", "HourDayUnit", "RetentionUnit", "CountType"):
        assert getattr(results, name) is getattr(query_models, name)


def test_builders_say_their_method_and_path() -> None:
    for builder in _builders():
        op = ALL[builder.__name__]
        assert (builder.__doc__ or "").startswith(f"{op.method} {op.path} — "), op.operation_id


@pytest.mark.parametrize("value", [True, "5", 2.5])
def test_integer_parameters_take_integers_only(value: Any) -> None:
    with pytest.raises(ParamError, match="limit: must be an integer"):
        ALL["property_counts"].param("limit").check(value)
