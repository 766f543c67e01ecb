"""The operations of the shipped spec: routing a request to one, and finding one from what a user passes.

The spec is `openapi.normalized.json` beside the package's generated code (written by `make generate`), so
the fake always knows the operations of the functions the user calls. Its `x-operation-modules` table maps
"METHOD /path" to the operation's module under `api/` (dotted): generated modules are looked up by their
`__name__`, never by names derived here.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from importlib import resources
from types import ModuleType
from typing import Any

Json = dict[str, Any]
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
SHIPPED_SPEC = "openapi.normalized.json"
OPERATION_MODULES_KEY = "x-operation-modules"
_PARAM = re.compile(r"\{([^}]+)\}")
# A generated namespace method (`client.whatsapp_link_sessions.create`) says which module function it calls:
# its docstring starts "POST /api/v1/whatsapp-link-sessions/: `api.whatsapp_link_sessions.create.sync`".
_NAMESPACE_DOC = re.compile(r"^[A-Z]+ \S+: `api\.(?P<dotted>[\w.]+)\.(?:sync|asyncio)(?:_detailed)?`")


class UnknownOperationError(LookupError):
    """What was passed as an operation names none of the spec's operations."""


@dataclass(frozen=True)
class Operation:
    method: str  # upper case
    path: str  # the template, as in the spec
    module: str  # dotted, under api/ ("whatsapp_link_sessions.create")
    node: Json = field(repr=False, compare=False)
    parameters: tuple[Json, ...] = field(repr=False, compare=False)
    pattern: re.Pattern[str] = field(repr=False, compare=False)

    @property
    def key(self) -> str:
        return f"{self.method} {self.path}"

    @property
    def path_names(self) -> list[str]:
        return _PARAM.findall(self.path)

    def match(self, path: str) -> dict[str, str] | None:
        found = self.pattern.match(path)
        if found is None:
            return None
        return dict(zip(self.path_names, found.groups(), strict=True))


def load_spec(package: str) -> Json:
    """The shipped normalized spec of a package (`wassist_api_client`, or a package generated elsewhere)."""
    text = resources.files(package).joinpath(SHIPPED_SPEC).read_text(encoding="utf-8")
    spec: Json = json.loads(text)
    return spec


class Operations:
    """Every operation of a spec, routable by method and path, and found by module, callable or "METHOD /path"."""

    def __init__(self, spec: Json, package: str) -> None:
        self.spec = spec
        self.package = package
        table: dict[str, str] = spec.get(OPERATION_MODULES_KEY) or {}
        self.all: list[Operation] = []
        for path, item in (spec.get("paths") or {}).items():
            shared = item.get("parameters") or []
            for method, node in item.items():
                if method not in HTTP_METHODS or not isinstance(node, dict):
                    continue
                key = f"{method.upper()} {path}"
                params = {
                    (p["name"], p["in"]): p
                    for p in (self._param(p) for p in [*shared, *(node.get("parameters") or [])])
                }
                self.all.append(
                    Operation(method.upper(), path, table.get(key, key), node, tuple(params.values()), _pattern(path))
                )
        # A literal segment wins over a parameter (`/labels/stats/` before `/labels/{id}/`), as in the API's router.
        self._routes = sorted(self.all, key=lambda op: [part.startswith("{") for part in op.path.split("/")])
        self._by_key = {op.key: op for op in self.all}
        self._by_module = {op.module: op for op in self.all}

    def _param(self, node: Json) -> Json:
        ref = node.get("$ref")
        prefix = "#/components/parameters/"
        if isinstance(ref, str) and ref.startswith(prefix):
            found: Json = self.spec["components"]["parameters"][ref[len(prefix) :]]
            return found
        return node

    def route(self, method: str, path: str) -> tuple[Operation | None, dict[str, str], list[str]]:
        """(the operation, its path parameters, []) or (None, {}, the methods the path allows: [] for 404)."""
        allowed: list[str] = []
        for op in self._routes:
            params = op.match(path)
            if params is None:
                continue
            if op.method == method.upper():
                return op, params, []
            allowed.append(op.method)
        return None, {}, allowed

    def find(self, operation: object) -> Operation:
        """The operation a user means: a generated module (or one of its functions), a namespace method,
        or "METHOD /path"."""
        marked = getattr(operation, "__wassist_operation__", None)
        if marked is not None and marked is not operation:
            return self.find(marked)  # a namespace method that names its operation (a module or "METHOD /path")
        if isinstance(operation, str):
            method, _, path = operation.strip().partition(" ")
            found = self._by_key.get(f"{method.upper()} {path.strip()}")
            if found is None:
                raise UnknownOperationError(f"{operation!r}: no such operation in the spec (use 'METHOD /path')")
            return found
        module_name = _module_name(operation)
        prefix = f"{self.package}.api."
        if module_name is not None and module_name.startswith(prefix):
            found = self._by_module.get(module_name[len(prefix) :])
            if found is not None:
                return found
        named = _NAMESPACE_DOC.match(getattr(operation, "__doc__", None) or "")
        if named is not None and named["dotted"] in self._by_module:
            return self._by_module[named["dotted"]]
        raise UnknownOperationError(
            f"{operation!r} is not an operation of {self.package}: pass a generated module "
            f"(`from {self.package}.api.<resource> import <action>`), one of its functions, a namespace method, "
            "or 'METHOD /path'"
        )


def _module_name(operation: object) -> str | None:
    """The generated module behind what was passed: a module, a function defined in one, or a wrapper of one
    (`__wrapped__`, as functools.wraps sets it; a bound method's `__func__`)."""
    for _ in range(5):
        if isinstance(operation, ModuleType):
            return operation.__name__
        wrapped = getattr(operation, "__wrapped__", None) or getattr(operation, "__func__", None)
        if wrapped is not None and wrapped is not operation:
            operation = wrapped
            continue
        module = getattr(operation, "__module__", None)
        return module if isinstance(module, str) else None
    return None


def _pattern(path: str) -> re.Pattern[str]:
    parts = _PARAM.split(path)
    regex = "".join(re.escape(part) if index % 2 == 0 else "([^/]+)" for index, part in enumerate(parts))
    return re.compile(f"^{regex}$")
