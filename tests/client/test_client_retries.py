"""Retries, timeouts and connection failures against a real loopback server (or a closed port)."""

from __future__ import annotations

import asyncio
import time

import httpx2
import pytest

from tests.client.support import (
    API_KEY,
    SESSION_JSON,
    TLS,
    Flavour,
    Loopback,
    Reply,
    link_session_body,
    raises_clean,
)
from wassist_api_client import (
    APIConnectionError,
    APITimeoutError,
    AsyncWassist,
    InternalServerError,
    RateLimitError,
)
from wassist_api_client.api.whatsapp_link_sessions import create


def test_429_with_retry_after_waits_then_succeeds(flavour: Flavour, server: Loopback) -> None:
    server.reply(Reply(429, {"error": "Too many requests", "code": "rate_limited"}, headers={"Retry-After": "1"}))
    server.reply(Reply(201, SESSION_JSON))

    started = time.monotonic()
    session = flavour.create(base_url=server.url)
    elapsed = time.monotonic() - started

    assert session.link_url == SESSION_JSON["linkUrl"]
    assert len(server.seen) == 2
    assert elapsed >= 0.9  # the server's Retry-After was honoured (a lower bound, not a speed test)


def test_503_twice_then_201_on_post_succeeds(flavour: Flavour, server: Loopback) -> None:
    server.reply(Reply(503, {"error": "Unavailable"}), Reply(503, "<h1>503</h1>"), Reply(201, SESSION_JSON))

    session = flavour.create(base_url=server.url)

    assert str(session.id) == SESSION_JSON["id"]
    assert [s.method for s in server.seen] == ["POST"] * 3
    assert {s.body for s in server.seen} == {server.seen[0].body}  # the same body each time
    assert all(s.header("X-API-Key") == [API_KEY] for s in server.seen)


def test_500_on_post_is_not_sent_again(flavour: Flavour, server: Loopback) -> None:
    server.reply(Reply(500, {"error": "Boom", "code": "server_error"}), Reply(201, SESSION_JSON))

    with raises_clean(InternalServerError) as info:
        flavour.create(base_url=server.url)

    assert len(server.seen) == 1
    assert (info.value.status_code, info.value.code) == (500, "server_error")


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
def test_500_on_idempotent_methods_is_retried(flavour: Flavour, server: Loopback, method: str) -> None:
    server.reply(Reply(500, {"error": "Boom"}, headers={"Retry-After": "0"}), Reply(200, {"ok": True}))

    response = flavour.request(method, "/api/v1/things/1/", base_url=server.url)

    assert response.json() == {"ok": True}
    assert [s.method for s in server.seen] == [method, method]
    assert 0 <= response.elapsed.total_seconds() < 5


def test_retries_give_up_with_the_last_error(flavour: Flavour, server: Loopback) -> None:
    server.reply(*[Reply(429, {"error": "Slow down"}, headers={"Retry-After": "0"})] * 3, Reply(201, SESSION_JSON))

    with raises_clean(RateLimitError) as info:
        flavour.create(base_url=server.url, max_retries=2)

    assert len(server.seen) == 3
    assert info.value.retry_after == 0.0


def test_a_retry_after_beyond_60_seconds_is_left_to_the_caller(flavour: Flavour, server: Loopback) -> None:
    server.reply(Reply(429, {"error": "Quota exhausted"}, headers={"Retry-After": "3600"}), Reply(201, SESSION_JSON))

    with raises_clean(RateLimitError) as info:
        flavour.create(base_url=server.url)

    assert len(server.seen) == 1
    assert info.value.retry_after == 3600.0


def test_max_retries_zero_sends_once(flavour: Flavour, server: Loopback) -> None:
    server.reply(Reply(503, {"error": "Unavailable"}), Reply(201, SESSION_JSON))

    with raises_clean(InternalServerError):
        flavour.create(base_url=server.url, max_retries=0)

    assert len(server.seen) == 1


class CountingTransport(httpx2.BaseTransport, httpx2.AsyncBaseTransport):
    """A spy for the innermost transport: counts attempts, sync or async."""

    def __init__(self) -> None:
        self.sync_inner, self.async_inner = httpx2.HTTPTransport(), httpx2.AsyncHTTPTransport()
        self.attempts = 0

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        self.attempts += 1
        return self.sync_inner.handle_request(request)

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        self.attempts += 1
        return await self.async_inner.handle_async_request(request)

    def close(self) -> None:
        self.sync_inner.close()

    async def aclose(self) -> None:
        await self.async_inner.aclose()


@pytest.mark.parametrize("max_retries", [0, 2])
def test_connection_refused_raises_after_every_attempt(
    flavour: Flavour, closed_port_url: str, max_retries: int
) -> None:
    spy = CountingTransport()

    with raises_clean(APIConnectionError) as info:
        flavour.create(base_url=closed_port_url, max_retries=max_retries, transport=spy)

    assert type(info.value) is APIConnectionError
    assert spy.attempts == max_retries + 1
    assert "ConnectError" in str(info.value)
    assert isinstance(info.value.__cause__, httpx2.ConnectError)


def test_a_server_that_never_answers_times_out(flavour: Flavour, server: Loopback) -> None:
    server.reply(Reply(hang=True), Reply(hang=True))

    started = time.monotonic()
    with raises_clean(APITimeoutError):
        flavour.create(base_url=server.url, timeout=0.3, max_retries=1)
    elapsed = time.monotonic() - started

    assert len(server.seen) == 1  # a POST that may have arrived is not sent again
    assert 0.3 <= elapsed < 3.0  # the timeout applied (the server would hang for 5 s)


def test_a_get_that_times_out_is_retried(flavour: Flavour, server: Loopback) -> None:
    server.reply(Reply(hang=True), Reply(hang=True))

    started = time.monotonic()
    with raises_clean(APITimeoutError):
        flavour.request("GET", "/api/v1/things/", base_url=server.url, timeout=0.3, max_retries=1)
    elapsed = time.monotonic() - started

    assert len(server.seen) == 2
    assert 0.6 <= elapsed < 3.0  # two timeouts plus at most 0.5 s of backoff


def test_a_body_that_stalls_half_way_is_retried_inside_the_client(flavour: Flavour, server: Loopback) -> None:
    server.reply(Reply(200, {"ok": True}, stall_body=True), Reply(200, {"ok": True}))

    response = flavour.request("GET", "/api/v1/things/", base_url=server.url, timeout=0.3)

    assert response.json() == {"ok": True}
    assert len(server.seen) == 2


def test_a_post_body_that_stalls_is_a_timeout_error(flavour: Flavour, server: Loopback) -> None:
    server.reply(Reply(201, SESSION_JSON, stall_body=True), Reply(201, SESSION_JSON))

    with raises_clean(APITimeoutError):
        flavour.create(base_url=server.url, timeout=0.3)

    assert len(server.seen) == 1


def test_fifty_concurrent_calls_overlap(server: Loopback) -> None:
    server.route = lambda seen: Reply(201, SESSION_JSON, delay=0.2)
    body = link_session_body()

    async def main() -> float:
        async with AsyncWassist(api_key=API_KEY, base_url=server.url, verify=TLS) as client:
            started = time.monotonic()
            sessions = await asyncio.gather(*(create.asyncio(client=client, body=body) for _ in range(50)))
            elapsed = time.monotonic() - started
        assert all(s is not None and s.link_url == SESSION_JSON["linkUrl"] for s in sessions)
        return elapsed

    elapsed = asyncio.run(main())

    assert len(server.seen) == 50
    assert elapsed < 0.5 * 50 * 0.2  # well under half of one-after-another (10 s)
