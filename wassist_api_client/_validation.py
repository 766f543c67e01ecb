"""What generated models call to read JSON that may not match the spec.

Generated `from_dict` methods check every field with an inline `isinstance`-style test and call
these helpers only for conversions (uuid, date, date-time, enum) and on a mismatch. A mismatch
never raises: `invalid()` records an `Issue` and hands the value back as received (a missing
required field becomes None). Where the issue goes depends on the active scope:

- inside `collect_issues()` (which `_parsing.json_body` opens for every 2xx body), issues are
  collected; the scope's owner raises them (strict mode) or logs them (lenient mode);
- outside any scope (a user calling `Model.from_dict(...)` directly), each issue is logged as a
  WARNING on the `wassist_api_client` logger at once.

The only hard failure is data that is not a JSON object where a model is parsed at the top
(`from_dict([...])`): there is no object to keep, so `ModelValidationError` is raised.

JSON paths are tracked lazily: `from_dict` receives its position as a `JSONPath` chain of tuples
`(parent, key, ...)` rooted at "$"; it is rendered to `$.results[2].agent.linkUrl` only when an
issue is recorded.
"""

from __future__ import annotations

import datetime as _dt
import enum
import logging
import re
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from io import BytesIO
from typing import Any, Generic, NoReturn, TypeVar

import attrs

from ._exceptions import WassistError
from .types import UNSET, File

__all__ = [
    "Issue",
    "JSONPath",
    "Model",
    "ModelValidationError",
    "OpenIntEnum",
    "OpenStrEnum",
    "as_date",
    "as_datetime",
    "as_file",
    "as_int_enum",
    "as_object",
    "as_str_enum",
    "as_uuid",
    "collect_issues",
    "dump",
    "fits",
    "invalid",
    "is_date",
    "is_datetime",
    "is_enum_value",
    "is_uuid",
    "render_path",
    "restore_absent",
]

logger = logging.getLogger("wassist_api_client")

# A position in a JSON document: "$" or a tuple (parent, key, key, ...) whose keys are object keys
# (str) or array indexes (int). Built in the hot path only as cheap tuples, rendered on demand.
JSONPath = str | tuple[Any, ...]
Owner = str | None

_EnumT = TypeVar("_EnumT", bound=enum.Enum)


_Value = TypeVar("_Value")


class Model(Generic[_Value]):
    """Base of every generated model: what it keeps besides the spec's fields.

    Slots rather than attrs fields, so that `attrs.fields(Model)` lists exactly the spec's
    properties (a request model's fields are what a user may send). Equality covers them too.
    `_Value` is the type of the properties the spec does not list (`additionalProperties`).
    """

    __slots__ = ("_source", "additional_properties")

    additional_properties: dict[str, _Value]  # JSON properties the spec does not list, kept as received
    _source: Mapping[str, Any] | None  # the object parsed from, so that to_dict() can give it back

    def __attrs_post_init__(self) -> None:
        self.additional_properties = {}
        self._source = None

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        names = [field.name for field in attrs.fields(type(self))]  # type: ignore[arg-type]
        return [getattr(self, n) for n in names] == [getattr(other, n) for n in names] and (
            self.additional_properties == other.additional_properties
        )

    __hash__ = None  # type: ignore[assignment]  # mutable, like attrs classes with eq


class Issue:
    """One place where received data does not match the spec (a plain class: a dataclass costs ~2 ms to import)."""

    __slots__ = ("expected", "model", "path", "received")

    def __init__(self, model: str | None, path: str, expected: str, received: str) -> None:
        self.model = model  # the schema (model class) whose field it is; None for a bare response body
        self.path = path  # JSON path with the spec's field names, e.g. $.results[2].agent.linkUrl
        self.expected = expected  # e.g. "string", "string (uuid)", "object (Agent)", "integer or null"
        self.received = received  # e.g. "object", "null", "nothing (field missing)", "string (not a valid uuid)"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Issue) and self._fields() == other._fields()

    def __hash__(self) -> int:
        return hash(self._fields())

    def __repr__(self) -> str:
        return "Issue({!r}, {!r}, {!r}, {!r})".format(*self._fields())

    def _fields(self) -> tuple[str | None, str, str, str]:
        return (self.model, self.path, self.expected, self.received)

    def __str__(self) -> str:
        where = f"{self.model} at {self.path}" if self.model else self.path
        return f"{where}: expected {self.expected}, received {self.received}"


class ModelValidationError(WassistError):
    """Data that cannot be parsed at all: a JSON object was expected and something else came."""

    def __init__(self, issues: list[Issue]) -> None:
        super().__init__("; ".join(str(issue) for issue in issues))
        self.issues = issues


_SCOPE: ContextVar[list[Issue] | None] = ContextVar("wassist_api_client_validation_issues", default=None)


@contextmanager
def collect_issues() -> Iterator[list[Issue]]:
    """Collect the issues recorded while parsing inside the block (instead of logging them)."""
    issues: list[Issue] = []
    token = _SCOPE.set(issues)
    try:
        yield issues
    finally:
        _SCOPE.reset(token)


def start_collecting() -> tuple[list[Issue], Any]:
    """The same as `collect_issues()` without a generator frame, for `_parsing.json_body`."""
    issues: list[Issue] = []
    return issues, _SCOPE.set(issues)


def stop_collecting(token: Any) -> None:
    _SCOPE.reset(token)


def _record(issue: Issue) -> None:
    issues = _SCOPE.get()
    if issues is None:
        logger.warning("Data does not match the spec, kept as received: %s", issue)
    else:
        issues.append(issue)


# ---------------------------------------------------------------------------------------------
# Describing values and paths (slow path only)


def describe(value: object) -> str:
    """The JSON type of a received value, for messages (never the value itself: it may be private)."""
    if value is UNSET:
        return "nothing (field missing)"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, (list, tuple)):
        return "array"
    if isinstance(value, Mapping):
        return "object"
    return type(value).__name__


def render_path(path: JSONPath, key: str | int | None = None) -> str:
    """`(("$", "results", 2), "agent")` + "linkUrl" -> `$.results[2].agent.linkUrl`."""
    keys: list[str | int] = [] if key is None else [key]
    node: Any = path
    while isinstance(node, tuple):
        keys.extend(reversed(node[1:]))
        node = node[0]
    parts = [str(node)]
    for part in reversed(keys):
        if isinstance(part, int):
            parts.append(f"[{part}]")
        elif part.isidentifier():
            parts.append(f".{part}")
        else:
            parts.append("[" + repr(part) + "]")
    return "".join(parts)


# ---------------------------------------------------------------------------------------------
# Recording mismatches


def invalid(value: Any, expected: str, owner: Owner, path: JSONPath, key: str | int | None = None) -> Any:
    """Record that `value` (at `path`/`key` of `owner`) is not `expected`; return it as received.

    A missing field (`UNSET`) becomes None, the value generated models use for "required but absent".
    """
    _record(Issue(owner, render_path(path, key), expected, describe(value)))
    return None if value is UNSET else value


def _malformed(value: str, expected: str, what: str, owner: Owner, path: JSONPath, key: str | int | None) -> str:
    _record(Issue(owner, render_path(path, key), expected, f"string (not a valid {what})"))
    return value


def as_object(value: object, owner: str, path: JSONPath) -> dict[str, Any]:
    """`from_dict` of a non-dict: a copy of any Mapping; anything else cannot become a model."""
    if isinstance(value, Mapping):
        return dict(value)
    raise ModelValidationError([Issue(owner, render_path(path), f"object ({owner})", describe(value))])


def wrong_body(value: object, expected: str) -> NoReturn:
    """A whole response body of another JSON type than documented (`null`, an array for an object):
    no value of the declared return type can be made from it, in either mode."""
    raise ModelValidationError([Issue(None, "$", expected, describe(value))])


def fits(value: Mapping[str, Any], model: Any) -> bool:
    """Whether an object has every required field of `model` (to choose among models of a union)."""
    return all(key in value for key in model._required_keys)


# ---------------------------------------------------------------------------------------------
# Formats: uuid, date, date-time


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


def _uuid_or_none(value: object) -> uuid.UUID | None:
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
        return _malformed(value, expected, "uuid", owner, path, key)
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


def _datetime_or_none(text: str) -> _dt.datetime | None:
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


def _date_or_none(text: str) -> _dt.date | None:
    try:
        return _date_from_iso(text)
    except ValueError:
        return None


def is_datetime(value: object) -> bool:
    return value.__class__ is str and _datetime_or_none(value) is not None


def is_date(value: object) -> bool:
    return value.__class__ is str and _date_or_none(value) is not None


def as_datetime(value: Any, expected: str, owner: Owner, path: JSONPath, key: str | int | None = None) -> Any:
    if value.__class__ is str:
        try:
            return _datetime_from_iso(value)
        except ValueError:
            parsed = _datetime_or_none(value)
            return parsed if parsed is not None else _malformed(value, expected, "date-time", owner, path, key)
    return invalid(value, expected, owner, path, key)


def as_date(value: Any, expected: str, owner: Owner, path: JSONPath, key: str | int | None = None) -> Any:
    if value.__class__ is str:
        try:
            return _date_from_iso(value)
        except ValueError:
            return _malformed(value, expected, "date", owner, path, key)
    return invalid(value, expected, owner, path, key)


# ---------------------------------------------------------------------------------------------
# Open enums


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


# ---------------------------------------------------------------------------------------------
# Back to JSON (to_dict): give back what came


_PLAIN = frozenset({str, int, float, bool, type(None)})


def dump(value: Any, source: Mapping[str, Any] | None, key: str) -> Any:
    """The JSON form of an attribute; `source` is the object it was parsed from (None if built in code).

    Values parsed from a string (uuid, date, date-time) are written back as that very string as long
    as they still equal it, so `Model.from_dict(d).to_dict() == d` holds even for `...Z` timestamps or
    upper-case UUIDs; values kept as received are written back unchanged.
    """
    if value.__class__ in _PLAIN:
        return value
    return _to_json(value, source.get(key, UNSET) if source is not None else UNSET)


def _to_json(value: Any, original: Any) -> Any:
    if value.__class__ in _PLAIN:
        return value
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, uuid.UUID):
        if original.__class__ is str and (
            original == getattr(value, "_text", None) or _uuid_or_none(original) == value
        ):
            return original
        return str(value)
    if isinstance(value, _dt.datetime):
        if original.__class__ is str and _same_instant(_datetime_or_none(original), value):
            return original
        return value.isoformat()
    if isinstance(value, _dt.date):
        if original.__class__ is str and _date_or_none(original) == value:
            return original
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        if isinstance(original, list) and len(original) == len(value):
            return [_to_json(item, before) for item, before in zip(value, original, strict=True)]
        return [_to_json(item, UNSET) for item in value]
    if isinstance(value, Mapping):
        before = original if isinstance(original, Mapping) else {}
        return {name: _to_json(item, before.get(name, UNSET)) for name, item in value.items()}
    if isinstance(value, File):
        return value.to_tuple()  # what the generator's to_dict gives for a file (no JSON form)
    to_dict = getattr(value, "to_dict", None)
    if callable(to_dict):
        return to_dict()
    return value


def _same_instant(parsed: _dt.datetime | None, value: _dt.datetime) -> bool:
    return parsed is not None and parsed == value and parsed.utcoffset() == value.utcoffset()


def restore_absent(field_dict: dict[str, Any], source: Mapping[str, Any], required: tuple[str, ...]) -> None:
    """Leave out required fields that were missing when parsed and are still None."""
    for key in required:
        if key not in source and field_dict.get(key, UNSET) is None:
            del field_dict[key]
