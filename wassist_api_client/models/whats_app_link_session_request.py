from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, TypeVar

from attrs import define as _attrs_define

from .. import _parsing
from ..types import UNSET

T = TypeVar("T", bound="WhatsAppLinkSessionRequest")
_new_instance = object.__new__


@_attrs_define(eq=False, getstate_setstate=False)
class WhatsAppLinkSessionRequest(_parsing.Model["Any"]):
    """
    Parsed data that does not match the spec is kept as received (lenient mode), whatever the annotations say.

    Attributes:
        success_url (str):
        return_url (str):
    """

    success_url: str
    return_url: str
    _required_keys: ClassVar[tuple[str, ...]] = (
        "successUrl",
        "returnUrl",
    )

    def to_dict(self) -> dict[str, Any]:
        _source = self._source
        field_dict: dict[str, Any] = dict(self.additional_properties)
        field_dict["successUrl"] = self.success_url
        field_dict["returnUrl"] = self.return_url
        if _source is not None:
            _parsing.restore_absent(field_dict, _source, self._required_keys)
        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any], _path: _parsing.JSONPath = "$") -> T:
        """Parse `src_dict` (decoded JSON); `_path` is its place in the response, for messages."""
        _src = (
            src_dict
            if src_dict.__class__ is dict
            else _parsing.as_object(src_dict, "WhatsAppLinkSessionRequest", _path)
        )
        _d = dict(_src)
        success_url = _d.pop("successUrl", UNSET)
        if success_url.__class__ is not str:
            success_url = _parsing.invalid(success_url, "string", "WhatsAppLinkSessionRequest", _path, "successUrl")

        return_url = _d.pop("returnUrl", UNSET)
        if return_url.__class__ is not str:
            return_url = _parsing.invalid(return_url, "string", "WhatsAppLinkSessionRequest", _path, "returnUrl")

        _obj = _new_instance(cls)  # attributes set directly: twice as fast as calling the attrs __init__
        _obj.success_url = success_url
        _obj.return_url = return_url
        _obj.additional_properties = _d
        _obj._source = _src
        return _obj

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
