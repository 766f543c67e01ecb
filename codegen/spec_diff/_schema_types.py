"""The type of a schema: its short name (`describe`), nullability, enum values, and how two types relate."""

from __future__ import annotations

import json
from typing import Any

from codegen.spec_diff._nodes import JSONDict, _dict, _list, ref_name
from codegen.spec_diff._report import Effect

# Formats that openapi-python-client maps to their own Python type (date, datetime, UUID, File):
# adding, removing or swapping one of them changes the generated attribute's type.
PYTHON_TYPED_FORMATS = frozenset({"date", "date-time", "uuid", "binary"})
WIDER_FORMATS = frozenset({("int32", "int64"), ("float", "double")})


def _type_names(schema: JSONDict) -> list[str]:
    declared = schema.get("type")
    names = declared if isinstance(declared, list) else [declared] if isinstance(declared, str) else []
    return [name for name in names if name != "null"]


def _alternatives(schema: JSONDict) -> list[JSONDict]:
    """The non-null members of a oneOf/anyOf, or of a 3.1 type list."""
    members = [_dict(m) for m in _list(schema.get("oneOf")) + _list(schema.get("anyOf"))]
    members = [m for m in members if m.get("type") != "null"]
    if not members and len(_type_names(schema)) > 1:
        members = [{**schema, "type": name} for name in _type_names(schema)]
    return members


def describe(schema: Any) -> str:
    """A short human name of a schema's type, ignoring nullability; equal names mean equal types."""
    node = _dict(schema)
    name = ref_name(node)
    if name is not None:
        return name
    alternatives = _alternatives(node)
    if len(alternatives) > 1:
        return " | ".join(sorted({describe(member) for member in alternatives}))
    if len(alternatives) == 1:
        return describe(alternatives[0])
    members = _list(node.get("allOf"))
    if len(members) == 1 and "properties" not in node:
        return describe(members[0])
    types = _type_names(node)
    if not types:
        # openapi-python-client merges a multi-member allOf into one model.
        return "object" if "properties" in node or members else "any"
    if types[0] == "array":
        return f"array of {describe(node.get('items'))}"
    fmt = node.get("format")
    return f"{types[0]} ({fmt})" if isinstance(fmt, str) else types[0]


def is_nullable(schema: Any) -> bool:
    node = _dict(schema)
    if node.get("nullable") is True or "null" in _list(node.get("type")) or None in _list(node.get("enum")):
        return True
    members = _list(node.get("oneOf")) + _list(node.get("anyOf"))
    return any(_dict(member).get("type") == "null" or is_nullable(member) for member in members)


def enum_values(schema: Any) -> list[str] | None:
    """The enum's non-null values as display strings, or None when the schema has no enum."""
    values = _dict(schema).get("enum")
    if not isinstance(values, list):
        return None
    return [value if isinstance(value, str) else json.dumps(value) for value in values if value is not None]


def type_effect(old: Any, new: Any) -> Effect:
    """How the type of `new` relates to that of `old` (nullability and enums aside)."""
    old_name, new_name = describe(old), describe(new)
    if old_name == new_name:
        return Effect.SAME
    if new_name == "any":
        return Effect.WIDENED
    if old_name == "any":
        return Effect.NARROWED
    old_alts = {describe(m) for m in _alternatives(_dict(old))} or {old_name}
    new_alts = {describe(m) for m in _alternatives(_dict(new))} or {new_name}
    if len(old_alts) > 1 or len(new_alts) > 1:
        return _set_effect(old_alts, new_alts)
    return _single_type_effect(_dict(old), _dict(new))


def _set_effect(old: set[str], new: set[str]) -> Effect:
    if old < new:
        return Effect.WIDENED
    if new < old:
        return Effect.NARROWED
    return Effect.CHANGED


def _single_type_effect(old: JSONDict, new: JSONDict) -> Effect:
    if ref_name(old) is not None or ref_name(new) is not None:
        return Effect.CHANGED  # a different model (or model <-> inline) is a different Python type
    old_types, new_types = _type_names(old), _type_names(new)
    old_type = old_types[0] if old_types else "object"
    new_type = new_types[0] if new_types else "object"
    if (old_type, new_type) == ("integer", "number"):
        return Effect.WIDENED
    if (old_type, new_type) == ("number", "integer"):
        return Effect.NARROWED
    if old_type != new_type:
        return Effect.CHANGED
    if old_type == "array":
        return type_effect(old.get("items"), new.get("items"))
    return _format_effect(old.get("format"), new.get("format"))


def _format_effect(old: Any, new: Any) -> Effect:
    if old == new:
        return Effect.SAME
    if old in PYTHON_TYPED_FORMATS or new in PYTHON_TYPED_FORMATS:
        return Effect.CHANGED
    if old is None:
        return Effect.NARROWED  # e.g. a plain string must now be a URI
    if new is None:
        return Effect.WIDENED
    if (old, new) in WIDER_FORMATS:
        return Effect.WIDENED
    if (new, old) in WIDER_FORMATS:
        return Effect.NARROWED
    return Effect.CHANGED
