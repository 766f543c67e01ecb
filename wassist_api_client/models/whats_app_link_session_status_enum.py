from .._parsing import OpenStrEnum


class WhatsAppLinkSessionStatusEnum(OpenStrEnum):
    """Open enum: a value the spec does not list parses too (`.value` is the raw value, `.is_known` is False)."""

    EXPIRED = "EXPIRED"
    FAILED = "FAILED"
    PENDING = "PENDING"
    SUCCESS = "SUCCESS"
