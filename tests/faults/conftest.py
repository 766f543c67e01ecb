"""Fixtures of tests/faults: loopback servers (plain and TLS), both client flavours, the whole-suite key guard.

Every test here runs with DEBUG logging captured for every logger (the client's, httpx's, httpcore's);
after each test the guard fails it if either test key appears in any record, its arguments or its traceback.
"""

from __future__ import annotations

import logging
import ssl
from collections.abc import Iterator

import pytest

from tests.client.support import API_KEY, Flavour, Loopback
from tests.faults.harness import CERT_AND_KEY, SWEEP_KEY


@pytest.fixture
def server() -> Iterator[Loopback]:
    loopback = Loopback()
    yield loopback
    loopback.stop()


@pytest.fixture
def tls_server() -> Iterator[Loopback]:
    """An HTTPS loopback server whose certificate (self-signed, for 127.0.0.1) no default trust store accepts."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(CERT_AND_KEY)
    loopback = Loopback(tls=context)
    yield loopback
    loopback.stop()


@pytest.fixture(params=[False, True], ids=["sync", "async"])
def flavour(request: pytest.FixtureRequest) -> Flavour:
    return Flavour(request.param)


@pytest.fixture(autouse=True)
def keys_never_logged(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    caplog.set_level(logging.DEBUG)
    yield
    formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
    for record in caplog.get_records("setup") + caplog.get_records("call"):
        text = formatter.format(record) + repr(record.args)
        for key in (API_KEY, SWEEP_KEY):
            assert key not in text, f"API key logged by {record.name}"
