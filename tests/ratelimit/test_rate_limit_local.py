"""RateLimit kept in process: threads and tasks share it, 429s pause it, max_wait bounds the wait."""

from __future__ import annotations

import asyncio
import itertools
import threading
import time
from collections.abc import Callable

import pytest

from tests.client.support import (
    API_KEY,
    SESSION_JSON,
    TLS,
    Flavour,
    Loopback,
    Reply,
    Seen,
    link_session_body,
    raises_clean,
)
from tests.ratelimit.conftest import Arrivals
from wassist_api_client import AsyncWassist, ClientRateLimitError, RateLimit, RateLimitError, Wassist
from wassist_api_client.api.whatsapp_link_sessions import create

OTHER_KEY = "wsk_test_other_Q2w9_key_77"


def in_threads(count: int, work: Callable[[], None]) -> list[BaseException]:
    errors: list[BaseException] = []

    def run() -> None:
        try:
            work()
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_8_threads_share_one_budget(server: Loopback, arrivals: Arrivals) -> None:
    limit = RateLimit(20, per=1.0)
    sessions = []

    def eight_calls() -> None:
        with Wassist(api_key=API_KEY, base_url=server.url, verify=TLS, rate_limit=limit) as client:
            sessions.extend(create.sync(client=client, body=link_session_body()) for _ in range(8))

    assert in_threads(8, eight_calls) == []

    assert len(sessions) == 64 and len(arrivals.times) == 64
    assert arrivals.most_in_window(1.0) <= 20


def test_40_tasks_share_one_budget_and_never_block_the_loop(server: Loopback, arrivals: Arrivals) -> None:
    ticks: list[float] = []

    async def main() -> list[object]:
        async def ticker() -> None:
            while True:
                ticks.append(time.monotonic())
                await asyncio.sleep(0.01)

        tick_task = asyncio.create_task(ticker())
        async with AsyncWassist(api_key=API_KEY, base_url=server.url, verify=TLS, rate_limit=RateLimit(20, 1.0)) as c:
            results = await asyncio.gather(*(create.asyncio(client=c, body=link_session_body()) for _ in range(40)))
        tick_task.cancel()
        return list(results)

    sessions = asyncio.run(main())

    assert len(sessions) == 40 and len(arrivals.times) == 40
    assert arrivals.most_in_window(1.0) <= 20
    # The tasks waited about a second for their slots; the loop kept running all along (a time.sleep
    # in it would stop the ticker for about a second).
    assert max(b - a for a, b in itertools.pairwise(ticks)) < 0.75


def test_429_with_retry_after_pauses_every_thread(server: Loopback, caplog: pytest.LogCaptureFixture) -> None:
    arrived: list[float] = []  # time.time(), the clock of log records
    lock = threading.Lock()

    def route(seen: Seen) -> Reply:
        with lock:
            arrived.append(time.time())
            if len(arrived) == 5:
                return Reply(429, {"error": "Too many requests"}, headers={"Retry-After": "1"})
        return Reply(201, SESSION_JSON)

    server.route = route
    limit = RateLimit(100, per=1.0)  # never reached: only the server's 429 makes anyone wait

    def calls() -> None:
        with Wassist(api_key=API_KEY, base_url=server.url, verify=TLS, rate_limit=limit) as client:
            for _ in range(6):
                create.sync(client=client, body=link_session_body())

    assert in_threads(4, calls) == []

    # When the client learned of the 429 (it logs it as it pauses the budget); from then on, a second
    # without arrivals but those of requests already under way (one per other thread at most).
    (paused,) = [record.created for record in caplog.records if "pauses for" in record.getMessage()]
    assert len([t for t in arrived if paused < t < paused + 1.0]) <= 3
    assert len(arrived) == 4 * 6 + 1  # the 429's call was retried after the pause


def test_max_wait_exceeded_raises_without_sending(flavour: Flavour, server: Loopback) -> None:
    server.route = lambda seen: Reply(201, SESSION_JSON)
    limit = RateLimit(2, per=30.0, max_wait=0.2)
    flavour.create(base_url=server.url, rate_limit=limit)
    flavour.create(base_url=server.url, rate_limit=limit)

    with raises_clean(ClientRateLimitError) as info:
        flavour.create(base_url=server.url, rate_limit=limit)

    assert len(server.seen) == 2  # the third call sent nothing
    assert "not sent" in str(info.value) and "RateLimit(2, per=30.0" in str(info.value)
    assert info.value.retry_after is not None and info.value.retry_after > 0.2


def test_a_retry_takes_a_slot(flavour: Flavour, server: Loopback) -> None:
    server.reply(Reply(503, {"error": "Unavailable"}, headers={"Retry-After": "0"}), Reply(201, SESSION_JSON))
    limit = RateLimit(2, per=30.0, max_wait=0.1)
    flavour.create(base_url=server.url, rate_limit=limit)  # two attempts: two slots

    with raises_clean(ClientRateLimitError):
        flavour.create(base_url=server.url, rate_limit=limit)

    assert len(server.seen) == 2


def test_retry_after_longer_than_max_wait_raises_at_once(flavour: Flavour, server: Loopback) -> None:
    server.reply(Reply(429, {"error": "Too many requests"}, headers={"Retry-After": "30"}))
    limit = RateLimit(100, per=1.0, max_wait=0.5)

    with raises_clean(RateLimitError) as server_said:
        flavour.create(base_url=server.url, rate_limit=limit)
    with raises_clean(ClientRateLimitError) as paused:  # another client of the limit: the pause holds
        flavour.create(base_url=server.url, rate_limit=limit)

    assert server_said.value.retry_after == 30.0
    assert paused.value.retry_after is not None and 28 < paused.value.retry_after <= 30
    assert len(server.seen) == 1  # neither retried nor sent again


def test_each_api_key_has_its_own_budget(flavour: Flavour, server: Loopback) -> None:
    server.route = lambda seen: Reply(201, SESSION_JSON)
    limit = RateLimit(1, per=30.0, max_wait=0)
    flavour.create(base_url=server.url, rate_limit=limit)
    flavour.create(base_url=server.url, rate_limit=limit, api_key=OTHER_KEY)  # its own budget

    with raises_clean(ClientRateLimitError):
        flavour.create(base_url=server.url, rate_limit=limit)  # a new client, the first key: spent
    assert [seen.header("X-API-Key") for seen in server.seen] == [[API_KEY], [OTHER_KEY]]

    shared_name = RateLimit(1, per=30.0, key="team-budget", max_wait=0)
    flavour.create(base_url=server.url, rate_limit=shared_name)
    with raises_clean(ClientRateLimitError):  # `key` names one budget for every API key
        flavour.create(base_url=server.url, rate_limit=shared_name, api_key=OTHER_KEY)


def test_rate_limit_must_be_a_rate_limit() -> None:
    with pytest.raises(TypeError, match=r"rate_limit must be a wassist_api_client\.RateLimit"):
        Wassist(api_key=API_KEY, rate_limit=20)  # type: ignore[arg-type]
