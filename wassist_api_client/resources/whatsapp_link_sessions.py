"""`client.whatsapp_link_sessions`: the operations of `api.whatsapp_link_sessions` as methods (generated)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..client import AsyncClient, Client
    from ..models.whats_app_link_session import WhatsAppLinkSession
    from ..models.whats_app_link_session_request import WhatsAppLinkSessionRequest
    from ..types import Response


class WhatsappLinkSessionsResource:
    """`client.whatsapp_link_sessions`: 1 operation(s).

    `<name>_detailed(...)` is the same call returning the `Response` (status, headers, request_id).
    """

    def __init__(self, client: Client) -> None:
        self._client = client

    def create(
        self,
        *,
        body: WhatsAppLinkSessionRequest,
    ) -> WhatsAppLinkSession:
        """POST /api/v1/whatsapp-link-sessions/: `api.whatsapp_link_sessions.create.sync`."""
        from ..api.whatsapp_link_sessions import create as _operation

        return _operation.sync(
            body=body,
            client=self._client,
        )

    def create_detailed(
        self,
        *,
        body: WhatsAppLinkSessionRequest,
    ) -> Response[WhatsAppLinkSession]:
        """POST /api/v1/whatsapp-link-sessions/: `api.whatsapp_link_sessions.create.sync_detailed`."""
        from ..api.whatsapp_link_sessions import create as _operation

        return _operation.sync_detailed(
            body=body,
            client=self._client,
        )


class AsyncWhatsappLinkSessionsResource:
    """`async_client.whatsapp_link_sessions`: 1 operation(s).

    `<name>_detailed(...)` is the same call returning the `Response` (status, headers, request_id).
    """

    def __init__(self, client: AsyncClient) -> None:
        self._client = client

    async def create(
        self,
        *,
        body: WhatsAppLinkSessionRequest,
    ) -> WhatsAppLinkSession:
        """POST /api/v1/whatsapp-link-sessions/: `api.whatsapp_link_sessions.create.asyncio`."""
        from ..api.whatsapp_link_sessions import create as _operation

        return await _operation.asyncio(
            body=body,
            client=self._client,
        )

    async def create_detailed(
        self,
        *,
        body: WhatsAppLinkSessionRequest,
    ) -> Response[WhatsAppLinkSession]:
        """POST /api/v1/whatsapp-link-sessions/: `api.whatsapp_link_sessions.create.asyncio_detailed`."""
        from ..api.whatsapp_link_sessions import create as _operation

        return await _operation.asyncio_detailed(
            body=body,
            client=self._client,
        )
