"""The fault-injection harness: one client makes the faulty call, then a good one; the key is swept everywhere.

`exchange` runs a `Fault` through Wassist or AsyncWassist (the `Flavour`) against a real loopback
server, with a connection pool of ONE connection: a connection the client failed to release after
the fault would make the follow-up call wait for the pool and fail, so "the next call succeeds"
also proves the pool is still usable. `assert_key_absent` looks for the API key in every place an
error, a client or a log record can show it.
"""

from __future__ import annotations

import asyncio
import importlib
import logging
import re
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any, TypeVar

import httpx2

import wassist_api_client
from tests.client.support import SESSION_JSON, TLS, Flavour, Loopback, Reply, link_session_body
from wassist_api_client import WassistError
from wassist_api_client.models import WhatsAppLinkSessionRequest

# Distinctive, and unlike anything else in a message: a leak cannot hide as a coincidence.
SWEEP_KEY = "wsk_live_SWEEP-9c4e71ab3f-never-show-me"
TIMEOUT = 0.3  # seconds; every fault that waits waits past this
SLACK = 1.5  # seconds allowed beyond the computed worst case before a call counts as hanging
GET_PATH = "/api/v1/things/"
TESTS_DIR = str(Path(__file__).resolve().parents[1])
CERT_AND_KEY = Path(__file__).with_name("selfsigned-127.0.0.1.pem")  # a self-signed certificate for 127.0.0.1
BACKOFF_BASE, BACKOFF_CAP = 0.5, 8.0  # what _transport documents; only used for upper bounds here


@dataclass(frozen=True)
class Fault:
    """One misbehaviour of the server, and exactly what the client must make of it."""

    id: str
    replies: tuple[Reply, ...]  # one per attempt the client must make (then a good reply for the follow-up)
    raises: type[WassistError] | None = None  # None: the call succeeds
    message: str = ""  # a regular expression that str(error) must match in full (when it raises)
    method: str = "POST"  # POST: the generated `create`; GET: the client's own httpx2 client
    max_retries: int = 0
    timeout: float = TIMEOUT
    strict: bool = False
    body: WhatsAppLinkSessionRequest | None = None  # the request body of `create` (default: link_session_body())
    check: Callable[[Outcome], object] | None = None  # more assertions on what came back

    @property
    def attempts(self) -> int:
        return len(self.replies)

    @property
    def worst_case_seconds(self) -> float:
        """Each attempt may run up to the timeout, each retry waits up to the backoff cap (Retry-After 0 here)."""
        backoff = sum(min(BACKOFF_CAP, BACKOFF_BASE * 2.0**attempt) for attempt in range(self.attempts - 1))
        return self.timeout * self.attempts + backoff + SLACK


@dataclass
class Outcome:
    fault: Fault
    server: Loopback
    value: Any = None  # the parsed model (POST) or the httpx2.Response (GET) of the faulty call
    error: BaseException | None = None
    elapsed: float = 0.0
    attempts: int = 0  # requests the server saw during the faulty call
    follow_up: Any = None  # what the next call on the same client returned
    follow_up_error: BaseException | None = None
    client_reprs: list[str] = field(default_factory=list)
    records: list[logging.LogRecord] = field(default_factory=list)  # wassist_api_client records of the faulty call

    def warnings(self) -> list[str]:
        return [r.getMessage() for r in self.records if r.levelno == logging.WARNING]


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def good_reply(method: str) -> Reply:
    return Reply(201, SESSION_JSON) if method == "POST" else Reply(200, {"ok": True})


def exchange(
    flavour: Flavour,
    server: Loopback,
    fault: Fault,
    api_key: str = SWEEP_KEY,
    package: ModuleType = wassist_api_client,
) -> Outcome:
    """The faulty call, then a good one on the same client (a pool of one connection); see the module docstring.
    `package`: the committed client, or one generated from another spec with the same link-session operation."""
    Wassist, AsyncWassist = package.Wassist, package.AsyncWassist
    create = importlib.import_module(f"{package.__name__}.api.whatsapp_link_sessions.create")
    server.reply(*fault.replies, good_reply(fault.method))
    outcome = Outcome(fault, server)
    body = fault.body or link_session_body()
    limits = httpx2.Limits(max_connections=1)
    client_args: dict[str, Any] = {
        "api_key": api_key,
        "base_url": server.url,
        "timeout": fault.timeout,
        "max_retries": fault.max_retries,
        "strict_response_validation": fault.strict,
    }
    handler = _Records()
    logger = logging.getLogger("wassist_api_client")

    def started() -> float:
        logger.addHandler(handler)
        return time.monotonic()

    def ended(began: float) -> None:
        outcome.elapsed = time.monotonic() - began
        logger.removeHandler(handler)
        outcome.records = handler.records
        outcome.attempts = len(server.seen)

    if flavour.is_async:

        async def main() -> None:
            transport = httpx2.AsyncHTTPTransport(verify=TLS, limits=limits)
            async with AsyncWassist(transport=transport, **client_args) as client:
                outcome.client_reprs.append(repr(client))
                http = client.get_async_httpx_client()
                began = started()
                try:
                    if fault.method == "POST":
                        outcome.value = await create.asyncio(client=client, body=body)
                    else:
                        outcome.value = await http.request(fault.method, GET_PATH)
                except Exception as exc:
                    outcome.error = exc
                finally:
                    ended(began)
                outcome.client_reprs.append(repr(client))
                try:
                    if fault.method == "POST":
                        outcome.follow_up = await create.asyncio(client=client, body=body)
                    else:
                        outcome.follow_up = await http.request(fault.method, GET_PATH)
                except Exception as exc:
                    outcome.follow_up_error = exc

        asyncio.run(main())
    else:
        transport = httpx2.HTTPTransport(verify=TLS, limits=limits)
        with Wassist(transport=transport, **client_args) as client:
            outcome.client_reprs.append(repr(client))
            http = client.get_httpx_client()
            began = started()
            try:
                if fault.method == "POST":
                    outcome.value = create.sync(client=client, body=body)
                else:
                    outcome.value = http.request(fault.method, GET_PATH)
            except Exception as exc:
                outcome.error = exc
            finally:
                ended(began)
            outcome.client_reprs.append(repr(client))
            try:
                if fault.method == "POST":
                    outcome.follow_up = create.sync(client=client, body=body)
                else:
                    outcome.follow_up = http.request(fault.method, GET_PATH)
            except Exception as exc:
                outcome.follow_up_error = exc
    return outcome


def assert_outcome(outcome: Outcome) -> None:
    """The exact outcome of the fault, the attempts it took, a bounded time, and a working client afterwards."""
    fault = outcome.fault
    if fault.raises is None:
        assert outcome.error is None, f"expected success, got {outcome.error!r}"
    else:
        assert type(outcome.error) is fault.raises, f"expected {fault.raises.__name__}, got {outcome.error!r}"
        assert re.fullmatch(fault.message, str(outcome.error), re.DOTALL), str(outcome.error)
    assert outcome.attempts == fault.attempts, f"{outcome.attempts} attempts, expected {fault.attempts}"
    assert outcome.elapsed < fault.worst_case_seconds, f"took {outcome.elapsed:.2f} s"
    if fault.check is not None:
        fault.check(outcome)
    # The same client, the same single-connection pool: the next call goes through.
    assert outcome.follow_up_error is None, f"the client is unusable after the fault: {outcome.follow_up_error!r}"
    if fault.method == "POST":
        assert outcome.follow_up.link_url == SESSION_JSON["linkUrl"]
    else:
        assert outcome.follow_up.json() == {"ok": True}
    assert len(outcome.server.seen) == fault.attempts + 1
    assert not outcome.server.replies


Chained = TypeVar("Chained", BaseException, traceback.TracebackException)


def exception_chain(error: Chained) -> Iterator[Chained]:
    """The error and every exception it was raised from or while handling, each once (an exception, or the
    TracebackException summary of one: both link by __cause__ and __context__)."""
    pending, seen = [error], set()
    while pending:
        current = pending.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        pending.extend(e for e in (current.__cause__, current.__context__) if e is not None)


def requests_of(error: BaseException) -> Iterator[httpx2.Request]:
    """The httpx2 requests an exception carries (APIError.request, a response's request, httpx2's own .request)."""
    for name in ("request", "_request"):
        request = vars(error).get(name)
        if isinstance(request, httpx2.Request):
            yield request
    response = vars(error).get("response")
    if isinstance(response, httpx2.Response) and response._request is not None:
        yield response._request


def assert_key_absent(
    key: str, outcome: Outcome, log_records: list[logging.LogRecord], header: str = "X-API-Key"
) -> None:
    """The key is nowhere a user, a log aggregator or an error tracker could see it (`header`: the one the
    client sends it in, from its spec)."""
    texts: list[tuple[str, str]] = [("repr(client)", text) for text in outcome.client_reprs]
    error = outcome.error
    if error is not None:
        texts.append(("traceback", "".join(traceback.format_exception(error))))  # chained causes included
        for link in exception_chain(error):
            name = type(link).__name__
            texts += [(f"str({name})", str(link)), (f"repr({name})", repr(link))]
            texts += [(f"{name}.args", repr(link.args)), (f"vars({name})", repr(vars(link)))]
            for request in requests_of(link):
                for name_of_header in {header, "X-API-Key"}:
                    if name_of_header in request.headers:
                        texts.append((f"{name}.request.headers (an {name_of_header} header)", key))
                texts += [(f"{name}.request", repr(request)), (f"{name}.request.headers", repr(request.headers))]
            response = vars(link).get("response")
            if isinstance(response, httpx2.Response):
                texts.append((f"{name}.response.headers", repr(response.headers)))
        # What an error tracker records: the locals of every frame of the library and its dependencies.
        summary = traceback.TracebackException.from_exception(error, capture_locals=True)
        for stack_error in exception_chain(summary):
            for frame in stack_error.stack:
                if not frame.filename.startswith(TESTS_DIR) and frame.locals:
                    texts.append((f"locals of {frame.name} ({frame.filename})", repr(frame.locals)))
    formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
    for record in log_records:
        texts.append((f"log record of {record.name}", formatter.format(record) + repr(record.args)))
    leaks = [where for where, text in texts if key in text]
    assert not leaks, "the API key appears in " + "; ".join(leaks)
