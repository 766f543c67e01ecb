from enum import StrEnum


class WhatsAppLinkSessionStatusEnum(StrEnum):
    EXPIRED = "EXPIRED"
    FAILED = "FAILED"
    PENDING = "PENDING"
    SUCCESS = "SUCCESS"

    def __str__(self) -> str:
        return str(self.value)
