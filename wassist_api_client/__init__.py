"""Typed Python client for the Wassist API.

from wassist_api_client import Wassist
from wassist_api_client.api.whatsapp_link_sessions import create

with Wassist() as client:  # the key from WASSIST_API_KEY
    session = create.sync(client=client, body=...)
"""

from importlib import import_module
from typing import TYPE_CHECKING, Any

from ._exceptions import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ClientRateLimitError,
    ConflictError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitBackendError,
    RateLimitError,
    UnprocessableEntityError,
    WassistError,
    WebhookVerificationError,
)
from ._version import __version__

if TYPE_CHECKING:
    from ._client import AsyncWassist, Wassist
    from ._pagination import apaginate, paginate
    from ._rate_limit import RateLimit

# Loaded on first use, so that importing the package (or only its exceptions) does not import httpx2.
_MODULE_OF = {
    "Wassist": "._client",
    "AsyncWassist": "._client",
    "paginate": "._pagination",
    "apaginate": "._pagination",
    "RateLimit": "._rate_limit",
}


def __getattr__(name: str) -> Any:
    module_name = _MODULE_OF.get(name)
    if module_name is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(module_name, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


__all__ = [
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AsyncWassist",
    "AuthenticationError",
    "BadRequestError",
    "ClientRateLimitError",
    "ConflictError",
    "InternalServerError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimit",
    "RateLimitBackendError",
    "RateLimitError",
    "UnprocessableEntityError",
    "Wassist",
    "WassistError",
    "WebhookVerificationError",
    "__version__",
    "apaginate",
    "paginate",
]
