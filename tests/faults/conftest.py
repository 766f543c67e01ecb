"""Fixtures of tests/faults: loopback servers (plain and TLS), both client flavours, the whole-suite key guard.

Every test here runs with DEBUG logging captured for every logger (the client's, httpx2's, httpcore's);
after each test the guard fails it if either test key appears in any record, its arguments or its traceback.
"""

from __future__ import annotations

import logging
import ssl
from collections.abc import Iterator

import pytest

from tests.client.support import API_KEY, Loopback, assert_keys_not_logged, flavour, server
from tests.faults.harness import CERT_AND_KEY, SWEEP_KEY

__all__ = ["flavour", "server"]  # fixtures


@pytest.fixture
def tls_server() -> Iterator[Loopback]:
    """An HTTPS loopback server whose certificate (self-signed, for 127.0.0.1) no default trust store accepts."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(CERT_AND_KEY)
    loopback = Loopback(tls=context)
    yield loopback
    loopback.stop()


@pytest.fixture(autouse=True)
def keys_never_logged(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    caplog.set_level(logging.DEBUG)
    yield
    assert_keys_not_logged(caplog, API_KEY, SWEEP_KEY)
