"""Wassist and AsyncWassist: what every generated function takes as `client=`."""

from __future__ import annotations

import logging
import os
import ssl
import sys
from collections.abc import Mapping
from functools import cached_property
from typing import TYPE_CHECKING, Any, TypeVar

import httpx2

from . import _logs
from ._call_options import OMITTED, AsyncClientWithOptions, CallOptions, ClientWithOptions, Omitted, TimeoutOption
from ._exceptions import WassistError
from ._spec_defaults import DEFAULT_BASE_URL
from ._transport import AsyncRetryingTransport, RetryingTransport
from ._version import __version__
from .resources import AsyncResources, SyncResources

if TYPE_CHECKING:
    from ._rate_limit import Budget, RateLimit

__all__ = ["DEFAULT_BASE_URL", "DEFAULT_MAX_RETRIES", "DEFAULT_TIMEOUT", "AsyncWassist", "Wassist"]

DEFAULT_TIMEOUT = httpx2.Timeout(60.0, connect=5.0)
DEFAULT_MAX_RETRIES = 2
USER_AGENT = "wassist-api-client/{} python/{}.{}.{}".format(__version__, *sys.version_info[:3])

logger = logging.getLogger("wassist_api_client")
_logs.setup_from_environment()
_SettingsT = TypeVar("_SettingsT", bound="_Settings")


def _not_httpx2(argument: str, expected: str, value: object) -> TypeError:
    kind = type(value)
    hint = ""
    if kind.__module__.split(".")[0] == "httpx":  # the most likely mistake since 1.0: httpx's classes for httpx2's
        hint = " (wassist-api-client 1.0 runs on httpx2: `import httpx2` instead of `import httpx`; see CHANGELOG.md)"
    return TypeError(f"{argument}= must be {expected}, not {kind.__module__}.{kind.__qualname__}{hint}")


class _Settings:
    """Construction shared by both clients: the key, the base URL and the httpx2.Client arguments."""

    def __init__(
        self,
        api_key: str | None,
        base_url: str | None,
        timeout: float | httpx2.Timeout | None,
        max_retries: int,
        headers: Mapping[str, str] | None,
        strict_response_validation: bool,
        verify: bool | ssl.SSLContext,
    ) -> None:
        api_key = api_key or os.environ.get("WASSIST_API_KEY")
        if not api_key:
            raise WassistError(
                f"No API key: pass {type(self).__name__}(api_key=...) or set the WASSIST_API_KEY environment variable."
            )
        if max_retries < 0:
            raise ValueError("max_retries must be 0 or more")
        if timeout is not None and (isinstance(timeout, bool) or not isinstance(timeout, (int, float, httpx2.Timeout))):
            raise _not_httpx2("timeout", "a number of seconds or an httpx2.Timeout", timeout)
        if verify is False:
            logger.warning("TLS certificate verification is off (verify=False): use this only against a local server.")
        self._api_key = api_key
        self._strict = strict_response_validation
        self.base_url = base_url or os.environ.get("WASSIST_BASE_URL") or DEFAULT_BASE_URL
        # httpx2 joins "/api/v1/..." onto the base URL as given, slash or not, keeping the trailing slash.
        self._httpx_args: dict[str, Any] = {
            "base_url": self.base_url,
            "timeout": timeout,
            # No Accept: httpx2 sends */*, and an operation that answers in octet-stream must not get 406.
            "headers": {"User-Agent": USER_AGENT, **(headers or {})},
            "follow_redirects": False,  # the API does not redirect; a 3xx is an error, never a re-sent key
        }
        self._call_options = CallOptions()  # what with_options copies add to each request; none here

    def _copy_with(self: _SettingsT, options: CallOptions) -> _SettingsT:
        """A copy sharing everything (key, base URL, strict mode, the httpx2 client and whatever a later
        constructor argument adds) except the per-call options and the namespaces bound to this client."""
        copy = object.__new__(type(self))
        cls = type(self)
        copy.__dict__.update(
            (name, value)
            for name, value in vars(self).items()
            if not isinstance(getattr(cls, name, None), cached_property)
        )
        copy._call_options = self._call_options.then(options)
        return copy

    @property
    def strict_response_validation(self) -> bool:
        return self._strict

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self.base_url!r})"


def _budget_of(rate_limit: RateLimit | None, api_key: str) -> Budget | None:
    if rate_limit is None:
        return None
    from ._rate_limit import RateLimit  # only when asked for: no rate limit, no import

    if not isinstance(rate_limit, RateLimit):
        raise TypeError(f"rate_limit must be a wassist_api_client.RateLimit, not {type(rate_limit).__name__}")
    return rate_limit.budget(api_key)


class Wassist(_Settings, SyncResources):
    """The synchronous Wassist API client; pass it as `client=` to the generated `sync` functions."""

    def __init__(
        self,
        api_key: str | None = None,
        *,
        base_url: str | None = None,
        timeout: float | httpx2.Timeout | None = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        headers: Mapping[str, str] | None = None,
        transport: httpx2.BaseTransport | None = None,
        strict_response_validation: bool = False,
        verify: bool | ssl.SSLContext = True,
        rate_limit: RateLimit | None = None,
    ) -> None:
        super().__init__(api_key, base_url, timeout, max_retries, headers, strict_response_validation, verify)
        if transport is not None and not isinstance(transport, httpx2.BaseTransport):
            raise _not_httpx2("transport", "an httpx2.BaseTransport", transport)
        inner = transport or httpx2.HTTPTransport(verify=verify)
        budget = _budget_of(rate_limit, self._api_key)
        self._rate_limit = rate_limit  # the budget itself lives on the transport: copies sharing it share the limit
        retrying = RetryingTransport(inner, api_key=self._api_key, max_retries=max_retries, budget=budget)
        self._http = httpx2.Client(transport=retrying, **self._httpx_args)
        self._pool_owner = self._http

    def with_options(
        self,
        *,
        timeout: TimeoutOption | Omitted = OMITTED,
        max_retries: int | Omitted = OMITTED,
        headers: Mapping[str, str] | None = None,
    ) -> Wassist:
        """A client for one call or a block of calls with its own timeout, retry count or extra headers.

        It shares this client's connection pool, key, base URL and strict mode; closing it leaves this
        client open. `headers` are added to this client's for its calls only.
        """
        copy = self._copy_with(CallOptions(timeout=timeout, max_retries=max_retries, headers=headers))
        copy._http = ClientWithOptions(self._pool_owner, copy._call_options)
        return copy

    def get_httpx_client(self) -> httpx2.Client:
        return self._http

    def close(self) -> None:
        self._http.close()  # a with_options copy's view closes nothing

    def __enter__(self) -> Wassist:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class AsyncWassist(_Settings, AsyncResources):
    """The asynchronous Wassist API client; pass it as `client=` to the generated `asyncio` functions."""

    def __init__(
        self,
        api_key: str | None = None,
        *,
        base_url: str | None = None,
        timeout: float | httpx2.Timeout | None = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        headers: Mapping[str, str] | None = None,
        transport: httpx2.AsyncBaseTransport | None = None,
        strict_response_validation: bool = False,
        verify: bool | ssl.SSLContext = True,
        rate_limit: RateLimit | None = None,
    ) -> None:
        super().__init__(api_key, base_url, timeout, max_retries, headers, strict_response_validation, verify)
        if transport is not None and not isinstance(transport, httpx2.AsyncBaseTransport):
            raise _not_httpx2("transport", "an httpx2.AsyncBaseTransport", transport)
        inner = transport or httpx2.AsyncHTTPTransport(verify=verify)
        budget = _budget_of(rate_limit, self._api_key)
        self._rate_limit = rate_limit  # the budget itself lives on the transport: copies sharing it share the limit
        retrying = AsyncRetryingTransport(inner, api_key=self._api_key, max_retries=max_retries, budget=budget)
        self._http = httpx2.AsyncClient(transport=retrying, **self._httpx_args)
        self._pool_owner = self._http

    def with_options(
        self,
        *,
        timeout: TimeoutOption | Omitted = OMITTED,
        max_retries: int | Omitted = OMITTED,
        headers: Mapping[str, str] | None = None,
    ) -> AsyncWassist:
        """The async twin of `Wassist.with_options`."""
        copy = self._copy_with(CallOptions(timeout=timeout, max_retries=max_retries, headers=headers))
        copy._http = AsyncClientWithOptions(self._pool_owner, copy._call_options)
        return copy

    def get_async_httpx_client(self) -> httpx2.AsyncClient:
        return self._http

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> AsyncWassist:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()
