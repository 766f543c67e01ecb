"""Open enums: string and integer enums that keep values the spec does not list.

Generated enum classes derive from `OpenStrEnum` / `OpenIntEnum`; generated `from_dict` methods call
`as_str_enum` / `as_int_enum` to convert a value and `is_enum_value` to choose among union members.
"""

from __future__ import annotations

import enum
from typing import Any, TypeVar

from ._issues import JSONPath, Owner, invalid

__all__ = ["OpenIntEnum", "OpenStrEnum", "as_int_enum", "as_str_enum", "is_enum_value"]

_EnumT = TypeVar("_EnumT", bound=enum.Enum)


_UNKNOWN_MEMBERS: dict[tuple[type, object], Any] = {}
_UNKNOWN_MEMBERS_LIMIT = 10_000  # beyond this, unknown values still parse but are not cached


def _unknown_member(enum_class: type[_EnumT], value: object) -> _EnumT:
    """A pseudo-member for a value the spec does not list, cached so that identity is stable."""
    member: _EnumT | None = _UNKNOWN_MEMBERS.get((enum_class, value))
    if member is None:
        member = enum_class._member_type_.__new__(enum_class, value)  # type: ignore[attr-defined]
        member._name_ = str(value)
        member._value_ = value
        if len(_UNKNOWN_MEMBERS) < _UNKNOWN_MEMBERS_LIMIT:
            member = _UNKNOWN_MEMBERS.setdefault((enum_class, value), member)
    return member


class OpenStrEnum(str, enum.Enum):
    """A string enum that keeps values the spec does not list.

    `Enum("NEW_VALUE")` returns a pseudo-member (the same object every time) whose `.value` is the
    raw value and whose `is_known` is False; known values behave as usual members and compare
    equal to their strings. Works on Python 3.10+ (unlike `enum.StrEnum`).
    """

    def __str__(self) -> str:
        return str(self._value_)

    @classmethod
    def _missing_(cls, value: object) -> Any:
        return _unknown_member(cls, value) if value.__class__ is str else None

    @property
    def is_known(self) -> bool:
        """False for a value the spec (as of generation) does not list."""
        return type(self)._value2member_map_.get(self._value_) is self


class OpenIntEnum(int, enum.Enum):
    """An integer enum that keeps values the spec does not list (see `OpenStrEnum`)."""

    def __str__(self) -> str:
        return str(self._value_)

    @classmethod
    def _missing_(cls, value: object) -> Any:
        return _unknown_member(cls, value) if value.__class__ is int else None

    @property
    def is_known(self) -> bool:
        """False for a value the spec (as of generation) does not list."""
        return type(self)._value2member_map_.get(self._value_) is self


def is_enum_value(enum_class: type[enum.Enum], value: object) -> bool:
    """Whether `value` is one of the values the spec lists for `enum_class` (to choose among union members)."""
    return value.__class__ is enum_class._member_type_ and value in enum_class._value2member_map_  # type: ignore[attr-defined]


def as_str_enum(
    enum_class: type[_EnumT], value: Any, expected: str, owner: Owner, path: JSONPath, key: str | int | None = None
) -> Any:
    if value.__class__ is str:
        member = enum_class._value2member_map_.get(value)
        return member if member is not None else _unknown_member(enum_class, value)
    return invalid(value, expected, owner, path, key)


def as_int_enum(
    enum_class: type[_EnumT], value: Any, expected: str, owner: Owner, path: JSONPath, key: str | int | None = None
) -> Any:
    if value.__class__ is int:
        member = enum_class._value2member_map_.get(value)
        return member if member is not None else _unknown_member(enum_class, value)
    return invalid(value, expected, owner, path, key)
