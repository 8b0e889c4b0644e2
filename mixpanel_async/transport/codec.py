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
from cattrs.gen import make_dict_structure_fn, override

T = TypeVar("T")


def _wire(field: attrs.Attribute[Any]) -> str:
    wire: str = field.metadata.get("wire", field.name)
    return wire


def _is_union(tp: Any) -> bool:
    return get_origin(tp) in (typing.Union, types.UnionType)


def make_converter() -> cattrs.Converter:
    conv = cattrs.Converter(forbid_extra_keys=False)

    def structure_attrs(cls: type[Any]) -> Callable[[Any, Any], Any]:
        overrides = {
            f.name: override(rename=_wire(f)) for f in attrs.fields(cls) if _wire(f) != f.name
        }
        return make_dict_structure_fn(cls, conv, **overrides)  # type: ignore[arg-type]

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
        lambda tp: get_origin(tp) is cast(Any, Literal), lambda _tp: lambda value, _: value
    )
    conv.register_structure_hook(Any, lambda value, _: value)
    # Mixpanel sends integers where a spec says number and numbers as strings now and then.
    conv.register_structure_hook(float, lambda value, _: float(value))
    return conv


converter = make_converter()


def structure(data: Any, tp: type[T] | Any) -> Any:
    """Turn decoded JSON into the spec's Python type (`tp` may be `list[Model]` etc.)."""
    if tp is None:
        return data
    return converter.structure(data, tp)


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
