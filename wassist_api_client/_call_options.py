"""Per-call options of a client made by `with_options(...)`, applied request by request.

A copy made by `with_options` builds no httpx2 client and no transport: its `get_httpx_client()`
is a view of the parent's httpx2 client that adds the copy's timeout, headers and retry count to
each request it forwards, so every copy shares the parent's connection pool. The retry count
travels in the request's extensions (`MAX_RETRIES_EXTENSION`), which the retrying transport reads.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Any

import httpx2

__all__ = ["MAX_RETRIES_EXTENSION", "OMITTED", "AsyncClientWithOptions", "CallOptions", "ClientWithOptions", "Omitted"]

MAX_RETRIES_EXTENSION = "wassist_max_retries"


class Omitted(enum.Enum):
    """The value of an option not given to `with_options` (None is a timeout: "wait forever")."""

    OMITTED = "OMITTED"


OMITTED = Omitted.OMITTED
TimeoutOption = float | httpx2.Timeout | None


class CallOptions:
    """What a `with_options` copy changes; an omitted option keeps the parent's value."""

    __slots__ = ("headers", "max_retries", "timeout")

    def __init__(
        self,
        *,
        timeout: TimeoutOption | Omitted = OMITTED,
        max_retries: int | Omitted = OMITTED,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        if not isinstance(max_retries, Omitted) and (
            isinstance(max_retries, bool) or not isinstance(max_retries, int) or max_retries < 0
        ):
            raise ValueError(f"max_retries must be an int, 0 or more (got {max_retries!r})")
        self.timeout = timeout
        self.max_retries = max_retries
        self.headers: dict[str, str] = dict(headers or {})

    def then(self, newer: CallOptions) -> CallOptions:
        """These options with `newer`'s on top (a copy of a copy)."""
        return CallOptions(
            timeout=self.timeout if newer.timeout is OMITTED else newer.timeout,
            max_retries=self.max_retries if newer.max_retries is OMITTED else newer.max_retries,
            headers={**self.headers, **newer.headers},
        )

    def apply(self, kwargs: dict[str, Any]) -> dict[str, Any]:
        """The keyword arguments of one `httpx2.Client.request` call with these options added."""
        default = httpx2.USE_CLIENT_DEFAULT  # what httpx2's get(), post(), ... pass when not given one
        if self.timeout is not OMITTED and kwargs.get("timeout", default) is default:
            kwargs["timeout"] = self.timeout
        if self.headers:
            headers = httpx2.Headers(self.headers)
            if kwargs.get("headers"):
                headers.update(kwargs["headers"])  # the operation's own header parameters win
            kwargs["headers"] = headers
        if self.max_retries is not OMITTED:
            kwargs["extensions"] = {**(kwargs.get("extensions") or {}), MAX_RETRIES_EXTENSION: self.max_retries}
        return kwargs


class ClientWithOptions(httpx2.Client):
    """The parent's httpx2.Client seen through per-call options.

    `super().__init__` is deliberately not called: this object owns no pool and no transport.
    `request` (and so `get`, `post`, ...) adds the options and forwards to the parent; anything
    else is the parent's. Closing it does nothing: the parent owns the connections.
    """

    def __init__(self, parent: httpx2.Client, options: CallOptions) -> None:
        self._parent = parent
        self._options = options

    def request(self, method: str, url: httpx2.URL | str, **kwargs: Any) -> httpx2.Response:
        return self._parent.request(method, url, **self._options.apply(kwargs))

    def close(self) -> None:
        pass

    def __enter__(self) -> ClientWithOptions:
        return self

    def __exit__(self, *exc_info: object) -> None:
        pass

    def __getattr__(self, name: str) -> Any:
        if name == "_parent":  # not set yet (a copy being built): no recursion
            raise AttributeError(name)
        return getattr(self._parent, name)


class AsyncClientWithOptions(httpx2.AsyncClient):
    """The async twin of ClientWithOptions."""

    def __init__(self, parent: httpx2.AsyncClient, options: CallOptions) -> None:
        self._parent = parent
        self._options = options

    async def request(self, method: str, url: httpx2.URL | str, **kwargs: Any) -> httpx2.Response:
        return await self._parent.request(method, url, **self._options.apply(kwargs))

    async def aclose(self) -> None:
        pass

    async def __aenter__(self) -> AsyncClientWithOptions:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        pass

    def __getattr__(self, name: str) -> Any:
        if name == "_parent":  # not set yet (a copy being built): no recursion
            raise AttributeError(name)
        return getattr(self._parent, name)
