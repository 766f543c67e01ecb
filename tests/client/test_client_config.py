"""Wassist/AsyncWassist configuration, seen from a loopback server: key, headers, base URL, environment."""

from __future__ import annotations

import logging
import platform

import httpx2
import pytest

import wassist_api_client
from tests.client.support import (
    API_KEY,
    SESSION_ID,
    SESSION_JSON,
    Flavour,
    Loopback,
    Reply,
    assert_clean_error,
    assert_no_key,
    raises_clean,
)
from wassist_api_client import APIConnectionError, AsyncWassist, Wassist, WassistError


def test_create_sends_the_key_as_x_api_key_and_nothing_else(flavour: Flavour, server: Loopback) -> None:
    server.reply(Reply(201, SESSION_JSON))

    session = flavour.create(base_url=server.url)

    assert str(session.id) == SESSION_ID
    assert session.link_url == SESSION_JSON["linkUrl"]
    [seen] = server.seen
    assert (seen.method, seen.path) == ("POST", "/api/v1/whatsapp-link-sessions/")
    assert seen.header("X-API-Key") == [API_KEY]
    assert seen.header("Authorization") == []
    assert seen.header("Content-Type") == ["application/json"]


def test_user_agent_names_the_package_and_python_versions(flavour: Flavour, server: Loopback) -> None:
    server.reply(Reply(201, SESSION_JSON))

    flavour.create(base_url=server.url)

    expected = f"wassist-api-client/{wassist_api_client.__version__} python/{platform.python_version()}"
    assert server.seen[0].header("User-Agent") == [expected]


def test_environment_variables_give_key_and_base_url(
    flavour: Flavour, server: Loopback, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WASSIST_API_KEY", API_KEY + "-from-env")
    monkeypatch.setenv("WASSIST_BASE_URL", server.url)
    server.reply(Reply(201, SESSION_JSON))

    flavour.create(api_key=None)

    assert server.seen[0].header("X-API-Key") == [API_KEY + "-from-env"]


def test_arguments_win_over_environment_variables(
    flavour: Flavour, server: Loopback, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WASSIST_API_KEY", "not-this-one")
    monkeypatch.setenv("WASSIST_BASE_URL", "http://127.0.0.1:9")  # the discard port: would fail
    server.reply(Reply(201, SESSION_JSON))

    flavour.create(base_url=server.url)

    assert server.seen[0].header("X-API-Key") == [API_KEY]


@pytest.mark.parametrize("client_class", [Wassist, AsyncWassist])
def test_missing_key_is_a_clear_error_naming_the_variable(
    client_class: type[Wassist] | type[AsyncWassist], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("WASSIST_API_KEY", raising=False)

    with raises_clean(WassistError) as info:
        client_class()

    assert "WASSIST_API_KEY" in str(info.value)
    assert f"{client_class.__name__}(api_key=...)" in str(info.value)


def test_default_base_url_is_the_production_api(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WASSIST_BASE_URL", raising=False)

    with Wassist(api_key=API_KEY) as client:
        assert client.get_httpx_client().base_url == httpx2.URL("https://backend.wassist.app")
        assert repr(client) == "Wassist(base_url='https://backend.wassist.app')"


@pytest.mark.parametrize("suffix", ["", "/"])
def test_base_url_with_or_without_trailing_slash_sends_the_exact_path(
    flavour: Flavour, server: Loopback, suffix: str
) -> None:
    server.reply(Reply(201, SESSION_JSON))

    flavour.create(base_url=server.url + suffix)

    assert server.seen[0].path == "/api/v1/whatsapp-link-sessions/"


def test_extra_headers_are_sent_and_cannot_replace_the_key(flavour: Flavour, server: Loopback) -> None:
    server.reply(Reply(201, SESSION_JSON))

    flavour.create(base_url=server.url, headers={"X-Trace": "t-1", "X-API-Key": "someone-else"})

    assert server.seen[0].header("X-Trace") == ["t-1"]
    assert server.seen[0].header("X-API-Key") == [API_KEY]


@pytest.mark.parametrize("client_class", [Wassist, AsyncWassist])
def test_repr_shows_the_base_url_never_the_key(client_class: type[Wassist] | type[AsyncWassist]) -> None:
    client = client_class(api_key=API_KEY, base_url="http://127.0.0.1:1")

    assert repr(client) == f"{client_class.__name__}(base_url='http://127.0.0.1:1')"
    http = client.get_async_httpx_client() if isinstance(client, AsyncWassist) else client.get_httpx_client()
    # The key is added per attempt inside the transport: the httpx2 client does not hold it as a header.
    assert "x-api-key" not in http.headers
    assert_no_key(repr(client), repr(http), repr(http.headers), vars(client).get("_http"))


@pytest.mark.parametrize("client_class", [Wassist, AsyncWassist])
def test_protocol_members_and_strict_mode_is_read_only(client_class: type[Wassist] | type[AsyncWassist]) -> None:
    client = client_class(api_key=API_KEY, strict_response_validation=True)

    assert client.strict_response_validation is True
    with pytest.raises(AttributeError):
        client.strict_response_validation = False  # type: ignore[misc]
    assert client_class(api_key=API_KEY).strict_response_validation is False


def test_verify_false_logs_a_warning(caplog: pytest.LogCaptureFixture) -> None:
    Wassist(api_key=API_KEY, verify=False).close()

    [warning] = [r for r in caplog.records if r.levelno == logging.WARNING and r.name == "wassist_api_client"]
    assert "verify=False" in warning.getMessage()
    Wassist(api_key=API_KEY).close()
    assert len([r for r in caplog.records if r.levelno == logging.WARNING]) == 1


def test_timeout_accepts_a_float_and_an_httpx_timeout() -> None:
    with Wassist(api_key=API_KEY, timeout=3.5) as client:
        assert client.get_httpx_client().timeout == httpx2.Timeout(3.5)
    with Wassist(api_key=API_KEY, timeout=httpx2.Timeout(1.0, connect=2.0)) as client:
        assert client.get_httpx_client().timeout == httpx2.Timeout(1.0, connect=2.0)


def httpx_stand_in(name: str) -> object:
    """An object of a class that says it is httpx's `name` (httpx itself is not installed on the matrix's Pythons)."""
    return type(name, (), {"__module__": "httpx"})()


@pytest.mark.parametrize("client_class", [Wassist, AsyncWassist])
@pytest.mark.parametrize(
    ("kwargs", "expected", "names_httpx2"),
    [
        ({"timeout": httpx_stand_in("Timeout")}, "timeout= must be a number of seconds or an httpx2.Timeout", True),
        ({"timeout": "5"}, "timeout= must be a number of seconds or an httpx2.Timeout, not builtins.str", False),
        ({"transport": httpx_stand_in("HTTPTransport")}, "transport= must be an httpx2.(Async)?BaseTransport", True),
    ],
    ids=["httpx-timeout", "str-timeout", "httpx-transport"],
)
def test_httpx_objects_and_other_types_are_refused_with_the_way_out(
    client_class: type[Wassist] | type[AsyncWassist], kwargs: dict[str, object], expected: str, names_httpx2: bool
) -> None:
    with pytest.raises(TypeError, match=expected) as info:
        client_class(api_key=API_KEY, **kwargs)  # type: ignore[arg-type]
    assert ("`import httpx2` instead of `import httpx`" in str(info.value)) is names_httpx2
    assert API_KEY not in str(info.value)


def test_a_sync_transport_is_refused_by_the_async_client() -> None:
    with pytest.raises(TypeError, match=r"httpx2\.AsyncBaseTransport, not httpx2\.HTTPTransport"):
        AsyncWassist(api_key=API_KEY, transport=httpx2.HTTPTransport())  # type: ignore[arg-type]


def test_negative_max_retries_is_refused() -> None:
    with pytest.raises(ValueError, match="max_retries"):
        Wassist(api_key=API_KEY, max_retries=-1)


def test_sync_client_closes_its_connections_on_exit(server: Loopback) -> None:
    server.reply(Reply(201, SESSION_JSON))
    with Wassist(api_key=API_KEY, base_url=server.url) as client:
        client.get_httpx_client().post("/api/v1/whatsapp-link-sessions/")
    assert client.get_httpx_client().is_closed
    with pytest.raises(RuntimeError):
        client.get_httpx_client().get("/")


def test_debug_log_has_method_url_status_and_time_but_no_headers(
    flavour: Flavour, server: Loopback, caplog: pytest.LogCaptureFixture
) -> None:
    server.reply(Reply(503, {"error": "busy"}, headers={"Retry-After": "0"}), Reply(201, SESSION_JSON))

    flavour.create(base_url=server.url)

    lines = [r.getMessage() for r in caplog.records if r.name == "wassist_api_client" and r.levelno == logging.DEBUG]
    url = f"{server.url}/api/v1/whatsapp-link-sessions/"
    assert lines[0].startswith(f"POST {url} -> 503 in ") and lines[0].endswith(" ms")
    assert lines[1] == f"POST {url}: retry 1 of 2 in 0.00 s after HTTP 503"
    assert lines[2].startswith(f"POST {url} -> 201 in ")
    assert len(lines) == 3
    assert not any("x-api-key" in line.lower() or "user-agent" in line.lower() for line in lines)


def test_the_key_guard_used_by_these_tests_catches_leaks() -> None:
    with pytest.raises(AssertionError):
        assert_clean_error(WassistError(f"bad key {API_KEY}"))
    keyed_request = httpx2.Request("GET", "https://api.test/", headers={"X-API-Key": API_KEY})
    with pytest.raises(AssertionError):
        assert_clean_error(APIConnectionError(request=keyed_request))
