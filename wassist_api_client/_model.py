"""The base of every generated model, and what its `from_dict` and `to_dict` call besides formats and enums.

`as_object` accepts the data a model is parsed from (the one hard failure: data that is not a JSON
object where a model is parsed at the top, `from_dict([...])`, raises `ModelValidationError`);
`fits` chooses among the models of a union; `dump` and `restore_absent` give back, in `to_dict`,
what came in.
"""

from __future__ import annotations

import datetime as _dt
import enum
import uuid
from collections.abc import Mapping
from typing import Any, Generic, NoReturn, TypeVar

import attrs

from ._exceptions import ModelValidationError
from ._formats import date_or_none, datetime_or_none, uuid_or_none
from ._issues import Issue, JSONPath, describe, render_path
from .types import UNSET, File

__all__ = ["Model", "as_object", "dump", "fits", "restore_absent"]

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
    """Whether an object has every required field of `model`, and the value of each field that can hold only one
    (a discriminator's: `action: show_settings_ui`), to choose among models of a union."""
    fixed = getattr(model, "_fixed_values", ())
    return all(key in value for key in model._required_keys) and all(value.get(key) == one for key, one in fixed)


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
        if original.__class__ is str and (original == getattr(value, "_text", None) or uuid_or_none(original) == value):
            return original
        return str(value)
    if isinstance(value, _dt.datetime):
        if original.__class__ is str and _same_instant(datetime_or_none(original), value):
            return original
        return value.isoformat()
    if isinstance(value, _dt.date):
        if original.__class__ is str and date_or_none(original) == value:
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
