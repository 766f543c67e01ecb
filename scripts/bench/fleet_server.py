"""A loopback stand-in for the API's rate limit, for `make bench`'s fleet section (run in its own process).

    python -m scripts.bench.fleet_server --limit 50 --window 1.0 --body-file BODY.json

Prints its port, then answers every request: 201 with the body while the request's X-API-Key has
had fewer than `limit` requests answered 201 in the last `window` seconds (a sliding window, as
the API's "100 per minute per key" scaled down in time), else 429 with `Retry-After` (whole
seconds, as servers send it) and a JSON error. `GET /__stats` answers the stats of the key it
carries: requests answered 201 and 429, and the arrival times of the 201s. Runs until stdin
closes or SIGTERM.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import signal
import sys
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

from scripts.bench.server import build_response, content_length

_HEADER_END = b"\r\n\r\n"


@dataclass
class KeyStats:
    admitted: deque[float] = field(default_factory=deque)  # arrival times in the current window
    arrivals: list[float] = field(default_factory=list)  # every 201, for the report
    rejected: int = 0


class Limits:
    def __init__(self, limit: int, window: float) -> None:
        self.limit, self.window = limit, window
        self.keys: dict[str, KeyStats] = {}

    def admit(self, key: str, now: float) -> float | None:
        """None if the request is within the key's limit (it is counted), else seconds until it would be."""
        stats = self.keys.setdefault(key, KeyStats())
        while stats.admitted and stats.admitted[0] <= now - self.window:
            stats.admitted.popleft()
        if len(stats.admitted) < self.limit:
            stats.admitted.append(now)
            stats.arrivals.append(now)
            return None
        stats.rejected += 1
        return stats.admitted[0] + self.window - now

    def stats(self, key: str) -> dict[str, object]:
        stats = self.keys.get(key, KeyStats())
        return {"ok": len(stats.arrivals), "rejected": stats.rejected, "arrivals": stats.arrivals}


def header(head: bytes, name: bytes) -> str:
    for line in head.split(b"\r\n")[1:]:
        key, _, value = line.partition(b":")
        if key.strip().lower() == name:
            return value.strip().decode("latin-1")
    return ""


class _Protocol(asyncio.Protocol):
    def __init__(self, limits: Limits, created: bytes) -> None:
        self._limits, self._created = limits, created
        self._buffer = bytearray()
        self._transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self._transport = transport

    def data_received(self, data: bytes) -> None:
        buffer = self._buffer
        buffer += data
        while True:
            end = buffer.find(_HEADER_END)
            if end < 0:
                return
            head = bytes(buffer[:end])
            total = end + len(_HEADER_END) + content_length(head)
            if len(buffer) < total:
                return
            del buffer[:total]
            assert self._transport is not None
            self._transport.write(self._reply(head))

    def _reply(self, head: bytes) -> bytes:
        key = header(head, b"x-api-key")
        if head.startswith(b"GET /__stats"):
            return build_response(200, json.dumps(self._limits.stats(key)).encode())
        wait = self._limits.admit(key, time.monotonic())
        if wait is None:
            return self._created
        body = json.dumps({"error": "Too many requests", "code": "rate_limited"}).encode()
        response = build_response(429, body)
        retry_after = f"Retry-After: {max(1, math.ceil(wait))}\r\n".encode()
        return response.replace(b"\r\n\r\n", b"\r\n" + retry_after + b"\r\n", 1)


async def serve(limit: int, window: float, body: bytes) -> None:
    loop = asyncio.get_running_loop()
    limits, created = Limits(limit, window), build_response(201, body)
    server = await loop.create_server(lambda: _Protocol(limits, created), "127.0.0.1", 0, backlog=1024)
    print(server.sockets[0].getsockname()[1], flush=True)
    stop = asyncio.Event()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    stdin = sys.stdin.fileno()
    loop.add_reader(stdin, lambda: None if os.read(stdin, 1) else stop.set())
    async with server:
        await stop.wait()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--limit", type=int, required=True)
    parser.add_argument("--window", type=float, required=True)
    parser.add_argument("--body-file", type=Path, required=True)
    args = parser.parse_args(argv)
    asyncio.run(serve(args.limit, args.window, args.body_file.read_bytes()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
