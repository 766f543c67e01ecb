from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.whats_app_link_session_status_enum import WhatsAppLinkSessionStatusEnum

T = TypeVar("T", bound="WhatsAppLinkSession")


@_attrs_define
class WhatsAppLinkSession:
    """
    Attributes:
        id (UUID):
        success_url (str):
        return_url (str):
        status (WhatsAppLinkSessionStatusEnum): * `PENDING` - Pending
            * `EXPIRED` - Expired
            * `SUCCESS` - Success
            * `FAILED` - Failed
        link_url (str):
    """

    id: UUID
    success_url: str
    return_url: str
    status: WhatsAppLinkSessionStatusEnum
    link_url: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        success_url = self.success_url

        return_url = self.return_url

        status = self.status.value

        link_url = self.link_url

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "successUrl": success_url,
                "returnUrl": return_url,
                "status": status,
                "linkUrl": link_url,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = UUID(d.pop("id"))

        success_url = d.pop("successUrl")

        return_url = d.pop("returnUrl")

        status = WhatsAppLinkSessionStatusEnum(d.pop("status"))

        link_url = d.pop("linkUrl")

        whats_app_link_session = cls(
            id=id,
            success_url=success_url,
            return_url=return_url,
            status=status,
            link_url=link_url,
        )

        whats_app_link_session.additional_properties = d
        return whats_app_link_session

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
