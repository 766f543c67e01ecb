from http import HTTPStatus
from typing import Any

import httpx2

from ... import _parsing
from ...client import AsyncClient, Client
from ...models.whats_app_link_session import WhatsAppLinkSession
from ...models.whats_app_link_session_request import WhatsAppLinkSessionRequest
from ...types import Response


def _get_kwargs(
    *,
    body: WhatsAppLinkSessionRequest,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/whatsapp-link-sessions/",
    }

    _kwargs["json"] = body.to_dict()

    return _kwargs


def _parse_response(*, response: httpx2.Response, strict: bool) -> WhatsAppLinkSession:
    if response.status_code == 201:
        with _parsing.json_body(response, strict=strict) as _body:
            response_201 = WhatsAppLinkSession.from_dict(_body)

        return response_201

    _parsing.undocumented_status(response)


def _build_response(*, response: httpx2.Response, strict: bool) -> Response[WhatsAppLinkSession]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(response=response, strict=strict),
        request_id=response.headers.get("x-request-id"),
    )


def sync_detailed(
    *,
    body: WhatsAppLinkSessionRequest,
    client: Client,
) -> Response[WhatsAppLinkSession]:
    """Create a new WhatsApp Link Session.

    Args:
        body (WhatsAppLinkSessionRequest):

    Raises:
        wassist_api_client.APIStatusError: If the server answers with a 4xx or 5xx status.
        wassist_api_client.APIResponseValidationError: If a 2xx body does not fit the spec (strict mode) or is not JSON.
        wassist_api_client.APIConnectionError: If the API could not be reached (APITimeoutError on timeouts).

    Returns:
        Response[WhatsAppLinkSession]
    """

    kwargs = _get_kwargs(
        body=body,
    )
    response = client.get_httpx_client().request(**kwargs)
    return _build_response(response=response, strict=client.strict_response_validation)


def sync(
    *,
    body: WhatsAppLinkSessionRequest,
    client: Client,
) -> WhatsAppLinkSession:
    """Create a new WhatsApp Link Session.

    Args:
        body (WhatsAppLinkSessionRequest):

    Raises:
        wassist_api_client.APIStatusError: If the server answers with a 4xx or 5xx status.
        wassist_api_client.APIResponseValidationError: If a 2xx body does not fit the spec (strict mode) or is not JSON.
        wassist_api_client.APIConnectionError: If the API could not be reached (APITimeoutError on timeouts).

    Returns:
        WhatsAppLinkSession
    """

    kwargs = _get_kwargs(
        body=body,
    )
    response = client.get_httpx_client().request(**kwargs)
    return _parse_response(response=response, strict=client.strict_response_validation)


async def asyncio_detailed(
    *,
    body: WhatsAppLinkSessionRequest,
    client: AsyncClient,
) -> Response[WhatsAppLinkSession]:
    """Create a new WhatsApp Link Session.

    Args:
        body (WhatsAppLinkSessionRequest):

    Raises:
        wassist_api_client.APIStatusError: If the server answers with a 4xx or 5xx status.
        wassist_api_client.APIResponseValidationError: If a 2xx body does not fit the spec (strict mode) or is not JSON.
        wassist_api_client.APIConnectionError: If the API could not be reached (APITimeoutError on timeouts).

    Returns:
        Response[WhatsAppLinkSession]
    """

    kwargs = _get_kwargs(
        body=body,
    )
    response = await client.get_async_httpx_client().request(**kwargs)
    return _build_response(response=response, strict=client.strict_response_validation)


async def asyncio(
    *,
    body: WhatsAppLinkSessionRequest,
    client: AsyncClient,
) -> WhatsAppLinkSession:
    """Create a new WhatsApp Link Session.

    Args:
        body (WhatsAppLinkSessionRequest):

    Raises:
        wassist_api_client.APIStatusError: If the server answers with a 4xx or 5xx status.
        wassist_api_client.APIResponseValidationError: If a 2xx body does not fit the spec (strict mode) or is not JSON.
        wassist_api_client.APIConnectionError: If the API could not be reached (APITimeoutError on timeouts).

    Returns:
        WhatsAppLinkSession
    """

    kwargs = _get_kwargs(
        body=body,
    )
    response = await client.get_async_httpx_client().request(**kwargs)
    return _parse_response(response=response, strict=client.strict_response_validation)
