"""`with_options(...)`: per-call timeout, retries and headers on the parent's connection pool (loopback server)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from tests.client.support import API_KEY, SESSION_JSON, TLS, Flavour, Loopback, Reply, link_session_body, raises_clean
from wassist_api_client import APITimeoutError, AsyncWassist, InternalServerError, Wassist
from wassist_api_client.api.whatsapp_link_sessions import create


def _create(client: Wassist) -> Any:
    return create.sync(client=client, body=link_session_body())


async def _acreate(client: AsyncWassist) -> Any:
    return await create.asyncio(client=client, body=link_session_body())


def test_timeout_and_no_retries_for_one_call(flavour: Flavour, server: Loopback) -> None:
    server.reply(Reply(201, SESSION_JSON, delay=3.0))

    with raises_clean(APITimeoutError):
        flavour.run(
            lambda c: _create(c.with_options(timeout=0.3, max_retries=0)),
            lambda c: _acreate(c.with_options(timeout=0.3, max_retries=0)),
            base_url=server.url,
        )

    assert len(server.seen) == 1


def test_no_retries_on_the_copy_while_the_parent_still_retries(flavour: Flavour, server: Loopback) -> None:
    server.route = lambda seen: Reply(503, {"error": "Unavailable"}, headers={"Retry-After": "0"})

    def sync_calls(client: Wassist) -> list[int]:
        counts = []
        for target in (client.with_options(max_retries=0), client):
            before = len(server.seen)
            with pytest.raises(InternalServerError):
                _create(target)
            counts.append(len(server.seen) - before)
        return counts

    async def async_calls(client: AsyncWassist) -> list[int]:
        counts = []
        for target in (client.with_options(max_retries=0), client):
            before = len(server.seen)
            with pytest.raises(InternalServerError):
                await _acreate(target)
            counts.append(len(server.seen) - before)
        return counts

    assert flavour.run(sync_calls, async_calls, base_url=server.url, max_retries=2) == [1, 3]


def test_headers_on_the_copy_only(flavour: Flavour, server: Loopback) -> None:
    server.route = lambda seen: Reply(201, SESSION_JSON)

    def sync_calls(client: Wassist) -> None:
        _create(client.with_options(headers={"X-Trace-Id": "abc"}))
        _create(client)

    async def async_calls(client: AsyncWassist) -> None:
        await _acreate(client.with_options(headers={"X-Trace-Id": "abc"}))
        await _acreate(client)

    flavour.run(sync_calls, async_calls, base_url=server.url, headers={"X-Team": "t1"})

    copy_call, parent_call = server.seen
    assert copy_call.header("X-Trace-Id") == ["abc"]
    assert parent_call.header("X-Trace-Id") == []
    # added to the parent's headers, not instead of them; the key and User-Agent still there
    assert copy_call.header("X-Team") == parent_call.header("X-Team") == ["t1"]
    assert copy_call.header("X-API-Key") == [API_KEY]
    assert copy_call.header("User-Agent") == parent_call.header("User-Agent")


def test_thirty_copies_share_one_connection(flavour: Flavour, server: Loopback) -> None:
    server.route = lambda seen: Reply(201, SESSION_JSON)

    def sync_calls(client: Wassist) -> None:
        for number in range(30):
            with client.with_options(timeout=10.0 + number, headers={"X-Call": str(number)}) as copy:
                _create(copy)

    async def async_calls(client: AsyncWassist) -> None:
        for number in range(30):
            async with client.with_options(timeout=10.0 + number, headers={"X-Call": str(number)}) as copy:
                await _acreate(copy)

    flavour.run(sync_calls, async_calls, base_url=server.url)

    assert len(server.seen) == 30
    assert len({seen.peer for seen in server.seen}) == 1
    assert [seen.header("X-Call") for seen in server.seen] == [[str(n)] for n in range(30)]


def test_closing_a_copy_leaves_the_parent_open(server: Loopback) -> None:
    server.route = lambda seen: Reply(201, SESSION_JSON)
    with Wassist(api_key=API_KEY, base_url=server.url, verify=TLS) as client:
        client.with_options(max_retries=0).close()
        assert str(_create(client).id) == SESSION_JSON["id"]

    async def main() -> None:
        async with AsyncWassist(api_key=API_KEY, base_url=server.url, verify=TLS) as client:
            await client.with_options(max_retries=0).aclose()
            assert str((await _acreate(client)).id) == SESSION_JSON["id"]

    asyncio.run(main())
    assert len(server.seen) == 2


def test_copy_of_a_copy_keeps_both_options(server: Loopback) -> None:
    server.route = lambda seen: Reply(503, {"error": "Unavailable"})
    with Wassist(api_key=API_KEY, base_url=server.url, verify=TLS) as client:
        copy = client.with_options(max_retries=0).with_options(headers={"X-Trace-Id": "abc"})
        with pytest.raises(InternalServerError):
            _create(copy)
    assert len(server.seen) == 1
    assert server.seen[0].header("X-Trace-Id") == ["abc"]


def test_shares_key_base_url_and_strict_mode() -> None:
    with Wassist(api_key=API_KEY, base_url="http://127.0.0.1:9", strict_response_validation=True) as client:
        copy = client.with_options(timeout=1.0)
        assert copy.base_url == client.base_url
        assert copy.strict_response_validation is True
        assert copy.get_httpx_client() is not client.get_httpx_client()
        assert API_KEY not in repr(copy)


@pytest.mark.parametrize("client_class", [Wassist, AsyncWassist])
def test_unknown_option_is_a_type_error_naming_it(client_class: type[Wassist] | type[AsyncWassist]) -> None:
    client = client_class(api_key=API_KEY)
    with pytest.raises(TypeError, match="retries"):
        client.with_options(retries=0)  # type: ignore[call-arg]
    with pytest.raises(ValueError, match="max_retries"):
        client.with_options(max_retries=-1)
