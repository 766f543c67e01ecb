"""httpx2 transports that hand every request to a handler (the fake's `handle`): no sockets, no network."""

from __future__ import annotations

from collections.abc import Callable

import httpx2

Handler = Callable[[httpx2.Request], httpx2.Response]


class FakeTransport(httpx2.BaseTransport):
    def __init__(self, handle: Handler) -> None:
        self._handle = handle

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        request.read()
        return self._handle(request)


class FakeAsyncTransport(httpx2.AsyncBaseTransport):
    def __init__(self, handle: Handler) -> None:
        self._handle = handle

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        await request.aread()
        return self._handle(request)
