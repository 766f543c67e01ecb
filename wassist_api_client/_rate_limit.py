"""RateLimit: a client-side request budget per API key, in process or shared by a fleet through Redis.

A budget is a sliding-window log: pyrate-limiter's in-memory bucket in process (_rate_limit_local),
a sorted set in Redis kept by one script per step (_rate_limit_redis, which says why it is not
pyrate-limiter's RedisBucket). This module holds what both share: the public settings, one budget
per API key, and the wait for a slot (time.sleep or asyncio.sleep, bounded by max_wait).
"""

from __future__ import annotations

import hashlib
import logging
import math
import threading
import time
from concurrent.futures import Executor
from typing import Protocol
from urllib.parse import urlsplit

import httpx2

from ._exceptions import ClientRateLimitError, RateLimitBackendError, decoded_body, retry_after_seconds

__all__ = ["Budget", "RateLimit", "redacted_url"]

logger = logging.getLogger("wassist_api_client")

REDIS_SCHEMES = ("redis", "rediss", "unix")


class Store(Protocol):
    """Where a budget is kept: in this process, or in Redis.

    A slot counts from when its request leaves until `per` after its response is back (restamp):
    the server counts arrivals, and a request that takes longer to arrive than one sent later
    would otherwise put one too many into the server's window.
    """

    @property
    def executor(self) -> Executor | None:
        """Where async callers run the store's methods; None: they never block on I/O, so in the event loop."""

    def take(self) -> tuple[object | None, float]:
        """(a slot, 0.0) if one was free now, else (None, seconds until one may be free or a pause ends)."""

    def restamp(self, slot: object) -> None:
        """The slot's request is done: it counts from now on, for `per` seconds."""

    def pause(self, seconds: float) -> None:
        """No caller of this budget gets a slot for `seconds` (a longer pause already set stays)."""


class RateLimit:
    """At most `requests` requests per `per` seconds per API key, for every client given this object.

    Without `redis_url` the budget is kept in this process, shared by its threads and tasks; with it,
    in Redis, shared by every process and machine using the same `key` (by default one derived from
    the API key by a one-way hash). A call waits for a slot up to `max_wait` seconds, then raises
    ClientRateLimitError without sending. A 429 with Retry-After pauses every caller of the budget.
    """

    def __init__(
        self,
        requests: int,
        per: float,
        *,
        redis_url: str | None = None,
        key: str | None = None,
        max_wait: float = 60.0,
    ) -> None:
        if isinstance(requests, bool) or not isinstance(requests, int) or requests < 1:
            raise ValueError(f"RateLimit requests must be a whole number of 1 or more, not {requests!r}")
        if not _positive(per):
            raise ValueError(f"RateLimit per must be a number of seconds above 0, not {per!r}")
        if not (_positive(max_wait) or max_wait == 0):
            raise ValueError(f"RateLimit max_wait must be a number of seconds, 0 or more, not {max_wait!r}")
        if key is not None and (not isinstance(key, str) or not key.strip()):
            raise ValueError("RateLimit key must be a non-empty string (it names the budget in Redis)")
        if redis_url is not None and not _redis_url(redis_url):
            shown = redacted_url(redis_url) if isinstance(redis_url, str) else repr(redis_url)
            raise ValueError(f"RateLimit redis_url must be a redis://, rediss:// or unix:// URL, not {shown}")
        self.requests, self.per, self.max_wait, self.key = requests, float(per), float(max_wait), key
        self._redis_url = redis_url
        self._budgets: dict[str, Budget] = {}
        self._lock = threading.Lock()

    @property
    def redis_url(self) -> str | None:
        """The Redis URL without credentials (None: the budget is kept in this process)."""
        return None if self._redis_url is None else redacted_url(self._redis_url)

    def __repr__(self) -> str:
        where = f", redis_url={self.redis_url!r}" if self._redis_url else ""
        key = f", key={self.key!r}" if self.key is not None else ""
        return f"RateLimit({self.requests}, per={self.per}{where}{key}, max_wait={self.max_wait})"

    def budget(self, api_key: str) -> Budget:
        """The budget of `api_key` (or of `key`, when given): one per name, created on first use."""
        name = self.key or budget_name(api_key)
        with self._lock:
            budget = self._budgets.get(name)
            if budget is None:
                budget = self._budgets[name] = Budget(self._store(name), self)
            return budget

    def _store(self, name: str) -> Store:
        interval_ms = math.ceil(self.per * 1000)
        if self._redis_url is None:
            from ._rate_limit_local import LocalStore

            return LocalStore(self.requests, interval_ms)
        from ._rate_limit_redis import RedisStore

        return RedisStore(self._redis_url, redacted_url(self._redis_url), name, self.requests, interval_ms)


class Budget:
    """One budget of a RateLimit: what the retrying transports call around every attempt."""

    def __init__(self, store: Store, limit: RateLimit) -> None:
        self._store, self._limit = store, limit

    def acquire(self) -> object:
        """Wait for a slot (time.sleep) and return it, or raise ClientRateLimitError when none comes within max_wait."""
        deadline = time.monotonic() + self._limit.max_wait
        while True:
            slot, wait = self._store.take()
            if slot is not None:
                return slot
            self._check_deadline(wait, deadline)
            time.sleep(wait)

    async def acquire_async(self) -> object:
        """acquire() for asyncio: waits with asyncio.sleep; Redis I/O runs in the store's threads."""
        import asyncio

        loop, store = asyncio.get_running_loop(), self._store
        deadline = time.monotonic() + self._limit.max_wait
        while True:
            executor = store.executor
            slot, wait = store.take() if executor is None else await loop.run_in_executor(executor, store.take)
            if slot is not None:
                return slot
            self._check_deadline(wait, deadline)
            await asyncio.sleep(wait)

    def after(self, slot: object, outcome: object) -> bool:
        """Restamp the slot; pause the budget on a 429 with Retry-After: True when that wait exceeds max_wait.

        The response has come: a backend failure here is logged, not raised (the next call raises it).
        """
        wait = _server_wait(outcome)
        try:
            self._store.restamp(slot)
            if wait is not None:
                logger.debug("rate limit: the API answered 429; every caller of this limit pauses for %.2f s", wait)
                self._store.pause(wait)
        except RateLimitBackendError as error:
            logger.warning("%s", error)
        return wait is not None and wait > self._limit.max_wait

    async def after_async(self, slot: object, outcome: object) -> bool:
        executor = self._store.executor
        if executor is not None:
            import asyncio

            return await asyncio.get_running_loop().run_in_executor(executor, self.after, slot, outcome)
        return self.after(slot, outcome)

    def _check_deadline(self, wait: float, deadline: float) -> None:
        if time.monotonic() + wait > deadline:
            raise ClientRateLimitError(
                f"Client-side rate limit reached: {self._limit!r} has no slot within max_wait "
                f"({self._limit.max_wait:g} s; the next in about {wait:.2f} s); the request was not sent.",
                retry_after=wait,
            )
        logger.debug("rate limit: waiting %.3f s for a slot", wait)


def _server_wait(outcome: object) -> float | None:
    """The Retry-After (or body retry_after) of a 429 response, else None."""
    if isinstance(outcome, httpx2.Response) and outcome.status_code == 429:
        return retry_after_seconds(outcome, decoded_body(outcome))
    return None


def budget_name(api_key: str) -> str:
    """A one-way name for an API key's budget: the key cannot be read back from it."""
    digest = hashlib.sha256(b"wassist-api-client rate limit\0" + api_key.encode("utf-8")).hexdigest()
    return "key-" + digest[:32]


def redacted_url(url: str) -> str:
    """The URL without user, password or query (redis-py also reads a password from the query)."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        return "<unparseable URL>"
    if ":" in host:
        host = f"[{host}]"
    return f"{parts.scheme}://{host}{port}{parts.path}"


def _redis_url(value: object) -> bool:
    return isinstance(value, str) and urlsplit(value).scheme in REDIS_SCHEMES


def _positive(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value) and value > 0
