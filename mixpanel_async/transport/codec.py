"""The cattrs converter shared by the client and the emulator, and JSON helpers (orjson).

Generated attrs models keep each field's wire key in `metadata["wire"]` when it differs from the
Python name (`$distinct_id` → `distinct_id`); the hooks here rename in both directions. Structuring
is lenient the way a client of a living API must be: unknown keys are ignored, `Literal` values are
not policed (a new Mixpanel enum value must not break a read), and unions of plain JSON types pass
through. Unstructuring omits `None`, so optional fields are simply not sent.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable
from typing import Any, Literal, TypeVar, cast, get_args, get_origin

import attrs
import cattrs
import orjson
from cattrs.cols import list_structure_factory
from cattrs.gen import make_dict_structure_fn, override

T = TypeVar("T")


def _wire(field: attrs.Attribute[Any]) -> str:
    wire: str = field.metadata.get("wire", field.name)
    return wire


def wire_name(model: type[Any], attr: str) -> str:
    """The wire key of a generated model's field (`wire_name(EngageProfile, "distinct_id")`
    is `"$distinct_id"`), so hand-written code never restates one."""
    return _wire(attrs.fields_dict(model)[attr])


def _is_union(tp: Any) -> bool:
    return get_origin(tp) in (typing.Union, types.UnionType)


def _strict(kind: type[Any], *, accept: tuple[type[Any], ...] = ()) -> Callable[[Any, Any], Any]:
    allowed = (kind, *accept)

    def hook(value: Any, _: Any) -> Any:
        if isinstance(value, bool) and kind is not bool:
            raise TypeError(f"expected {kind.__name__}, got a boolean")
        if not isinstance(value, allowed):
            raise TypeError(f"expected {kind.__name__}, got {type(value).__name__}")
        return kind(value)

    return hook


def _literal_checked(tp: Any) -> Callable[[Any, Any], Any]:
    allowed = get_args(tp)

    def hook(value: Any, _: Any) -> Any:
        if value not in allowed:
            raise ValueError(f"must be one of {', '.join(map(repr, allowed))}, got {value!r}")
        return value

    return hook


def _strict_list(conv: cattrs.Converter) -> Callable[[Any], Callable[[Any, Any], Any]]:
    """Lists must be lists: cattrs would otherwise read `"a,b"` as `["a", ",", "b"]`."""

    def factory(tp: Any) -> Callable[[Any, Any], Any]:
        inner = list_structure_factory(tp, conv)

        def hook(value: Any, _: Any) -> Any:
            if not isinstance(value, list | tuple):
                raise TypeError(f"expected a list, got {type(value).__name__}")
            return inner(value, tp)

        return hook

    return factory


def make_converter(*, strict: bool = False) -> cattrs.Converter:
    """The converter; `strict=True` checks scalar types instead of coercing (for validating
    what a caller or a client sent, where `5` is not a title)."""
    conv = cattrs.Converter(forbid_extra_keys=False)

    def structure_attrs(cls: type[Any]) -> Callable[[Any, Any], Any]:
        overrides = {
            f.name: override(rename=_wire(f)) for f in attrs.fields(cls) if _wire(f) != f.name
        }
        structure = make_dict_structure_fn(cls, conv, **overrides)  # type: ignore[arg-type]
        if not strict:
            return structure

        def hook(value: Any, tp: Any) -> Any:  # a caller's dict may hold models already made
            return value if isinstance(value, cls) else structure(value, tp)

        return hook

    def unstructure_attrs(cls: type[Any]) -> Callable[[Any], dict[str, Any]]:
        fields = [(f.name, _wire(f)) for f in attrs.fields(cls)]
        unstructure = conv.unstructure

        def hook(obj: Any) -> dict[str, Any]:
            out: dict[str, Any] = {}
            for name, wire in fields:
                value = getattr(obj, name)
                if value is not None:
                    out[wire] = unstructure(value)
            return out

        return hook

    def structure_union(tp: Any) -> Callable[[Any, Any], Any]:
        members = [m for m in get_args(tp) if m is not type(None)]
        models = [m for m in members if attrs.has(m)]

        def hook(value: Any, _: Any) -> Any:
            if value is None:
                return None
            if isinstance(value, dict) and len(models) == 1:
                return conv.structure(value, models[0])
            if len(members) == 1:
                return conv.structure(value, members[0])
            return value

        return hook

    conv.register_structure_hook_factory(attrs.has, structure_attrs)
    conv.register_unstructure_hook_factory(attrs.has, unstructure_attrs)
    conv.register_structure_hook_factory(_is_union, structure_union)
    conv.register_structure_hook_factory(
        lambda tp: get_origin(tp) is cast(Any, Literal),
        _literal_checked if strict else (lambda _tp: lambda value, _: value),
    )
    conv.register_structure_hook(Any, lambda value, _: value)
    if strict:
        conv.register_structure_hook(str, _strict(str))
        conv.register_structure_hook(int, _strict(int))
        conv.register_structure_hook(float, _strict(float, accept=(int,)))
        conv.register_structure_hook(bool, _strict(bool))
        conv.register_structure_hook_factory(
            lambda tp: get_origin(tp) is cast(Any, list), _strict_list(conv)
        )
    else:
        # Mixpanel sends integers where a spec says number, and numbers as strings now and then.
        conv.register_structure_hook(float, lambda value, _: float(value))
    return conv


converter = make_converter()
strict_converter = make_converter(strict=True)


def structure(data: Any, tp: type[T] | Any) -> Any:
    """Turn decoded JSON into the spec's Python type (`tp` may be `list[Model]` etc.)."""
    if tp is None:
        return data
    return converter.structure(data, tp)


def validate(data: Any, tp: type[T]) -> T:
    """Structure `data` with strict scalar types; raises cattrs errors on a mismatch."""
    result: T = strict_converter.structure(data, tp)
    return result


def unstructure(obj: Any) -> Any:
    """Turn models (or mappings of them) into JSON-ready data with wire keys, Nones omitted."""
    return converter.unstructure(obj)


def dumps(obj: Any) -> bytes:
    """JSON bytes; attrs models are unstructured first."""
    return orjson.dumps(obj, default=_default)


def _default(obj: Any) -> Any:
    if attrs.has(type(obj)):
        return unstructure(obj)
    raise TypeError(f"cannot serialise {type(obj).__name__} as JSON")


loads = orjson.loads


def app_answer(host: str, unwrap: str | None, response: Any, data: Any) -> Any:
    """An App API 200 body in the shape its operation's spec expects, when Mixpanel sent the
    other one: some endpoints answer bare where most wrap `{status, results}` (the annotation
    tags, per Mixpanel's published spec), and sources disagree on which. A bare answer to an
    operation that unwraps `results` is wrapped; an envelope answering an operation whose spec
    is bare is unwrapped. Other hosts, and bodies already in the expected shape, pass through."""
    if host != "app":
        return data
    envelope = isinstance(data, dict) and "results" in data and "status" in data
    if unwrap == "results" and (isinstance(data, list) or (
        isinstance(data, dict) and "results" not in data and "status" not in data
    )):  # fmt: skip
        return {"results": data}
    bare_spec = unwrap is None and not (
        attrs.has(response) and "results" in attrs.fields_dict(response)
    )
    return data["results"] if envelope and bare_spec else data
