"""Fixtures of tests/client: a loopback server per test, both client flavours, and the API-key guard.

Every test here runs with DEBUG logging captured; after each test the guard fails it if the API
key appears in any record (message or traceback).
"""

from __future__ import annotations

import logging
import socket
from collections.abc import Iterator

import pytest

from tests.client.support import API_KEY, assert_keys_not_logged, flavour, server

__all__ = ["flavour", "server"]  # fixtures


@pytest.fixture
def closed_port_url() -> str:
    """The URL of a loopback port nothing listens on (connections are refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


@pytest.fixture(autouse=True)
def key_never_logged(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """DEBUG logging is captured for every test here; no record may contain the API key."""
    caplog.set_level(logging.DEBUG)
    yield
    assert_keys_not_logged(caplog, API_KEY)
