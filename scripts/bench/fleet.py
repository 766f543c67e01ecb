"""`make bench`'s fleet section: one API key, several processes of several threads, one rate limit.

    python -m scripts.bench.fleet                     # 4 processes x 8 threads, 500 requests, 50 per second
    python -m scripts.bench.fleet --requests 40 --processes 2 --threads 2 --limit 20

A loopback server (scripts.bench.fleet_server) enforces `limit` requests per second per key, as
the API does per minute, answering 429 with Retry-After beyond. The same fleet sends the same
requests three times: without a limiter, with a RateLimit in each process (each process keeps
its own budget: together they exceed it), and with one RateLimit shared through Redis (a
redis-server started here). Reported for each: responses 429 (counted by the server), calls
that failed, wall time, throughput, and the most requests the server saw in one window.

The worker (`python -m scripts.bench.fleet worker ...`) is also what tests/ratelimit runs as its
processes. Nothing here asserts on time.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx2

ROOT = Path(__file__).resolve().parents[2]
MODES = ("none", "per-process", "shared")
SESSION = {
    "id": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
    "successUrl": "https://example.com/ok",
    "returnUrl": "https://example.com/back",
    "status": "PENDING",
    "linkUrl": "https://wassist.app/link/abc",
}


# ---------------------------------------------------------------------------- one process of the fleet


def worker(args: argparse.Namespace) -> int:
    """Wait for a line on stdin, send `calls` requests from `threads` threads, print one JSON line of outcomes."""
    from wassist_api_client import ClientRateLimitError, RateLimit, RateLimitBackendError, RateLimitError, Wassist
    from wassist_api_client.api.whatsapp_link_sessions import create
    from wassist_api_client.models import WhatsAppLinkSessionRequest

    rate_limit = None
    if args.mode != "none":
        redis_url = args.redis_url if args.mode == "shared" else None
        rate_limit = RateLimit(args.limit, per=args.per, redis_url=redis_url, max_wait=args.max_wait)
    body = WhatsAppLinkSessionRequest(success_url="https://example.com/ok", return_url="https://example.com/back")
    outcomes: dict[str, int] = {"ok": 0, "rate_limited": 0, "client_limited": 0, "backend_error": 0, "other": 0}
    lock = threading.Lock()
    client = Wassist(base_url=args.base_url, rate_limit=rate_limit)  # the key from WASSIST_API_KEY
    per_thread = [args.calls // args.threads + (i < args.calls % args.threads) for i in range(args.threads)]

    def run(count: int) -> None:
        for _ in range(count):
            try:
                create.sync(client=client, body=body)
                outcome = "ok"
            except RateLimitError:
                outcome = "rate_limited"
            except ClientRateLimitError:
                outcome = "client_limited"
            except RateLimitBackendError:
                outcome = "backend_error"
            except Exception:
                outcome = "other"
            with lock:
                outcomes[outcome] += 1

    print("ready", flush=True)
    sys.stdin.readline()
    threads = [threading.Thread(target=run, args=(count,)) for count in per_thread]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    done_at = time.monotonic()  # one clock for every process on the machine (CLOCK_MONOTONIC)
    client.close()
    print(json.dumps({**outcomes, "done_at": done_at}), flush=True)
    return 0


def run_fleet(
    *,
    base_url: str,
    api_key: str,
    mode: str,
    requests: int,
    processes: int,
    threads: int,
    limit: int,
    per: float,
    redis_url: str | None,
    max_wait: float = 60.0,
) -> tuple[dict[str, int], float]:
    """Start the processes, let them go at once; (summed outcomes, seconds from go to the last call done)."""
    env = {**os.environ, "WASSIST_API_KEY": api_key, "PYTHONPATH": str(ROOT)}
    shares = [requests // processes + (i < requests % processes) for i in range(processes)]
    command = [sys.executable, "-m", "scripts.bench.fleet", "worker", "--base-url", base_url, "--mode", mode]
    command += ["--threads", str(threads), "--limit", str(limit), "--per", str(per), "--max-wait", str(max_wait)]
    if redis_url:
        command += ["--redis-url", redis_url]
    fleet = [
        subprocess.Popen(
            [*command, "--calls", str(share)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env
        )
        for share in shares
    ]
    try:
        for process in fleet:
            assert process.stdout is not None
            if process.stdout.readline().strip() != "ready":
                raise RuntimeError(f"a fleet process did not start (exit {process.wait()})")
        started = time.monotonic()
        for process in fleet:
            assert process.stdin is not None
            process.stdin.write("go\n")
            process.stdin.flush()
        totals: dict[str, int] = {}
        done_at = started
        for process in fleet:
            out, _ = process.communicate(timeout=600)
            outcomes = json.loads(out.strip().splitlines()[-1])
            done_at = max(done_at, outcomes.pop("done_at"))
            for name, count in outcomes.items():
                totals[name] = totals.get(name, 0) + count
        return totals, done_at - started
    finally:
        for process in fleet:
            if process.poll() is None:
                process.kill()
                process.wait()


# ---------------------------------------------------------------------------- the section


@contextmanager
def limited_server(limit: int, window: float) -> Iterator[str]:
    with tempfile.TemporaryDirectory(prefix="wassist-fleet-") as work:
        body = Path(work) / "session.json"
        body.write_text(json.dumps(SESSION), encoding="utf-8")
        command = [sys.executable, "-m", "scripts.bench.fleet_server", "--limit", str(limit)]
        command += ["--window", str(window), "--body-file", str(body)]
        server = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT)
        try:
            assert server.stdout is not None
            yield f"http://127.0.0.1:{int(server.stdout.readline())}"
        finally:
            server.terminate()
            server.wait(timeout=10)


def max_in_window(arrivals: list[float], window: float) -> int:
    """The most arrivals in any `window` seconds (half-open, as the server counts)."""
    times, most, start = sorted(arrivals), 0, 0
    for end, arrival in enumerate(times):
        while times[start] <= arrival - window:
            start += 1
        most = max(most, end - start + 1)
    return most


def bench_fleet(requests: int, processes: int, threads: int, limit: int, window: float = 1.0) -> dict[str, Any]:
    from scripts.redis_server import start_redis

    rows = []
    with limited_server(limit, window) as base_url, start_redis() as redis_server:
        for mode in MODES:
            api_key = f"fleet-bench-{mode}-{uuid.uuid4().hex[:8]}"  # a fresh key: a fresh window on the server
            outcomes, wall = run_fleet(
                base_url=base_url,
                api_key=api_key,
                mode=mode,
                requests=requests,
                processes=processes,
                threads=threads,
                limit=limit,
                per=window,
                redis_url=redis_server.url,
            )
            stats = httpx2.get(base_url + "/__stats", headers={"X-API-Key": api_key}).json()
            arrivals = sorted(stats["arrivals"])
            span = arrivals[-1] - arrivals[0] if len(arrivals) > 1 else 0.0
            # After the first window's burst, what share of the limit the server let through.
            steady = (len(arrivals) - limit) / span / (limit / window) if span and len(arrivals) > limit else None
            rows.append(
                {
                    "mode": mode,
                    "responses_429": stats["rejected"],
                    "responses_201": stats["ok"],
                    "calls": outcomes,
                    "wall_s": round(wall, 2),
                    "throughput_per_s": round(outcomes.get("ok", 0) / wall, 1),
                    "steady_share_of_limit": None if steady is None else round(steady, 3),
                    "max_in_window": max_in_window(arrivals, window),
                }
            )
    return {
        "requests": requests,
        "processes": processes,
        "threads": threads,
        "limit": limit,
        "window_s": window,
        "rows": rows,
    }


def fleet_lines(result: dict[str, Any]) -> list[str]:
    lines = [
        f"\nfleet: {result['processes']} processes x {result['threads']} threads, {result['requests']} requests on "
        f"one key; the server allows {result['limit']} per {result['window_s']:g} s (429 + Retry-After beyond)",
        f"  {'limiter':<12} {'429s':>6} {'calls ok':>9} {'failed':>7} {'wall':>8} {'calls/s':>9} "
        f"{'steady':>7} {'max/window':>11}   (steady: 201s after the first window, per second, / limit)",
    ]
    for row in result["rows"]:
        failed = sum(count for name, count in row["calls"].items() if name != "ok")
        steady = "-" if row["steady_share_of_limit"] is None else f"{row['steady_share_of_limit']:.0%}"
        lines.append(
            f"  {row['mode']:<12} {row['responses_429']:>6} {row['calls'].get('ok', 0):>9} {failed:>7} "
            f"{row['wall_s']:>6.2f} s {row['throughput_per_s']:>9.1f} {steady:>7} {row['max_in_window']:>11}"
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command")
    work = sub.add_parser("worker", help="one process of the fleet (started by the bench and the tests)")
    work.add_argument("--base-url", required=True)
    work.add_argument("--mode", choices=MODES, required=True)
    work.add_argument("--calls", type=int, required=True)
    work.add_argument("--threads", type=int, default=8)
    work.add_argument("--limit", type=int, default=50)
    work.add_argument("--per", type=float, default=1.0)
    work.add_argument("--max-wait", type=float, default=60.0)
    work.add_argument("--redis-url")
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--processes", type=int, default=4)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--limit", type=int, default=50, help="requests per second the server allows per key")
    args = parser.parse_args(argv)
    if args.command == "worker":
        return worker(args)
    result = bench_fleet(args.requests, args.processes, args.threads, args.limit)
    print("\n".join(fleet_lines(result)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
