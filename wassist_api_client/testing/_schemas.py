"""OpenAPI 3.0 schemas of the shipped spec as JSON Schema (2020-12), validated with jsonschema, formats checked.

Each direction has its own view: a request never needs readOnly properties, a response never has writeOnly
ones. `$ref`s stay references (into `$defs`, the converted components), so recursive schemas validate as
they are. A validation error becomes Django REST framework's field map: `{"returnUrl": ["..."]}`.
"""

from __future__ import annotations

import datetime as dt
import re
import urllib.parse
import uuid
from collections.abc import Iterable
from typing import Any, Literal

import jsonschema

Json = dict[str, Any]
Direction = Literal["request", "response"]
SCHEMA_REF = "#/components/schemas/"
# OpenAPI-only keywords with no JSON Schema meaning (or one the direction views already applied).
_DROPPED = frozenset(
    {"nullable", "readOnly", "writeOnly", "example", "examples", "discriminator", "xml", "externalDocs", "deprecated"}
)
_URI_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*$")
_URI_FORBIDDEN = re.compile(r"[\s<>\"{}|\\^`]")

FORMATS = jsonschema.FormatChecker(formats=())


@FORMATS.checks("uri", raises=ValueError)
def _is_uri(value: object) -> bool:
    if not isinstance(value, str):
        return True
    parts = urllib.parse.urlsplit(value)
    return bool(_URI_SCHEME.match(parts.scheme)) and not _URI_FORBIDDEN.search(value)


@FORMATS.checks("date-time", raises=ValueError)
def _is_date_time(value: object) -> bool:
    if not isinstance(value, str):
        return True
    if not re.match(r"^\d{4}-\d\d-\d\d[Tt ]\d\d:\d\d:\d\d(\.\d+)?([Zz]|[+-]\d\d:\d\d)$", value):
        return False
    dt.datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    return True


@FORMATS.checks("date", raises=ValueError)
def _is_date(value: object) -> bool:
    if not isinstance(value, str):
        return True
    return bool(re.match(r"^\d{4}-\d\d-\d\d$", value)) and dt.date.fromisoformat(value) is not None


@FORMATS.checks("uuid", raises=ValueError)
def _is_uuid(value: object) -> bool:
    return not isinstance(value, str) or (len(value) == 36 and uuid.UUID(value) is not None)


@FORMATS.checks("email")
def _is_email(value: object) -> bool:
    return not isinstance(value, str) or bool(re.match(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", value))


class Schemas:
    """The converted component schemas of one spec, per direction, and a validator per schema node."""

    def __init__(self, spec: Json) -> None:
        self._components: Json = (spec.get("components") or {}).get("schemas") or {}
        self._defs: dict[Direction, Json] = {
            direction: {name: _convert(node, direction) for name, node in self._components.items()}
            for direction in ("request", "response")
        }
        self._validators: dict[tuple[int, Direction], jsonschema.protocols.Validator] = {}

    def validator(self, node: Json, direction: Direction) -> jsonschema.protocols.Validator:
        key = (id(node), direction)
        found = self._validators.get(key)
        if found is None:
            schema = {"$defs": self._defs[direction], **_convert(node, direction)}
            found = jsonschema.Draft202012Validator(schema, format_checker=FORMATS)
            self._validators[key] = found
        return found

    def is_valid(self, node: Json, instance: Any, direction: Direction) -> bool:
        return bool(self.validator(node, direction).is_valid(instance))

    def field_errors(self, node: Json, instance: Any, direction: Direction) -> dict[str, list[str]]:
        """{} when `instance` fits `node`; else each failing field (dotted path) with DRF-style messages."""
        validator = self.validator(node, direction)
        if validator.is_valid(instance):  # the common case, and cheaper than collecting no errors
            return {}
        return drf_errors(validator.iter_errors(instance))

    def resolve(self, node: Json) -> Json:
        """The component a `$ref` points to (followed to the end), else the node itself."""
        seen: set[str] = set()
        while isinstance(node.get("$ref"), str) and node["$ref"].startswith(SCHEMA_REF):
            name = node["$ref"][len(SCHEMA_REF) :]
            if name in seen or name not in self._components:
                break
            seen.add(name)
            node = self._components[name]
        return node


def _convert(node: Any, direction: Direction) -> Any:
    if isinstance(node, list):
        return [_convert(item, direction) for item in node]
    if not isinstance(node, dict):
        return node
    out: Json = {}
    for key, value in node.items():
        if key in _DROPPED or key.startswith("x-"):
            continue
        if key == "$ref" and isinstance(value, str) and value.startswith(SCHEMA_REF):
            out[key] = "#/$defs/" + value[len(SCHEMA_REF) :]
        elif key == "properties" and isinstance(value, dict):
            out[key] = {name: _convert(prop, direction) for name, prop in value.items()}
        elif key in ("items", "additionalProperties", "not", "allOf", "oneOf", "anyOf"):
            out[key] = _convert(value, direction)
        else:
            out[key] = value
    if isinstance(node.get("properties"), dict) and isinstance(node.get("required"), list):
        # A request is never asked for a readOnly field, a response never carries a writeOnly one.
        skipped = "readOnly" if direction == "request" else "writeOnly"
        props = node["properties"]
        out["required"] = [name for name in node["required"] if not (props.get(name) or {}).get(skipped)]
    if out.get("format") == "binary":
        del out["format"]
    for bound, limit in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
        if out.get(bound) is True and limit in out:
            out[bound] = out.pop(limit)
        elif isinstance(out.get(bound), bool):
            del out[bound]
    if node.get("nullable") is True:
        out = _nullable(out)
    return out


def _nullable(out: Json) -> Json:
    if "enum" in out and None not in out["enum"]:
        out["enum"] = [*out["enum"], None]
    kind = out.get("type")
    if isinstance(kind, str) and not any(key in out for key in ("allOf", "oneOf", "anyOf", "$ref")):
        return {**out, "type": [kind, "null"]}
    return {"anyOf": [out, {"type": "null"}]}


# --- errors as Django REST framework reports them ---------------------------------------------------------------

_TYPE_MESSAGES = {
    "string": "Not a valid string.",
    "integer": "A valid integer is required.",
    "number": "A valid number is required.",
    "boolean": "Must be a valid boolean.",
    "array": 'Expected a list of items but got type "{kind}".',
    "object": 'Expected a dictionary of items, but got type "{kind}".',
}
_FORMAT_MESSAGES = {
    "uri": "Enter a valid URL.",
    "email": "Enter a valid email address.",
    "uuid": "Must be a valid UUID.",
    "date-time": "Datetime has wrong format. Use one of these formats instead: "
    "YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z].",
    "date": "Date has wrong format. Use one of these formats instead: YYYY-MM-DD.",
}


def _json_kind(value: object) -> str:
    for kind, types in (("null", type(None)), ("bool", bool), ("int", int), ("float", float), ("str", str)):
        if isinstance(value, types):
            return kind
    return "list" if isinstance(value, list) else "dict"


def drf_errors(errors: Iterable[jsonschema.ValidationError]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for error in sorted(errors, key=lambda e: (list(map(str, e.absolute_path)), e.message)):
        for field, message in _describe(error):
            messages = found.setdefault(field or "non_field_errors", [])
            if message not in messages:
                messages.append(message)
    return found


def _describe(error: jsonschema.ValidationError) -> list[tuple[str, str]]:
    where = ".".join(str(step) for step in error.absolute_path)
    validator, instance = error.validator, error.instance
    value: Any = error.validator_value
    if validator == "required" and isinstance(instance, dict):
        missing = [name for name in value if name not in instance]
        return [(_join(where, name), "This field is required.") for name in missing]
    if validator == "additionalProperties" and isinstance(instance, dict):
        known = set((error.schema.get("properties") or {}) if isinstance(error.schema, dict) else ())
        extra = [name for name in instance if name not in known]
        return [(_join(where, name), "Unexpected field.") for name in extra] or [(where, error.message)]
    if validator == "type":
        if instance is None:
            return [(where, "This field may not be null.")]
        kinds = [value] if isinstance(value, str) else list(value)
        template = _TYPE_MESSAGES.get(next((k for k in kinds if k != "null"), ""), error.message)
        return [(where, template.format(kind=_json_kind(instance)))]
    if validator == "format":
        return [(where, _FORMAT_MESSAGES.get(str(value), f"Not a valid {value}."))]
    if validator == "enum":
        return [(where, f'"{instance}" is not a valid choice.')]
    if validator in ("anyOf", "oneOf") and instance is None:
        return [(where, "This field may not be null.")]
    if validator in ("anyOf", "oneOf") and error.context:
        # Report the branch that came closest (a nullable object's object branch, say), not the union.
        best = jsonschema.exceptions.best_match(error.context)
        if best is not None:
            return _describe(best)
    return [(where, error.message)]


def _join(where: str, name: str) -> str:
    return f"{where}.{name}" if where else name
