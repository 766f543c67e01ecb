"""Issue 8's acceptance lines for the link session, through the real generated `create` operation.

`_parse_response` is what `create.sync` runs on a 201; the end-to-end tests send the request through
`Wassist`/`AsyncWassist` with an httpx2.MockTransport (the wrapper's own loopback tests live in tests/client).
"""

from __future__ import annotations

import asyncio
import json
import logging
import uuid
from collections.abc import Callable
from typing import Any

import httpx2
import pytest

from wassist_api_client import APIResponseValidationError, AsyncWassist, Wassist, WassistError
from wassist_api_client.api.whatsapp_link_sessions import create
from wassist_api_client.models import (
    WhatsAppLinkSession,
    WhatsAppLinkSessionRequest,
    WhatsAppLinkSessionStatusEnum,
)

API_KEY = "wsk_test_models_SECRET_0123"
URL = "https://backend.wassist.app/api/v1/whatsapp-link-sessions/"


def session(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
        "successUrl": "https://example.com/ok",
        "returnUrl": "https://example.com/back",
        "status": "PENDING",
        "linkUrl": "https://wa.me/link/abc",
    }
    body.update(changes)
    return {key: value for key, value in body.items() if value is not _MISSING}


_MISSING = object()

# name -> (body, the JSON field it gets wrong)
MISMATCHES: dict[str, tuple[dict[str, Any], str]] = {
    "missing linkUrl": (session(linkUrl=_MISSING), "linkUrl"),
    "id not a uuid": (session(id="not-a-uuid"), "id"),
    "object in linkUrl": (session(linkUrl={"url": "https://wa.me/link/abc", "expires": 600}), "linkUrl"),
}


def created(body: Any) -> httpx2.Response:
    return httpx2.Response(201, json=body, request=httpx2.Request("POST", URL))


def warnings_of(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "wassist_api_client" and r.levelno >= logging.WARNING]


@pytest.fixture(autouse=True)
def capture_warnings(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="wassist_api_client")


@pytest.mark.parametrize("strict", [False, True], ids=["lenient", "strict"])
def test_an_unknown_status_parses_in_both_modes(strict: bool, caplog: pytest.LogCaptureFixture) -> None:
    parsed = create._parse_response(response=created(session(status="ARCHIVED")), strict=strict)

    assert parsed is not None
    assert parsed.status == "ARCHIVED"
    assert parsed.status.value == "ARCHIVED"
    assert str(parsed.status) == "ARCHIVED"
    assert isinstance(parsed.status, WhatsAppLinkSessionStatusEnum)
    assert parsed.status.is_known is False
    assert parsed.to_dict()["status"] == "ARCHIVED"
    assert parsed.to_dict() == session(status="ARCHIVED")
    assert warnings_of(caplog) == []


def test_a_known_status_is_its_member() -> None:
    parsed = create._parse_response(response=created(session()), strict=True)

    assert parsed is not None
    assert parsed.status is WhatsAppLinkSessionStatusEnum.PENDING
    assert parsed.status == "PENDING" and WhatsAppLinkSessionStatusEnum.PENDING == "PENDING"
    assert parsed.status.is_known
    assert parsed.id == uuid.UUID("3fa85f64-5717-4562-b3fc-2c963f66afa6")
    assert parsed.to_dict() == session()


@pytest.mark.parametrize(("body", "field"), MISMATCHES.values(), ids=MISMATCHES.keys())
def test_strict_mode_names_the_model_and_the_field(body: dict[str, Any], field: str) -> None:
    with pytest.raises(APIResponseValidationError) as info:
        create._parse_response(response=created(body), strict=True)

    message = str(info.value)
    assert "WhatsAppLinkSession" in message
    assert f"WhatsAppLinkSession at $.{field}:" in message
    assert [(issue.model, issue.path) for issue in info.value.issues] == [("WhatsAppLinkSession", f"$.{field}")]
    assert info.value.response.status_code == 201
    assert isinstance(info.value, WassistError)


@pytest.mark.parametrize(("body", "field"), MISMATCHES.values(), ids=MISMATCHES.keys())
def test_lenient_mode_keeps_what_came_and_warns_once(
    body: dict[str, Any], field: str, caplog: pytest.LogCaptureFixture
) -> None:
    parsed = create._parse_response(response=created(body), strict=False)

    assert isinstance(parsed, WhatsAppLinkSession)
    assert parsed.to_dict() == body
    assert json.loads(json.dumps(parsed.to_dict())) == body
    messages = warnings_of(caplog)
    assert len(messages) == 1, messages
    assert f"WhatsAppLinkSession at $.{field}:" in messages[0]
    assert "POST /api/v1/whatsapp-link-sessions/" in messages[0]


def test_lenient_values_are_kept_as_received() -> None:
    missing = create._parse_response(response=created(MISMATCHES["missing linkUrl"][0]), strict=False)
    not_uuid = create._parse_response(response=created(MISMATCHES["id not a uuid"][0]), strict=False)
    an_object = create._parse_response(response=created(MISMATCHES["object in linkUrl"][0]), strict=False)

    assert missing is not None and missing.link_url is None
    assert not_uuid is not None and not_uuid.id == "not-a-uuid"
    assert an_object is not None and an_object.link_url == {"url": "https://wa.me/link/abc", "expires": 600}


@pytest.mark.parametrize("strict", [False, True], ids=["lenient", "strict"])
def test_an_array_where_the_object_is_expected_raises_in_both_modes(strict: bool) -> None:
    with pytest.raises(APIResponseValidationError) as info:
        create._parse_response(response=created([session()]), strict=strict)

    assert "WhatsAppLinkSession at $: expected object (WhatsAppLinkSession), received array" in str(info.value)


@pytest.mark.parametrize("strict", [False, True], ids=["lenient", "strict"])
@pytest.mark.parametrize("content", [b"", b"<html>502</html>", b'{"id": "3fa8'], ids=["empty", "html", "cut"])
def test_a_body_that_is_not_json_raises_in_both_modes(strict: bool, content: bytes) -> None:
    response = httpx2.Response(201, content=content, request=httpx2.Request("POST", URL))
    with pytest.raises(APIResponseValidationError, match="not JSON"):
        create._parse_response(response=response, strict=strict)


# ---------------------------------------------------------------------------------------------
# End to end: create.sync / create.asyncio with the real client


def transport(body: Any) -> Callable[[httpx2.Request], httpx2.Response]:
    def handle(request: httpx2.Request) -> httpx2.Response:
        assert request.headers["X-API-Key"] == API_KEY
        return httpx2.Response(201, json=body)

    return handle


REQUEST = WhatsAppLinkSessionRequest(success_url="https://example.com/ok", return_url="https://example.com/back")


@pytest.mark.parametrize(("body", "field"), MISMATCHES.values(), ids=MISMATCHES.keys())
def test_create_sync_end_to_end(body: dict[str, Any], field: str, caplog: pytest.LogCaptureFixture) -> None:
    with Wassist(API_KEY, transport=httpx2.MockTransport(transport(body))) as client:
        parsed = create.sync(client=client, body=REQUEST)
    assert parsed is not None and parsed.to_dict() == body
    assert len(warnings_of(caplog)) == 1 and f"$.{field}:" in warnings_of(caplog)[0]

    with (
        Wassist(API_KEY, transport=httpx2.MockTransport(transport(body)), strict_response_validation=True) as client,
        pytest.raises(APIResponseValidationError, match=f"WhatsAppLinkSession at \\$\\.{field}:") as info,
    ):
        create.sync(client=client, body=REQUEST)
    assert API_KEY not in str(info.value) and API_KEY not in repr(info.value)


@pytest.mark.parametrize("strict", [False, True], ids=["lenient", "strict"])
def test_create_asyncio_end_to_end(strict: bool) -> None:
    async def call(body: Any) -> WhatsAppLinkSession | None:
        mock = httpx2.MockTransport(transport(body))
        async with AsyncWassist(API_KEY, transport=mock, strict_response_validation=strict) as client:
            return await create.asyncio(client=client, body=REQUEST)

    parsed = asyncio.run(call(session(status="ARCHIVED")))
    assert parsed is not None and parsed.status == "ARCHIVED"
    with pytest.raises(APIResponseValidationError, match="received array"):
        asyncio.run(call([session()]))
