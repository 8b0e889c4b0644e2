"""The facts the conformance test compares, taken from an OpenAPI document (official or ours).

One fact record per operation: method, normalised absolute path, query/header parameters (with
`required` and `enum`), the request body's top-level fields and required fields, and the shape
and top-level field names of the success answer (one level into an App API `results`). The same
extraction runs over Mixpanel's official files (by `scripts/official_facts.py`, saved in
`openapi/official_facts.json`) and over our `openapi/*.yaml` (by the test), so both sides are
read the same way.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import yaml

REPO = Path(__file__).resolve().parents[2]
OPENAPI = REPO / "openapi"
FACTS = OPENAPI / "official_facts.json"
DIFFERENCES = OPENAPI / "differences"

# Official files in scope, grouped by the differences file that lists their differences. The
# official GDPR, service-account, warehouse-connector and data-pipeline families have no
# counterpart in this project and are not compared.
GROUPS: dict[str, tuple[str, ...]] = {
    "app_api.yaml": (
        "annotations.openapi.yaml",
        "experiments.openapi.yaml",
        "feature-flags-management.openapi.yaml",
        "feature-flags.openapi.yaml",
    ),
    "ingestion_query.yaml": (
        "ingestion.openapi.yaml",
        "identity.openapi.yaml",
        "export.openapi.yaml",
        "query.openapi.yaml",
        "lexicon-schemas.openapi.yaml",
    ),
}
OFFICIAL_FILES = tuple(name for names in GROUPS.values() for name in names)

# Where each of our host families lives (our paths are relative to it, as Mixpanel's are to
# their server URL): see `mixpanel_async._operation.HOST_PREFIX`.
_METHODS = ("get", "post", "put", "patch", "delete")
_SUCCESS = ("200", "201", "202", "204")
_PARAM = re.compile(r"\{[^}]+\}")


def normal_path(prefix: str, path: str) -> str:
    """`prefix + path` without a `#fragment` or trailing slash, path parameters as `{}`."""
    full = (prefix.rstrip("/") + "/" + path.split("#", 1)[0].lstrip("/")).rstrip("/")
    return _PARAM.sub("{}", full) or "/"


class _Doc:
    """One OpenAPI document with `$ref` resolution (local references only)."""

    def __init__(self, doc: Mapping[str, Any]) -> None:
        self.doc = doc

    def resolve(self, node: Any, depth: int = 0) -> Any:
        """`node` with a `$ref` followed (repeatedly) to the object it names."""
        while isinstance(node, Mapping) and "$ref" in node and depth < 20:
            target: Any = self.doc
            for part in str(node["$ref"]).lstrip("#/").split("/"):
                target = target[part.replace("~1", "/").replace("~0", "~")]
            node, depth = target, depth + 1
        return node

    def flatten(self, node: Any) -> dict[str, Any]:
        """An object schema with `allOf` merged and `oneOf`/`anyOf` objects unioned (properties
        of every branch; required only when every branch requires it)."""
        node = self.resolve(node)
        if not isinstance(node, Mapping):
            return {}
        out: dict[str, Any] = {
            k: v for k, v in node.items() if k not in ("allOf", "oneOf", "anyOf")
        }
        props: dict[str, Any] = dict(self.resolve(node.get("properties")) or {})
        required: set[str] = set(node.get("required") or ())
        for part in node.get("allOf") or ():
            flat = self.flatten(part)
            props.update(flat.get("properties") or {})
            required |= set(flat.get("required") or ())
            out.setdefault("type", flat.get("type"))
            if "items" in flat:
                out.setdefault("items", flat["items"])
        branches = [self.flatten(b) for b in (node.get("oneOf") or node.get("anyOf") or ())]
        objects = [b for b in branches if _kind(b) == "object"]
        if objects and len(objects) == len(branches):
            for branch in objects:
                props.update(branch.get("properties") or {})
            required |= set.intersection(*(set(b.get("required") or ()) for b in objects))
            out.setdefault("type", "object")
        elif branches and "type" not in out:
            kinds = {_kind(b) for b in branches} - {"null"}
            out["type"] = kinds.pop() if len(kinds) == 1 else "any"
            if out["type"] == "array":
                out["items"] = next(b["items"] for b in branches if "items" in b)
        if props:
            out["properties"] = props
        out["required"] = sorted(required)
        return out


def _kind(schema: Mapping[str, Any]) -> str:
    """The schema's JSON kind: object, array, string, integer, ..., or `any`."""
    kind = schema.get("type")
    if isinstance(kind, list):
        kinds = [k for k in kind if k != "null"]
        kind = kinds[0] if len(kinds) == 1 else "any"
    if kind is None:
        kind = "object" if "properties" in schema else "any"
    return str(kind)


def _shape(doc: _Doc, schema: Any) -> dict[str, Any]:
    """`{shape, fields}` of a schema: fields are the object's (or array items') property names."""
    flat = doc.flatten(schema)
    kind = _kind(flat)
    if kind == "array":
        items = doc.flatten(flat.get("items") or {})
        return {"shape": "array", "fields": sorted(items.get("properties") or ())}
    return {"shape": kind, "fields": sorted(flat.get("properties") or ())}


def _schema_of(doc: _Doc, answer: Any) -> Any:
    """The JSON (or first) media type's schema of a response object, None without content."""
    content = (doc.resolve(answer) or {}).get("content") or {}
    if not content:
        return None
    media = content.get("application/json") or next(iter(content.values()))
    return (media or {}).get("schema") or {}


def _is_error(doc: _Doc, schema: Any) -> bool:
    """Whether a schema describes an error body: an `error` field and no `results`."""
    props = doc.flatten(schema).get("properties") or {}
    return "error" in props and "results" not in props


def _split_errors(doc: _Doc, schema: Any) -> tuple[Any, list[Any]]:
    """A success schema without its error branches (`anyOf: [ok, error]`), and those branches."""
    node = doc.resolve(schema)
    for union in ("anyOf", "oneOf"):
        branches = list((node or {}).get(union) or ()) if isinstance(node, Mapping) else []
        errors = [b for b in branches if _is_error(doc, b)]
        if errors and len(errors) < len(branches):
            rest = [b for b in branches if b not in errors]
            return (rest[0] if len(rest) == 1 else {union: rest}), errors
    return schema, []


def _response(doc: _Doc, responses: Mapping[str, Any]) -> dict[str, Any] | None:
    """Facts of the first success answer's body (None without one), with `error`: the fields
    of the error body (an error branch of the success union, or the 4xx answers' union)."""
    facts: dict[str, Any] | None = None
    errors: list[Any] = []
    for code in _SUCCESS:
        schema = _schema_of(doc, responses.get(code))
        if schema is None:
            continue
        schema, errors = _split_errors(doc, schema)
        facts = _shape(doc, schema) if schema else {"shape": "any", "fields": []}
        results = (doc.flatten(schema).get("properties") or {}).get("results")
        if facts["shape"] == "object" and results is not None:
            facts["results"] = _shape(doc, results)
        break
    if facts is None:
        return None
    if not errors:
        errors = [
            s
            for code, answer in responses.items()
            if str(code).startswith("4")
            for s in [_schema_of(doc, answer)]
            if s
        ]
    fields = sorted({f for e in errors for f in doc.flatten(e).get("properties") or ()})
    if fields:
        facts["error"] = fields
    return facts


def _body(doc: _Doc, op: Mapping[str, Any]) -> dict[str, Any] | None:
    """Facts of the request body (JSON preferred, else form): fields and required fields."""
    body = doc.resolve(op.get("requestBody"))
    content = (body or {}).get("content") or {}
    if not content:
        return None
    media = (
        content.get("application/json")
        or content.get("application/x-www-form-urlencoded")
        or next(iter(content.values()))
    )
    flat = doc.flatten((media or {}).get("schema") or {})
    if _kind(flat) == "array":
        flat = doc.flatten(flat.get("items") or {})
    return {"fields": sorted(flat.get("properties") or ()), "required": flat["required"]}


def _params(doc: _Doc, item: Mapping[str, Any], op: Mapping[str, Any]) -> dict[str, Any]:
    """Query and header parameters, keyed `<in>:<name>` (header names lower-cased)."""
    out: dict[str, Any] = {}
    for raw in [*(item.get("parameters") or ()), *(op.get("parameters") or ())]:
        param = doc.resolve(raw)
        where = param.get("in")
        if where not in ("query", "header"):
            continue
        name = param["name"].lower() if where == "header" else param["name"]
        schema = doc.flatten(param.get("schema") or {})
        enum = schema.get("enum")
        if enum is None and _kind(schema) == "array":
            enum = doc.flatten(schema.get("items") or {}).get("enum")
        out[f"{where}:{name}"] = {
            "required": bool(param.get("required")),
            "enum": sorted(str(v) for v in enum) if enum else None,
        }
    return out


def operations(doc: Mapping[str, Any], prefix: str | None = None) -> Iterator[dict[str, Any]]:
    """Every operation's facts. `prefix`: the base path of every path (the first server's
    path when None, as in the official files); ours give it per operation by host family."""
    spec = _Doc(doc)
    servers = doc.get("servers") or [{"url": ""}]
    server_path = urlparse(str(servers[0]["url"]).replace("{", "").replace("}", "")).path
    for path, item in (doc.get("paths") or {}).items():
        for method in _METHODS:
            op = item.get(method)
            if op is None:
                continue
            base = prefix if prefix is not None else server_path
            host = op.get("x-mixpanel-host")
            paths = [normal_path(_host_prefix(host) if host else base, path)]
            if op.get("x-mixpanel-scope") == "maybe" and "/projects/{project_id}/" in path:
                alt = path.replace("/projects/{project_id}/", "/workspaces/{workspace_id}/", 1)
                paths.append(normal_path(_host_prefix(host), alt))
            yield {
                "id": op.get("operationId", f"{method.upper()} {path}"),
                "method": method.upper(),
                "path": path,
                "match": paths,
                "params": _params(spec, item, op),
                "body": _body(spec, op),
                "response": _response(spec, op.get("responses") or {}),
            }


def _host_prefix(host: str | None) -> str:
    """Our host family's base path (`HOST_PREFIX`), imported late to keep this module light."""
    from mixpanel_async._operation import HOST_PREFIX

    return HOST_PREFIX[str(host)] if host else ""


def load_yaml(text: str) -> Any:
    """YAML (or JSON) text as Python data (libyaml's loader when present: it is much faster)."""
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


@functools.cache
def our_operations() -> dict[str, list[dict[str, Any]]]:
    """Our specs' operation facts, by our file name (read once per process)."""
    return {
        spec.name: list(operations(load_yaml(spec.read_text())))
        for spec in sorted(OPENAPI.glob("*.yaml"))
    }
