"""paginate/apaginate on a package generated from tests/client/specs/pages.json, served by the loopback server."""

from __future__ import annotations

import asyncio
import importlib
import logging
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

import wassist_api_client._pagination
from tests.client.support import API_KEY, SESSION_JSON, Flavour, Loopback, Reply, Seen, link_session_body, raises_clean
from wassist_api_client import apaginate, paginate
from wassist_api_client.api.whatsapp_link_sessions import create

SPEC = Path(__file__).parent / "specs" / "pages.json"
ITEMS = [{"id": n, "name": f"item {n}"} for n in range(1, 8)]  # 7 items: pages of 3, 3 and 1

pytestmark = pytest.mark.slow  # generates a package once per session


@pytest.fixture(scope="module")
def pages(generated_package: Callable[[Path], ModuleType]) -> ModuleType:
    return generated_package(SPEC)


def operation(package: ModuleType, resource: str) -> ModuleType:
    """The generated `list` operation of a resource (module `list_`: the generator avoids the builtin's name)."""
    return importlib.import_module(f"{package.__name__}.api.{resource}.list_")


def query(seen: Seen) -> dict[str, str]:
    return {key: values[-1] for key, values in parse_qs(urlsplit(seen.path).query).items()}


def offset_pages(seen: Seen) -> Reply:
    """DRF's LimitOffsetPagination, with `next` links on a host the client must not call."""
    params = query(seen)
    limit, offset = int(params.get("limit", 100)), int(params.get("offset", 0))
    results = ITEMS[offset : offset + limit]
    more = offset + limit < len(ITEMS)
    next_link = f"http://internal.invalid:8000/api/v1/items/?limit={limit}&offset={offset + limit}" if more else None
    return Reply(200, {"count": len(ITEMS), "next": next_link, "previous": None, "results": results})


def cursor_pages(seen: Seen) -> Reply:
    """A cursor list: the only way on is the `next` link (absolute, on another host, as behind a proxy)."""
    page = int(query(seen).get("cursor", "0"))
    results = ITEMS[page * 3 : page * 3 + 3]
    next_link = f"http://internal.invalid:8000/api/v1/events/?cursor={page + 1}" if page < 2 else None
    return Reply(200, {"count": len(ITEMS), "next": next_link, "previous": None, "results": results})


async def collect(items: AsyncIterator[Any]) -> list[Any]:
    return [item async for item in items]


def walk(flavour: Flavour, module: ModuleType, server: Loopback, **kwargs: Any) -> list[Any]:
    items: list[Any] = flavour.run(
        lambda c: list(paginate(module.sync, client=c, **kwargs)),
        lambda c: collect(apaginate(module.asyncio, client=c, **kwargs)),
        base_url=server.url,
    )
    return items


def test_offset_pages_give_every_item_once_in_order(flavour: Flavour, server: Loopback, pages: ModuleType) -> None:
    server.route = offset_pages

    items = walk(flavour, operation(pages, "items"), server, limit=3)

    assert [(item.id, item.name) for item in items] == [(i["id"], i["name"]) for i in ITEMS]
    assert type(items[0]).__name__ == "Item"
    assert [query(s) for s in server.seen] == [
        {"limit": "3"},
        {"limit": "3", "offset": "3"},
        {"limit": "3", "offset": "6"},
    ]
    assert {urlsplit(s.path).path for s in server.seen} == {"/api/v1/items/"}


def test_offset_pages_start_where_asked(flavour: Flavour, server: Loopback, pages: ModuleType) -> None:
    server.route = offset_pages

    items = walk(flavour, operation(pages, "items"), server, limit=2, offset=3)

    assert [item.id for item in items] == [4, 5, 6, 7]
    assert [query(s).get("offset") for s in server.seen] == ["3", "5"]


def test_next_links_are_followed_on_the_clients_own_host(flavour: Flavour, server: Loopback, pages: ModuleType) -> None:
    server.route = cursor_pages

    items = walk(flavour, operation(pages, "events"), server)

    assert [item.id for item in items] == [1, 2, 3, 4, 5, 6, 7]
    assert [s.path for s in server.seen] == ["/api/v1/events/", "/api/v1/events/?cursor=1", "/api/v1/events/?cursor=2"]
    assert all(s.header("X-API-Key") for s in server.seen)


def test_a_bare_array_passes_through(flavour: Flavour, server: Loopback, pages: ModuleType) -> None:
    server.reply(Reply(200, ITEMS[:4]))

    items = walk(flavour, operation(pages, "tags"), server)

    assert [item.id for item in items] == [1, 2, 3, 4]
    assert len(server.seen) == 1


def test_a_server_that_ignores_offset_stops_after_one_repeat(
    flavour: Flavour, server: Loopback, pages: ModuleType, caplog: pytest.LogCaptureFixture
) -> None:
    next_link = "http://internal.invalid/api/v1/items/?limit=3&offset=3"
    server.route = lambda seen: Reply(200, {"count": 7, "next": next_link, "previous": None, "results": ITEMS[:3]})

    items = walk(flavour, operation(pages, "items"), server, limit=3)

    assert [item.id for item in items] == [1, 2, 3]
    assert len(server.seen) == 2
    assert any("repeats the previous page" in r.getMessage() for r in caplog.records if r.levelno == logging.WARNING)


def test_an_empty_page_ends_the_walk_even_with_a_next_link(
    flavour: Flavour, server: Loopback, pages: ModuleType
) -> None:
    empty = {"count": 0, "next": "http://internal.invalid/api/v1/items/?offset=3", "previous": None, "results": []}
    server.reply(Reply(200, empty))

    assert walk(flavour, operation(pages, "items"), server) == []
    assert len(server.seen) == 1


def test_the_page_cap_ends_an_endless_list(
    flavour: Flavour, server: Loopback, pages: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(wassist_api_client._pagination, "MAX_PAGES", 4)

    def endless(seen: Seen) -> Reply:
        offset = int(query(seen).get("offset", 0))
        page = {"count": 10**9, "next": "http://x.invalid/?offset=1", "previous": None, "results": [ITEMS[offset % 7]]}
        return Reply(200, page)

    server.route = endless

    items = walk(flavour, operation(pages, "items"), server, limit=1)

    assert len(items) == 4
    assert len(server.seen) == 4


def test_an_error_on_a_later_page_is_raised(flavour: Flavour, server: Loopback, pages: ModuleType) -> None:
    first = {"count": 7, "next": "http://x.invalid/?offset=3", "previous": None, "results": ITEMS[:3]}
    server.reply(Reply(200, first), Reply(404, {"error": "Gone", "code": "not_found"}))

    with raises_clean(wassist_api_client.NotFoundError):
        walk(flavour, operation(pages, "items"), server, limit=3)


def test_an_operation_that_is_not_a_list_is_refused(flavour: Flavour, server: Loopback) -> None:
    server.reply(Reply(201, SESSION_JSON))
    body = link_session_body()

    with pytest.raises(TypeError, match="WhatsAppLinkSession is neither a list nor a page"):
        flavour.run(  # mypy already refuses these calls; at run time it is a clear TypeError
            lambda c: list(paginate(create.sync, client=c, body=body)),  # type: ignore[arg-type]
            lambda c: collect(apaginate(create.asyncio, client=c, body=body)),  # type: ignore[arg-type]
            base_url=server.url,
        )


def test_a_namespace_method_paginates_without_client(server: Loopback, pages: ModuleType) -> None:
    """`paginate(client.items.list, limit=3)`: the method's resource knows its client, for `next` links too."""
    server.route = lambda seen: offset_pages(seen) if "/items/" in seen.path else cursor_pages(seen)
    with pages.Wassist(api_key=API_KEY, base_url=server.url) as client:
        items = list(paginate(client.items.list, limit=3))
        events = list(paginate(client.events.list))
        with pytest.raises(TypeError, match="client="):
            list(paginate(operation(pages, "items").sync, limit=3))

    async def main() -> list[Any]:
        async with pages.AsyncWassist(api_key=API_KEY, base_url=server.url) as client:
            return await collect(apaginate(client.items.list, limit=3))

    assert [item.id for item in items] == [item.id for item in events] == [i["id"] for i in ITEMS]
    assert [item.id for item in asyncio.run(main())] == [i["id"] for i in ITEMS]
    assert sum("/events/" in seen.path for seen in server.seen) == 3  # the cursor list followed its `next` links
