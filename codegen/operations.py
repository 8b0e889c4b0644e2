"""Operations: one `Operation` value and one typed builder function per `operationId`.

Each builder is typed by what the transport answers for its request (`Request[T]`): the 200
body's type, or for an App API envelope (`{"status", "results"}`) the type of `results`, which
the operation then unwraps (see `unwrap_field`). That type is read from the generated model, so
it is exactly what the decoder produces.
"""

from __future__ import annotations

import ast
import keyword
import re
import textwrap
from typing import Any

HTTP_METHODS = ("get", "post", "put", "patch", "delete")
_PRIMITIVES = {"string": "str", "integer": "int", "number": "float", "boolean": "bool"}
_UNTYPED = ("Any", "Any | None")


def python_name(wire: str) -> str:
    """A snake_case Python identifier for a wire name (`$distinct_id` → `distinct_id`)."""
    name = wire.lstrip("$")
    name = re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name)
    name = re.sub(r"[^0-9a-zA-Z_]", "_", name).lower().strip("_") or "value"
    if name[0].isdigit():
        name = f"n_{name}"
    return f"{name}_" if keyword.iskeyword(name) else name


def constant_name(operation_id: str) -> str:
    """The name of an operation's `Operation` constant (`list_webhooks` → `LIST_WEBHOOKS`)."""
    return operation_id.upper()


class ModelIndex:
    """What a generated models module defines: its top-level names and each class's field
    annotations, read with `ast` from the module's text."""

    def __init__(self, source: str, models: str = "m") -> None:
        self.models = models
        self.names: set[str] = set()
        self.fields: dict[str, dict[str, ast.expr]] = {}
        for node in ast.parse(source).body:
            if isinstance(node, ast.ClassDef):
                self.names.add(node.name)
                self.fields[node.name] = {
                    item.target.id: item.annotation
                    for item in node.body
                    if isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name)
                }
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                self.names.add(node.target.id)
            elif isinstance(node, ast.Assign):
                self.names.update(t.id for t in node.targets if isinstance(t, ast.Name))

    def field_type(self, model: str, field: str) -> str:
        """The annotation of `model.field` as source, its model names qualified (`m.Cohort`).

        A field the spec leaves untyped (`Any`, `Any | None`) is `object`: no `Any` escapes.
        """
        annotation = self.fields[model][field]
        if ast.unparse(annotation) in _UNTYPED:
            return "object"
        names, prefix = self.names, self.models

        class Qualify(ast.NodeTransformer):
            def visit_Name(self, node: ast.Name) -> ast.AST:
                if node.id not in names:
                    return node
                return ast.Attribute(ast.Name(prefix, ast.Load()), node.id, ast.Load())

        return ast.unparse(Qualify().visit(annotation))


class _Spec:
    def __init__(self, doc: dict[str, Any]) -> None:
        self.doc = doc

    def resolve(self, node: dict[str, Any]) -> dict[str, Any]:
        """Follow a local `$ref` (`#/components/...`)."""
        while "$ref" in node:
            ref: str = node["$ref"]
            if not ref.startswith("#/"):
                raise SystemExit(f"only local $ref are supported, got {ref}")
            target: Any = self.doc
            for part in ref[2:].split("/"):
                target = target[part]
            node = target
        return node

    def type_expr(self, schema: dict[str, Any] | None, models: str = "m") -> str:
        """A Python type expression (as source) for a schema; a `$ref` to an object or an enum
        is the generated model or `Literal` alias of that name."""
        if not schema:
            return "Any"
        if "$ref" in schema:
            name = schema["$ref"].rsplit("/", 1)[-1]
            target = self.resolve(schema)
            if target.get("type") == "object" or "properties" in target or "enum" in target:
                return f"{models}.{name}"
            return self.type_expr(target, models)
        kind = schema.get("type")
        if isinstance(kind, list):
            kinds = [k for k in kind if k != "null"]
            kind = kinds[0] if len(kinds) == 1 else None
        if kind == "array":
            return f"list[{self.type_expr(schema.get('items'), models)}]"
        if kind == "object":
            extra = schema.get("additionalProperties")
            if isinstance(extra, dict) and extra and not schema.get("properties"):
                return f"dict[str, {self.type_expr(extra, models)}]"
            return "dict[str, Any]"
        if isinstance(kind, str) and kind in _PRIMITIVES:
            return _PRIMITIVES[kind]
        return "Any"


def _param_source(spec: _Spec, raw: dict[str, Any]) -> tuple[str, str, str | None, bool]:
    """Render one `Param(...)`; returns (source, annotation, default source, required)."""
    p = spec.resolve(raw)
    written: dict[str, Any] = p.get("schema", {})
    # A `$ref` with siblings (`default:` beside it) is the target with those keys added.
    schema = {**spec.resolve(written), **{k: v for k, v in written.items() if k != "$ref"}}
    kind = schema.get("type", "string")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "string")
    fields: dict[str, Any] = {
        "name": p["name"],
        "attr": python_name(p["name"]),
        "location": p["in"],
        "type": kind,
    }
    required = bool(p.get("required", False)) or p["in"] == "path"
    if required:
        fields["required"] = True
    if p.get("x-mixpanel-json"):
        fields["json"] = True
    if p.get("x-mixpanel-context"):
        fields["context"] = p["x-mixpanel-context"]
    if "enum" in schema:
        fields["enum"] = tuple(schema["enum"])
    for key in ("format", "default", "minimum", "maximum"):
        if key in schema:
            fields[key] = schema[key]
    source = "Param(" + ", ".join(f"{k}={v!r}" for k, v in fields.items()) + ")"

    ref = written.get("$ref")
    if "enum" in schema and ref:
        annotation = spec.type_expr({"$ref": ref})  # the named alias, e.g. `m.TimeUnit`
    elif "enum" in schema:
        annotation = "Literal[" + ", ".join(repr(v) for v in schema["enum"]) + "]"
    elif schema.get("format") == "date":
        annotation = "str | datetime.date"
    else:
        annotation = spec.type_expr(schema)
    default = repr(schema["default"]) if "default" in schema else None
    return source, annotation, default, required


def unwrap_field(spec: _Spec, op: dict[str, Any], schema: dict[str, Any] | None) -> str | None:
    """The envelope field an operation answers with, if any.

    `x-mixpanel-unwrap: <field>` says so explicitly (`false`: never). Without it, an App API
    operation whose 200 schema is an object with `status` and `results` properties (Mixpanel's
    envelope) answers with `results`.
    """
    if "x-mixpanel-unwrap" in op:
        field = op["x-mixpanel-unwrap"]
        return str(field) if field else None
    if op["x-mixpanel-host"] != "app" or not schema:
        return None
    props = spec.resolve(schema).get("properties") or {}
    return "results" if {"status", "results"} <= props.keys() else None


def _response(
    spec: _Spec, index: ModelIndex, op: dict[str, Any]
) -> tuple[str, str, str | None, str]:
    """(the 200 body's type, its media type, the unwrapped field, the builder's answer type)."""
    ok = op.get("responses", {}).get("200") or op.get("responses", {}).get("201") or {}
    content: dict[str, Any] = spec.resolve(ok).get("content", {})
    media = next(iter(content), "application/json")
    json_media = next((k for k in content if k == "application/json"), media)
    schema = content.get(json_media, {}).get("schema")
    response = spec.type_expr(schema) if schema else "None"
    unwrap = unwrap_field(spec, op, schema)
    if unwrap is not None:
        model = response.removeprefix("m.")
        if model == response or model not in index.fields:
            raise SystemExit(f"{op['operationId']}: only an object response can be unwrapped")
        answer = index.field_type(model, python_name(unwrap))
    elif media == "application/x-ndjson":
        answer = f"JsonLines[{response}]"  # read by streaming, a line at a time
    else:
        answer = response
    return response, media, unwrap, answer


def render(family: str, doc: dict[str, Any], header: str, models_source: str) -> str:
    """Render `_generated/operations/<family>.py` for one parsed spec and its models' text."""
    spec = _Spec(doc)
    index = ModelIndex(models_source)
    out: list[str] = [
        header,
        "from __future__ import annotations\n",
        "import datetime",
        "from collections.abc import Mapping",
        "from typing import TYPE_CHECKING, Any, Literal\n",
        "from mixpanel_async._operation import (",
        "    Body, JsonLines, LazyModule, Later, Operation, Param, Request, build",
        ")\n",
        "# The family's models are imported on first use (`Later`), not with the operations.",
        "if TYPE_CHECKING:",
        f"    from mixpanel_async._generated.models import {family} as m",
        "else:",
        f'    m = LazyModule("mixpanel_async._generated.models.{family}")\n',
        "__all__ = [",
    ]
    blocks: list[str] = []
    names: list[str] = []
    for path, item in sorted(doc.get("paths", {}).items()):
        shared = item.get("parameters", [])
        for method in HTTP_METHODS:
            op = item.get(method)
            if op is None:
                continue
            blocks.append(_render_operation(spec, index, family, path, method, op, shared))
            names.append(op["operationId"])
    names.sort()
    out += [f'    "{constant_name(n)}",\n    "{n}",' for n in names]
    out.append('    "OPERATIONS",\n]\n')
    out += blocks
    out.append("OPERATIONS: dict[str, Operation] = {")
    out += [f'    "{n}": {constant_name(n)},' for n in names]
    out.append("}\n")
    return "\n".join(out)


def _docstring(method: str, path: str, summary: str, description: str | None) -> str:
    """`GET /path — Summary.` with the spec's description below it, as the source of a
    function body's docstring."""
    lines = [f"{method.upper()} {path} — {summary.rstrip('.')}."]
    text = " ".join(str(description or "").split())
    if text and text != summary:
        lines += ["", *textwrap.wrap(text, 92, break_on_hyphens=False), ""]
    body = "\n    ".join(line.rstrip() for line in lines)
    body = body.replace("\\", "\\\\").replace('"""', "'''")
    return f'"""{body}"""'


def _later(type_src: str) -> str:
    """A type's source as an operation field: `Later(lambda: ...)` when it names a model, so
    that the model is built on first use."""
    return f"Later(lambda: {type_src})" if "m." in type_src else type_src


def _render_operation(
    spec: _Spec,
    index: ModelIndex,
    family: str,
    path: str,
    method: str,
    op: dict[str, Any],
    shared: list[dict[str, Any]],
) -> str:
    op_id: str = op["operationId"]
    const = constant_name(op_id)
    for key in ("x-mixpanel-host", "x-mixpanel-rate-limit"):
        if key not in op:
            raise SystemExit(f"{family}.{op_id}: missing {key}")
    params_src: list[str] = []
    args: list[str] = []
    mapping: list[str] = []
    for raw in [*shared, *op.get("parameters", [])]:
        source, annotation, default, required = _param_source(spec, raw)
        params_src.append(f"        {source},")
        p = spec.resolve(raw)
        if p.get("x-mixpanel-context"):
            continue
        attr = python_name(p["name"])
        if required and default is None:
            args.append(f"    {attr}: {annotation},")
        elif default is not None:  # None: not sent, the server applies its default
            args.append(f"    {attr}: {annotation} | None = {default},")
        else:
            args.append(f"    {attr}: {annotation} | None = None,")
        mapping.append(f'"{attr}": {attr}')

    body_src = "None"
    body_arg: str | None = None
    if "requestBody" in op:
        rb = spec.resolve(op["requestBody"])
        content: dict[str, Any] = rb.get("content", {})
        media = tuple(content)
        first = content[media[0]].get("schema") if media else None
        model = spec.type_expr(first) if first else "Any"
        model_src = model if model.startswith("m.") else "None"
        body_src = f"Body(media_types={media!r}, model={_later(model_src)})"
        arg_type = f"{model} | Mapping[str, Any]" if model.startswith("m.") else "Any"
        body_arg = (
            f"    body: {arg_type},"
            if rb.get("required")
            else f"    body: {arg_type} | None = None,"
        )

    response, resp_media, unwrap, answer = _response(spec, index, op)
    summary = " ".join(str(op.get("summary") or op.get("description") or op_id).split())
    lines = [
        f"# {method.upper()} {path}",
        f"{const} = Operation(",
        f"    operation_id={op_id!r},",
        f"    family={family!r},",
        f"    method={method.upper()!r},",
        f"    host={op['x-mixpanel-host']!r},",
        f"    path={path!r},",
        "    params=(",
        *params_src,
        "    ),",
        f"    body={body_src},",
        f"    response={_later(response)},",
        *([f"    unwrap={unwrap!r},"] if unwrap else []),
        f"    response_media_type={resp_media!r},",
        f"    rate_limit={op['x-mixpanel-rate-limit']!r},",
        f"    paging={op.get('x-mixpanel-paging')!r},",
        f"    summary={summary!r},",
        *(
            f"    {key}={op[ext]!r},"
            for key, ext in (("scope", "x-mixpanel-scope"), ("entity", "x-mixpanel-entity"))
            if ext in op
        ),
        ")\n\n",
        f"def {op_id}(",
    ]
    if args or body_arg:
        lines.append("    *,")
        lines += args
        if body_arg:
            lines.append(body_arg)
    lines.append(f") -> Request[{answer}]:")
    lines.append(f"    {_docstring(method, path, summary, op.get('description'))}")
    body_value = "body" if body_arg else "None"
    lines.append(f"    return build({const}, {{{', '.join(mapping)}}}, {body_value})\n\n")
    return "\n".join(lines)
