"""Fixtures of tests/ratelimit: the loopback server, real redis-servers, an arrival recorder and the key guard.

Every test here runs with DEBUG logging captured; after each test the guard fails it if the API key
appears in any record. Redis is a real `redis-server` (the system's package) on a free loopback port.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
import redis

from scripts.redis_server import RedisServer, start_redis
from tests.client.support import API_KEY, SESSION_JSON, Loopback, Reply, Seen, assert_keys_not_logged, flavour, server

__all__ = ["flavour", "server"]  # fixtures


@dataclass
class Arrivals:
    """What a loopback server saw: when each request arrived (time.monotonic()) and with which key."""

    times: list[float] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, seen: Seen) -> None:
        with self.lock:
            self.times.append(time.monotonic())
            self.keys.append((seen.header("X-API-Key") or [""])[0])

    def most_in_window(self, window: float = 1.0) -> int:
        """The most arrivals within any `window` seconds (half-open: [t, t + window))."""
        times, most, start = sorted(self.times), 0, 0
        for end, arrival in enumerate(times):
            while times[start] <= arrival - window:
                start += 1
            most = max(most, end - start + 1)
        return most


@pytest.fixture
def arrivals(server: Loopback) -> Arrivals:
    """The server answers 201 with a link session to every request and records when each arrived."""
    recorded = Arrivals()

    def route(seen: Seen) -> Reply:
        recorded.record(seen)
        return Reply(201, SESSION_JSON)

    server.route = route
    return recorded


@pytest.fixture(scope="session")
def redis_session() -> Iterator[RedisServer]:
    with start_redis() as running:
        yield running


@pytest.fixture
def redis_server(redis_session: RedisServer) -> RedisServer:
    """The session's redis-server, emptied for this test."""
    redis.Redis.from_url(redis_session.url).flushall()
    return redis_session


@pytest.fixture
def own_redis() -> Iterator[RedisServer]:
    """A redis-server of this test alone (it may stop it)."""
    with start_redis() as running:
        yield running


@pytest.fixture(autouse=True)
def key_never_logged(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    caplog.set_level(logging.DEBUG)
    yield
    assert_keys_not_logged(caplog, API_KEY)
