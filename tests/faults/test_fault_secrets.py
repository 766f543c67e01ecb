"""The secrets sweep: every error path of the fault table, then TLS verification, looked through for the API key.

The key is looked for in repr(client) before and after the error, str/repr/args/vars of the error and
of every exception chained to it, the formatted traceback, the requests the errors carry (and their
headers), the locals of every library frame in the traceback (what error trackers record), and every
DEBUG record of every logger.
"""

from __future__ import annotations

import asyncio
import logging
import re
import ssl
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx2
import pytest

from tests.client.support import SESSION_JSON, Flavour, Loopback, Reply, link_session_body
from tests.faults.cases import ERRORS
from tests.faults.harness import CERT_AND_KEY, SWEEP_KEY, Fault, Outcome, assert_key_absent, exchange
from wassist_api_client import APIConnectionError, AsyncWassist, Wassist, WassistError
from wassist_api_client.api.whatsapp_link_sessions import create

CERTIFICATE_REJECTED = (
    r"Connection error: ConnectError: \[SSL: CERTIFICATE_VERIFY_FAILED\] certificate verify failed: "
    r"self[- ]signed certificate.*"
)


@pytest.mark.parametrize("fault", ERRORS, ids=[fault.id for fault in ERRORS])
def test_no_error_path_shows_the_key(
    flavour: Flavour, server: Loopback, fault: Fault, caplog: pytest.LogCaptureFixture
) -> None:
    outcome = exchange(flavour, server, fault, api_key=SWEEP_KEY)

    assert type(outcome.error) is fault.raises
    assert all(seen.header("X-API-Key") == [SWEEP_KEY] for seen in server.seen)  # the key was really used
    assert_key_absent(SWEEP_KEY, outcome, caplog.records)


def run_on(
    flavour: Flavour, url: str, then_url: str | None = None, **client_args: Any
) -> tuple[Any, BaseException | None, Any, list[str]]:
    """create() on `url` through a client built with only `client_args` (no test defaults), then a GET of `then_url`.

    Returns (the session or None, the error or None, the follow-up response, repr(client) before and after).
    """
    body = link_session_body()
    args: dict[str, Any] = {"api_key": SWEEP_KEY, "base_url": url, "max_retries": 0, **client_args}

    if flavour.is_async:

        async def main() -> tuple[Any, BaseException | None, Any, list[str]]:
            session, error, after = None, None, None
            async with AsyncWassist(**args) as client:
                reprs = [repr(client)]
                try:
                    session = await create.asyncio(client=client, body=body)
                except WassistError as exc:
                    error = exc
                reprs.append(repr(client))
                if then_url:
                    after = await client.get_async_httpx_client().get(then_url)
            return session, error, after, reprs

        return asyncio.run(main())
    session, error, after = None, None, None
    with Wassist(**args) as client:
        reprs = [repr(client)]
        try:
            session = create.sync(client=client, body=body)
        except WassistError as exc:
            error = exc
        reprs.append(repr(client))
        if then_url:
            after = client.get_httpx_client().get(then_url)
    return session, error, after, reprs


def test_tls_verification_is_on_by_default(
    flavour: Flavour, tls_server: Loopback, server: Loopback, caplog: pytest.LogCaptureFixture
) -> None:
    server.reply(Reply(200, {"ok": True}))

    # No verify= and no transport=: what `Wassist()` does for every user.
    session, error, after, reprs = run_on(flavour, tls_server.url, then_url=f"{server.url}/api/v1/things/")

    assert session is None
    assert type(error) is APIConnectionError
    assert isinstance(error.__cause__, httpx2.ConnectError)
    assert tls_server.seen == []  # nothing, the key least of all, went to a server that failed verification
    assert after.json() == {"ok": True}  # the same client still works
    assert re.fullmatch(CERTIFICATE_REJECTED, str(error)), str(error)
    assert_key_absent(SWEEP_KEY, Outcome(Fault("tls", ()), tls_server, error=error, client_reprs=reprs), caplog.records)
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


def test_verify_false_must_be_explicit_and_logs_a_warning(
    flavour: Flavour, tls_server: Loopback, caplog: pytest.LogCaptureFixture
) -> None:
    tls_server.reply(Reply(201, SESSION_JSON))

    session, error, _, _ = run_on(flavour, tls_server.url, verify=False)

    assert error is None and session.link_url == SESSION_JSON["linkUrl"]
    assert tls_server.seen[0].header("X-API-Key") == [SWEEP_KEY]
    [warning] = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert (warning.name, warning.levelno) == ("wassist_api_client", logging.WARNING)
    assert "verify=False" in warning.getMessage()


def test_a_context_trusting_the_certificate_connects_without_a_warning(
    flavour: Flavour, tls_server: Loopback, caplog: pytest.LogCaptureFixture
) -> None:
    tls_server.reply(Reply(201, SESSION_JSON))
    trusting = ssl.create_default_context(cafile=str(CERT_AND_KEY))

    session, error, _, _ = run_on(flavour, tls_server.url, verify=trusting)

    assert error is None and session.link_url == SESSION_JSON["linkUrl"]
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


def planted_error() -> Exception:
    try:
        raise ValueError(f"inner {SWEEP_KEY}")
    except ValueError as inner:
        try:
            raise WassistError("outer, clean") from inner
        except WassistError as outer:
            return outer


def keyed_request_error() -> Exception:
    request = httpx2.Request("GET", "https://api.test/", headers={"X-API-Key": SWEEP_KEY})
    return APIConnectionError(request=request)


def frame_local_error() -> Exception:
    def library_frame(secret: str) -> None:
        raise WassistError("clean")

    library_frame.__code__ = library_frame.__code__.replace(co_filename="/site-packages/somewhere.py")
    try:
        library_frame(SWEEP_KEY)
    except WassistError as exc:
        return exc
    raise AssertionError("unreachable")


@pytest.mark.parametrize(
    ("where", "outcome_args", "records"),
    [
        ("repr(client)", {"client_reprs": [f"Wassist(api_key={SWEEP_KEY!r})"]}, []),
        ("str(WassistError)", {"error": WassistError(f"bad key {SWEEP_KEY}")}, []),
        ("str(ValueError)", {"error": planted_error()}, []),  # only in a chained cause
        ("APIConnectionError.request.headers (an X-API-Key header)", {"error": keyed_request_error()}, []),
        ("locals of library_frame", {"error": frame_local_error()}, []),
        ("log record", {}, [logging.LogRecord("httpx2", logging.DEBUG, "x.py", 1, "sent %s", (SWEEP_KEY,), None)]),
    ],
    ids=["client", "message", "chained cause", "request header", "frame locals", "log record"],
)
def test_the_sweep_finds_a_planted_key(where: str, outcome_args: dict[str, Any], records: list[Any]) -> None:
    outcome = Outcome(Fault("planted", ()), Loopback.__new__(Loopback), **outcome_args)

    with pytest.raises(AssertionError, match="the API key appears in") as info:
        assert_key_absent(SWEEP_KEY, outcome, records)

    assert where in str(info.value)


# --- a spec that names its own API-key header -----------------------------------------------------------------------

CUSTOM_KEY_SPEC = Path(__file__).with_name("specs") / "custom_key_header.json"  # apiKey header X-Custom-Key


@pytest.fixture(scope="module")
def custom_key_package(generated_package: Callable[[Path], ModuleType]) -> ModuleType:
    return generated_package(CUSTOM_KEY_SPEC)


@pytest.mark.parametrize("fault", ERRORS, ids=[fault.id for fault in ERRORS])
def test_a_spec_named_key_header_carries_the_key_and_no_error_path_shows_it(
    flavour: Flavour, server: Loopback, fault: Fault, caplog: pytest.LogCaptureFixture, custom_key_package: ModuleType
) -> None:
    outcome = exchange(flavour, server, fault, api_key=SWEEP_KEY, package=custom_key_package)

    assert fault.raises is not None
    assert type(outcome.error).__name__ == fault.raises.__name__  # the generated package's own class
    assert server.seen
    assert all(seen.header("X-Custom-Key") == [SWEEP_KEY] for seen in server.seen)
    assert all(seen.header("X-API-Key") == [] for seen in server.seen)
    assert_key_absent(SWEEP_KEY, outcome, caplog.records, header="X-Custom-Key")


def test_the_default_base_url_is_the_specs_first_server(
    custom_key_package: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("WASSIST_BASE_URL", raising=False)
    assert custom_key_package.Wassist(api_key=SWEEP_KEY).base_url == "https://custom.example.test"
    assert custom_key_package.Wassist(api_key=SWEEP_KEY, base_url="http://127.0.0.1:1").base_url == "http://127.0.0.1:1"
    monkeypatch.setenv("WASSIST_BASE_URL", "http://127.0.0.1:2")
    assert custom_key_package.Wassist(api_key=SWEEP_KEY).base_url == "http://127.0.0.1:2"
