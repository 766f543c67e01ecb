"""scripts/prism.py: Prism starts on a free loopback port with request validation on, says why when it cannot
start, and leaves no process behind. Uses a tiny spec written here (not the Wassist spec)."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import httpx2
import pytest
from conftest import _processes_mentioning

from scripts.prism import PrismError, PrismServer, start_prism

TINY_SPEC = {
    "openapi": "3.0.3",
    "info": {"title": "tiny", "version": "1"},
    "paths": {
        "/things/": {
            "post": {
                "operationId": "things_create",
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "properties": {"name": {"type": "string", "minLength": 2}},
                                "required": ["name"],
                            }
                        }
                    },
                },
                "responses": {
                    "201": {
                        "description": "",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "properties": {"count": {"type": "integer"}},
                                    "required": ["count"],
                                },
                                # an example that breaks its own schema: --errors turns it into a 500
                                "example": {"count": "not a number"},
                            }
                        },
                    }
                },
            }
        }
    },
}


@pytest.fixture
def tiny_spec(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.json"
    path.write_text(json.dumps(TINY_SPEC), encoding="utf-8")
    return path


def _assert_gone(server: PrismServer) -> None:
    assert not server.group_alive(), f"{server} left its process group alive"
    assert server.process.returncode is not None
    assert not _processes_mentioning(str(server.spec)), "a Prism process for this spec is still running"


def test_prism_validates_requests_and_stops_cleanly(tiny_spec: Path) -> None:
    with start_prism(tiny_spec) as prism:
        assert prism.host == "127.0.0.1"
        assert prism.process.poll() is None
        invalid = httpx2.post(f"{prism.base_url}/things/", json={"name": "x"})
        assert invalid.status_code == 422, invalid.text
        assert "minLength" in invalid.text or "must NOT have fewer" in invalid.text, invalid.text
        # --errors: Prism checks its own answer too (the documented example breaks the schema)
        checked = httpx2.post(f"{prism.base_url}/things/", json={"name": "xy"})
        assert checked.status_code == 500, checked.text
        assert "VIOLATIONS" in checked.text
        assert "Request received" in prism.output()
    _assert_gone(prism)
    assert "Request received" in prism.output()  # the log outlives the process


def test_without_errors_flag_the_broken_example_is_served(tiny_spec: Path) -> None:
    with start_prism(tiny_spec, errors=False) as prism:
        response = httpx2.post(f"{prism.base_url}/things/", json={"name": "xy"})
        assert response.status_code == 201, response.text
        assert response.json() == {"count": "not a number"}
    _assert_gone(prism)


def test_two_servers_get_two_free_ports(tiny_spec: Path) -> None:
    with start_prism(tiny_spec) as first, start_prism(tiny_spec) as second:
        assert first.port != second.port
        for server in (first, second):
            assert httpx2.post(f"{server.base_url}/things/", json={"name": "xy"}).status_code == 500
    _assert_gone(first)
    _assert_gone(second)


def test_a_broken_spec_fails_with_prisms_message(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    spec = json.loads(json.dumps(TINY_SPEC))
    spec["paths"]["/things/"]["post"]["responses"]["201"]["content"]["application/json"]["schema"] = {
        "$ref": "#/components/schemas/Missing"
    }
    broken.write_text(json.dumps(spec), encoding="utf-8")
    with pytest.raises(PrismError) as raised:
        start_prism(broken)
    message = str(raised.value)
    assert "exited" in message and "Missing" in message, message
    assert not _processes_mentioning(str(broken))


def test_a_busy_port_fails_with_prisms_message(tiny_spec: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(PrismError, match="EADDRINUSE"):
            start_prism(tiny_spec, port=port)
    assert not _processes_mentioning(str(tiny_spec))


def test_a_missing_spec_or_binary_is_reported(tiny_spec: Path, tmp_path: Path) -> None:
    with pytest.raises(PrismError, match="no spec file"):
        start_prism(tmp_path / "nothing.json")
    with pytest.raises(PrismError, match="npm ci"):
        start_prism(tiny_spec, binary=tmp_path / "no-prism")


def test_stop_is_idempotent_and_survives_an_exception(tiny_spec: Path) -> None:
    with pytest.raises(RuntimeError, match="inside"), start_prism(tiny_spec) as prism:
        raise RuntimeError("inside the block")
    _assert_gone(prism)
    prism.stop()  # a second stop is harmless
    _assert_gone(prism)
