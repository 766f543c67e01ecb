"""The httpx2 transports under Wassist/AsyncWassist: API key, retries, typed errors, DEBUG logs.

They wrap the innermost transport (httpx2's own, or the one a user passes), so httpx2 and the
generated code only ever see 2xx responses whose body has been read; everything else is raised
here as a WassistError once the retries are spent.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import TYPE_CHECKING

import httpx2

from ._call_options import MAX_RETRIES_EXTENSION
from ._exceptions import APIConnectionError, APITimeoutError, decoded_body, retry_after_seconds, status_error
from ._spec_defaults import API_KEY_HEADER

if TYPE_CHECKING:
    from ._rate_limit import Budget

logger = logging.getLogger("wassist_api_client")

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
# Statuses that say the server did not act on the request, so that even a POST may be sent again:
# 408 and 425 refuse to start processing, 429 rejects before the view runs, 502 and 503 come from a
# proxy that found no healthy application (a deploy, a restart) or an application shedding load.
RETRY_ANY_METHOD = frozenset({408, 425, 429, 502, 503})
# 504 is a proxy that stopped waiting for an application that may still be acting on the request,
# and 500 an application that failed part way: only safe to repeat for idempotent methods.
RETRY_IDEMPOTENT = frozenset({500, 504})
# Failures before the request left this machine: safe for every method.
NOT_SENT = (httpx2.ConnectError, httpx2.ConnectTimeout, httpx2.PoolTimeout)
# Failures after it may have arrived (read timeouts, dropped or broken connections).
MAYBE_SENT = (httpx2.TimeoutException, httpx2.NetworkError, httpx2.RemoteProtocolError)
BACKOFF_BASE, BACKOFF_CAP = 0.5, 8.0
MAX_SERVER_WAIT = 60.0  # a longer Retry-After is the caller's decision: the error carries it

# What one attempt ends with. DecodingError (a corrupt gzip body) is no TransportError in httpx2,
# but for the caller it is the same: the response could not be received.
Outcome = httpx2.Response | httpx2.TransportError | httpx2.DecodingError
RECEIVE_ERRORS = (httpx2.TransportError, httpx2.DecodingError)


def plan_retry(
    method: str, outcome: Outcome, attempt: int, max_retries: int, rand: Callable[[], float] = random.random
) -> tuple[str, float] | None:
    """(reason, seconds to wait) if attempt number `attempt` (0-based) should be followed by another, else None."""
    if attempt >= max_retries:
        return None
    idempotent = method.upper() in IDEMPOTENT_METHODS
    if isinstance(outcome, httpx2.Response):
        status = outcome.status_code
        if status not in RETRY_ANY_METHOD and not (idempotent and status in RETRY_IDEMPOTENT):
            return None
        reason, wait = f"HTTP {status}", retry_after_seconds(outcome, decoded_body(outcome))
    elif isinstance(outcome, NOT_SENT) or (idempotent and isinstance(outcome, MAYBE_SENT)):
        reason, wait = type(outcome).__name__, None
    else:
        return None
    if wait is None:  # exponential backoff with full jitter
        return reason, rand() * min(BACKOFF_CAP, BACKOFF_BASE * 2**attempt)
    return (reason, wait) if wait <= MAX_SERVER_WAIT else None


class _Retrying:
    """What the sync and async transports share: the key, the policy, logging and error mapping."""

    def __init__(self, *, api_key: str, max_retries: int, budget: Budget | None = None) -> None:
        self._api_key = api_key
        self._max_retries = max_retries
        self._budget = budget  # a RateLimit's budget: every attempt, retries included, takes a slot

    def _add_key(self, request: httpx2.Request) -> None:
        # Only while the request is handed to the inner transport (see _remove_key): the request that
        # errors and responses carry never holds the key. Cheaper than sending a copy of the request.
        request.headers[API_KEY_HEADER] = self._api_key

    @staticmethod
    def _remove_key(request: httpx2.Request) -> None:
        del request.headers[API_KEY_HEADER]

    def _after(
        self, request: httpx2.Request, outcome: Outcome, attempt: int, started: float, max_retries: int
    ) -> float | None:
        """Log an attempt; return the delay before the next one, or None when this outcome is final."""
        elapsed = time.monotonic() - started
        if isinstance(outcome, httpx2.Response):
            outcome.elapsed = timedelta(seconds=elapsed)  # httpx2 sets it only for bodies it reads
            result: object = outcome.status_code
        else:
            result = type(outcome).__name__
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug("%s %s -> %s in %.0f ms", request.method, request.url, result, elapsed * 1000)
        if isinstance(outcome, httpx2.Response) and outcome.is_success:  # the common case: nothing to plan
            return None
        plan = plan_retry(request.method, outcome, attempt, max_retries)
        if plan is None:
            return None
        reason, delay = plan
        logger.debug(
            "%s %s: retry %d of %d in %.2f s after %s",
            request.method,
            request.url,
            attempt + 1,
            max_retries,
            delay,
            reason,
        )
        return delay

    @staticmethod
    def _result(request: httpx2.Request, outcome: Outcome) -> httpx2.Response:
        if isinstance(outcome, httpx2.TimeoutException):
            raise APITimeoutError(request=request) from outcome
        if isinstance(outcome, RECEIVE_ERRORS):
            message = f"Connection error: {type(outcome).__name__}: {_reason(outcome)}"
            raise APIConnectionError(request=request, message=message) from outcome
        if not outcome.is_success:
            raise status_error(outcome)
        return outcome


class RetryingTransport(_Retrying, httpx2.BaseTransport):
    def __init__(
        self,
        inner: httpx2.BaseTransport,
        *,
        api_key: str,
        max_retries: int,
        sleep: Callable[[float], None] = time.sleep,
        budget: Budget | None = None,
    ) -> None:
        super().__init__(api_key=api_key, max_retries=max_retries, budget=budget)
        self._inner, self._sleep = inner, sleep

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        attempt, budget = 0, self._budget
        # The client's retry count, or the one a `with_options(max_retries=...)` copy put on the request.
        max_retries = request.extensions.get(MAX_RETRIES_EXTENSION, self._max_retries)
        while True:
            slot = budget.acquire() if budget is not None else None
            started = time.monotonic()
            outcome = self._send(request)
            delay = self._after(request, outcome, attempt, started, max_retries)
            if budget is not None and budget.after(slot, outcome):
                delay = None  # a 429 asking for longer than max_wait: given up at once
            if delay is None:
                return self._result(request, outcome)
            self._sleep(delay)
            attempt += 1

    def _send(self, request: httpx2.Request) -> Outcome:
        self._add_key(request)
        try:
            response = self._inner.handle_request(request)
        except httpx2.TransportError as exc:
            return exc
        finally:
            self._remove_key(request)
        response.request = request
        try:
            response.read()  # inside the retry loop: a body that times out half way is retried here
        except RECEIVE_ERRORS as exc:
            response.close()
            return exc
        return response

    def close(self) -> None:
        self._inner.close()


class AsyncRetryingTransport(_Retrying, httpx2.AsyncBaseTransport):
    def __init__(
        self,
        inner: httpx2.AsyncBaseTransport,
        *,
        api_key: str,
        max_retries: int,
        sleep: Callable[[float], Awaitable[None]] | None = None,
        budget: Budget | None = None,
    ) -> None:
        super().__init__(api_key=api_key, max_retries=max_retries, budget=budget)
        self._inner, self._sleep = inner, sleep or _asyncio_sleep

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        attempt, budget = 0, self._budget
        # The client's retry count, or the one a `with_options(max_retries=...)` copy put on the request.
        max_retries = request.extensions.get(MAX_RETRIES_EXTENSION, self._max_retries)
        while True:
            slot = await budget.acquire_async() if budget is not None else None
            started = time.monotonic()
            outcome = await self._send(request)
            delay = self._after(request, outcome, attempt, started, max_retries)
            if budget is not None and await budget.after_async(slot, outcome):
                delay = None
            if delay is None:
                return self._result(request, outcome)
            await self._sleep(delay)
            attempt += 1

    async def _send(self, request: httpx2.Request) -> Outcome:
        self._add_key(request)
        try:
            response = await self._inner.handle_async_request(request)
        except httpx2.TransportError as exc:
            return exc
        finally:
            self._remove_key(request)
        response.request = request
        try:
            await response.aread()
        except RECEIVE_ERRORS as exc:
            await response.aclose()
            return exc
        return response

    async def aclose(self) -> None:
        await self._inner.aclose()


def _reason(error: BaseException) -> str:
    """The first non-empty message down the chain: httpx2's async errors often carry theirs in a cause."""
    seen: BaseException | None = error
    for _ in range(10):  # a bound, in case a chain loops
        if seen is None or str(seen):
            break
        seen = seen.__cause__ or seen.__context__
    return str(seen) if seen is not None else ""


async def _asyncio_sleep(seconds: float) -> None:
    import asyncio  # here, so that the sync client never imports asyncio

    await asyncio.sleep(seconds)
