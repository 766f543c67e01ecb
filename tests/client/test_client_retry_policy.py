"""The retry policy as a pure function, and the transports around it with fakes (httpx2.MockTransport)."""

from __future__ import annotations

import asyncio
import email.utils
import time

import httpx2
import pytest

from tests.client.support import API_KEY
from wassist_api_client import APIConnectionError, APITimeoutError, InternalServerError
from wassist_api_client._transport import AsyncRetryingTransport, RetryingTransport, plan_retry

ALL_METHODS = ["GET", "HEAD", "OPTIONS", "PUT", "DELETE", "POST", "PATCH"]
IDEMPOTENT = {"GET", "HEAD", "OPTIONS", "PUT", "DELETE"}


def response(status: int, headers: dict[str, str] | None = None, json: object = None) -> httpx2.Response:
    return httpx2.Response(status, headers=headers, json=json)


def plan(
    method: str, outcome: httpx2.Response | httpx2.TransportError, attempt: int = 0, max_retries: int = 2
) -> object:
    return plan_retry(method, outcome, attempt, max_retries, rand=lambda: 1.0)


@pytest.mark.parametrize("method", ALL_METHODS)
@pytest.mark.parametrize("status", [408, 425, 429, 502, 503])
def test_statuses_where_the_server_did_not_act_are_retried_for_every_method(method: str, status: int) -> None:
    assert plan(method, response(status)) == (f"HTTP {status}", 0.5)


@pytest.mark.parametrize("method", ALL_METHODS)
@pytest.mark.parametrize("status", [500, 504])
def test_500_and_504_are_retried_only_for_idempotent_methods(method: str, status: int) -> None:
    expected = (f"HTTP {status}", 0.5) if method in IDEMPOTENT else None
    assert plan(method, response(status)) == expected


@pytest.mark.parametrize("method", ALL_METHODS)
@pytest.mark.parametrize("status", [200, 201, 204, 301, 400, 401, 403, 404, 409, 418, 422, 501, 505])
def test_other_statuses_are_final(method: str, status: int) -> None:
    assert plan(method, response(status)) is None


@pytest.mark.parametrize("method", ALL_METHODS)
@pytest.mark.parametrize(
    "error", [httpx2.ConnectError("refused"), httpx2.ConnectTimeout("slow"), httpx2.PoolTimeout("full")]
)
def test_failures_before_sending_are_retried_for_every_method(method: str, error: httpx2.TransportError) -> None:
    assert plan(method, error) == (type(error).__name__, 0.5)


@pytest.mark.parametrize("method", ALL_METHODS)
@pytest.mark.parametrize(
    "error",
    [
        httpx2.ReadTimeout("slow"),
        httpx2.WriteTimeout("slow"),
        httpx2.ReadError("reset"),
        httpx2.WriteError("broken pipe"),
        httpx2.RemoteProtocolError("Server disconnected without sending a response."),
    ],
)
def test_failures_after_sending_are_retried_only_for_idempotent_methods(
    method: str, error: httpx2.TransportError
) -> None:
    expected = (type(error).__name__, 0.5) if method in IDEMPOTENT else None
    assert plan(method, error) == expected


@pytest.mark.parametrize(
    "error", [httpx2.UnsupportedProtocol("ftp"), httpx2.LocalProtocolError("bad header"), httpx2.ProxyError("no")]
)
def test_mistakes_on_this_side_are_final(error: httpx2.TransportError) -> None:
    assert plan("GET", error) is None


def test_lower_case_methods_are_understood() -> None:
    assert plan("get", response(500)) == ("HTTP 500", 0.5)


@pytest.mark.parametrize(("attempt", "ceiling"), [(0, 0.5), (1, 1.0), (2, 2.0), (3, 4.0), (4, 8.0), (5, 8.0), (9, 8.0)])
def test_backoff_doubles_from_half_a_second_up_to_eight(attempt: int, ceiling: float) -> None:
    outcome = response(503)
    assert plan_retry("GET", outcome, attempt, 10, rand=lambda: 1.0) == ("HTTP 503", ceiling)
    assert plan_retry("GET", outcome, attempt, 10, rand=lambda: 0.25) == ("HTTP 503", ceiling / 4)
    assert plan_retry("GET", outcome, attempt, 10, rand=lambda: 0.0) == ("HTTP 503", 0.0)


def test_default_jitter_stays_within_the_ceiling() -> None:
    delays = {plan_retry("GET", response(503), 2, 3)[1] for _ in range(200)}  # type: ignore[index]
    assert all(0.0 <= d <= 2.0 for d in delays)
    assert len(delays) > 100  # jittered, not a constant


@pytest.mark.parametrize(
    ("headers", "body", "wait"),
    [
        ({"Retry-After": "7"}, None, 7.0),
        ({"Retry-After": "1.5"}, None, 1.5),
        ({"Retry-After": "0"}, None, 0.0),
        ({"Retry-After": "-3"}, None, 0.0),
        ({}, {"error": "Slow down", "retry_after": 4}, 4.0),
        ({"Retry-After": "2"}, {"retry_after": 40}, 2.0),  # the header wins
        ({"Retry-After": "60"}, None, 60.0),
        ({"Retry-After": "soon"}, None, 0.5),  # unreadable: the backoff
        ({}, {"retry_after": "4"}, 0.5),
    ],
)
def test_server_waits_replace_the_backoff(headers: dict[str, str], body: object, wait: float) -> None:
    assert plan("POST", response(429, headers, body)) == ("HTTP 429", wait)


def test_retry_after_as_an_http_date() -> None:
    when = email.utils.formatdate(time.time() + 30, usegmt=True)

    result = plan("POST", response(503, {"Retry-After": when}))

    assert result is not None
    assert 28.0 <= result[1] <= 30.0  # type: ignore[index]
    assert plan("POST", response(503, {"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"})) == ("HTTP 503", 0.0)


@pytest.mark.parametrize("wait", ["61", "3600"])
def test_a_server_wait_beyond_a_minute_is_not_waited_for(wait: str) -> None:
    assert plan("GET", response(429, {"Retry-After": wait})) is None
    assert plan("GET", response(503, json={"retry_after": float(wait)})) is None


@pytest.mark.parametrize(("attempt", "max_retries"), [(0, 0), (2, 2), (5, 2)])
def test_no_retry_once_the_budget_is_spent(attempt: int, max_retries: int) -> None:
    assert plan("GET", httpx2.ConnectError("refused"), attempt, max_retries) is None
    assert plan("GET", response(503), attempt, max_retries) is None


# The transports, with a fake network and a fake clock: what is slept, what is sent, what is raised.


class Script:
    """A MockTransport handler answering from a list (a response or an exception to raise)."""

    def __init__(self, *outcomes: httpx2.Response | Exception) -> None:
        self.outcomes = list(outcomes)
        self.requests: list[httpx2.Request] = []
        self.sent_headers: list[httpx2.Headers] = []  # as they were when sent (the transport takes the key back)

    def __call__(self, request: httpx2.Request) -> httpx2.Response:
        self.requests.append(request)
        self.sent_headers.append(request.headers.copy())
        outcome = self.outcomes.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome


def send(
    script: Script, method: str = "GET", max_retries: int = 2, is_async: bool = False
) -> tuple[object, list[float]]:
    """Send one request through a retrying transport; return the response or the error, and the sleeps."""
    slept: list[float] = []
    request = httpx2.Request(method, "https://api.test/api/v1/things/", headers={"User-Agent": "t"})

    async def asleep(seconds: float) -> None:
        slept.append(seconds)

    try:
        if is_async:
            transport = AsyncRetryingTransport(
                httpx2.MockTransport(script), api_key=API_KEY, max_retries=2, sleep=asleep
            )
            return asyncio.run(transport.handle_async_request(request)), slept
        sync = RetryingTransport(
            httpx2.MockTransport(script), api_key=API_KEY, max_retries=max_retries, sleep=slept.append
        )
        return sync.handle_request(request), slept
    except Exception as error:
        return error, slept


@pytest.fixture(params=[False, True], ids=["sync", "async"])
def is_async(request: pytest.FixtureRequest) -> bool:
    return bool(request.param)


def test_the_server_wait_is_what_is_slept(is_async: bool) -> None:
    script = Script(response(429, {"Retry-After": "7"}), response(503, json={"retry_after": 3}), response(200))

    result, slept = send(script, "POST", is_async=is_async)

    assert isinstance(result, httpx2.Response) and result.status_code == 200
    assert slept == [7.0, 3.0]
    assert len(script.requests) == 3


def test_the_key_is_on_what_is_sent_never_on_the_callers_request(is_async: bool) -> None:
    script = Script(response(200))

    result, _ = send(script, is_async=is_async)

    assert isinstance(result, httpx2.Response)
    assert script.sent_headers[0]["X-API-Key"] == API_KEY
    assert script.sent_headers[0]["User-Agent"] == "t"
    assert "x-api-key" not in result.request.headers
    assert result.request.url == script.requests[0].url


def test_failures_become_typed_errors_after_the_last_attempt(is_async: bool) -> None:
    script = Script(httpx2.ConnectError("refused"), httpx2.ConnectTimeout("slow"), httpx2.ReadTimeout("slow"))

    error, slept = send(script, is_async=is_async)

    assert isinstance(error, APITimeoutError)
    assert isinstance(error.__cause__, httpx2.ReadTimeout)
    assert "x-api-key" not in error.request.headers
    assert len(slept) == 2 and all(0.0 <= s <= 1.0 for s in slept)

    error, slept = send(Script(httpx2.ReadError("reset")), "POST", is_async=is_async)
    assert type(error) is APIConnectionError and slept == []
    assert str(error) == "Connection error: ReadError: reset"


def test_an_error_status_is_raised_only_after_the_retries(is_async: bool) -> None:
    script = Script(response(502), response(502), response(502, {"X-Request-Id": "r-3"}, {"error": "bad gateway"}))

    error, slept = send(script, "POST", is_async=is_async)

    assert isinstance(error, InternalServerError)
    assert (error.status_code, error.message, error.request_id) == (502, "bad gateway", "r-3")
    assert len(slept) == 2 and len(script.requests) == 3
