"""Which side (request, response, both) each component schema travels on, transitively through `$ref`s."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from codegen.spec_diff._nodes import SCHEMA_REF_PREFIX, JSONDict, _components, _dict, _list, _resolve
from codegen.spec_diff._operations import _operation_nodes, _request_schemas, webhook_payloads
from codegen.spec_diff._report import Side


def _property_side(schema: Any, side: Side) -> Side:
    """readOnly fields are never sent and writeOnly fields never returned."""
    node = _dict(schema)
    if node.get("readOnly") is True:
        side &= ~Side.REQUEST
    if node.get("writeOnly") is True:
        side &= ~Side.RESPONSE
    return side


def _children(schema: JSONDict, side: Side) -> Iterator[Any]:
    """The sub-schemas of a schema that travel on `side`."""
    for prop in _dict(schema.get("properties")).values():
        if _property_side(prop, side):
            yield prop
    for key in ("items", "additionalProperties", "not"):
        if isinstance(schema.get(key), dict):
            yield schema[key]
    for key in ("allOf", "oneOf", "anyOf"):
        yield from _list(schema.get(key))


def schema_sides(spec: JSONDict) -> dict[str, Side]:
    """Which component schemas each operation sends or receives, transitively through `$ref`s."""
    sides: dict[str, Side] = {}
    for operation, path_item in _operation_nodes(spec).values():
        for schema in _request_schemas(spec, operation, path_item):
            _mark(spec, schema, Side.REQUEST, sides)
        for response in _dict(operation.get("responses")).values():
            for media in _dict(_resolve(spec, response).get("content")).values():
                _mark(spec, _dict(media).get("schema"), Side.RESPONSE, sides)
    for payload in webhook_payloads(spec).values():
        _mark(spec, payload, Side.RESPONSE, sides)  # payloads come to the client, like responses
    return sides


def _mark(spec: JSONDict, schema: Any, side: Side, sides: dict[str, Side]) -> None:
    components = _components(spec)
    stack = [schema]
    while stack:
        node = _dict(stack.pop())
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(SCHEMA_REF_PREFIX):
            name = ref[len(SCHEMA_REF_PREFIX) :]
            if not sides.get(name, Side.NONE) & side:
                sides[name] = sides.get(name, Side.NONE) | side
                stack.append(components.get(name))
            continue
        stack.extend(_children(node, side))
