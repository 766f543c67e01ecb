"""Contains all the data models used in inputs/outputs.

Models are imported on first use, so that a spec with hundreds of models costs no more at
import time than the models a program actually touches.
"""

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .whats_app_link_session import WhatsAppLinkSession
    from .whats_app_link_session_request import WhatsAppLinkSessionRequest
    from .whats_app_link_session_status_enum import WhatsAppLinkSessionStatusEnum

_MODULE_OF = {
    "WhatsAppLinkSession": ".whats_app_link_session",
    "WhatsAppLinkSessionRequest": ".whats_app_link_session_request",
    "WhatsAppLinkSessionStatusEnum": ".whats_app_link_session_status_enum",
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


__all__ = (
    "WhatsAppLinkSession",
    "WhatsAppLinkSessionRequest",
    "WhatsAppLinkSessionStatusEnum",
)
