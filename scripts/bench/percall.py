"""Per-call sections: in process on a MockTransport (and the fake), and loopback HTTP (sync and async)."""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import httpx2

from scripts.bench._measure import Pair, _time_async, calibrate, interleave
from scripts.bench._operation import (
    REFERENCE_LABEL,
    Operation,
    _aclose,
    _close,
    _package_client,
    _StubClient,
    client_label,
    package_async,
    package_sync,
    raw_async,
    raw_sync,
    reference_async,
    reference_sync,
)
from scripts.bench._settings import (
    API_KEY,
    BASE_URL,
    PACKAGE,
    ROOT,
    TARGETS,
    Settings,
)


def bench_percall_mock(op: Operation, settings: Settings) -> list[Pair]:
    def handler(request: httpx2.Request) -> httpx2.Response:
        return httpx2.Response(op.status, content=op.response_body, headers={"Content-Type": "application/json"})

    transport = httpx2.MockTransport(handler)
    raw = raw_sync(BASE_URL, transport)
    client = package_sync(BASE_URL, transport)
    old = reference_sync(BASE_URL, op.status, op.response_body)
    try:
        sync, body, url, payload = op.module.sync, op.body, op.url, op.payload

        def baseline() -> object:
            return raw.post(url, json=payload).json()

        def candidate() -> object:
            return sync(client=client, body=body)

        def reference() -> object:
            return old.post(url, json=payload).json()

        def wrapped_raw() -> object:
            return client.get_httpx_client().post(url, json=payload).json()

        assert isinstance(candidate(), op.response_model)
        inner = calibrate([baseline, candidate], settings.sample_ns(20))
        pair = Pair(
            "percall_mock",
            "per call, in process (MockTransport)",
            "httpx2.Client.post().json()",
            f"{op.module.__name__.rsplit('.', 1)[-1]}.sync via {client_label()}",
            inner=inner,
            clock=settings.clock,
            target=TARGETS["percall_mock"],
            reference_label=None if old is None else REFERENCE_LABEL,
        )
        interleave(pair, baseline, candidate, settings.rounds, None if old is None else reference)
        # The split, for the owners of each part: the client's httpx2 stack without generated code...
        stack = Pair(
            "percall_mock_stack",
            "  of which the client's httpx2 stack",  # auth, retry and error transports
            "httpx2.Client.post().json()",
            "client.get_httpx_client().post().json()",
            inner=inner,
            clock=settings.clock,
        )
        interleave(stack, baseline, wrapped_raw, settings.rounds)
        # The generated code alone: the same operation function on the very httpx2.Client of the baseline.
        plain = _StubClient(http=raw)
        generated = Pair(
            "percall_mock_generated",
            "  of which the generated code",
            "httpx2.Client.post().json()",
            f"{op.module.__name__.rsplit('.', 1)[-1]}.sync on that httpx2.Client",
            inner=inner,
            clock=settings.clock,
        )
        interleave(generated, baseline, lambda: sync(client=plain, body=body), settings.rounds)
        # A call through a new with_options(...) copy each time: the copy and its view of the parent's pool.
        with_options = Pair(
            "percall_mock_with_options",
            "per call through with_options(...)",
            "httpx2.Client.post().json()",
            f"{op.module.__name__.rsplit('.', 1)[-1]}.sync(client=client.with_options(timeout=5.0, max_retries=0))",
            inner=inner,
            clock=settings.clock,
        )
        interleave(
            with_options,
            baseline,
            lambda: sync(client=client.with_options(timeout=5.0, max_retries=0), body=body),
            settings.rounds,
        )
        return [pair, stack, generated, with_options, _percall_fake(candidate, sync, body, inner, settings)]
    finally:
        _close(client)
        raw.close()
        if old is not None:
            old.close()


def _percall_fake(on_mock: Callable[[], object], sync: Any, body: Any, inner: int, settings: Settings) -> Pair:
    """The same call answered by wassist_api_client.testing.WassistFake (checks the request, builds the answer from
    the spec) instead of a hand-written MockTransport handler."""
    fake = importlib.import_module(f"{PACKAGE}.testing").WassistFake()
    client = fake.client(api_key=API_KEY, base_url=BASE_URL)
    pair = Pair(
        "percall_fake",
        "per call, through testing.WassistFake",
        "the call on a MockTransport handler",
        "the call on WassistFake.transport",
        inner=inner,
        clock=settings.clock,
        target=TARGETS["percall_fake"],
    )
    try:
        return interleave(pair, on_mock, lambda: sync(client=client, body=body), settings.rounds)
    finally:
        _close(client)


@contextlib.contextmanager
def loopback_server(op: Operation, work: Path) -> Iterator[str]:
    body_file = work / "loopback-body.json"
    body_file.write_bytes(op.response_body)
    server = subprocess.Popen(
        [sys.executable, "-m", "scripts.bench.server", "--status", str(op.status), "--body-file", str(body_file)],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        port = int(server.stdout.readline())
        yield f"http://127.0.0.1:{port}"
    finally:
        assert server.stdin is not None
        server.stdin.close()
        try:
            server.wait(timeout=5)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def bench_loopback(op: Operation, settings: Settings) -> list[Pair]:
    with loopback_server(op, settings.work) as base_url:
        pairs = [_loopback_sync(op, settings, base_url)]
        pairs.append(asyncio.run(_loopback_async(op, settings, base_url)))
    return pairs


def _loopback_sync(op: Operation, settings: Settings, base_url: str) -> Pair:
    raw = raw_sync(base_url)
    client = package_sync(base_url)
    old = reference_sync(base_url)
    try:
        sync, body, url, payload = op.module.sync, op.body, op.url, op.payload

        def baseline() -> object:
            return raw.post(url, json=payload).json()

        def candidate() -> object:
            return sync(client=client, body=body)

        def reference() -> object:
            return old.post(url, json=payload).json()

        assert isinstance(candidate(), op.response_model)
        pair = Pair(
            "percall_loopback",
            "per call, loopback HTTP (keep-alive)",
            "httpx2.Client.post().json()",
            f"{op.module.__name__.rsplit('.', 1)[-1]}.sync via {client_label()}",
            inner=calibrate([baseline, candidate], settings.sample_ns(30)),
            target=TARGETS["percall_loopback"],
            reference_label=None if old is None else REFERENCE_LABEL,
        )
        if old is not None:
            reference()  # warm up: its connection
        return interleave(pair, baseline, candidate, settings.rounds, None if old is None else reference)
    finally:
        _close(client)
        raw.close()
        if old is not None:
            old.close()


async def _loopback_async(op: Operation, settings: Settings, base_url: str) -> Pair:
    raw = raw_async(base_url)
    client = package_async(base_url)
    old = reference_async(base_url)
    try:
        call, body, url, payload = op.module.asyncio, op.body, op.url, op.payload

        async def one_raw() -> object:
            return (await raw.post(url, json=payload)).json()

        async def one_old() -> object:
            return (await old.post(url, json=payload)).json()

        async def reference() -> object:
            return await asyncio.gather(*(one_old() for _ in range(settings.concurrency)))

        async def baseline() -> object:
            return await asyncio.gather(*(one_raw() for _ in range(settings.concurrency)))

        async def candidate() -> object:
            return await asyncio.gather(*(call(client=client, body=body) for _ in range(settings.concurrency)))

        # Warm up: open the pools' connections, then size a sample.
        results = await candidate()
        assert isinstance(results, list)
        assert all(isinstance(r, op.response_model) for r in results)
        await baseline()
        start = time.perf_counter_ns()
        await baseline()
        await candidate()
        per_batch = (time.perf_counter_ns() - start) / 2
        pair = Pair(
            "async_loopback",
            f"{settings.concurrency} concurrent calls, loopback HTTP",
            "httpx2.AsyncClient + gather",
            f"{op.module.__name__.rsplit('.', 1)[-1]}.asyncio via "
            + ("AsyncWassist" if _package_client("AsyncWassist") else "protocol stub"),
            unit=f"batch of {settings.concurrency}",
            inner=max(1, int(settings.sample_ns(100) / per_batch)),
            reference_label=None if old is None else REFERENCE_LABEL,
        )
        order: list[tuple[list[float], Callable[[], Awaitable[object]]]] = [
            (pair.baseline, baseline),
            (pair.candidate, candidate),
        ]
        if old is not None:
            await reference()  # warm up: its pool's connections
            order.append((pair.reference, reference))
        for index in range(settings.async_rounds):
            shift = index % len(order)
            for samples, fn in order[shift:] + order[:shift]:
                samples.append(await _time_async(fn, pair.inner))
        return pair
    finally:
        await _aclose(client)
        await raw.aclose()
        if old is not None:
            await old.aclose()
