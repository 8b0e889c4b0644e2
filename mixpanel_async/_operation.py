"""Runtime types that the generated operations are made of.

`codegen` writes one `Operation` per `operationId` in `openapi/`. The client's transport turns an
`Operation` plus arguments into an HTTP request; the emulator registers a handler per operation and
uses the same `Param` definitions to parse and validate what it receives. Neither side restates a
path or a wire parameter name: both read them from here.
"""

from __future__ import annotations

import datetime as _dt
import importlib
import re
import threading
from collections.abc import Callable, Mapping
from typing import Any, Generic, Literal, TypeVar
from urllib.parse import quote

import attrs
import orjson

Location = Literal["query", "path", "header"]
HostFamily = Literal["query", "export", "engage", "app", "ingestion", "web"]

# Where each host family lives below a host or a `base_url=` override (the emulator mounts the
# same prefixes). Mixpanel's own paths in the specs are relative to these. `web` is the web app's
# own host (`https://mixpanel.com`), which serves short links (`/s/{code}`).
HOST_PREFIX: dict[str, str] = {
    "query": "/api/query",
    "export": "/api/2.0",
    "engage": "/api/query/engage",
    "app": "/api/app",
    "ingestion": "",
    "web": "",
}

T_co = TypeVar("T_co", covariant=True)

_PATH_FIELD = re.compile(r"\{([^}]+)\}")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
"""The range of an integer parameter with no narrower bounds (Mixpanel's ids are 64-bit)."""


class LazyModule:
    """A module imported on its first attribute look-up (`m.Cohort`).

    The generated operations name their family's models through one, so that importing every
    operation (the emulator's router, the client's builders) does not build every attrs model
    class: a family's models are imported when a request or answer of that family needs them.
    """

    __slots__ = ("_lock", "_module", "_name")

    def __init__(self, name: str) -> None:
        self._name = name
        self._module: Any = None
        self._lock = threading.Lock()

    def __getattr__(self, attr: str) -> Any:
        module = self._module
        if module is None:
            with self._lock:
                module = self._module = importlib.import_module(self._name)
        return getattr(module, attr)

    def __repr__(self) -> str:
        return f"<lazy module {self._name!r}>"


@attrs.frozen(eq=False)
class Later:
    """A type written `Later(lambda: m.Cohort)` in generated code: evaluated on first use."""

    make: Callable[[], Any]
    _value: list[Any] = attrs.field(factory=list, init=False, repr=False)

    def get(self) -> Any:
        """The type (evaluated once)."""
        if not self._value:
            self._value.append(self.make())
        return self._value[0]


def _resolve(value: Any) -> Any:
    return value.get() if isinstance(value, Later) else value


class ParamError(ValueError):
    """A parameter value that does not fit its spec (raised client- and emulator-side)."""

    def __init__(self, param: str, message: str) -> None:
        super().__init__(f"{param}: {message}")
        self.param = param
        self.message = message


@attrs.frozen
class Param:
    """One request parameter as the spec declares it."""

    name: str
    """The wire name (what goes in the query string, path or header)."""
    attr: str
    """The Python keyword the generated builder takes for it."""
    location: Location
    type: str = "string"
    required: bool = False
    json: bool = False
    """The value travels as JSON text (`x-mixpanel-json`)."""
    context: str | None = None
    """Filled from the workspace (`x-mixpanel-context`), not from the caller."""
    enum: tuple[Any, ...] | None = None
    format: str | None = None
    default: Any = None
    minimum: float | None = None
    maximum: float | None = None

    def encode(self, value: Any) -> str:
        """Render a Python value as the wire text of this parameter."""
        if self.json:
            return orjson.dumps(value).decode()
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, _dt.date):
            return value.isoformat()
        return str(value)

    def encode_all(self, value: Any) -> list[str]:
        """The wire texts of a value: one per item for an `array` parameter (sent repeated,
        `name[]=a&name[]=b`), else the one `encode` gives."""
        if self.type == "array" and not self.json:
            return [self.encode(item) for item in value]
        return [self.encode(value)]

    def check(self, value: Any) -> None:
        """Validate a decoded value against the spec; raise `ParamError` if it does not fit."""
        if self.type == "array" and not self.json:
            if isinstance(value, str) or not isinstance(value, list | tuple):
                raise ParamError(self.name, f"must be a list of strings, got {value!r}")
            if not all(isinstance(item, str) for item in value):
                raise ParamError(self.name, f"must hold strings only, got {value!r}")
            return
        if self.type == "integer" and (isinstance(value, bool) or not isinstance(value, int)):
            raise ParamError(self.name, f"must be an integer, got {value!r}")
        if self.type == "integer" and not INT64_MIN <= value <= INT64_MAX:
            raise ParamError(self.name, f"is out of the 64-bit integer range: {value}")
        if self.enum is not None and value not in self.enum:
            allowed = ", ".join(repr(v) for v in self.enum)
            raise ParamError(self.name, f"must be one of {allowed}, got {value!r}")
        if self.format == "date":
            text = value.isoformat() if isinstance(value, _dt.date) else value
            if not isinstance(text, str) or not _DATE.match(text):
                raise ParamError(self.name, f"must be a date as YYYY-MM-DD, got {value!r}")
            try:
                _dt.date.fromisoformat(text)
            except ValueError:
                raise ParamError(self.name, f"is not a valid date: {value!r}") from None
        if isinstance(value, int | float) and not isinstance(value, bool):
            if self.minimum is not None and value < self.minimum:
                raise ParamError(self.name, f"must be >= {self.minimum:g}, got {value}")
            if self.maximum is not None and value > self.maximum:
                raise ParamError(self.name, f"must be <= {self.maximum:g}, got {value}")

    def decode(self, text: str) -> Any:
        """Parse wire text into a typed value (emulator side); raise `ParamError` on bad input."""
        value: Any = text
        if self.json:
            try:
                value = orjson.loads(text)
            except orjson.JSONDecodeError:
                raise ParamError(self.name, f"is not valid JSON: {text[:80]!r}") from None
        elif self.type == "integer":
            try:
                value = int(text)
            except ValueError:
                raise ParamError(self.name, f"must be an integer, got {text[:80]!r}") from None
        elif self.type == "number":
            try:
                value = float(text)
            except ValueError:
                raise ParamError(self.name, f"must be a number, got {text[:80]!r}") from None
        elif self.type == "boolean":
            lowered = text.lower()
            if lowered not in ("true", "false", "1", "0"):
                raise ParamError(self.name, f"must be true or false, got {text[:80]!r}")
            value = lowered in ("true", "1")
        self.check(value)
        return value


@attrs.frozen
class Body:
    """The request body an operation takes."""

    media_types: tuple[str, ...]
    _model: type[Any] | Later | None = attrs.field(default=None, alias="model")

    @property
    def model(self) -> type[Any] | None:
        """The attrs model of a JSON body (None: free-form)."""
        model: type[Any] | None = _resolve(self._model)
        return model


@attrs.frozen
class Operation:
    """One HTTP operation of Mixpanel's API, as described in `openapi/<family>.yaml`."""

    operation_id: str
    family: str
    method: str
    host: HostFamily
    path: str
    params: tuple[Param, ...] = ()
    body: Body | None = None
    _response: Any = attrs.field(default=None, alias="response")
    unwrap: str | None = None
    """The field of `response` that is the answer (`results` of the App API's `{"status",
    "results"}` envelope): the transport returns that field's value, not the envelope."""
    response_media_type: str = "application/json"
    rate_limit: str = "query"
    paging: Mapping[str, Any] | None = None
    summary: str = ""
    scope: str | None = None
    """App API scoping (`x-mixpanel-scope`): `maybe` = a `/projects/{project_id}/...` path that
    moves under `/workspaces/{workspace_id}/...` when a workspace is pinned; `require` = the path
    names both and the workspace is resolved when not pinned; `project` = fixed."""
    entity: Mapping[str, Any] | None = None
    """`x-mixpanel-entity`: `{kind, action, ...}` for App API entity operations; the emulator
    serves the standard actions (list, create, get, update, replace, delete, bulk_delete,
    bulk_update, history) generically."""

    @property
    def response(self) -> Any:
        """The Python type of a 200 body (attrs class, `list[...]`, `dict[str, ...]`), or None."""
        return _resolve(self._response)

    def __reduce__(self) -> tuple[Any, ...]:
        """A generated operation pickles by reference (family and operationId; e.g. for Dask
        workers), so its lazily named types are never pickled; any other one field by field."""
        try:
            registered = registered_operation(self.family, self.operation_id)
        except (ImportError, KeyError):
            registered = None
        if registered is self:
            return (registered_operation, (self.family, self.operation_id))
        fields = {f.alias: getattr(self, f.name) for f in attrs.fields(Operation)}
        return (_operation_from, (fields,))

    def workspace_path(self) -> str | None:
        """For `maybe`-scoped operations, the path template used when a workspace is pinned."""
        prefix = "/projects/{project_id}"
        if self.scope != "maybe" or not self.path.startswith(prefix):
            return None
        return "/workspaces/{workspace_id}" + self.path[len(prefix) :]

    @property
    def path_params(self) -> tuple[Param, ...]:
        """The parameters that fill the path template."""
        return tuple(p for p in self.params if p.location == "path")

    @property
    def query_params(self) -> tuple[Param, ...]:
        """The parameters sent in the query string."""
        return tuple(p for p in self.params if p.location == "query")

    def param(self, attr: str) -> Param:
        """Look a parameter up by its Python name."""
        for p in self.params:
            if p.attr == attr:
                return p
        raise KeyError(attr)

    def context_param(self, context: str, location: Location | None = None) -> Param | None:
        """The parameter filled from the workspace's `context` (project_id/workspace_id), if any."""
        for p in self.params:
            if p.context == context and (location is None or p.location == location):
                return p
        return None

    def aiohttp_path(self) -> str:
        """The path template in aiohttp's router syntax (the same `{name}` placeholders)."""
        return self.path

    def render_path(self, values: Mapping[str, Any], template: str | None = None) -> str:
        """Fill the path template (or `template`); `values` is keyed by wire name."""

        def fill(match: re.Match[str]) -> str:
            name = match.group(1)
            if values.get(name) is None:
                raise ParamError(name, "is required in the path")
            return quote(str(values[name]), safe="")

        return _PATH_FIELD.sub(fill, template or self.path)


def registered_operation(family: str, operation_id: str) -> Operation:
    """The generated operation `operation_id` of `family`.

    Raises:
        ImportError: no such family.
        KeyError: no such operation in it.
    """
    module = importlib.import_module(f"mixpanel_async._generated.operations.{family}")
    found: Operation = module.OPERATIONS[operation_id]
    return found


def _operation_from(fields: dict[str, Any]) -> Operation:
    return Operation(**fields)


class JsonLines(Generic[T_co]):
    """The answer type of a streamed operation: JSON lines, each a `T_co`.

    Never instantiated: it only types a builder's `Request` so that it reads as what it is. Such
    a request is read with `Transport.stream()`, line by line; `Transport.call()` decodes whole
    JSON bodies and is not meant for it.
    """


@attrs.frozen
class Request(Generic[T_co]):
    """An operation with its caller-supplied arguments, before context and transport are applied.

    Built by the generated builder functions; pure data, no I/O. The type parameter is what the
    transport answers for it (e.g. `Request[list[ProjectWebhook]]`): the decoded 200 body, or
    its `Operation.unwrap` field.
    """

    operation: Operation
    params: Mapping[str, Any] = attrs.field(factory=dict)
    """Values keyed by wire name; None means 'not sent'."""
    body: Any = None


def build(operation: Operation, kwargs: Mapping[str, Any], body: Any = None) -> Request[Any]:
    """Validate keyword arguments against an operation and return a `Request` (used by builders).

    Raises:
        ParamError: a required argument is missing or a value does not fit its spec.
    """
    params: dict[str, Any] = {}
    for p in operation.params:
        if p.context is not None:
            continue
        value = kwargs.get(p.attr)
        if value is None:
            if p.required and p.default is None:
                raise ParamError(p.attr, "is required")
            continue
        if value == p.default and not p.required:
            continue  # the server applies its own default; keep the wire minimal
        p.check(value)
        params[p.name] = value
    return Request(operation, params, body)
