"""Resource namespaces of Wassist and AsyncWassist: `client.<resource>[.<sub-resource>].<action>(...)` (generated).

Each method calls the module function `wassist_api_client.api.<resource>...<module>.sync` (or `asyncio`)
with the same arguments minus `client=`; `<action>_detailed(...)` returns the `Response`.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from ..client import AsyncClient, Client
    from .whatsapp_link_sessions import AsyncWhatsappLinkSessionsResource, WhatsappLinkSessionsResource

__all__ = ["AsyncResources", "SyncResources"]


class SyncResources:
    """The resource attributes of Wassist."""

    @cached_property
    def whatsapp_link_sessions(self) -> WhatsappLinkSessionsResource:
        from .whatsapp_link_sessions import WhatsappLinkSessionsResource

        return WhatsappLinkSessionsResource(cast("Client", self))


class AsyncResources:
    """The resource attributes of AsyncWassist (their methods are coroutines)."""

    @cached_property
    def whatsapp_link_sessions(self) -> AsyncWhatsappLinkSessionsResource:
        from .whatsapp_link_sessions import AsyncWhatsappLinkSessionsResource

        return AsyncWhatsappLinkSessionsResource(cast("AsyncClient", self))
