"""WassistFake: an in-process fake of the whole Wassist API, driven by the package's own normalized spec."""

from __future__ import annotations

import threading
from collections import defaultdict, deque
from dataclasses import dataclass
from importlib import import_module
from typing import TYPE_CHECKING, Any

import httpx2

from . import _checks
from ._answers import Answer, DefaultAnswers, is_json, response_media, success_status
from ._operations import Operation, Operations, load_spec
from ._schemas import Schemas
from ._transports import FakeAsyncTransport, FakeTransport

if TYPE_CHECKING:
    from .._client import AsyncWassist, Wassist

__all__ = ["Call", "CannedResponseError", "WassistFake"]

DEFAULT_PACKAGE = __name__.split(".")[0]  # the package this copy of the fake belongs to
FAKE_API_KEY = "wassist-fake-key"
FAKE_BASE_URL = "http://wassist.fake"
_UNSET: Any = object()


class CannedResponseError(ValueError):
    """A body given to `respond()` does not fit the spec (the message names each field)."""


@dataclass(frozen=True)
class Call:
    """One request the fake received."""

    method: str
    path: str
    query: dict[str, str | list[str]]
    json: Any  # the decoded body: JSON, a form's fields, or None
    operation: str | None  # "METHOD /path/{template}/" of the operation it matched, None for none
    module: str | None  # that operation's module under api/ ("whatsapp_link_sessions.create")
    status: int  # what the fake answered (0: a connection error was raised)


@dataclass
class _Scripted:
    answer: Answer | None  # None: raise a connection error
    times: int


class WassistFake:
    """A fake Wassist API: checks every request against the spec and answers it.

    fake = WassistFake()
    with fake.client() as client:
        session = create.sync(client=client, body=...)
    fake.respond(create, json={...}); fake.fail(create, 503); fake.calls[-1].json
    """

    def __init__(self, *, package: str = DEFAULT_PACKAGE, seed: int = 0, list_size: int = 5) -> None:
        self.package = package
        self.spec = load_spec(package)
        self.operations = Operations(self.spec, package)
        self.schemas = Schemas(self.spec)
        self.defaults = DefaultAnswers(self.spec, self.schemas, seed=seed, list_size=list_size)
        self._key_header = _checks.api_key_header(self.spec)
        self._lock = threading.Lock()
        self._calls: list[Call] = []
        self._counts: dict[str, int] = defaultdict(int)
        self._canned: dict[str, Answer] = {}
        self._scripts: dict[str, deque[_Scripted]] = defaultdict(deque)
        self.transport = FakeTransport(self.handle)
        self.async_transport = FakeAsyncTransport(self.handle)

    def __repr__(self) -> str:
        return f"<WassistFake of {self.package}: {len(self.operations.all)} operations, {len(self._calls)} calls>"

    # --- clients ------------------------------------------------------------------------------------------------

    def client(self, **options: Any) -> Wassist:
        """A `Wassist` wired to this fake: a dummy key, and retries that do not sleep."""
        client: Wassist = import_module(f"{self.package}._client").Wassist(
            **{"api_key": FAKE_API_KEY, "base_url": FAKE_BASE_URL, **options, "transport": self.transport}
        )
        _no_sleep(client.get_httpx_client(), _sleep_nothing)
        return client

    def async_client(self, **options: Any) -> AsyncWassist:
        """An `AsyncWassist` wired to this fake: a dummy key, and retries that do not sleep."""
        client: AsyncWassist = import_module(f"{self.package}._client").AsyncWassist(
            **{"api_key": FAKE_API_KEY, "base_url": FAKE_BASE_URL, **options, "transport": self.async_transport}
        )
        _no_sleep(client.get_async_httpx_client(), _asleep_nothing)
        return client

    # --- scripting ----------------------------------------------------------------------------------------------

    def respond(
        self,
        operation: object,
        *,
        json: Any = _UNSET,
        status: int | None = None,
        headers: dict[str, str] | None = None,
        validate: bool = True,
    ) -> None:
        """From now on, `operation` answers this (until `reset()`). Without `json`, the default body for the
        status. A body that does not fit the spec for that status raises CannedResponseError naming the field,
        unless `validate=False`."""
        op = self.operations.find(operation)
        answer = self._answer_for(op, status, json, headers, validate)
        with self._lock:
            self._canned[op.key] = answer

    def fail(
        self,
        operation: object,
        status: int,
        *,
        json: Any = _UNSET,
        headers: dict[str, str] | None = None,
        times: int = 1,
    ) -> None:
        """The next `times` calls of `operation` answer `status` (with Wassist's error body unless `json` is
        given); then its normal answer comes back. Scripts queue up in the order they are given."""
        if not 400 <= status <= 599:
            raise ValueError(f"fail() takes an error status (4xx or 5xx), not {status}: use respond()")
        op = self.operations.find(operation)
        body = _error_body(status) if json is _UNSET else json
        self._script(op, _Scripted(Answer(status, body, dict(headers or {})), times))

    def fail_connection(self, operation: object, *, times: int = 1) -> None:
        """The next `times` calls of `operation` raise httpx2.ConnectError (the client's APIConnectionError once
        its retries are spent), as a server that cannot be reached."""
        self._script(self.operations.find(operation), _Scripted(None, times))

    def _script(self, op: Operation, scripted: _Scripted) -> None:
        if scripted.times < 1:
            raise ValueError("times must be 1 or more")
        with self._lock:
            self._scripts[op.key].append(scripted)

    def reset(self) -> None:
        """Forget calls, canned answers and scripts."""
        with self._lock:
            self._calls.clear()
            self._counts.clear()
            self._canned.clear()
            self._scripts.clear()

    @property
    def calls(self) -> list[Call]:
        """Every request received, in order."""
        with self._lock:
            return list(self._calls)

    def calls_to(self, operation: object) -> list[Call]:
        key = self.operations.find(operation).key
        return [call for call in self.calls if call.operation == key]

    def _answer_for(
        self, op: Operation, status: int | None, body: Any, headers: dict[str, str] | None, validate: bool
    ) -> Answer:
        code = str(status) if status is not None else success_status(op)
        media_type, schema, _ = response_media(op, code)
        if body is _UNSET:
            if status is None or code == success_status(op):
                return _Lazy(int(code) if code.isdigit() else 200, None, dict(headers or {}))
            body = _error_body(int(code)) if int(code) >= 400 else None
        if validate:
            documented = op.node.get("responses") or {}
            if not any(key in documented for key in (code, f"{code[0]}XX", "default")) and int(code) < 400:
                raise CannedResponseError(f"{op.key}: status {code} is not documented ({', '.join(documented)})")
            if schema is not None and is_json(media_type):
                errors = self.schemas.field_errors(schema, body, "response")
                if errors:
                    listed = "; ".join(f"{field}: {' '.join(messages)}" for field, messages in errors.items())
                    raise CannedResponseError(f"{op.key}: the body does not fit the spec for {code}: {listed}")
        return Answer(int(code), body, dict(headers or {}))

    # --- serving ------------------------------------------------------------------------------------------------

    def handle(self, request: httpx2.Request) -> httpx2.Response:
        """Answer one request (what both transports and the HTTP server call)."""
        op, path_params, allowed = self.operations.route(request.method, request.url.path)
        body, decode_problem = _checks.decode_body(request) if op is not None else (None, None)
        key = op.key if op is not None else None
        with self._lock:
            count = self._counts[key or ""]
            self._counts[key or ""] += 1
            script = self._next_script(key)
            canned = self._canned.get(key or "")
        call = Call(
            request.method,
            request.url.path,
            _query(request.url.params),
            body,
            key,
            op.module if op is not None else None,
            0,
        )
        answer = self._decide(request, op, path_params, allowed, body, decode_problem, script, canned, count)
        status = answer.status if answer is not None else 0
        with self._lock:
            self._calls.append(_with_status(call, status))
            number = len(self._calls)
        if answer is None:
            raise httpx2.ConnectError("connection refused (WassistFake.fail_connection)", request=request)
        headers, content = answer.encode()
        headers.setdefault("X-Request-Id", f"fake-{number}")
        return httpx2.Response(answer.status, headers=headers, content=content, request=request)

    def _next_script(self, key: str | None) -> _Scripted | None:
        queue = self._scripts.get(key or "")
        if not queue:
            return None
        head = queue[0]
        head.times -= 1
        if head.times <= 0:
            queue.popleft()
        return head

    def _decide(
        self,
        request: httpx2.Request,
        op: Operation | None,
        path_params: dict[str, str],
        allowed: list[str],
        body: Any,
        decode_problem: _checks.Problem | None,
        script: _Scripted | None,
        canned: Answer | None,
        count: int,
    ) -> Answer | None:
        if op is None:
            if allowed:
                message = f'Method "{request.method}" not allowed.'
                return Answer(405, {"error": message, "code": "method_not_allowed"}, {"Allow": ", ".join(allowed)})
            return Answer(404, {"error": "Not found.", "code": "not_found"})
        problem = (
            (_checks.check_key(self._key_header, request) if _checks.needs_key(self.spec, op) else None)
            or decode_problem
            or _checks.check_parameters(op, path_params, request, self.schemas)
            or _checks.check_body(op, body, request, self.schemas)
        )
        if problem is not None:
            status, error = problem
            return Answer(status, error)
        if script is not None:
            return script.answer
        if canned is not None and not isinstance(canned, _Lazy):
            return canned
        answer = self.defaults.answer(op, path_params, request, body, count)
        if canned is not None:
            answer.headers.update(canned.headers)
        return answer


class _Lazy(Answer):
    """respond() without a body: the default body, with the given headers."""


def _error_body(status: int) -> dict[str, str]:
    phrase = httpx2.codes.get_reason_phrase(status) or f"HTTP {status}"
    return {"error": f"{phrase} (scripted by WassistFake)", "code": phrase.lower().replace(" ", "_")}


def _query(params: httpx2.QueryParams) -> dict[str, str | list[str]]:
    out: dict[str, str | list[str]] = {}
    for name in params:
        values = params.get_list(name)
        out[name] = values[0] if len(values) == 1 else values
    return out


def _with_status(call: Call, status: int) -> Call:
    return Call(call.method, call.path, call.query, call.json, call.operation, call.module, status)


def _sleep_nothing(seconds: float) -> None:
    return None


async def _asleep_nothing(seconds: float) -> None:
    return None


def _no_sleep(http: httpx2.Client | httpx2.AsyncClient, sleep: Any) -> None:
    """Retries against a fake need no waiting: the retrying transport under the client gets a sleep that returns."""
    transport = getattr(http, "_transport", None)
    if transport is not None and hasattr(transport, "_sleep"):
        transport._sleep = sleep
