"""OpenAPI 3.0 schemas as JSON Schema (2020-12), and format-aware comparison of JSON values.

- `$ref`s to components become `$defs` (only the reachable ones);
- `nullable: true` becomes a type union with "null" (or `anyOf [..., null]` around $ref/allOf/oneOf);
- readOnly properties are forbidden in requests, writeOnly ones in responses (the direction says which);
- boolean `exclusiveMinimum`/`exclusiveMaximum` (3.0) become the 2020-12 numbers;
- `format: binary` becomes a string marked `x-binary` (text: the content of a file; JSON holds no bytes);
- OpenAPI-only keywords (example, discriminator, xml, ...) are dropped.

Self-referencing schemas are unrolled to a fixed depth; past it an optional reference is forbidden and a
nullable one can only be null, since hypothesis-jsonschema cannot draw recursive schemas.
"""

from __future__ import annotations

import base64
import datetime as dt
import math
import uuid
from typing import Any

from hypothesis import strategies as st

from .spec import SCHEMA_REF, ContractSpec, Direction, Json

DROPPED = {
    "nullable",
    "readOnly",
    "writeOnly",
    "example",
    "examples",
    "discriminator",
    "xml",
    "externalDocs",
    "deprecated",
}
RECURSION_DEPTH = 2

# Formats hypothesis-jsonschema does not know: without these it draws any text for them.
CUSTOM_FORMATS: dict[str, st.SearchStrategy[str]] = {
    "uuid": st.uuids().map(str),
    "byte": st.binary(max_size=16).map(lambda raw: base64.b64encode(raw).decode()),
}


# What `bounded` schemas allow as extra properties: small JSON values of every kind, so that drawing stays fast.
_EXTRA_SCALAR: Json = {"type": ["string", "integer", "number", "boolean", "null"]}
EXTRA_VALUE: Json = {
    "anyOf": [
        _EXTRA_SCALAR,
        {"type": "array", "maxItems": 2, "items": _EXTRA_SCALAR},
        {"type": "object", "maxProperties": 2, "additionalProperties": _EXTRA_SCALAR},
    ]
}
MAX_ARRAY_ITEMS = 2
MAX_EXTRA_PROPERTIES = 2


def to_json_schema(spec: ContractSpec, node: Json, direction: Direction, *, bounded: bool = False) -> Json:
    """The JSON Schema of a node. `bounded=True` narrows it for drawing examples quickly (arrays of at most
    MAX_ARRAY_ITEMS items unless the spec asks for more, at most MAX_EXTRA_PROPERTIES extra properties, of
    small values): every instance of the bounded schema is an instance of the faithful one."""
    converter = _Converter(spec, direction, bounded)
    root = converter.convert(node, ())
    if converter.defs:
        root = {"$defs": converter.defs, **root} if "$ref" not in root else {"$defs": converter.defs, "allOf": [root]}
    return root


class _Converter:
    def __init__(self, spec: ContractSpec, direction: Direction, bounded: bool) -> None:
        self.spec = spec
        self.direction = direction
        self.bounded = bounded
        self.defs: Json = {}

    def convert(self, node: Any, stack: tuple[str, ...]) -> Any:
        if not isinstance(node, dict):
            return node
        name = self.spec.ref_name(node)
        if name is not None:
            if stack.count(name) >= RECURSION_DEPTH:
                return False
            key = name if name not in stack else f"{name}__{stack.count(name)}"
            if key not in self.defs:
                self.defs[key] = True  # placeholder while converting (the key is taken)
                self.defs[key] = self.convert(self.spec.schemas[name], (*stack, name))
            return {"$ref": f"#/$defs/{key}"}
        out: Json = {}
        for key, value in node.items():
            if key in DROPPED or key.startswith("x-"):
                continue
            if key == "properties":
                out[key] = {prop: self._property(schema, stack) for prop, schema in value.items()}
            elif key in ("items", "additionalProperties", "not"):
                out[key] = self.convert(value, stack)
            elif key == "oneOf" and isinstance(node.get("discriminator"), dict):
                # OpenAPI: the discriminator picks the member, so members may overlap (authentik's providers all
                # fit one instance); in JSON Schema that is anyOf, not "exactly one of".
                out["anyOf"] = [self.convert(member, stack) for member in value]
            elif key in ("allOf", "oneOf", "anyOf"):
                out[key] = [self.convert(member, stack) for member in value]
            else:
                out[key] = value
        if out.get("format") == "time":
            # The models keep a time as a string; hypothesis-jsonschema draws offsets ('00:00:00Z') that jsonschema's
            # own 'time' check (without rfc3339-validator) refuses.
            del out["format"]
        if node.get("format") == "binary":
            out.pop("format")
            out["x-binary"] = True
        for bound, limit in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
            if out.get(bound) is True:
                out[bound] = out.pop(limit)
            elif out.get(bound) is False:
                del out[bound]
        if self.bounded:
            self._bound(out)
        if node.get("nullable") is True:
            out = self._nullable(out)
        return out

    @staticmethod
    def _bound(out: Json) -> None:
        if out.get("type") == "array" and "maxItems" not in out:
            out["maxItems"] = max(int(out.get("minItems", 0)), MAX_ARRAY_ITEMS)
        is_object = out.get("type") == "object" or "properties" in out
        if is_object and out.get("additionalProperties", True) is not False:
            if out.get("additionalProperties", True) is True or out.get("additionalProperties") == {}:
                out["additionalProperties"] = EXTRA_VALUE
            if "maxProperties" not in out:
                out["maxProperties"] = len(out.get("properties") or {}) + MAX_EXTRA_PROPERTIES

    def _property(self, schema: Json, stack: tuple[str, ...]) -> Any:
        if self.direction == "request" and schema.get("readOnly") is True:
            return False
        if self.direction == "response" and schema.get("writeOnly") is True:
            return False
        converted = self.convert(schema, stack)
        if converted is False and schema.get("nullable") is True:
            return {"type": "null"}
        return converted

    @staticmethod
    def _nullable(out: Json) -> Json:
        if "enum" in out:
            out["enum"] = [*out["enum"], None] if None not in out["enum"] else out["enum"]
        kind = out.get("type")
        if isinstance(kind, str) and not any(key in out for key in ("allOf", "oneOf", "anyOf", "$ref")):
            out["type"] = [kind, "null"]
            return out
        if isinstance(kind, list) and "null" not in kind and len(out) == 1:
            out["type"] = [*kind, "null"]
            return out
        return {"anyOf": [out, {"type": "null"}]}


# --- walking an instance along its schema -------------------------------------------------------------------------


def _formats(spec: ContractSpec, node: Json, seen: frozenset[str] = frozenset()) -> set[str]:
    """Every string format a value at this node may have (through refs and compositions)."""
    name = spec.ref_name(node)
    if name is not None:
        return set() if name in seen else _formats(spec, spec.schemas[name], seen | {name})
    formats = {node["format"]} if isinstance(node.get("format"), str) else set()
    for key in ("allOf", "oneOf", "anyOf"):
        for member in node.get(key) or []:
            formats |= _formats(spec, member, seen)
    return formats


def _object_children(spec: ContractSpec, node: Json, seen: frozenset[str] = frozenset()) -> tuple[Json, Any, Json]:
    """(properties, additionalProperties, items) a value at this node may have, merged over compositions."""
    name = spec.ref_name(node)
    if name is not None:
        return ({}, None, {}) if name in seen else _object_children(spec, spec.schemas[name], seen | {name})
    properties: Json = dict(node.get("properties") or {})
    additional = node.get("additionalProperties")
    items: Json = node.get("items") if isinstance(node.get("items"), dict) else {}
    for key in ("allOf", "oneOf", "anyOf"):
        for member in node.get(key) or []:
            sub_properties, sub_additional, sub_items = _object_children(spec, member, seen)
            for prop, schema in sub_properties.items():
                properties.setdefault(prop, schema)
            additional = additional if isinstance(additional, dict) else sub_additional
            items = items or sub_items
    return properties, additional, items


def canonical(spec: ContractSpec, node: Json, value: Any) -> Any:
    """The value with format-bearing strings parsed (date-time, date, uuid), so that '...Z' and '...+00:00'
    compare equal, and binary payloads (bytes, file tuples, File objects) reduced to their bytes."""
    if isinstance(value, dict):
        properties, additional, _ = _object_children(spec, node)
        return {
            key: canonical(spec, properties.get(key, additional if isinstance(additional, dict) else {}), item)
            for key, item in value.items()
        }
    if isinstance(value, list):
        _, _, items = _object_children(spec, node)
        return [canonical(spec, items, item) for item in value]
    formats = _formats(spec, node)
    if "binary" in formats:
        return payload_bytes(value)
    if isinstance(value, str):
        try:
            if "date-time" in formats:
                return ("date-time", dt.datetime.fromisoformat(value))
            if "date" in formats:
                return ("date", dt.date.fromisoformat(value))
            if "uuid" in formats:
                return ("uuid", uuid.UUID(value))
        except ValueError:
            return value
    return value


def payload_bytes(value: Any) -> Any:
    if isinstance(value, tuple) and len(value) >= 2:
        value = value[1]
    payload = getattr(value, "payload", value)
    if hasattr(payload, "getvalue"):
        return bytes(payload.getvalue())
    if isinstance(payload, str):
        return payload.encode()
    return payload


def binary_to_text(spec: ContractSpec, node: Json, value: Any) -> Any:
    """The JSON view of a to_dict() holding binary payloads: each payload as text (what the schema allows)."""
    if isinstance(value, dict):
        properties, additional, _ = _object_children(spec, node)
        return {
            key: binary_to_text(spec, properties.get(key, additional if isinstance(additional, dict) else {}), item)
            for key, item in value.items()
        }
    if isinstance(value, list):
        _, _, items = _object_children(spec, node)
        return [binary_to_text(spec, items, item) for item in value]
    if "binary" in _formats(spec, node):
        data = payload_bytes(value)
        return data.decode("utf-8", errors="replace") if isinstance(data, bytes) else data
    return value


def json_equal(left: Any, right: Any) -> bool:
    """Equality of JSON values that tells booleans from numbers (True == 1 in Python) and sees 1 == 1.0."""
    if isinstance(left, bool) or isinstance(right, bool):
        return isinstance(left, bool) and isinstance(right, bool) and left == right
    if isinstance(left, (int, float)) and isinstance(right, (int, float)):
        return left == right or (math.isnan(left) and math.isnan(right))
    if isinstance(left, dict) and isinstance(right, dict):
        return left.keys() == right.keys() and all(json_equal(left[key], right[key]) for key in left)
    if isinstance(left, (list, tuple)) and isinstance(right, (list, tuple)):
        return len(left) == len(right) and all(json_equal(a, b) for a, b in zip(left, right, strict=True))
    return type(left) is type(right) and bool(left == right)


def first_difference(left: Any, right: Any, where: str = "") -> str | None:
    """Where two JSON values first differ, for messages."""
    if isinstance(left, dict) and isinstance(right, dict):
        for key in sorted(left.keys() | right.keys(), key=str):
            if key not in right:
                return f"{where}.{key}: {left[key]!r} became absent"
            if key not in left:
                return f"{where}.{key}: absent became {right[key]!r}"
            found = first_difference(left[key], right[key], f"{where}.{key}")
            if found:
                return found
        return None
    if isinstance(left, list) and isinstance(right, list) and len(left) == len(right):
        for index, (a, b) in enumerate(zip(left, right, strict=True)):
            found = first_difference(a, b, f"{where}[{index}]")
            if found:
                return found
        return None
    return None if json_equal(left, right) else f"{where or '.'}: {left!r} became {right!r}"


__all__ = [
    "CUSTOM_FORMATS",
    "SCHEMA_REF",
    "binary_to_text",
    "canonical",
    "first_difference",
    "json_equal",
    "payload_bytes",
    "to_json_schema",
]
