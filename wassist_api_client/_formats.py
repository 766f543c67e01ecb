"""String formats of JSON values: uuid, date, date-time and binary, checked and converted for `from_dict`.

`is_*` tell whether a value has the format (to choose among the members of a union); `as_*` convert
it, or record an issue (see `_issues`) and keep the value as received. `*_or_none` parse without
recording, for `_model.dump` to tell whether a value still equals the string it was parsed from.
"""

from __future__ import annotations

import datetime as _dt
import re
import uuid
from collections.abc import Callable
from io import BytesIO
from typing import Any

from ._issues import JSONPath, Owner, invalid, malformed
from .types import File

__all__ = [
    "as_date",
    "as_datetime",
    "as_file",
    "as_uuid",
    "date_or_none",
    "datetime_or_none",
    "is_date",
    "is_datetime",
    "is_uuid",
    "uuid_or_none",
]


def _compile_uuid_text(text: str) -> re.Match[str] | None:
    """Compiles the UUID pattern on first use (a few ms of import time otherwise), then steps aside."""
    global _UUID_TEXT
    _UUID_TEXT = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}").fullmatch
    return _UUID_TEXT(text)


_UUID_TEXT: Callable[[str], re.Match[str] | None] = _compile_uuid_text
_new_object = object.__new__
_set_attribute = object.__setattr__


class _TextUUID(uuid.UUID):
    """A UUID read from JSON: validated at once, its 128-bit `int` computed on first use.

    `uuid.UUID(text)` costs about as much as decoding a small JSON object; most UUIDs in a
    response are only compared, printed or sent back, so the work is deferred.
    """

    __slots__ = ("_text",)

    def __getattr__(self, name: str) -> Any:  # only called while a slot is still empty
        if name == "int":
            value = int(self._text.replace("-", ""), 16)
            _set_attribute(self, "int", value)
            return value
        if name == "is_safe":
            return uuid.SafeUUID.unknown
        raise AttributeError(name)

    def __reduce__(self) -> tuple[Any, ...]:
        return (uuid.UUID, (str(self),))


_TextUUID.__name__ = _TextUUID.__qualname__ = "UUID"  # repr() reads UUID('…') like the real thing


def uuid_or_none(value: object) -> uuid.UUID | None:
    if value.__class__ is str and _UUID_TEXT(value):
        parsed = _new_object(_TextUUID)
        _set_attribute(parsed, "_text", value)
        return parsed
    return None


def is_uuid(value: object) -> bool:
    return value.__class__ is str and _UUID_TEXT(value) is not None


def as_uuid(value: Any, expected: str, owner: Owner, path: JSONPath, key: str | int | None = None) -> Any:
    if value.__class__ is str:
        if _UUID_TEXT(value):
            parsed = _new_object(_TextUUID)
            _set_attribute(parsed, "_text", value)
            return parsed
        return malformed(value, expected, "uuid", owner, path, key)
    return invalid(value, expected, owner, path, key)


def as_file(value: Any, expected: str, owner: Owner, path: JSONPath, key: str | int | None = None) -> Any:
    """`format: binary`: bytes (a multipart part) become a File, as openapi-python-client does; a string
    (all a JSON body can carry) is kept as it came."""
    if value.__class__ is bytes:
        return File(payload=BytesIO(value))
    if value.__class__ is str:
        return value
    return invalid(value, expected, owner, path, key)


_datetime_from_iso = _dt.datetime.fromisoformat
_date_from_iso = _dt.date.fromisoformat


def datetime_or_none(text: str) -> _dt.datetime | None:
    try:
        return _datetime_from_iso(text)
    except ValueError:
        pass
    # Python 3.10's fromisoformat takes neither "Z" (Django REST framework's spelling) nor other ISO 8601
    # spellings: the first costs one more try, the others a call to dateutil.
    if text.endswith(("Z", "z")):
        try:
            return _datetime_from_iso(text[:-1] + "+00:00")
        except ValueError:
            pass
    from dateutil.parser import isoparse  # imported on first need: it costs ~50 ms

    try:
        return isoparse(text)
    except (ValueError, OverflowError):
        return None


def date_or_none(text: str) -> _dt.date | None:
    try:
        return _date_from_iso(text)
    except ValueError:
        return None


def is_datetime(value: object) -> bool:
    return value.__class__ is str and datetime_or_none(value) is not None


def is_date(value: object) -> bool:
    return value.__class__ is str and date_or_none(value) is not None


def as_datetime(value: Any, expected: str, owner: Owner, path: JSONPath, key: str | int | None = None) -> Any:
    if value.__class__ is str:
        try:
            return _datetime_from_iso(value)
        except ValueError:
            parsed = datetime_or_none(value)
            return parsed if parsed is not None else malformed(value, expected, "date-time", owner, path, key)
    return invalid(value, expected, owner, path, key)


def as_date(value: Any, expected: str, owner: Owner, path: JSONPath, key: str | int | None = None) -> Any:
    if value.__class__ is str:
        try:
            return _date_from_iso(value)
        except ValueError:
            return malformed(value, expected, "date", owner, path, key)
    return invalid(value, expected, owner, path, key)
