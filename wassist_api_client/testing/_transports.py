"""httpx2 transports that hand every request to a WassistFake: no sockets, no network."""

from __future__ import annotations

from typing import TYPE_CHECKING

import httpx2

if TYPE_CHECKING:
    from ._fake import WassistFake


class FakeTransport(httpx2.BaseTransport):
    def __init__(self, fake: WassistFake) -> None:
        self._fake = fake

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        request.read()
        return self._fake.handle(request)


class FakeAsyncTransport(httpx2.AsyncBaseTransport):
    def __init__(self, fake: WassistFake) -> None:
        self._fake = fake

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        await request.aread()
        return self._fake.handle(request)
