"""What generated endpoint functions need from a client.

`wassist_api_client.Wassist` and `wassist_api_client.AsyncWassist` implement these; the
functions only ask for an httpx2 client (with auth, retries and errors already wired in)
and for the response validation mode.
"""

from typing import Protocol

import httpx2


class Client(Protocol):
    """A synchronous client, accepted as `client=` by every `sync`/`sync_detailed` function."""

    @property
    def strict_response_validation(self) -> bool: ...

    def get_httpx_client(self) -> httpx2.Client: ...


class AsyncClient(Protocol):
    """An asynchronous client, accepted as `client=` by every `asyncio`/`asyncio_detailed` function."""

    @property
    def strict_response_validation(self) -> bool: ...

    def get_async_httpx_client(self) -> httpx2.AsyncClient: ...


__all__ = ["AsyncClient", "Client"]
