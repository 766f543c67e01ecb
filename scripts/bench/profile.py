"""The profile section: where the per-call overhead goes (cProfile deltas, a ladder of steps, timed steps)."""

from __future__ import annotations

import cProfile
import importlib
import json
import pstats
import re
import types
from collections.abc import Callable
from http import HTTPStatus
from typing import Any

import httpx2

from scripts.bench._measure import Pair, _time_loop, calibrate, interleave
from scripts.bench._operation import (
    Operation,
    _close,
    _StubClient,
    package_sync,
    raw_sync,
)
from scripts.bench._settings import (
    BASE_URL,
    PACKAGE,
    ROOT,
    Settings,
)


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
