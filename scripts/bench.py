"""`make bench`: what the generated client costs next to raw httpx2, measured side by side.

    python -m scripts.bench                      # everything; table on stdout, JSON in build/bench.json
    python -m scripts.bench --only percall,parse --rounds 5 --scale 0.2

Every measure pairs a baseline (raw httpx2, `json.loads`, `import httpx2`) with the candidate
(the package) and runs them interleaved in one process group: each round times the
baseline and the candidate back to back, alternating which goes first, so that machine
noise hits both sides alike. Reported: the median of each side and the median of the
per-round candidate/baseline ratios, with the number of rounds and iterations.

Sections:
  percall   in process: `create.sync` vs `httpx2.Client.post().json()` on one httpx2.MockTransport
  loopback  a fast HTTP server on 127.0.0.1 in its own process: the same pair, and
            100 concurrent `asyncio` calls vs httpx2.AsyncClient
  import    fresh interpreters: the package + one operation module vs `import httpx2`, for the
            vendored spec and a ~120-operation corpus spec, with the modules each one loads
  parse     `Model.from_dict(json.loads(body))` vs `json.loads(body)`, one object and a
            1,000-item list of the most nested model of the large spec
  generate  `python -m codegen.generate` wall and CPU time: vendored spec, large spec, the large spec's
            operations replicated (--replicas), to show how the cost grows with operations
  profile   where the per-call overhead goes (cProfile deltas and timed steps); informational
  fleet     processes x threads on one key against a server enforcing a rate limit: no limiter,
            a RateLimit per process, one shared through Redis (scripts.bench_fleet)

Raw httpx (the library this package ran on before 1.0, still in the dev virtualenv as the generator's)
is timed beside the per-call, loopback and import measures for the record: its column shows the
candidate against it, and how raw httpx compares with raw httpx2.

Nothing here asserts on time: targets are printed and recorded, never enforced.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import cProfile
import gc
import importlib
import inspect
import json
import os
import platform
import pstats
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import types
import typing
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from http import HTTPStatus
from pathlib import Path
from typing import Any

import httpx2

from scripts import bench_data, bench_fleet

try:  # the record's reference only: the package never imports it
    import httpx
except ImportError:  # pragma: no cover - the dev virtualenv has it (the generator's dependency)
    httpx = None  # type: ignore[assignment]

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "wassist_api_client"
SPEC = ROOT / "openapi.json"
CORPUS = ROOT / "tests" / "specs"
DEFAULT_OPERATION = f"{PACKAGE}.api.whatsapp_link_sessions.create"
DEFAULT_OUTPUT = ROOT / "build" / "bench.json"
BASE_URL = "https://bench.invalid"
API_KEY = "bench-key-not-a-secret"
SECTIONS = ("generate", "import", "parse", "percall", "loopback", "profile", "fleet")
LIST_ITEMS = 1000

TARGETS = {
    "percall_mock": 1.05,
    "percall_fake": 3.0,
    "percall_loopback": 1.03,
    "import": 1.20,
    "import_large": 1.20,
    "parse_one": 2.0,
    "parse_list": 2.0,
}


# ---------------------------------------------------------------------------- measurement


@dataclass
class Pair:
    """One measure: baseline and candidate samples (ns per unit), one of each per round."""

    key: str
    title: str
    baseline_label: str
    candidate_label: str
    unit: str = "call"
    inner: int = 1
    baseline: list[float] = field(default_factory=list)
    candidate: list[float] = field(default_factory=list)
    target: float | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    # "wall": perf_counter_ns. "cpu": this thread's CPU time (thread_time_ns), for in-process measures
    # on a shared machine: time spent descheduled by other processes' load does not count. The wall
    # clock is then kept alongside, in baseline_wall/candidate_wall.
    clock: str = "wall"
    baseline_wall: list[float] = field(default_factory=list)
    candidate_wall: list[float] = field(default_factory=list)
    # For the record: raw httpx timed in the same rounds (None when httpx is not installed).
    reference_label: str | None = None
    reference: list[float] = field(default_factory=list)
    reference_wall: list[float] = field(default_factory=list)

    @property
    def rounds(self) -> int:
        return len(self.baseline)

    @property
    def ratio(self) -> float:
        """Median of the per-round ratios: paired, so slow drifts of the machine cancel out."""
        return statistics.median(c / b for b, c in zip(self.baseline, self.candidate, strict=True))

    def summary(self) -> dict[str, Any]:
        ratios = sorted(c / b for b, c in zip(self.baseline, self.candidate, strict=True))
        base, cand = statistics.median(self.baseline), statistics.median(self.candidate)
        return {
            "title": self.title,
            "baseline": self.baseline_label,
            "candidate": self.candidate_label,
            "unit": self.unit,
            "baseline_median_ns": round(base, 1),
            "candidate_median_ns": round(cand, 1),
            "ratio": round(self.ratio, 4),
            "ratio_of_medians": round(cand / base, 4),
            "ratio_min": round(ratios[0], 4),
            "ratio_max": round(ratios[-1], 4),
            "overhead_ns": round(cand - base, 1),
            "rounds": self.rounds,
            "inner": self.inner,
            "target": self.target,
            "met": None if self.target is None else self.ratio <= self.target,
            "clock": self.clock,
            **(
                {"ratio_wall": round(_paired(self.baseline_wall, self.candidate_wall), 4)} if self.baseline_wall else {}
            ),
            **(self._reference_summary() if self.reference else {}),
            **self.extra,
        }

    def _reference_summary(self) -> dict[str, Any]:
        return {
            "reference": self.reference_label,
            "reference_median_ns": round(statistics.median(self.reference), 1),
            # the candidate against raw httpx, and raw httpx against raw httpx2 (the baseline)
            "ratio_vs_reference": round(_paired(self.reference, self.candidate), 4),
            "reference_vs_baseline": round(_paired(self.baseline, self.reference), 4),
        }


def _paired(baseline: list[float], candidate: list[float]) -> float:
    return statistics.median(c / b for b, c in zip(baseline, candidate, strict=True))


def _time_loop(fn: Callable[[], object], inner: int) -> tuple[float, float]:
    """(wall, thread CPU) ns per call of `fn` over `inner` calls, with the collector off (for both sides alike)."""
    gc.collect()
    gc.disable()
    try:
        start, start_cpu = time.perf_counter_ns(), time.thread_time_ns()
        for _ in range(inner):
            fn()
        cpu = time.thread_time_ns() - start_cpu
        return (time.perf_counter_ns() - start) / inner, cpu / inner
    finally:
        gc.enable()


def calibrate(fns: list[Callable[[], object]], sample_ns: float) -> int:
    """Iterations per sample so that the slowest of `fns` runs about `sample_ns`."""
    slowest = 0.0
    for fn in fns:
        fn()  # warm up: first-call caches, connection set-up
        n, per_call = 1, 0.0
        while True:
            start = time.perf_counter_ns()
            for _ in range(n):
                fn()
            elapsed = time.perf_counter_ns() - start
            if elapsed > min(20e6, sample_ns / 4) or n >= 1 << 16:
                per_call = elapsed / n
                break
            n *= 2
        slowest = max(slowest, per_call)
    return max(1, int(sample_ns / slowest))


def interleave(
    pair: Pair,
    baseline: Callable[[], object],
    candidate: Callable[[], object],
    rounds: int,
    reference: Callable[[], object] | None = None,
) -> Pair:
    """`rounds` rounds of one baseline and one candidate sample (and one of raw httpx, when given), rotating
    which goes first."""
    order = [(pair.baseline, pair.baseline_wall, baseline), (pair.candidate, pair.candidate_wall, candidate)]
    if reference is not None:
        order.append((pair.reference, pair.reference_wall, reference))
    for index in range(rounds):
        shift = index % len(order)
        for samples, wall_samples, fn in order[shift:] + order[:shift]:
            wall, cpu = _time_loop(fn, pair.inner)
            if pair.clock == "cpu":
                samples.append(cpu)
                wall_samples.append(wall)
            else:
                samples.append(wall)
    return pair


async def _time_async(fn: Callable[[], Awaitable[object]], inner: int) -> float:
    gc.collect()
    gc.disable()
    try:
        start = time.perf_counter_ns()
        for _ in range(inner):
            await fn()
        return (time.perf_counter_ns() - start) / inner
    finally:
        gc.enable()


# ---------------------------------------------------------------------------- the operation under test


@dataclass
class Operation:
    """The benchmarked operation module with its request body and a response body fitting the spec."""

    module: types.ModuleType
    method: str
    url: str
    body: Any  # the generated request model instance
    payload: Any  # body.to_dict(): what raw httpx2 sends
    status: int
    response_body: bytes
    response_model: Any  # the generated response model class


def _model_class(annotation: Any) -> Any:
    """The first class with `from_dict` in an annotation like `Model | Unset | None`."""
    if hasattr(annotation, "from_dict"):
        return annotation
    for arg in typing.get_args(annotation):
        found = _model_class(arg)
        if found is not None:
            return found
    return None


def _hints(fn: Callable[..., Any]) -> dict[str, Any]:
    try:
        return typing.get_type_hints(fn)
    except Exception:  # unresolvable forward references: fall back to the raw annotations
        return {name: p.annotation for name, p in inspect.signature(fn).parameters.items()} | {
            "return": inspect.signature(fn).return_annotation
        }


class _Probe:
    """Stands in for a request body to learn an operation's method and URL from `_get_kwargs`."""

    def to_dict(self) -> dict[str, Any]:
        return {}


def load_operation(module_name: str, spec: dict[str, Any]) -> Operation:
    module = importlib.import_module(module_name)
    hints = _hints(module.sync)
    body_class = _model_class(hints.get("body"))
    response_model = _model_class(hints.get("return"))
    if body_class is None or response_model is None:
        raise LookupError(f"{module_name}.sync must take a model `body` and return a model")
    # Method and URL come from the module itself, bodies from the spec's schemas for that operation.
    probe = module._get_kwargs(body=_Probe())
    operation = bench_data.find_operation(spec, probe["method"], probe["url"])
    body = body_class.from_dict(_fitting_request(body_class, spec, operation))
    status, schema = bench_data.success_response(operation)
    response = bench_data.example(spec, schema or {}, request=False)
    kwargs = module._get_kwargs(body=body)
    return Operation(
        module=module,
        method=kwargs["method"].upper(),
        url=kwargs["url"],
        body=body,
        payload=kwargs["json"],
        status=status,
        response_body=json.dumps(response, separators=(",", ":")).encode(),
        response_model=response_model,
    )


def _fitting_request(body_class: Any, spec: dict[str, Any], operation: dict[str, Any]) -> Any:
    """A request example the body model accepts: without readOnly fields, else (an unsplit model) with them."""
    schema = bench_data.request_schema(operation) or {}
    for request in (True, False):
        candidate = bench_data.example(spec, schema, request=request)
        try:
            body_class.from_dict(candidate)
        except Exception:
            continue
        return candidate
    raise LookupError(f"no request example fits {body_class.__name__}")


# ---------------------------------------------------------------------------- clients


class _StubClient:
    """Satisfies the `Client`/`AsyncClient` protocols until `Wassist`/`AsyncWassist` exist."""

    strict_response_validation = False

    def __init__(self, http: httpx2.Client | None = None, async_http: httpx2.AsyncClient | None = None) -> None:
        self._http, self._async_http = http, async_http

    def get_httpx_client(self) -> httpx2.Client:
        assert self._http is not None
        return self._http

    def get_async_httpx_client(self) -> httpx2.AsyncClient:
        assert self._async_http is not None
        return self._async_http


def _package_client(name: str) -> Any:
    package = importlib.import_module(PACKAGE)
    return getattr(package, name, None)


def client_label() -> str:
    return "Wassist" if _package_client("Wassist") is not None else "protocol stub (Wassist not available yet)"


def raw_sync(base_url: str, transport: httpx2.BaseTransport | None = None) -> httpx2.Client:
    return httpx2.Client(base_url=base_url, transport=transport, headers={"X-API-Key": API_KEY})


def raw_async(base_url: str) -> httpx2.AsyncClient:
    return httpx2.AsyncClient(base_url=base_url, headers={"X-API-Key": API_KEY})


REFERENCE_LABEL = "raw httpx"


def reference_sync(base_url: str, status: int | None = None, body: bytes = b"") -> Any:
    """Raw httpx's client (on its own MockTransport when `status` is given), or None without httpx."""
    if httpx is None:
        return None
    transport = None
    if status is not None:

        def handler(request: Any) -> Any:
            return httpx.Response(status, content=body, headers={"Content-Type": "application/json"})

        transport = httpx.MockTransport(handler)
    return httpx.Client(base_url=base_url, transport=transport, headers={"X-API-Key": API_KEY})


def reference_async(base_url: str) -> Any:
    return None if httpx is None else httpx.AsyncClient(base_url=base_url, headers={"X-API-Key": API_KEY})


def package_sync(base_url: str, transport: httpx2.BaseTransport | None = None) -> Any:
    wassist = _package_client("Wassist")
    if wassist is None:
        return _StubClient(http=raw_sync(base_url, transport))
    kwargs: dict[str, Any] = {"api_key": API_KEY, "base_url": base_url}
    if transport is not None:
        kwargs["transport"] = transport
    return wassist(**kwargs)


def package_async(base_url: str) -> Any:
    async_wassist = _package_client("AsyncWassist")
    if async_wassist is None:
        return _StubClient(async_http=raw_async(base_url))
    return async_wassist(api_key=API_KEY, base_url=base_url)


def _close(client: Any) -> None:
    if isinstance(client, _StubClient):
        client = client._http
    close = getattr(client, "close", None)
    if close is not None:
        close()


async def _aclose(client: Any) -> None:
    if isinstance(client, _StubClient):
        client = client._async_http
    for name in ("aclose", "close"):
        close = getattr(client, name, None)
        if close is not None:
            result = close()
            if inspect.isawaitable(result):
                await result
            return


# ---------------------------------------------------------------------------- sections


@dataclass
class Settings:
    rounds: int
    async_rounds: int
    import_runs: int
    generate_rounds: int
    scale: float
    concurrency: int
    replicas: int
    clock: str
    operation: str
    large_spec: Path | None
    work: Path

    def sample_ns(self, base_ms: float) -> float:
        return base_ms * 1e6 * self.scale


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
        [sys.executable, "-m", "scripts.bench_server", "--status", str(op.status), "--body-file", str(body_file)],
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


_IMPORT_SCRIPT = """
import sys, time
before = set(sys.modules)
start = time.perf_counter_ns()
{imports}
elapsed = time.perf_counter_ns() - start
import json
print(json.dumps({{"ns": elapsed, "new": sorted(set(sys.modules) - before), "before": sorted(before)}}))
"""


@dataclass
class ImportTarget:
    label: str
    package: str
    path: Path  # the directory holding the package
    module: str  # the operation module imported with it

    @property
    def statement(self) -> str:
        """What a program needs for its first call: the package, the client class, one operation module."""
        return f"import {self.package}\ngetattr({self.package}, 'Wassist', None)\nimport {self.module}"


def _import_run(statement: str, path: Path, *, importtime: bool = False) -> tuple[dict[str, Any], str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env["PYTHONPATH"] = str(path)
    command = [sys.executable, *(["-X", "importtime"] if importtime else []), "-c"]
    result = subprocess.run(
        [*command, _IMPORT_SCRIPT.format(imports=statement)],
        cwd=path,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout), result.stderr


def _heaviest_operation_module(package_dir: Path, package: str) -> str:
    """The largest operation module of a generated package (the worst single import)."""
    modules = [p for p in (package_dir / "api").glob("*/*.py") if p.name != "__init__.py"]
    heaviest = max(modules, key=lambda p: (p.stat().st_size, str(p)))
    return f"{package}.api.{heaviest.parent.name}.{heaviest.stem}"


def _module_census(target: ImportTarget, new_modules: list[str]) -> dict[str, Any]:
    package_dir = target.path / target.package
    prefix = target.package + "."
    return {
        "operation_module": target.module,
        "operation_modules_in_package": sum(1 for p in (package_dir / "api").glob("*/*.py") if p.name != "__init__.py"),
        "model_modules_in_package": sum(1 for p in (package_dir / "models").glob("*.py") if p.name != "__init__.py"),
        "operation_modules_imported": sum(
            1 for m in new_modules if m.startswith(prefix + "api.") and m.count(".") == 3
        ),
        "model_modules_imported": sum(1 for m in new_modules if m.startswith(prefix + "models.") and m.count(".") == 2),
        "package_modules_imported": sum(1 for m in new_modules if m == target.package or m.startswith(prefix)),
        "modules_imported": len(new_modules),
    }


def _importtime_extra(target: ImportTarget, known: set[str], runs: int = 3) -> list[dict[str, Any]]:
    """The slowest modules (self time, median of `-X importtime` runs) the package imports beyond `known`."""
    self_us: dict[str, list[int]] = {}
    cumulative_us: dict[str, list[int]] = {}
    for _ in range(runs):
        _, stderr = _import_run(target.statement, target.path, importtime=True)
        for line in stderr.splitlines():
            if not line.startswith("import time:") or "self [us]" in line:
                continue
            own, total, name = (part.strip() for part in line.removeprefix("import time:").split("|"))
            if name not in known:
                self_us.setdefault(name, []).append(int(own))
                cumulative_us.setdefault(name, []).append(int(total))
    rows: list[dict[str, Any]] = [
        {"module": name, "self_us": int(statistics.median(own)), "cumulative_us": int(statistics.median(total))}
        for (name, own), total in zip(self_us.items(), cumulative_us.values(), strict=True)
    ]
    rows.sort(key=lambda row: -row["self_us"])
    return rows[:12]


def bench_import(settings: Settings, large: tuple[str, Path] | None) -> tuple[list[Pair], dict[str, Any]]:
    targets = [ImportTarget("vendored spec", PACKAGE, ROOT, settings.operation)]
    if large is not None:
        package, path = large
        targets.append(
            ImportTarget(f"{package} (corpus)", package, path, _heaviest_operation_module(path / package, package))
        )
    baseline = "import httpx2"
    # Warm-up run of each: writes the bytecode caches, so every timed run reads .pyc files.
    httpx_run, _ = _import_run(baseline, ROOT)
    runs = {t.label: _import_run(t.statement, t.path)[0] for t in targets}
    samples: dict[str, list[float]] = {"httpx2": [], "httpx": [], **{t.label: [] for t in targets}}
    jobs: list[tuple[str, str, Path]] = [("httpx2", baseline, ROOT), *((t.label, t.statement, t.path) for t in targets)]
    if httpx is not None:  # for the record: raw httpx's import, in the same runs
        _import_run("import httpx", ROOT)
        jobs.append(("httpx", "import httpx", ROOT))
    for index in range(settings.import_runs):
        shift = index % len(jobs)
        for label, statement, path in jobs[shift:] + jobs[:shift]:
            samples[label].append(_import_run(statement, path)[0]["ns"])
    httpx_modules = set(httpx_run["new"])
    startup_modules = set(httpx_run["before"])
    pairs = []
    details: dict[str, Any] = {"httpx_modules_imported": len(httpx_modules)}
    for key, target in zip(("import", "import_large"), targets, strict=False):
        pair = Pair(
            key,
            f"import time, {target.label}",
            "import httpx2",
            f"import {target.package} + Wassist + {'.'.join(target.module.rsplit('.', 2)[-2:])}",
            unit="fresh interpreter",
            baseline=samples["httpx2"],
            candidate=samples[target.label],
            target=TARGETS[key],
            reference_label="import httpx" if samples["httpx"] else None,
            reference=samples["httpx"],
        )
        census = _module_census(target, runs[target.label]["new"])
        census["modules_beyond_httpx"] = sorted(set(runs[target.label]["new"]) - httpx_modules)
        census["slowest_modules_beyond_httpx"] = _importtime_extra(target, httpx_modules | startup_modules)
        pair.extra["modules"] = {k: v for k, v in census.items() if not isinstance(v, list)}
        details[key] = census
        pairs.append(pair)
    return pairs, details


def _parse_pair(key: str, title: str, model: Any, body: bytes, one: bool, settings: Settings) -> Pair:
    loads, from_dict = json.loads, model.from_dict

    def baseline() -> object:
        return loads(body)

    if one:

        def candidate() -> object:
            return from_dict(loads(body))

    else:

        def candidate() -> object:
            return [from_dict(item) for item in loads(body)]

    parsed = candidate()
    first = parsed if one else parsed[0]  # type: ignore[index]
    if type(first) is not model:
        raise TypeError(f"{model.__name__}.from_dict returned {type(first).__name__}")
    pair = Pair(
        key,
        title,
        "json.loads(body)",
        f"{model.__name__}.from_dict(json.loads(body))" if one else f"[{model.__name__}.from_dict(x) for x in ...]",
        unit=f"body of {len(body):,} bytes",
        inner=calibrate([baseline, candidate], settings.sample_ns(20)),
        target=TARGETS[key],
        clock=settings.clock,
    )
    return interleave(pair, baseline, candidate, settings.rounds)


def bench_parse(op: Operation, settings: Settings, large: tuple[str, Path] | None) -> list[Pair]:
    pairs = [_parse_pair("parse_one", "parse one response", op.response_model, op.response_body, True, settings)]
    # The list: the most nested model of the large spec (else of the vendored one).
    if large is None or settings.large_spec is None:
        spec = json.loads(SPEC.read_text(encoding="utf-8"))
        pairs.append(_parse_list(spec, importlib.import_module(f"{PACKAGE}.models"), settings))
        return pairs
    package, path = large
    spec = json.loads(settings.large_spec.read_text(encoding="utf-8"))
    sys.path.insert(0, str(path))
    try:
        pairs.append(_parse_list(spec, importlib.import_module(f"{package}.models"), settings))
    finally:  # leave no trace of the temporary package in this interpreter
        sys.path.remove(str(path))
        for name in [m for m in sys.modules if m == package or m.startswith(package + ".")]:
            del sys.modules[name]
    return pairs


def _parse_list(spec: dict[str, Any], models: types.ModuleType, settings: Settings) -> Pair:
    picked = bench_data.most_nested_model(spec)
    if picked is None:
        raise LookupError("no object model in the spec")
    name, nested = picked
    by_squashed = {bench_data.squash(n): n for n in models.__all__}
    model = getattr(models, by_squashed[bench_data.squash(name)])
    item = bench_data.example(spec, spec["components"]["schemas"][name], request=False)
    body = json.dumps([item] * LIST_ITEMS, separators=(",", ":")).encode()
    pair = _parse_pair("parse_list", f"parse {LIST_ITEMS:,} x {model.__name__}", model, body, False, settings)
    pair.extra["model"] = {"name": model.__name__, "nested_model_fields": nested, "package": models.__name__}
    return pair


def _generate(spec: Path, package_dir: Path) -> tuple[float, float, float]:
    """(wall ns, user and system CPU s of the generator and its children) of one `python -m codegen.generate`."""
    shutil.rmtree(package_dir, ignore_errors=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter_ns()
    result = subprocess.run(
        [sys.executable, "-m", "codegen.generate", "--spec", str(spec), "--package-dir", str(package_dir)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter_ns() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        raise RuntimeError(f"generating from {spec.name} failed:\n{result.stdout}{result.stderr}")
    return elapsed, after.ru_utime - before.ru_utime, after.ru_stime - before.ru_stime


def build_package(spec: Path, out_dir: Path) -> tuple[str, Path]:
    """Generate a package from `spec` into `out_dir` (not timed); (package name, its parent directory)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    package = _package_name(spec)
    _generate(spec, out_dir / package)
    return package, out_dir


def _package_name(spec: Path) -> str:
    """`bench_<stem>_client`: never the name of a package a test or the project imports."""
    return "bench_" + re.sub(r"\W", "_", spec.stem) + "_client"


def bench_generate(settings: Settings) -> tuple[dict[str, Any], tuple[str, Path] | None]:
    """Generation wall time per spec; also leaves the large package in place for `import`/`parse`."""
    specs_dir, out_dir = settings.work / "specs", settings.work / "generated"
    specs_dir.mkdir(exist_ok=True)
    out_dir.mkdir(exist_ok=True)
    specs = [("vendored", SPEC)]
    if settings.large_spec is not None:
        large = json.loads(settings.large_spec.read_text(encoding="utf-8"))
        specs.append((settings.large_spec.stem, settings.large_spec))
        if settings.replicas > 1:  # the same API with more resources: how the cost grows past today's size
            replicated = specs_dir / f"{settings.large_spec.stem}_x{settings.replicas}.json"
            document = bench_data.replicate_spec(large, settings.replicas)
            replicated.write_text(json.dumps(document, indent=2), encoding="utf-8")
            specs.append((f"{settings.large_spec.stem} x{settings.replicas}", replicated))
    wall: dict[str, list[float]] = {label: [] for label, _ in specs}
    cpu: dict[str, list[float]] = {label: [] for label, _ in specs}
    system: dict[str, list[float]] = {label: [] for label, _ in specs}
    for index in range(settings.generate_rounds):
        shift = index % len(specs)
        for label, spec in specs[shift:] + specs[:shift]:
            elapsed, user_s, system_s = _generate(spec, out_dir / _package_name(spec))
            wall[label].append(elapsed / 1e9)
            cpu[label].append(user_s + system_s)
            system[label].append(system_s)
    rows: list[dict[str, Any]] = []
    for label, spec in specs:
        document = json.loads(spec.read_text(encoding="utf-8"))
        rows.append(
            {
                "spec": label,
                "file": str(spec.relative_to(ROOT) if spec.is_relative_to(ROOT) else spec.name),
                "operations": bench_data.count_operations(document),
                "schemas": len(document.get("components", {}).get("schemas", {})),
                "median_s": round(statistics.median(wall[label]), 3),
                "median_cpu_s": round(statistics.median(cpu[label]), 3),
                "median_system_cpu_s": round(statistics.median(system[label]), 3),
                "runs_s": [round(s, 3) for s in wall[label]],
            }
        )
    result: dict[str, Any] = {"rounds": settings.generate_rounds, "specs": rows}
    if len(rows) == 3:
        # CPU time of the generator's processes: what grows with the spec, less disturbed by other load.
        (n0, t0), (n1, t1), (n2, t2) = ((r["operations"], r["median_cpu_s"]) for r in rows)
        first = (t1 - t0) / max(1, n1 - n0)
        second = (t2 - t1) / max(1, n2 - n1)
        result["fixed_cpu_s"] = round(t0, 2)
        result["cpu_ms_per_operation_first"] = round(first * 1000, 1)
        result["cpu_ms_per_operation_then"] = round(second * 1000, 1)
        # 1.0: linear; above 1: an operation costs more the more there are.
        result["growth"] = round(second / first, 2) if first > 0 else None
    large_package = None if settings.large_spec is None else (_package_name(settings.large_spec), out_dir)
    return result, large_package


# ---------------------------------------------------------------------------- profile


def _profile_calls(fn: Callable[[], object], calls: int) -> pstats.Stats:
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(calls):
        fn()
    profiler.disable()
    return pstats.Stats(profiler)


def _where(key: tuple[str, int, str]) -> str:
    """`file:line(function)` with the file relative to site-packages, the stdlib or the project."""
    filename, line, name = key
    filename = re.sub(r"^.*/(site-packages|lib/python3\.\d+)/", "", filename).removeprefix(f"{ROOT}/")
    return f"{filename}:{line}({name})" if line else name


def _enter_exit(module: types.ModuleType, response: httpx2.Response) -> object:
    with module._parsing.json_body(response, strict=False) as body:
        return body


def bench_profile(op: Operation, settings: Settings) -> dict[str, Any]:
    """Where a call's extra time goes: cProfile of both sides and timed steps of the generated code."""

    def handler(request: httpx2.Request) -> httpx2.Response:
        return httpx2.Response(op.status, content=op.response_body, headers={"Content-Type": "application/json"})

    transport = httpx2.MockTransport(handler)
    raw = raw_sync(BASE_URL, transport)
    client = package_sync(BASE_URL, transport)
    calls = max(50, int(1000 * settings.scale))
    try:
        url, payload, body, sync = op.url, op.payload, op.body, op.module.sync
        base = _profile_calls(lambda: raw.post(url, json=payload).json(), calls)
        cand = _profile_calls(lambda: sync(client=client, body=body), calls)
        base_stats: dict[Any, Any] = base.stats  # type: ignore[attr-defined]
        cand_stats: dict[Any, Any] = cand.stats  # type: ignore[attr-defined]
        extra = _extra_calls(base_stats, cand_stats, calls)
        origins: dict[str, float] = {}
        for row in extra:
            origins[row["origin"]] = origins.get(row["origin"], 0.0) + row["extra_us_per_call"]
        # Function calls are deterministic where time is not: the extra calls per call, by the calling code.
        extra_calls: dict[str, float] = {}
        for stats, sign in ((cand_stats, 1), (base_stats, -1)):
            for _, _, _, _, callers in stats.values():
                for caller, counts in callers.items():
                    origin = _origin(caller[0])
                    extra_calls[origin] = extra_calls.get(origin, 0.0) + sign * counts[1] / calls
        response = httpx2.Response(
            op.status,
            content=op.response_body,
            headers={"Content-Type": "application/json"},
            request=httpx2.Request(op.method, BASE_URL + op.url),
        )
        data = json.loads(op.response_body)
        module = op.module
        response_type = importlib.import_module(f"{PACKAGE}.types").Response
        status = HTTPStatus(op.status)
        steps: dict[str, Callable[[], object]] = {
            "response.json() (both sides)": response.json,
            "body.to_dict()": body.to_dict,
            "_get_kwargs(body=...) incl. to_dict": lambda: module._get_kwargs(body=body),
            f"{op.response_model.__name__}.from_dict(dict)": lambda: op.response_model.from_dict(data),
            "_parse_response (json + from_dict)": lambda: module._parse_response(response=response, strict=False),
            "_build_response (Response wrapper + parse)": lambda: module._build_response(
                response=response, strict=False
            ),
            f"HTTPStatus({op.status})": lambda: HTTPStatus(op.status),
            "types.Response(...) (generic attrs class)": lambda: response_type(
                status_code=status, content=response.content, headers=response.headers, parsed=None
            ),
            "_parsing.json_body(...) context manager": lambda: _enter_exit(module, response),
            "client.get_httpx_client()": client.get_httpx_client,
            "client.strict_response_validation": lambda: client.strict_response_validation,
        }
        return {
            "calls_profiled": calls,
            "function_calls_per_call": {
                "baseline": round(sum(v[1] for v in base_stats.values()) / calls, 1),
                "candidate": round(sum(v[1] for v in cand_stats.values()) / calls, 1),
            },
            "extra_us_per_call_by_origin": {k: round(v, 2) for k, v in sorted(origins.items(), key=lambda i: -i[1])},
            "extra_function_calls_by_origin": {
                k: round(v, 1) for k, v in sorted(extra_calls.items(), key=lambda i: -i[1]) if round(v, 1)
            },
            "top_extra_calls": extra[:40],
            "steps_us": _time_steps(steps, settings),
            "ladder": _ladder(op, raw, settings),
        }
    finally:
        _close(client)
        raw.close()


def _ladder(op: Operation, raw: httpx2.Client, settings: Settings) -> list[dict[str, Any]]:
    """The generated code's cost added step by step, each step timed against raw httpx2 like the pairs.

    Hot loops of a single step (the `steps`) run in warm caches and understate what a step costs
    inside a whole call; these rungs measure whole calls on the baseline's own httpx2.Client.
    """
    module, body, url, payload = op.module, op.body, op.url, op.payload
    plain = _StubClient(http=raw)

    def baseline() -> object:
        return raw.post(url, json=payload).json()

    rungs: list[tuple[str, Callable[[], object]]] = [
        (
            "request from _get_kwargs (to_dict, its headers)",
            lambda: raw.request(**module._get_kwargs(body=body)).json(),
        ),
        (
            "+ _parse_response (json_body scope, from_dict)",
            lambda: module._parse_response(response=raw.request(**module._get_kwargs(body=body)), strict=False),
        ),
        ("+ sync -> sync_detailed -> _build_response", lambda: module.sync(client=plain, body=body)),
    ]
    rows = []
    for label, candidate in rungs:
        try:
            candidate()
        except Exception as error:  # a template renamed a private helper: skip that rung
            rows.append({"step": label, "error": f"{type(error).__name__}: {error}"})
            continue
        inner = calibrate([baseline, candidate], settings.sample_ns(20))
        pair = Pair("ladder", label, "raw", label, inner=inner, clock=settings.clock)
        interleave(pair, baseline, candidate, max(3, settings.rounds // 2))
        summary = pair.summary()
        rows.append({"step": label, "ratio": summary["ratio"], "overhead_ns": summary["overhead_ns"]})
    return rows


def _origin(filename: str) -> str:
    if f"/{PACKAGE}/api/" in filename or f"/{PACKAGE}/models/" in filename or filename.endswith(f"/{PACKAGE}/types.py"):
        return "generated code"
    if f"/{PACKAGE}/" in filename:
        return "hand-written client"
    if "attrs generated" in filename:
        return "attrs-generated methods"
    for library in ("httpx2", "httpcore", "attr", "dateutil"):
        if f"/site-packages/{library}/" in filename:
            return library
    return "stdlib and builtins"


def _extra_calls(base: dict[Any, Any], cand: dict[Any, Any], calls: int) -> list[dict[str, Any]]:
    """Functions the candidate calls more often than the baseline, with their extra own time per call.

    Functions called equally often on both sides differ only by profiler noise, so they are left out.
    """
    rows = []
    for key, (_, ncalls, tottime, _, _) in cand.items():
        _, base_calls, base_time, _, _ = base.get(key, (0, 0, 0.0, 0, 0))
        if ncalls > base_calls:
            rows.append(
                {
                    "function": _where(key),
                    "origin": _origin(key[0]),
                    "extra_us_per_call": round(max(0.0, tottime - base_time) / calls * 1e6, 2),
                    "calls_per_call": round(ncalls / calls, 2),
                    "baseline_calls_per_call": round(base_calls / calls, 2),
                }
            )
    rows.sort(key=lambda row: -row["extra_us_per_call"])
    return rows


def _time_steps(steps: dict[str, Callable[[], object]], settings: Settings) -> dict[str, float | str]:
    """µs per call of each step, interleaved over several rounds like the pairs."""
    inner: dict[str, int] = {}
    result: dict[str, float | str] = {}
    for label, fn in steps.items():
        try:
            inner[label] = calibrate([fn], settings.sample_ns(5))
        except Exception as error:  # a template changed a private helper: skip that step
            result[label] = f"n/a ({type(error).__name__}: {error})"
    samples: dict[str, list[float]] = {label: [] for label in inner}
    for _ in range(max(3, settings.rounds // 4)):
        for label in inner:
            wall, cpu = _time_loop(steps[label], inner[label])
            samples[label].append(cpu if settings.clock == "cpu" else wall)
    # The fastest round: for steps this small, slower rounds measure interruptions, not the step.
    result.update((label, round(min(samples[label]) / 1000, 3)) for label in inner)
    return {label: result[label] for label in steps}


# ---------------------------------------------------------------------------- report


def machine() -> dict[str, Any]:
    model = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return {
        "cpus": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "cpu_model": model,
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "httpx2": httpx2.__version__,
        "httpx": None if httpx is None else httpx.__version__,
    }


def _duration(ns: float) -> str:
    if ns >= 1e9:
        return f"{ns / 1e9:.2f} s"
    if ns >= 1e6:
        return f"{ns / 1e6:.2f} ms"
    return f"{ns / 1e3:.2f} µs"


def _shown(ratio: float, as_percent: bool) -> str:
    return f"{(ratio - 1) * 100:+.0f}%" if as_percent else f"{ratio:.3f}x"


def table(pairs: list[Pair], generation: dict[str, Any] | None) -> list[str]:
    """Against raw httpx2; for the record, raw httpx's time, the candidate against it and httpx against httpx2."""
    lines = [
        f"{'measure':<42} {'httpx2':>10} {'candidate':>10} {'ratio':>7} {'target':>7}  {'':4} "
        f"{'httpx':>10} {'vs httpx':>8} {'httpx/2':>7}  rounds x iters, clock",
    ]
    for pair in pairs:
        s = pair.summary()
        is_import = pair.key.startswith("import")
        ratio = _shown(s["ratio"], is_import)
        if is_import:
            target = f"+{(pair.target or 0) * 100 - 100:.0f}%"
        else:
            target = f"{pair.target:.2f}x" if pair.target is not None else "-"
        verdict = "" if s["met"] is None else ("ok" if s["met"] else "MISS")
        record = f"{'-':>10} {'-':>8} {'-':>7}"
        if "reference_median_ns" in s:
            record = (
                f"{_duration(s['reference_median_ns']):>10} {_shown(s['ratio_vs_reference'], is_import):>8} "
                f"{_shown(s['reference_vs_baseline'], is_import):>7}"
            )
        lines.append(
            f"{pair.title:<42} {_duration(s['baseline_median_ns']):>10} {_duration(s['candidate_median_ns']):>10} "
            f"{ratio:>7} {target:>7}  {verdict:4} {record}  {s['rounds']} x {s['inner']} {s['clock']}"
        )
    if generation:
        for row in generation["specs"]:
            lines.append(
                f"{'generate ' + row['spec']:<42} {row['operations']:>4} ops {row['schemas']:>3} schemas "
                f"{row['median_s']:6.2f} s wall {row['median_cpu_s']:6.2f} s CPU "
                f"({row['median_system_cpu_s']:.2f} system)  {generation['rounds']} runs"
            )
        if "growth" in generation:
            (_, n1), (_, n2) = ((r["spec"], r["operations"]) for r in generation["specs"][1:])
            lines.append(
                f"{'  growth':<42} {generation['fixed_cpu_s']:.1f} s CPU fixed; per operation "
                f"{generation['cpu_ms_per_operation_first']:.1f} ms CPU up to {n1} ops, "
                f"{generation['cpu_ms_per_operation_then']:.1f} ms from {n1} to {n2} (ratio {generation['growth']})"
            )
    return lines


def default_large_spec() -> Path | None:
    """tests/specs/large.json, else the corpus spec with the most operations (None without a corpus)."""
    if (CORPUS / "large.json").is_file():
        return CORPUS / "large.json"
    specs = []
    for path in sorted(CORPUS.glob("*.json")):
        with contextlib.suppress(ValueError, OSError):
            specs.append((bench_data.count_operations(json.loads(path.read_text(encoding="utf-8"))), path))
    return max(specs)[1] if specs else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=41, help="interleaved rounds per per-call and parse measure")
    parser.add_argument("--async-rounds", type=int, default=11, help="interleaved rounds of concurrent batches")
    parser.add_argument("--import-runs", type=int, default=30, help="fresh interpreters per side for import time")
    parser.add_argument("--generate-rounds", type=int, default=3, help="generator runs per spec")
    parser.add_argument("--scale", type=float, default=1.0, help="multiplies the time of each sample")
    parser.add_argument("--only", default=",".join(SECTIONS), help=f"comma-separated subset of {','.join(SECTIONS)}")
    parser.add_argument("--concurrency", type=int, default=100, help="concurrent calls per async batch")
    parser.add_argument("--replicas", type=int, default=4, help="generate also the large spec's operations N times")
    parser.add_argument(
        "--clock",
        choices=("cpu", "wall"),
        default="cpu",
        help="clock of the in-process measures: this thread's CPU time (robust to other load) or wall time",
    )
    parser.add_argument("--operation", default=DEFAULT_OPERATION, help="the operation module to call")
    parser.add_argument("--large-spec", type=Path, default=None, help="the ~120-operation spec (default: corpus)")
    parser.add_argument("--no-large", action="store_true", help="only the vendored spec")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--fleet", default="500,4,8,50", help="fleet: requests,processes,threads,limit per second")
    args = parser.parse_args(argv)
    sections = [s.strip() for s in args.only.split(",") if s.strip()]
    unknown = set(sections) - set(SECTIONS)
    if unknown:
        parser.error(f"unknown sections: {', '.join(sorted(unknown))}")
    large_spec = None if args.no_large else (args.large_spec or default_large_spec())

    started = time.perf_counter_ns()
    spec = json.loads(SPEC.read_text(encoding="utf-8"))
    report: dict[str, Any] = {
        "machine": machine(),
        "client": client_label(),
        "settings": {},
        "results": {},
        "section_s": {},
    }
    report["settings"] = {
        "rounds": args.rounds,
        "async_rounds": args.async_rounds,
        "import_runs": args.import_runs,
        "generate_rounds": args.generate_rounds,
        "scale": args.scale,
        "concurrency": args.concurrency,
        "replicas": args.replicas,
        "clock": args.clock,
        "operation": args.operation,
        "fleet": args.fleet,
        "large_spec": str(large_spec) if large_spec else None,
    }
    errors: dict[str, str] = {}
    pairs: list[Pair] = []
    with tempfile.TemporaryDirectory(prefix="wassist-bench-") as work_dir:
        settings = Settings(
            rounds=args.rounds,
            async_rounds=args.async_rounds,
            import_runs=args.import_runs,
            generate_rounds=args.generate_rounds,
            scale=args.scale,
            concurrency=args.concurrency,
            replicas=args.replicas,
            clock=args.clock,
            operation=args.operation,
            large_spec=large_spec,
            work=Path(work_dir),
        )
        large: tuple[str, Path] | None = None
        try:
            section_start = time.perf_counter_ns()
            if "generate" in sections:
                _progress("generate")
                report["results"]["generate"], large = bench_generate(settings)
            elif large_spec is not None and {"import", "parse"} & set(sections):
                large = build_package(large_spec, settings.work / "generated")
            report["section_s"]["generate"] = round((time.perf_counter_ns() - section_start) / 1e9, 1)
        except Exception as error:
            errors["generate"] = f"{type(error).__name__}: {error}"
        operation: list[Operation] = []
        try:
            operation.append(load_operation(args.operation, spec))
        except Exception as error:
            errors["operation"] = f"{type(error).__name__}: {error}"
        runners: dict[str, Callable[[Operation], Any]] = {
            "import": lambda op: bench_import(settings, large),
            "parse": lambda op: bench_parse(op, settings, large),
            "percall": lambda op: bench_percall_mock(op, settings),
            "loopback": lambda op: bench_loopback(op, settings),
            "profile": lambda op: bench_profile(op, settings),
            "fleet": lambda op: bench_fleet.bench_fleet(*(int(n) for n in args.fleet.split(","))),
        }
        for name, runner in runners.items():
            if name not in sections or (name != "import" and not operation):
                continue
            _progress(name)
            section_start = time.perf_counter_ns()
            try:
                result = runner(operation[0] if operation else None)  # type: ignore[arg-type]
            except Exception as error:
                errors[name] = f"{type(error).__name__}: {error}"
                continue
            finally:
                report["section_s"][name] = round((time.perf_counter_ns() - section_start) / 1e9, 1)
            if name in ("profile", "fleet"):
                report["results"][name] = result
                continue
            if name == "import":
                result, report["results"]["import_modules"] = result
            pairs.extend(result)
            report["results"].update((pair.key, pair.summary()) for pair in result)
    report["errors"] = errors
    report["elapsed_s"] = round((time.perf_counter_ns() - started) / 1e9, 1)

    info = report["machine"]
    print(
        f"wassist-api-client bench: {info['cpus']} CPUs, {info['cpu_model']}, Python {info['python']}, "
        f"httpx2 {info['httpx2']} (the baseline), httpx {info['httpx'] or 'not installed'} (for the record); "
        f"client: {report['client']}"
    )
    print("\n".join(table(pairs, report["results"].get("generate"))))
    if "import_modules" in report["results"]:
        print("\n".join(import_lines(report["results"]["import_modules"])))
    if "profile" in report["results"]:
        print("\n".join(profile_lines(report["results"]["profile"])))
    if "fleet" in report["results"]:
        print("\n".join(bench_fleet.fleet_lines(report["results"]["fleet"])))
    for name, message in errors.items():
        print(f"ERROR in {name}: {message}", file=sys.stderr)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"\n{report['elapsed_s']} s in all; JSON summary in {args.output}")
    return 1 if errors else 0


def _progress(section: str) -> None:
    print(f"[bench] {section} ...", file=sys.stderr, flush=True)


def profile_lines(profile: dict[str, Any]) -> list[str]:
    calls = profile["function_calls_per_call"]
    lines = [
        f"\nprofile of {profile['calls_profiled']} calls on MockTransport: {calls['candidate']} Python function "
        f"calls per call vs {calls['baseline']} for raw httpx2.\nExtra own time (µs per call, cProfile-inflated) "
        "by origin: "
        + ", ".join(f"{origin} {us:.1f}" for origin, us in profile["extra_us_per_call_by_origin"].items()),
        "Extra function calls made per call, by the calling code: "
        + ", ".join(f"{origin} {n:+g}" for origin, n in profile["extra_function_calls_by_origin"].items()),
        "functions called more often than by raw httpx2:",
    ]
    for row in profile["top_extra_calls"][:12]:
        counts = f"x{row['calls_per_call']:g} (raw x{row['baseline_calls_per_call']:g})"
        lines.append(f"  {row['extra_us_per_call']:>7.2f} µs  {counts:<16} {row['function']}")
    lines.append("generated code added step by step on raw httpx2's own client (whole calls, interleaved):")
    for row in profile["ladder"]:
        if "error" in row:
            lines.append(f"  n/a      {row['step']}: {row['error']}")
        else:
            lines.append(f"  {row['ratio']:.3f}x  {row['step']}")
    lines.append("single steps in hot loops (µs per call, best round; warm caches understate them):")
    for label, value in profile["steps_us"].items():
        lines.append(f"  {value:>7.2f} µs  {label}" if isinstance(value, float) else f"  {value}  {label}")
    return lines


def import_lines(details: dict[str, Any]) -> list[str]:
    lines = [f"\nimports: `import httpx2` loads {details['httpx_modules_imported']} modules"]
    for key in ("import", "import_large"):
        if key not in details:
            continue
        census = details[key]
        lines.append(
            f"  {census['operation_module']}: {census['modules_imported']} modules "
            f"({census['package_modules_imported']} of the package: {census['operation_modules_imported']} of "
            f"{census['operation_modules_in_package']} operation modules, {census['model_modules_imported']} of "
            f"{census['model_modules_in_package']} model modules); beyond httpx2, slowest: "
            + ", ".join(f"{row['module']} {row['self_us']} µs" for row in census["slowest_modules_beyond_httpx"][:6])
        )
    return lines


if __name__ == "__main__":
    sys.exit(main())
