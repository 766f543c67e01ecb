"""Test support for tests/client: a scriptable loopback HTTP server and the sync/async flavours of the client."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import socket
import ssl
import struct
import threading
import time
import traceback
from collections import deque
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, TypeVar

import httpx2
import pytest

from wassist_api_client import AsyncWassist, Wassist
from wassist_api_client.models import WhatsAppLinkSessionRequest

E = TypeVar("E", bound=BaseException)
API_KEY = "wsk_test_Zq8SECRETk3y_5f1c9d"
# Loading the CA bundle costs ~70 ms per client: the tests (plain http) share one context.
TLS = ssl.create_default_context()
HANG_SECONDS = 5.0  # the longest a "never answers" reply holds a connection (released at teardown)
TRICKLE_PIECES = 4


@dataclass
class Reply:
    status: int = 200
    body: Any = None  # dict/list: JSON; str: text; bytes: as is
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    hang: bool = False  # send nothing at all
    stall_body: bool = False  # send the headers and part of the body, then nothing
    reset_after: int | None = None  # send the headers and this many body bytes, then reset (RST) the connection
    close_before_reply: bool = False  # read the request, then close the connection without a byte of reply
    trickle: float = 0.0  # send the body in TRICKLE_PIECES pieces, this many seconds apart

    def encoded(self) -> tuple[bytes, str]:
        if isinstance(self.body, (dict, list)):
            return json.dumps(self.body).encode(), "application/json"
        if isinstance(self.body, str):
            return self.body.encode(), "text/html; charset=utf-8"
        return self.body or b"", "application/octet-stream"


@dataclass
class Seen:
    method: str
    path: str  # with the query
    headers: list[tuple[str, str]]
    body: bytes
    peer: tuple[str, int] = ("", 0)  # the client's address and port: one per TCP connection

    def header(self, name: str) -> list[str]:
        return [value for key, value in self.headers if key.lower() == name.lower()]


class Loopback:
    """A threaded HTTP/1.1 server on 127.0.0.1: replies from a queue (or `route`), requests recorded.

    With `tls` (a server-side SSLContext) it serves HTTPS; the handshake happens in the handler thread.
    """

    def __init__(self, tls: ssl.SSLContext | None = None) -> None:
        self.replies: deque[Reply] = deque()
        self.route: Callable[[Seen], Reply] | None = None
        self.seen: list[Seen] = []
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # headers and body go out as two writes: no 40 ms delayed-ACK stall

            def handle_one(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                seen = Seen(
                    self.command, self.path, list(self.headers.items()), self.rfile.read(length), self.client_address
                )
                reply = server.record(seen)
                if reply.close_before_reply:
                    self.close_connection = True
                    return
                if reply.hang:
                    server.stopping.wait(HANG_SECONDS)
                    self.close_connection = True
                    return
                time.sleep(reply.delay)
                body, content_type = reply.encoded()
                self.send_response(reply.status)
                headers = {"Content-Type": content_type, "Content-Length": str(len(body)), **reply.headers}
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                if reply.stall_body:
                    self.wfile.write(body[:1])
                    self.wfile.flush()
                    server.stopping.wait(HANG_SECONDS)
                    self.close_connection = True
                    return
                if reply.reset_after is not None:
                    self.wfile.write(body[: reply.reset_after])
                    self.wfile.flush()
                    self.reset()
                    return
                if reply.trickle:
                    size = -(-len(body) // TRICKLE_PIECES)
                    for start in range(0, len(body), size):
                        if start and server.stopping.wait(reply.trickle):
                            break
                        self.wfile.write(body[start : start + size])
                        self.wfile.flush()
                    return
                self.wfile.write(body)

            def reset(self) -> None:
                """Close at once with SO_LINGER 0: the peer gets a TCP RST, not a FIN."""
                self.close_connection = True
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                os.close(self.connection.detach())  # the fd itself: rfile still holds a reference to the socket

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = handle_one

            def log_message(self, format: str, *args: Any) -> None:
                pass

        class Server(ThreadingHTTPServer):
            daemon_threads = True
            request_queue_size = 128  # the concurrency test opens 50 connections at once

            def handle_error(self, request: Any, client_address: Any) -> None:
                pass  # clients that time out and hang up are part of the tests

        class Handshaking(Handler):
            def setup(self) -> None:
                assert tls is not None
                self.request = self.connection = tls.wrap_socket(self.request, server_side=True)
                super().setup()

        self.httpd = Server(("127.0.0.1", 0), Handshaking if tls else Handler)
        scheme = "https" if tls else "http"
        self.url = f"{scheme}://127.0.0.1:{self.httpd.server_address[1]}"
        self._thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)
        self._thread.start()

    def reply(self, *replies: Reply) -> None:
        with self._lock:
            self.replies.extend(replies)

    def record(self, seen: Seen) -> Reply:
        with self._lock:
            self.seen.append(seen)
            if self.route is not None:
                return self.route(seen)
            if self.replies:
                return self.replies.popleft()
        return Reply(599, {"error": f"loopback server: no reply scripted for {seen.method} {seen.path}"})

    def stop(self) -> None:
        self.stopping.set()
        self.httpd.shutdown()
        self.httpd.server_close()
        self._thread.join(timeout=5)


class Flavour:
    """Runs one operation through Wassist (sync) or AsyncWassist (async, in a fresh event loop)."""

    def __init__(self, is_async: bool) -> None:
        self.is_async = is_async
        self.client_class: type[Wassist] | type[AsyncWassist] = AsyncWassist if is_async else Wassist

    def __repr__(self) -> str:
        return "async" if self.is_async else "sync"

    def run(
        self,
        sync_call: Callable[[Wassist], Any],
        async_call: Callable[[AsyncWassist], Awaitable[Any]],
        **client_args: Any,
    ) -> Any:
        client_args.setdefault("api_key", API_KEY)
        client_args.setdefault("verify", TLS)
        if not self.is_async:
            with Wassist(**client_args) as client:
                return sync_call(client)

        async def main() -> Any:
            async with AsyncWassist(**client_args) as client:
                return await async_call(client)

        return asyncio.run(main())

    def create(self, **client_args: Any) -> Any:
        """The generated POST /api/v1/whatsapp-link-sessions/ (create.sync or create.asyncio)."""
        from wassist_api_client.api.whatsapp_link_sessions import create

        body = link_session_body()
        return self.run(
            lambda c: create.sync(client=c, body=body),
            lambda c: create.asyncio(client=c, body=body),
            **client_args,
        )

    def request(self, method: str, path: str, **client_args: Any) -> httpx2.Response:
        """Any request through the client's own httpx2 client (for methods the spec has no operation for)."""
        response: httpx2.Response = self.run(
            lambda c: c.get_httpx_client().request(method, path),
            lambda c: c.get_async_httpx_client().request(method, path),
            **client_args,
        )
        return response


SESSION_ID = "3fa85f64-5717-4562-b3fc-2c963f66afa6"
SESSION_JSON = {
    "id": SESSION_ID,
    "successUrl": "https://example.com/ok",
    "returnUrl": "https://example.com/back",
    "status": "PENDING",
    "linkUrl": "https://wassist.app/link/abc",
}


def link_session_body() -> WhatsAppLinkSessionRequest:
    return WhatsAppLinkSessionRequest(success_url="https://example.com/ok", return_url="https://example.com/back")


@contextmanager
def raises_clean(expected: type[E]) -> Iterator[pytest.ExceptionInfo[E]]:
    """pytest.raises, then assert_clean_error on what was raised."""
    with pytest.raises(expected) as info:
        yield info
    assert_clean_error(info.value)


def assert_no_key(*texts: object) -> None:
    for text in texts:
        assert API_KEY not in str(text)


def assert_clean_error(error: BaseException) -> None:
    """The key is in no message, repr or traceback of the error, nor on the request it carries."""
    assert_no_key(str(error), repr(error), "".join(traceback.format_exception(error)))
    request = getattr(error, "request", None)
    if isinstance(request, httpx2.Request):
        assert "x-api-key" not in request.headers
        assert_no_key(repr(request), repr(request.headers))


# Fixtures shared by tests/client and tests/faults (each conftest imports them).


@pytest.fixture
def server() -> Iterator[Loopback]:
    loopback = Loopback()
    yield loopback
    loopback.stop()


@pytest.fixture(params=[False, True], ids=["sync", "async"])
def flavour(request: pytest.FixtureRequest) -> Flavour:
    return Flavour(request.param)


def assert_keys_not_logged(caplog: pytest.LogCaptureFixture, *keys: str) -> None:
    """No captured record (message, arguments, traceback) of the test's setup or call holds a key."""
    formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
    for record in caplog.get_records("setup") + caplog.get_records("call"):
        text = formatter.format(record) + repr(record.args)
        for key in keys:
            assert key not in text, f"API key logged by {record.name}"
