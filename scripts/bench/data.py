"""Spec-driven data for `scripts.bench`: example bodies from schemas, model picking, bigger specs.

Everything here reads an OpenAPI 3.0 document as published (before normalizing), so the bench
works for any spec: request examples leave out readOnly properties, response examples leave
out writeOnly ones, and every value fits its schema (formats, enums, bounds) so that a strict
parser accepts it.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from typing import Any

_HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_SKIP = object()  # a property left out (a recursive reference)

_STRING_FORMATS = {
    "uuid": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
    "date-time": "2024-05-06T07:08:09.123456Z",
    "date": "2024-05-06",
    "time": "07:08:09",
    "uri": "https://example.com/bench/path?x=1",
    "url": "https://example.com/bench/path?x=1",
    "email": "bench@example.com",
    "ipv4": "192.0.2.1",
    "ipv6": "2001:db8::1",
    "hostname": "example.com",
    "byte": "YmVuY2g=",
    "binary": "bench file content",
    "decimal": "12.50",
}

_PATTERN_CANDIDATES = ("15551234567", "123456", "#a1b2c3", "bench_value", "bench-value", "BENCH", "a", "1")


def resolve(spec: dict[str, Any], schema: dict[str, Any]) -> tuple[str | None, dict[str, Any]]:
    """(component name or None, the schema a `$ref` points to, or the schema itself)."""
    ref = schema.get("$ref")
    if not isinstance(ref, str):
        return None, schema
    name = ref.rsplit("/", 1)[-1]
    target: dict[str, Any] = spec["components"]["schemas"][name]
    return name, target


def example(spec: dict[str, Any], schema: dict[str, Any], *, request: bool, _stack: tuple[str, ...] = ()) -> Any:
    """A JSON value that fits `schema`; `request` leaves out readOnly properties, else writeOnly ones."""
    name, schema = resolve(spec, schema)
    if name is not None:
        if name in _stack:
            return _SKIP
        _stack = (*_stack, name)
    for key in ("allOf", "oneOf", "anyOf"):
        options = [s for s in schema.get(key, []) if resolve(spec, s)[1].get("type") != "null"]
        if key == "allOf" and len(options) > 1:
            merged: dict[str, Any] = {}
            for option in options:
                value = example(spec, option, request=request, _stack=_stack)
                if isinstance(value, dict):
                    merged.update(value)
            return merged
        if options:
            return example(spec, options[0], request=request, _stack=_stack)
    if "enum" in schema:
        values = [v for v in schema["enum"] if v is not None]
        return values[0] if values else None
    kind = schema.get("type")
    if isinstance(kind, list):  # OpenAPI 3.1 style ["string", "null"]
        kind = next((k for k in kind if k != "null"), None)
    if kind == "string":
        return _string(schema)
    if kind in ("integer", "number"):
        return _number(schema, 1 if kind == "integer" else 1.5)
    if kind == "boolean":
        return True
    if kind == "array":
        item = example(spec, schema.get("items", {}), request=request, _stack=_stack)
        return [] if item is _SKIP else [item] * max(1, schema.get("minItems", 1))
    if kind == "object" or "properties" in schema:
        result: dict[str, Any] = {}
        for prop, prop_schema in schema.get("properties", {}).items():
            if prop_schema.get("readOnly" if request else "writeOnly"):
                continue
            value = example(spec, prop_schema, request=request, _stack=_stack)
            if value is not _SKIP:
                result[prop] = value
        return result
    return "bench value"  # no type: anything goes


def _string(schema: dict[str, Any]) -> str:
    text = _STRING_FORMATS.get(schema.get("format", ""), "bench value")
    if "pattern" in schema:  # the first of a few typical values that fits (phone numbers, codes, colours, slugs)
        pattern = re.compile(schema["pattern"])
        text = next((c for c in (text, *_PATTERN_CANDIDATES) if pattern.search(c)), text)
    if "maxLength" in schema:
        text = text[: schema["maxLength"]]
    return text.ljust(schema.get("minLength", 0), "x")


def _number(schema: dict[str, Any], value: float) -> float:
    """`value`, moved inside the schema's bounds (bounds are enough for the specs in practice)."""
    low, high = schema.get("minimum"), schema.get("maximum")
    if low is not None and value <= low:
        value = low + 1 if schema.get("exclusiveMinimum") is True else low
    if high is not None and value >= high:
        value = high - 1 if schema.get("exclusiveMaximum") is True else high
    return int(value) if schema.get("type") == "integer" else float(value)


def operations(spec: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, path_item in spec.get("paths", {}).items():
        for method, operation in path_item.items():
            if method in _HTTP_METHODS and isinstance(operation, dict):
                yield path, method, operation


def find_operation(spec: dict[str, Any], method: str, url: str) -> dict[str, Any]:
    """The operation for a concrete request (path parameters in the template match any segment)."""
    for path, op_method, operation in operations(spec):
        pattern = re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(path))
        if op_method == method.lower() and re.fullmatch(pattern, url):
            return operation
    raise LookupError(f"no operation {method.upper()} {url} in the spec")


def json_schema_of(content: dict[str, Any]) -> dict[str, Any] | None:
    for media_type, media in content.items():
        if media_type.split(";")[0].strip().endswith("json") and "schema" in media:
            schema: dict[str, Any] = media["schema"]
            return schema
    return None


def request_schema(operation: dict[str, Any]) -> dict[str, Any] | None:
    return json_schema_of(operation.get("requestBody", {}).get("content", {}))


def success_response(operation: dict[str, Any]) -> tuple[int, dict[str, Any] | None]:
    """The first documented 2xx status and its JSON schema."""
    for status, response in sorted(operation.get("responses", {}).items()):
        if status.startswith("2") and status.isdigit():
            return int(status), json_schema_of(response.get("content", {}))
    raise LookupError("the operation documents no 2xx response")


def _is_object(spec: dict[str, Any], schema: dict[str, Any]) -> bool:
    target = resolve(spec, schema)[1]
    return "enum" not in target and (target.get("type") == "object" or "properties" in target)


def _nested_refs(spec: dict[str, Any], schema: dict[str, Any]) -> int:
    """Properties of a schema whose value is (a list of) another object model."""
    count = 0
    for prop in schema.get("properties", {}).values():
        options = [prop, *prop.get("allOf", []), *prop.get("oneOf", []), *prop.get("anyOf", [])]
        if prop.get("type") == "array":
            options.append(prop.get("items", {}))
        if any("$ref" in option and _is_object(spec, option) for option in options):
            count += 1
    return count


def most_nested_model(spec: dict[str, Any]) -> tuple[str, int] | None:
    """The component schema with the most nested-model properties (ties: more properties, then name)."""
    candidates = [
        (_nested_refs(spec, schema), len(schema.get("properties", {})), name)
        for name, schema in spec.get("components", {}).get("schemas", {}).items()
        if _is_object(spec, schema)
    ]
    if not candidates:
        return None
    nested, _, name = max(candidates, key=lambda c: (c[0], c[1], [-ord(ch) for ch in c[2]]))
    return name, nested


def replicate_spec(spec: dict[str, Any], copies: int) -> dict[str, Any]:
    """`copies` times the operations of a spec (schemas shared): `/api/v1/agents/` also as `/api/v1/agents-2/`...

    Operation ids follow their paths (`api_v1_agents_list` -> `api_v1_agents_2_list`), so every copy
    makes its own operation modules, as more resources of the same API would.
    """
    replicated = copy.deepcopy(spec)
    paths: dict[str, Any] = dict(replicated.get("paths", {}))
    for number in range(2, copies + 1):
        for path, path_item in spec.get("paths", {}).items():
            segments = path.split("/")
            # the first segment after the version (`/api/v1/<resource>/`), else the first segment
            index = next((i + 1 for i, seg in enumerate(segments[:-1]) if re.fullmatch(r"v\d+", seg)), 1)
            resource = segments[index]
            segments[index] = f"{resource}-{number}"
            item = copy.deepcopy(path_item)
            old_prefix = "_".join(re.sub(r"\W", "_", seg) for seg in path.split("/")[1 : index + 1])
            for method, operation in item.items():
                if method in _HTTP_METHODS and isinstance(operation, dict) and "operationId" in operation:
                    operation["operationId"] = operation["operationId"].replace(old_prefix, f"{old_prefix}_{number}", 1)
            paths["/".join(segments)] = item
    replicated["paths"] = paths
    return replicated


def count_operations(spec: dict[str, Any]) -> int:
    return sum(1 for _ in operations(spec))


def squash(name: str) -> str:
    """A name compared loosely: `WhatsAppLinkSession`, `whats_app_link_session` -> `whatsapplinksession`."""
    return re.sub(r"[^a-z0-9]", "", name.lower())
