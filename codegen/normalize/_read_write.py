"""Rule 3: readOnly-free request twins, writeOnly-free responses, and binary fields only in request bodies."""

from __future__ import annotations

from typing import Any

from codegen.normalize._walk import (
    SCHEMA_REF,
    Json,
    _children,
    _content_schemas,
    _copy,
    _ref_name,
    _response_schemas,
    _walk,
)

# --- rule 3: readOnly / writeOnly split ---------------------------------------------------------------------------


def _marked(prop: Any, flag: str) -> bool:
    return isinstance(prop, dict) and prop.get(flag) is True


def _drop_marked(node: Json, flag: str) -> None:
    props = node.get("properties")
    if not isinstance(props, dict):
        return
    dropped = [name for name, prop in props.items() if _marked(prop, flag)]
    for name in dropped:
        del props[name]
    if isinstance(node.get("required"), list) and dropped:
        node["required"] = [name for name in node["required"] if name not in dropped]
        if not node["required"]:
            del node["required"]


def _needs_split(schemas: Json) -> set[str]:
    """Components carrying readOnly or writeOnly properties anywhere inline, or referencing such a component."""
    direct: set[str] = set()
    refs: dict[str, set[str]] = {}
    for name, schema in schemas.items():
        refs[name] = set()
        for _, node in _walk(schema, name):
            props = (node.get("properties") or {}).values()
            if any(_marked(prop, "readOnly") or _marked(prop, "writeOnly") for prop in props):
                direct.add(name)
            if (target := _ref_name(node)) is not None:
                refs[name].add(target)
    found = set(direct)
    while grown := {name for name, targets in refs.items() if name not in found and targets & found}:
        found |= grown
    return found


def _split_read_write(spec: Json, operations: list[tuple[str, str, Json, Json]]) -> None:
    schemas: Json = spec["components"]["schemas"]
    needs_split = _needs_split(schemas)
    twins: dict[str, list[tuple[str, Json]]] = {}  # original name -> twins created from it, in creation order
    created: set[str] = set()

    def twin_of(name: str, patched: bool) -> str:
        if name.endswith("Request") or not isinstance(schemas.get(name), dict):
            return name  # already a request schema (respected as the spec has it), or a dangling ref
        target = f"Patched{name}Request" if patched and not name.startswith("Patched") else f"{name}Request"
        if target in schemas or target in created:
            return target
        if name not in needs_split and not (patched and schemas[name].get("required")):
            return name
        twin = _copy(schemas[name])
        created.add(target)  # before descending, so a self-referencing schema finds its twin
        twins.setdefault(name, []).append((target, twin))
        request_view(twin, patched)
        return target

    def request_view(node: Json, patched: bool) -> None:
        if (name := _ref_name(node)) is not None:
            node["$ref"] = SCHEMA_REF + twin_of(name, patched)
            return
        _drop_marked(node, "readOnly")
        if patched:
            node.pop("required", None)  # PATCH sends any subset of the top-level fields
        for _, child in _children(node):
            request_view(child, patched=False)  # nested objects are sent whole

    for method, _, _, op in operations:
        for _, schema in _content_schemas((op.get("requestBody") or {}).get("content"), ""):
            request_view(schema, patched=method == "patch")
    for name, schema in schemas.items():
        if not name.endswith("Request"):
            for _, node in _walk(schema, name):
                _drop_marked(node, "writeOnly")
    for _, _, _, op in operations:
        for _, schema in _response_schemas(op.get("responses"), ""):
            for _, node in _walk(schema, ""):
                _drop_marked(node, "writeOnly")
    # Each twin right after its original keeps the output readable and its order a function of the input.
    ordered: Json = {}
    for name, schema in schemas.items():
        ordered[name] = schema
        ordered.update(twins.get(name, []))
    spec["components"]["schemas"] = ordered


def _binary_only_in_requests(spec: Json, operations: list[tuple[str, str, Json, Json]]) -> None:
    """A JSON response cannot carry a file, only a string (Django REST framework sends the file's URL), yet the
    generator types a `format: binary` property as `File`: outside request bodies, such a property is a string."""
    schemas: Json = spec["components"]["schemas"]
    bodies = [
        schema
        for _, _, _, op in operations
        for _, schema in _content_schemas(op.get("requestBody", {}).get("content"), "")
    ]
    request_side: set[str] = set()
    while bodies:
        for _, node in _walk(bodies.pop(), ""):
            if (name := _ref_name(node)) in schemas and name not in request_side:
                request_side.add(name)
                bodies.append(schemas[name])
    roots = [schema for name, schema in schemas.items() if name not in request_side]
    for _, _, _, op in operations:
        for where, schema in _response_schemas(op.get("responses"), ""):
            if "json" in where:
                roots.append(schema)
    for root in roots:
        for _, node in list(_walk(root, ""))[1:]:  # the root itself may be a download's raw bytes
            if node.get("format") == "binary":
                del node["format"]
