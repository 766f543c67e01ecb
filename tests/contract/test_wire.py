"""On the wire: every operation of every spec (vendored + corpus), called through its generated functions,
against Prism (`prism mock --errors`, started from the normalized spec by the `prism_for` fixture).

Arguments are built deterministically from the schemas (contractlib.instances): once with only what is
required, once with every parameter and property. Prism must accept each request (its 4xx answer fails the
test with Prism's validation messages), and the response must parse, in strict mode, into the documented
type without losing anything (`to_dict()` of what was parsed == the JSON Prism sent). Then DYNAMIC_CALLS more
calls with `Prefer: dynamic=true`, where Prism invents valid payloads (optional and extra properties
included), each parsed the same way; and one call through `asyncio_detailed`.
"""

from __future__ import annotations

import asyncio
import inspect
import json
import ssl
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx2
import pytest
from conftest import SPEC_PATHS, spec_id
from contractlib.budget import dynamic_calls, wire_sample
from contractlib.checks import parameter_mapping
from contractlib.instances import build
from contractlib.matcher import Matcher
from contractlib.package import Package
from contractlib.schemas import canonical, first_difference
from contractlib.spec import ContractSpec, Operation, Reply

from scripts.prism import PrismServer

DYNAMIC_CALLS = dynamic_calls(20)  # fewer for large real specs (make test-real)
DYNAMIC_WORKERS = 4
API_KEY = "test-key"


def _cases() -> list[tuple[Path, int, str]]:
    cases = []
    for path in SPEC_PATHS:
        spec = ContractSpec.from_file(path)
        labels = [f"{op.method.upper()} {op.path}" for op in spec.operations]
        cases.extend((path, index, labels[index]) for index in wire_sample(labels))  # all, unless sampled
    return cases


CASES = _cases()


class PrismRejected(AssertionError):
    """Prism answered 4xx/5xx: the request does not fit the spec (or Prism could not answer)."""

    def __init__(self, message: str, status: int, body: Any) -> None:
        super().__init__(message)
        self.status = status
        self.body = body

    def only_own_response_invalid(self) -> bool:
        """Prism (--errors) accepted the request but found its OWN static response invalid: without examples in
        the spec it answers "string" even where a pattern forbids it. The request passed validation."""
        if self.status != 500 or not isinstance(self.body, dict):
            return False
        violations = self.body.get("validation") or []
        return (
            str(self.body.get("type", "")).endswith("#VIOLATIONS")
            and bool(violations)
            and all((violation.get("location") or [""])[0] == "response" for violation in violations)
        )


# --- clients ------------------------------------------------------------------------------------------------------


class _StubClient:
    """A `client.Client`/`client.AsyncClient` over a plain httpx2 client, for a package without `Wassist`."""

    strict_response_validation = True

    def __init__(self, http: httpx2.Client | httpx2.AsyncClient) -> None:
        self.http = http

    def get_httpx_client(self) -> httpx2.Client:
        assert isinstance(self.http, httpx2.Client)
        return self.http

    def get_async_httpx_client(self) -> httpx2.AsyncClient:
        assert isinstance(self.http, httpx2.AsyncClient)
        return self.http


def _rejected(response: httpx2.Response) -> PrismRejected:
    request = response.request
    try:
        body = response.json()
    except ValueError:
        body = response.text
    return PrismRejected(
        f"{request.method} {request.url} -> {response.status_code}: {response.text}", response.status_code, body
    )


def _check_status(response: httpx2.Response) -> None:
    if response.status_code >= 400:
        response.read()
        raise _rejected(response)


async def _acheck_status(response: httpx2.Response) -> None:
    if response.status_code >= 400:
        await response.aread()
        raise _rejected(response)


_TLS = ssl.create_default_context()  # loaded once: each client would load the CA bundle again (~50 ms)


def _client(package: ModuleType, base_url: str, headers: dict[str, str], asynchronous: bool = False) -> Any:
    """`Wassist`/`AsyncWassist` (strict, no retries) when the package has them, else a stub client."""
    wassist = getattr(package, "AsyncWassist" if asynchronous else "Wassist", None)
    if wassist is not None:
        options = {"verify": _TLS} if "verify" in inspect.signature(wassist).parameters else {}
        return wassist(
            api_key=API_KEY,
            base_url=base_url,
            headers=headers,
            max_retries=0,
            strict_response_validation=True,
            **options,
        )
    if asynchronous:
        return _StubClient(
            httpx2.AsyncClient(base_url=base_url, headers=headers, event_hooks={"response": [_acheck_status]})
        )
    return _StubClient(httpx2.Client(base_url=base_url, headers=headers, event_hooks={"response": [_check_status]}))


def _close(client: Any) -> None:
    http = client.http if isinstance(client, _StubClient) else client.get_httpx_client()
    http.close()


def _status_error(package: ModuleType, error: BaseException) -> PrismRejected | None:
    """The package's APIStatusError (what Wassist raises for 4xx/5xx) as a failure quoting Prism's body."""
    status_error = getattr(package, "APIStatusError", None)
    if status_error is not None and isinstance(error, status_error):
        request = error.request  # type: ignore[attr-defined]
        status, body = error.status_code, error.body  # type: ignore[attr-defined]
        return PrismRejected(f"{request.method} {request.url} -> {status}: {json.dumps(body)}", status, body)
    return None


# --- arguments and responses --------------------------------------------------------------------------------------


def _arguments(
    matcher: Matcher, endpoint: ModuleType, op: Operation, mapping: dict[tuple[str, str], str], *, full: bool
) -> dict[str, Any]:
    """Arguments built from the schemas, afresh each time (a file payload can be read once)."""
    spec, package = matcher.spec, matcher.package
    hints = package.hints(endpoint._get_kwargs)
    arguments: dict[str, Any] = {}
    for param in op.parameters:
        key = (param["in"], param["name"])
        required = param.get("required") is True or key[0] == "path"
        if not (full or required):
            continue
        value = build(spec, param.get("schema") or {}, 0, direction="request", full=full, where=f"{op.label} {key}")
        arguments[mapping[key]] = package.python_value(hints[mapping[key]], value)
    body = op.body
    if body is not None and (full or body.required):
        instance = build(spec, body.schema, 0, direction="request", full=full, where=f"{op.label} body")
        arguments["body"] = matcher.construct(hints["body"], body.schema, instance)
    return arguments


def _reply(op: Operation, status: int) -> Reply | None:
    by_status = {reply.status.upper(): reply for reply in op.replies}
    return by_status.get(str(status)) or by_status.get(f"{str(status)[0]}XX") or by_status.get("DEFAULT")


def _check_response(matcher: Matcher, op: Operation, response: Any, what: str) -> None:
    spec, package = matcher.spec, matcher.package
    status = int(response.status_code)
    where = f"{op.label}: {what}: response {status}"
    reply = _reply(op, status)
    assert reply is not None, f"{where}: status not documented ({sorted(r.status for r in op.replies)})"
    assert 200 <= status < 300, f"{where}: not a success: {response.content[:500]!r}"
    parsed = response.parsed
    if reply.schema is None:
        assert parsed is None, f"{where}: no body documented, parsed as {parsed!r}"
        return
    media = (reply.media_type or "application/json").split(";")[0].strip().lower()
    if not (media == "application/json" or media.endswith("+json")):
        received = package.to_json(parsed)
        received = received.encode() if isinstance(received, str) else received
        assert received == response.content, f"{where}: {media} body parsed as {parsed!r:.100}"
        return
    known = len(matcher.problems)
    matcher.value(parsed, reply.schema, direction="response", where=where)
    assert len(matcher.problems) == known, "\n".join(matcher.problems[known:])
    sent = json.loads(response.content)
    difference = first_difference(
        canonical(spec, reply.schema, sent), canonical(spec, reply.schema, package.to_json(parsed))
    )
    assert difference is None, f"{where}: parsing lost or changed part of Prism's body at {difference}\n{sent!r:.2000}"


def _call(function: Callable[..., Any], package: ModuleType, **arguments: Any) -> Any:
    try:
        result = function(**arguments)
        if inspect.iscoroutine(result):
            result = asyncio.run(result)
    except Exception as error:
        rejected = _status_error(package, error)
        if rejected is not None:
            raise rejected from None
        raise
    return result


@pytest.mark.parametrize(("spec_path", "index", "name"), CASES, ids=[f"{spec_id(p)}:{n}" for p, _, n in CASES])
def test_operation_on_the_wire(
    spec_path: Path,
    index: int,
    name: str,
    package_for: Callable[[Path], ModuleType],
    contract_spec_for: Callable[[Path], ContractSpec],
    prism_for: Callable[[Path], PrismServer],
) -> None:
    spec = contract_spec_for(spec_path)
    op = spec.operations[index]
    module = package_for(spec_path)
    package = Package(module)
    endpoint = package.endpoint_modules().get(op.module_path)
    assert endpoint is not None, f"{op.label}: no module api/{'/'.join(op.module_path)}.py"
    prism = prism_for(spec_path)
    headers = spec.security_headers(API_KEY)
    matcher = Matcher(spec, package)
    mapping, problems = parameter_mapping(matcher, endpoint, op)
    assert not problems, "\n".join(problems)

    client = _client(module, prism.base_url, headers)
    try:
        for full in (False, True):
            what = "every argument" if full else "required arguments only"
            arguments = _arguments(matcher, endpoint, op, mapping, full=full)
            try:
                response = _call(endpoint.sync_detailed, module, client=client, **arguments)
            except PrismRejected as rejected:
                if rejected.only_own_response_invalid():
                    continue  # the request was valid; the dynamic calls below check what parses
                raise
            _check_response(matcher, op, response, what)
    finally:
        _close(client)

    async def call_async() -> Any:
        async_client = _client(module, prism.base_url, headers, asynchronous=True)
        try:
            arguments = _arguments(matcher, endpoint, op, mapping, full=True)
            return await endpoint.asyncio_detailed(client=async_client, **arguments)
        finally:
            http = async_client.http if isinstance(async_client, _StubClient) else async_client.get_async_httpx_client()
            await http.aclose()

    try:
        _check_response(matcher, op, _call(call_async, module), "asyncio_detailed")
    except PrismRejected as rejected:
        if not rejected.only_own_response_invalid():
            raise

    dynamic = _client(module, prism.base_url, {**headers, "Prefer": "dynamic=true"})

    def call_dynamic(_: int) -> Any:
        arguments = _arguments(matcher, endpoint, op, mapping, full=True)
        return _call(endpoint.sync_detailed, module, client=dynamic, **arguments)

    try:
        # Prism answers one request at a time; a few in flight keep it busy while Python parses the last one.
        with ThreadPoolExecutor(max_workers=DYNAMIC_WORKERS) as pool:
            responses = list(pool.map(call_dynamic, range(DYNAMIC_CALLS)))
    finally:
        _close(dynamic)
    for attempt, response in enumerate(responses):
        _check_response(matcher, op, response, f"Prefer: dynamic=true, call {attempt + 1}")
