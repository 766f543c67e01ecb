"""A minimal, fast HTTP/1.1 server on 127.0.0.1 for `scripts.bench` (run in its own process).

    python -m scripts.bench.server --status 201 --body-file BODY.json

Prints the port it listens on, then answers every request with the same status and JSON
body, headers and body in ONE write, keeping connections alive. It reads and discards the
request body (Content-Length only; the bench clients never send chunked bodies). It runs
until stdin closes or it gets SIGTERM, so it never outlives the bench that started it.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sys
from http import HTTPStatus
from pathlib import Path

_HEADER_END = b"\r\n\r\n"


def build_response(status: int, body: bytes) -> bytes:
    """Status line, headers and body as one bytes object, written with one `write` call."""
    head = (
        f"HTTP/1.1 {status} {HTTPStatus(status).phrase}\r\n"
        "Content-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n"
        "X-Request-Id: bench\r\n"
        "\r\n"
    )
    return head.encode("ascii") + body


def content_length(head: bytes) -> int:
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return int(value.strip())
    return 0


class _Protocol(asyncio.Protocol):
    def __init__(self, response: bytes) -> None:
        self._response = response
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
            total = end + len(_HEADER_END) + content_length(bytes(buffer[:end]))
            if len(buffer) < total:
                return
            del buffer[:total]
            assert self._transport is not None
            self._transport.write(self._response)


async def serve(status: int, body: bytes) -> None:
    loop = asyncio.get_running_loop()
    response = build_response(status, body)
    server = await loop.create_server(lambda: _Protocol(response), "127.0.0.1", 0, backlog=1024)
    port = server.sockets[0].getsockname()[1]
    print(port, flush=True)
    stop = asyncio.Event()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    stdin = sys.stdin.fileno()
    loop.add_reader(stdin, lambda: None if os.read(stdin, 1) else stop.set())
    async with server:
        await stop.wait()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--status", type=int, default=200)
    parser.add_argument("--body-file", type=Path, required=True)
    args = parser.parse_args(argv)
    asyncio.run(serve(args.status, args.body_file.read_bytes()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
