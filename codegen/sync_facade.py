"""The typed face of the synchronous `Workspace`: one declaration per public member of
`AsyncWorkspace`, unawaited.

`mixpanel_async.sync_workspace.Workspace` forwards every call to an `AsyncWorkspace` at run
time through `__getattr__`, which type checkers read as `Any`. The module written here declares
the same members with the async signatures, a coroutine's result returned directly and an async
iterator's items as a plain `Iterator`, so that `Workspace().query(...)` is checked and
completed like the async call. It is read by type checkers only (`Workspace` extends it under
`TYPE_CHECKING`); its bodies never run.

The declarations are copied from the source of the mixins (their argument lists, defaults and
annotations, as written), and every name they use is imported from where that mixin's module
found it, renamed where two modules use one alias for different things.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

_ASYNC_ITERATORS = {"AsyncIterator", "AsyncGenerator", "AsyncIterable"}
Binding = tuple[str, str | None]
"""Where a name comes from: `(module, attribute)`, or `(module, None)` for a module itself."""
_Parsed = tuple[ast.Module, dict[str, Binding]]


def _bindings(module: ModuleType, tree: ast.Module) -> dict[str, Binding]:
    """What each top-level name of `module` is bound to: its imports (including those under
    `if TYPE_CHECKING:`) and its own definitions."""
    table: dict[str, Binding] = {}
    package = module.__name__.rpartition(".")[0]

    def visit(body: list[ast.stmt]) -> None:
        for node in body:
            if isinstance(node, ast.If):
                visit(node.body)
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.asname:
                        table[alias.asname] = (alias.name, None)
                    else:
                        top = alias.name.partition(".")[0]
                        table[top] = (top, None)
            elif isinstance(node, ast.ImportFrom):
                source = node.module or ""
                if node.level:
                    base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                    source = f"{base}.{source}" if source else base
                for alias in node.names:
                    table[alias.asname or alias.name] = (source, alias.name)
            elif isinstance(node, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
                table[node.name] = (module.__name__, node.name)
            elif isinstance(node, ast.Assign | ast.AnnAssign):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for target in targets:
                    if isinstance(target, ast.Name):
                        table[target.id] = (module.__name__, target.id)

    visit(tree.body)
    return table


class _Imports:
    """The generated module's imports: one local name per binding, renamed on a clash."""

    def __init__(self) -> None:
        self.local: dict[Binding, str] = {("typing", "Self"): "Self"}
        self.taken: dict[str, Binding] = {"Self": ("typing", "Self")}

    def name_for(self, binding: Binding, wanted: str) -> str:
        if binding in self.local:
            return self.local[binding]
        name, n = wanted, 1
        while name in self.taken:
            n += 1
            name = f"{wanted}_{n}"
        self.local[binding], self.taken[name] = name, binding
        return name

    def lines(self) -> list[str]:
        out = []
        for (module, attr), name in sorted(self.local.items(), key=lambda kv: kv[1]):
            if attr is None:
                out.append(f"import {module} as {name}" if name != module else f"import {module}")
            else:
                alias = f" as {name}" if name != attr else ""
                out.append(f"from {module} import {attr}{alias}")
        return out


class _Rename(ast.NodeTransformer):
    """Names in an annotation or default, rebound to the generated module's imports."""

    def __init__(self, table: dict[str, Binding], imports: _Imports, *, annotation: bool) -> None:
        self.table, self.imports, self.annotation = table, imports, annotation

    def visit_Name(self, node: ast.Name) -> ast.AST:
        if node.id == "AsyncWorkspace":
            return ast.Name(id="Self", ctx=node.ctx)
        binding = self.table.get(node.id)
        if binding is None:  # a builtin
            return node
        return ast.Name(id=self.imports.name_for(binding, node.id), ctx=node.ctx)

    def visit_Constant(self, node: ast.Constant) -> ast.AST:
        if self.annotation and isinstance(node.value, str):  # a quoted annotation
            try:
                inner = ast.parse(node.value, mode="eval").body
            except SyntaxError:
                return node
            renamed: ast.AST = self.visit(inner)
            return renamed
        return node


def _unawaited(returns: ast.expr | None) -> ast.expr | None:
    """An async generator's `AsyncIterator[T]` as the `Iterator[T]` the facade hands out."""
    if not (
        isinstance(returns, ast.Subscript)
        and isinstance(returns.value, ast.Name)
        and returns.value.id in _ASYNC_ITERATORS
    ):
        return returns
    item = returns.slice.elts[0] if isinstance(returns.slice, ast.Tuple) else returns.slice
    iterator = ast.Attribute(
        value=ast.Name(id="collections.abc", ctx=ast.Load()), attr="Iterator", ctx=ast.Load()
    )
    return ast.Subscript(value=iterator, slice=item, ctx=ast.Load())


def _declaration(owner: type[Any], name: str, imports: _Imports, parsed: dict[str, _Parsed]) -> str:
    module = sys.modules[owner.__module__]
    if module.__name__ not in parsed:
        tree = ast.parse(Path(inspect.getfile(module)).read_text())
        parsed[module.__name__] = (tree, _bindings(module, tree))
    tree, table = parsed[module.__name__]
    node = next(
        n
        for cls in tree.body
        if isinstance(cls, ast.ClassDef) and cls.name == owner.__name__
        for n in cls.body
        if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef) and n.name == name
    )
    rename = _Rename(table, imports, annotation=True)
    args = node.args
    for arg in (*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg):
        if arg is not None and arg.annotation is not None:
            arg.annotation = rename.visit(arg.annotation)
    value = _Rename(table, imports, annotation=False)
    args.defaults = [value.visit(d) for d in args.defaults]
    args.kw_defaults = [None if d is None else value.visit(d) for d in args.kw_defaults]
    returns = node.returns
    if isinstance(node, ast.AsyncFunctionDef) and inspect.isasyncgenfunction(getattr(owner, name)):
        returns = _unawaited(returns)
    returns = rename.visit(returns) if returns is not None else None
    decorators = [d for d in node.decorator_list if ast.unparse(d) == "property"]
    doc = ast.get_docstring(node, clean=True) or f"`AsyncWorkspace.{name}`, unawaited."
    lines = [f"    @{ast.unparse(d)}" for d in decorators]
    arrow = f" -> {ast.unparse(returns)}" if returns is not None else ""
    lines.append(f"    def {name}({ast.unparse(args)}){arrow}:")
    summary = doc.split("\n\n")[0].replace('"""', "'''").replace("\\", "\\\\")
    lines.append(f'        """{summary}"""')
    lines.append("        raise NotImplementedError  # forwarded by Workspace.__getattr__")
    return "\n".join(lines)


def render(header: str) -> str:
    """The facade module's text (imports `mixpanel_async.workspace` to list the members)."""
    workspace = importlib.import_module("mixpanel_async.workspace")
    async_workspace: type[Any] = workspace.AsyncWorkspace
    imports = _Imports()
    parsed: dict[str, _Parsed] = {}
    imports.name_for(("collections.abc", None), "collections.abc")
    members = []
    for name in sorted(n for n in dir(async_workspace) if not n.startswith("_")):
        owner = next(c for c in async_workspace.__mro__ if name in vars(c))
        members.append(_declaration(owner, name, imports, parsed))
    body = [
        header.rstrip("\n"),
        '"""Typed declarations of the synchronous `Workspace` (read by type checkers only)."""',
        "",
        "from __future__ import annotations",
        "",
        *imports.lines(),
        "",
        "",
        "class SyncFacade:",
        '    """`AsyncWorkspace`\'s public members as the synchronous `Workspace` offers them."""',
        "",
        "\n\n".join(members),
        "",
    ]
    return "\n".join(body)
