"""The operation under test (its module, bodies and response model) and the clients that call it."""

from __future__ import annotations

import importlib
import inspect
import json
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx2

from scripts.bench import data as bench_data
from scripts.bench._settings import (
    API_KEY,
    PACKAGE,
)

try:  # the record's reference only: the package never imports it
    import httpx
except ImportError:  # pragma: no cover - the dev virtualenv has it (the generator's dependency)
    httpx = None  # type: ignore[assignment]


@dataclass
class Operation:
    """The benchmarked operation module with its request body and a response body fitting the spec."""

    module: types.ModuleType
    method: str
    url: str
    body: Any  # the generated request model instance
    payload: Any  # body.to_dict(): what raw httpx2 sends
    status: int
    response_body: bytes
    response_model: Any  # the generated response model class


def _model_class(annotation: Any) -> Any:
    """The first class with `from_dict` in an annotation like `Model | Unset | None`."""
    if hasattr(annotation, "from_dict"):
        return annotation
    for arg in typing.get_args(annotation):
        found = _model_class(arg)
        if found is not None:
            return found
    return None


def _hints(fn: Callable[..., Any]) -> dict[str, Any]:
    try:
        return typing.get_type_hints(fn)
    except Exception:  # unresolvable forward references: fall back to the raw annotations
        return {name: p.annotation for name, p in inspect.signature(fn).parameters.items()} | {
            "return": inspect.signature(fn).return_annotation
        }


class _Probe:
    """Stands in for a request body to learn an operation's method and URL from `_get_kwargs`."""

    def to_dict(self) -> dict[str, Any]:
        return {}


def load_operation(module_name: str, spec: dict[str, Any]) -> Operation:
    module = importlib.import_module(module_name)
    hints = _hints(module.sync)
    body_class = _model_class(hints.get("body"))
    response_model = _model_class(hints.get("return"))
    if body_class is None or response_model is None:
        raise LookupError(f"{module_name}.sync must take a model `body` and return a model")
    # Method and URL come from the module itself, bodies from the spec's schemas for that operation.
    probe = module._get_kwargs(body=_Probe())
    operation = bench_data.find_operation(spec, probe["method"], probe["url"])
    body = body_class.from_dict(_fitting_request(body_class, spec, operation))
    status, schema = bench_data.success_response(operation)
    response = bench_data.example(spec, schema or {}, request=False)
    kwargs = module._get_kwargs(body=body)
    return Operation(
        module=module,
        method=kwargs["method"].upper(),
        url=kwargs["url"],
        body=body,
        payload=kwargs["json"],
        status=status,
        response_body=json.dumps(response, separators=(",", ":")).encode(),
        response_model=response_model,
    )


def _fitting_request(body_class: Any, spec: dict[str, Any], operation: dict[str, Any]) -> Any:
    """A request example the body model accepts: without readOnly fields, else (an unsplit model) with them."""
    schema = bench_data.request_schema(operation) or {}
    for request in (True, False):
        candidate = bench_data.example(spec, schema, request=request)
        try:
            body_class.from_dict(candidate)
        except Exception:
            continue
        return candidate
    raise LookupError(f"no request example fits {body_class.__name__}")


# ---------------------------------------------------------------------------- clients


class _StubClient:
    """Satisfies the `Client`/`AsyncClient` protocols until `Wassist`/`AsyncWassist` exist."""

    strict_response_validation = False

    def __init__(self, http: httpx2.Client | None = None, async_http: httpx2.AsyncClient | None = None) -> None:
        self._http, self._async_http = http, async_http

    def get_httpx_client(self) -> httpx2.Client:
        assert self._http is not None
        return self._http

    def get_async_httpx_client(self) -> httpx2.AsyncClient:
        assert self._async_http is not None
        return self._async_http


def _package_client(name: str) -> Any:
    package = importlib.import_module(PACKAGE)
    return getattr(package, name, None)


def client_label() -> str:
    return "Wassist" if _package_client("Wassist") is not None else "protocol stub (Wassist not available yet)"


def raw_sync(base_url: str, transport: httpx2.BaseTransport | None = None) -> httpx2.Client:
    return httpx2.Client(base_url=base_url, transport=transport, headers={"X-API-Key": API_KEY})


def raw_async(base_url: str) -> httpx2.AsyncClient:
    return httpx2.AsyncClient(base_url=base_url, headers={"X-API-Key": API_KEY})


REFERENCE_LABEL = "raw httpx"


def reference_sync(base_url: str, status: int | None = None, body: bytes = b"") -> Any:
    """Raw httpx's client (on its own MockTransport when `status` is given), or None without httpx."""
    if httpx is None:
        return None
    transport = None
    if status is not None:

        def handler(request: Any) -> Any:
            return httpx.Response(status, content=body, headers={"Content-Type": "application/json"})

        transport = httpx.MockTransport(handler)
    return httpx.Client(base_url=base_url, transport=transport, headers={"X-API-Key": API_KEY})


def reference_async(base_url: str) -> Any:
    return None if httpx is None else httpx.AsyncClient(base_url=base_url, headers={"X-API-Key": API_KEY})


def package_sync(base_url: str, transport: httpx2.BaseTransport | None = None) -> Any:
    wassist = _package_client("Wassist")
    if wassist is None:
        return _StubClient(http=raw_sync(base_url, transport))
    kwargs: dict[str, Any] = {"api_key": API_KEY, "base_url": base_url}
    if transport is not None:
        kwargs["transport"] = transport
    return wassist(**kwargs)


def package_async(base_url: str) -> Any:
    async_wassist = _package_client("AsyncWassist")
    if async_wassist is None:
        return _StubClient(async_http=raw_async(base_url))
    return async_wassist(api_key=API_KEY, base_url=base_url)


def _close(client: Any) -> None:
    if isinstance(client, _StubClient):
        client = client._http
    close = getattr(client, "close", None)
    if close is not None:
        close()


async def _aclose(client: Any) -> None:
    if isinstance(client, _StubClient):
        client = client._async_http
    for name in ("aclose", "close"):
        close = getattr(client, name, None)
        if close is not None:
            result = close()
            if inspect.isawaitable(result):
                await result
            return
