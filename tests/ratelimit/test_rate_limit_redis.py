"""RateLimit shared through a real redis-server: processes share one budget, 429s pause them all, no fallback."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import redis

from scripts.prism import free_port
from scripts.redis_server import RedisServer
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
from wassist_api_client import AsyncWassist, RateLimit, RateLimitBackendError, Wassist
from wassist_api_client.api.whatsapp_link_sessions import create

ROOT = Path(__file__).resolve().parent.parent.parent


def fleet(base_url: str, redis_url: str, processes: int, calls: int, threads: int) -> list[dict[str, int]]:
    """`processes` worker processes of scripts.bench.fleet, started together; the outcomes each prints."""
    command = [sys.executable, "-m", "scripts.bench.fleet", "worker", "--base-url", base_url, "--mode", "shared"]
    command += ["--calls", str(calls), "--threads", str(threads), "--limit", "20", "--per", "1.0"]
    command += ["--redis-url", redis_url]
    env = {**os.environ, "WASSIST_API_KEY": API_KEY, "PYTHONPATH": str(ROOT)}
    workers = [
        subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env, cwd=ROOT)
        for _ in range(processes)
    ]
    for worker in workers:
        assert worker.stdout is not None and worker.stdout.readline().strip() == "ready"
    for worker in workers:
        assert worker.stdin is not None
        worker.stdin.write("go\n")
        worker.stdin.flush()
    return [json.loads(worker.communicate(timeout=120)[0].splitlines()[-1]) for worker in workers]


def test_3_processes_share_one_budget_through_redis(
    server: Loopback, arrivals: Arrivals, redis_server: RedisServer
) -> None:
    outcomes = fleet(server.url, redis_server.url, processes=3, calls=20, threads=2)

    assert [outcome["ok"] for outcome in outcomes] == [20, 20, 20]
    assert len(arrivals.times) == 60
    assert arrivals.most_in_window(1.0) <= 20


def test_40_tasks_share_a_redis_budget(server: Loopback, arrivals: Arrivals, redis_server: RedisServer) -> None:
    limit = RateLimit(20, per=1.0, redis_url=redis_server.url)

    async def main() -> list[object]:
        async with AsyncWassist(api_key=API_KEY, base_url=server.url, verify=TLS, rate_limit=limit) as client:
            calls = (create.asyncio(client=client, body=link_session_body()) for _ in range(40))
            return list(await asyncio.gather(*calls))

    assert len(asyncio.run(main())) == 40
    assert arrivals.most_in_window(1.0) <= 20


def test_429_pauses_every_process_sharing_the_budget(
    server: Loopback, redis_server: RedisServer, caplog: pytest.LogCaptureFixture
) -> None:
    arrived: list[tuple[float, str]] = []  # (time.time(), which "process")
    lock = threading.Lock()

    def route(seen: Seen) -> Reply:
        with lock:
            arrived.append((time.time(), seen.header("X-Worker")[0]))
            if len(arrived) == 4:
                return Reply(429, {"error": "Too many requests"}, headers={"Retry-After": "1"})
        return Reply(201, SESSION_JSON)

    server.route = route

    def process(name: str) -> None:
        # Its own RateLimit object: the two share nothing but Redis, as two processes would.
        limit = RateLimit(100, per=1.0, redis_url=redis_server.url)
        with Wassist(
            api_key=API_KEY, base_url=server.url, verify=TLS, rate_limit=limit, headers={"X-Worker": name}
        ) as client:
            for _ in range(6):
                create.sync(client=client, body=link_session_body())

    threads = [threading.Thread(target=process, args=(name,)) for name in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    (paused,) = [record.created for record in caplog.records if "pauses for" in record.getMessage()]
    assert len([t for t, _ in arrived if paused < t < paused + 1.0]) <= 1  # the other one's, under way
    assert len(arrived) == 2 * 6 + 1
    assert {name for _, name in arrived} == {"a", "b"}


def test_redis_down_before_the_run_raises_without_sending(flavour: Flavour, server: Loopback) -> None:
    port = free_port()  # nothing listens there
    url = f"redis://wassist:s3cr3t-pass@127.0.0.1:{port}/0?password=s3cr3t-query"
    limit = RateLimit(20, per=1.0, redis_url=url)

    with raises_clean(RateLimitBackendError) as info:
        flavour.create(base_url=server.url, rate_limit=limit)

    message = str(info.value)
    assert "Redis" in message and info.value.url in message
    assert info.value.url == f"redis://127.0.0.1:{port}/0"  # without the user, password and query
    assert "s3cr3t" not in message + repr(limit) + "".join(map(str, info.value.__cause__.args))
    assert server.seen == []


def test_redis_stopped_mid_run_raises(flavour: Flavour, server: Loopback, own_redis: RedisServer) -> None:
    server.route = lambda seen: Reply(201, SESSION_JSON)
    limit = RateLimit(20, per=1.0, redis_url=own_redis.url)
    flavour.create(base_url=server.url, rate_limit=limit)

    own_redis.stop()
    with raises_clean(RateLimitBackendError) as info:
        flavour.create(base_url=server.url, rate_limit=limit)

    assert own_redis.url in str(info.value)
    assert len(server.seen) == 1  # no fallback: the second call was not sent


def test_api_key_in_no_redis_key_and_every_key_expires(
    flavour: Flavour, server: Loopback, redis_server: RedisServer
) -> None:
    server.reply(Reply(201, SESSION_JSON), Reply(429, {"error": "Slow down"}, headers={"Retry-After": "0.2"}))
    server.reply(Reply(201, SESSION_JSON))
    limit = RateLimit(20, per=1.0, redis_url=redis_server.url)
    flavour.create(base_url=server.url, rate_limit=limit)
    client = redis.Redis.from_url(redis_server.url)

    flavour.create(base_url=server.url, rate_limit=limit)  # a 429, the pause, the retry
    keys = [key.decode() for key in client.scan_iter("*")]

    assert len(keys) >= 1
    for key in keys:
        assert API_KEY not in key and "Zq8SECRET" not in key
        assert client.pttl(key) > 0, key  # every key expires
    members = [member.decode() for key in keys if client.type(key) == b"zset" for member in client.zrange(key, 0, -1)]
    assert len(members) == 3 and not any(API_KEY in member for member in members)
