"""Walking a spec: its operations, the schemas under each place (with a readable place for messages), and
`$ref` resolution; shared by every rule."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

Json = dict[str, Any]

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
SCHEMA_REF = "#/components/schemas/"


# --- walking the spec ---------------------------------------------------------------------------------------------


def _copy(value: Json) -> Json:
    # A JSON round trip is a deep copy that also un-shares objects aliased in a hand-built input,
    # so editing one place in place can never leak into another.
    copied: Json = json.loads(json.dumps(value))
    return copied


def _operations(spec: Json) -> Iterator[tuple[str, str, Json, Json]]:
    for path, item in (spec.get("paths") or {}).items():
        for method, op in item.items():
            if method in HTTP_METHODS and isinstance(op, dict):
                yield method, path, item, op


def _children(node: Json) -> Iterator[tuple[str, Json]]:
    """The schemas directly nested in ``node``, with a readable step for error messages."""
    for name, prop in (node.get("properties") or {}).items():
        if isinstance(prop, dict):
            yield f".{name}", prop
    for key in ("items", "additionalProperties", "not"):
        if isinstance(node.get(key), dict):
            yield f".{key}", node[key]
    for key in ("allOf", "oneOf", "anyOf", "prefixItems"):
        for index, member in enumerate(node.get(key) or []):
            if isinstance(member, dict):
                yield f".{key}[{index}]", member


def _walk(node: Json, where: str) -> Iterator[tuple[str, Json]]:
    """Pre-order over a schema and its inline sub-schemas (not through $ref); a node is yielded before it is
    descended into, so a repair may change its children."""
    yield where, node
    for step, child in _children(node):
        yield from _walk(child, where + step)


def _content_schemas(content: Any, place: str) -> Iterator[tuple[str, Json]]:
    for media_type, media in (content or {}).items():
        if isinstance(media, dict) and isinstance(media.get("schema"), dict):
            yield f"{place} {media_type}", media["schema"]


def _parameter_schemas(params: Any, place: str) -> Iterator[tuple[str, Json]]:
    for param in params or []:
        if isinstance(param.get("schema"), dict):
            yield f"{place} parameter {param.get('name')}", param["schema"]
        yield from _content_schemas(param.get("content"), f"{place} parameter {param.get('name')}")


def _response_schemas(responses: Any, place: str) -> Iterator[tuple[str, Json]]:
    for status, response in (responses or {}).items():
        yield from _content_schemas(response.get("content"), f"{place} response {status}")
        for name, header in (response.get("headers") or {}).items():
            if isinstance(header.get("schema"), dict):
                yield f"{place} response {status} header {name}", header["schema"]


def _schema_roots(spec: Json, operations: list[tuple[str, str, Json, Json]]) -> Iterator[tuple[str, Json]]:
    components = spec["components"]
    for name, schema in components["schemas"].items():
        yield f"schema {name}", schema
    yield from _parameter_schemas((components.get("parameters") or {}).values(), "components")
    yield from _response_schemas(components.get("responses"), "components")
    for name, body in (components.get("requestBodies") or {}).items():
        yield from _content_schemas(body.get("content"), f"components request body {name}")
    for path, item in (spec.get("paths") or {}).items():
        yield from _parameter_schemas(item.get("parameters"), path)
    for method, path, _, op in operations:
        place = f"{method.upper()} {path}"
        yield from _parameter_schemas(op.get("parameters"), place)
        yield from _content_schemas((op.get("requestBody") or {}).get("content"), f"{place} request body")
        yield from _response_schemas(op.get("responses"), place)


def _ref_name(node: Json) -> str | None:
    ref = node.get("$ref")
    return ref[len(SCHEMA_REF) :] if isinstance(ref, str) and ref.startswith(SCHEMA_REF) else None


def _resolve(node: Json, schemas: Json) -> Json:
    seen: set[str] = set()
    while (name := _ref_name(node)) is not None and name not in seen and isinstance(schemas.get(name), dict):
        seen.add(name)
        node = schemas[name]
    return node
