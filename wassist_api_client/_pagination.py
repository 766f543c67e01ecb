"""Iterate the items of a generated list operation across pages.

    for item in paginate(items_list.sync, client=client, limit=100): ...
    for item in paginate(client.items.list, limit=100): ...              # a namespace method: no client=
    async for item in apaginate(items_list.asyncio, client=async_client): ...

A page is either a bare JSON array (its items, then stop) or Django REST framework's envelope
`{"count", "next", "previous", "results"}`: the next page is asked for with `offset` when the
operation takes one, else by following the `next` link.
"""

from __future__ import annotations

import functools
import inspect
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from typing import Any, Protocol, TypeVar, overload

import httpx2

from . import _response_body
from .client import AsyncClient, Client

__all__ = ["MAX_PAGES", "Page", "apaginate", "paginate"]

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)
MAX_PAGES = 10_000
logger = logging.getLogger("wassist_api_client")


class Page(Protocol[T_co]):
    """A generated pagination envelope (the generator names the `next` field `next_`)."""

    @property
    def results(self) -> Sequence[T_co]: ...

    @property
    def next_(self) -> object: ...


class _Walk:
    """The page-to-page logic shared by paginate and apaginate."""

    def __init__(self, fn: Callable[..., Any], kwargs: dict[str, Any]) -> None:
        self.by_offset = "offset" in inspect.signature(fn).parameters
        self.kwargs = kwargs
        self.pages = 0
        self.previous: Sequence[Any] | None = None

    def step(self, page: Any) -> tuple[Sequence[Any], dict[str, Any] | str | None]:
        """The items of `page` and what comes next: kwargs for `fn`, a `next` link, or None (the end)."""
        self.pages += 1
        if page is None:
            return [], None
        if isinstance(page, list):
            return page, None
        if not hasattr(page, "results"):
            raise TypeError(f"{type(page).__name__} is neither a list nor a page of results: nothing to paginate")
        results, next_link = page.results, getattr(page, "next_", None)
        if results == self.previous:
            logger.warning("page %d repeats the previous page: the server ignores paging; stopping", self.pages)
            return [], None
        self.previous = results
        if not results or not isinstance(next_link, str) or not next_link:
            return results, None
        if self.pages >= MAX_PAGES:
            logger.warning("stopping after %d pages (MAX_PAGES)", self.pages)
            return results, None
        if self.by_offset:
            offset = self.kwargs.get("offset")
            self.kwargs["offset"] = (offset if isinstance(offset, int) else 0) + len(results)
            return results, self.kwargs
        # Only the path and query of `next`: a link built with the wrong scheme or host (a proxy's)
        # must not take the API key elsewhere.
        return results, httpx2.URL(next_link).raw_path.decode("ascii")


def _bind(fn: Callable[..., Any], client: Any) -> tuple[Callable[..., Any], Any]:
    """`fn` as a function of the operation's arguments only, and the client it calls through.

    A module function takes `client=`; a namespace method (`client.agents.list`) is bound to a
    resource that holds its client (generated resources keep it as `_client`)."""
    if client is not None:
        return functools.partial(fn, client=client), client
    bound_client = getattr(getattr(fn, "__self__", None), "_client", None)
    if bound_client is None:
        raise TypeError(f"{getattr(fn, '__qualname__', fn)!r} is no namespace method: pass client=")
    return fn, bound_client


def _parse(page_type: Any, response: httpx2.Response, strict: bool) -> Any:
    with _response_body.json_body(response, strict=strict) as body:
        return page_type.from_dict(body)


@overload
def paginate(fn: Callable[..., Page[T] | None], *, client: Client | None = None, **kwargs: Any) -> Iterator[T]: ...
@overload
def paginate(fn: Callable[..., list[T] | None], *, client: Client | None = None, **kwargs: Any) -> Iterator[T]: ...
def paginate(fn: Callable[..., Any], *, client: Client | None = None, **kwargs: Any) -> Iterator[Any]:
    """Every item of a generated `sync` list function's (or namespace method's) pages, in order;
    `kwargs` are its arguments; `client` is needed for a module function only."""
    walk = _Walk(fn, kwargs)
    fn, client = _bind(fn, client)
    page = fn(**kwargs)
    while True:
        items, after = walk.step(page)
        yield from items
        if after is None:
            return
        if isinstance(after, dict):
            page = fn(**after)
        else:
            response = client.get_httpx_client().get(after)
            page = _parse(type(page), response, client.strict_response_validation)


@overload
def apaginate(
    fn: Callable[..., Awaitable[Page[T] | None]], *, client: AsyncClient | None = None, **kwargs: Any
) -> AsyncIterator[T]: ...
@overload
def apaginate(
    fn: Callable[..., Awaitable[list[T] | None]], *, client: AsyncClient | None = None, **kwargs: Any
) -> AsyncIterator[T]: ...
async def apaginate(
    fn: Callable[..., Awaitable[Any]], *, client: AsyncClient | None = None, **kwargs: Any
) -> AsyncIterator[Any]:
    """Every item of a generated `asyncio` list function's (or async namespace method's) pages, in order."""
    walk = _Walk(fn, kwargs)
    fn, client = _bind(fn, client)
    page = await fn(**kwargs)
    while True:
        items, after = walk.step(page)
        for item in items:
            yield item
        if after is None:
            return
        if isinstance(after, dict):
            page = await fn(**after)
        else:
            response = await client.get_async_httpx_client().get(after)
            page = _parse(type(page), response, client.strict_response_validation)
