"""Rules 1 and 2: each operation's import path, tag and name, and inline models hoisted into components
under names that cannot clash."""

from __future__ import annotations

import re
from typing import Any

from openapi_python_client.strings import ClassName, pascal_case

from codegen.naming import Named, NamingError, Operation, name_operations, separate
from codegen.normalize._walk import SCHEMA_REF, Json, _content_schemas, _resolve, _walk

# --- rules 1 and 2: resource tags and operation names -------------------------------------------------------------


def _snake(text: str) -> str:
    text = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", text)
    text = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", text)
    return re.sub(r"[^0-9A-Za-z]+", "_", text).strip("_").lower()


def _is_list(op: Json, schemas: Json) -> bool:
    """drf-spectacular names a GET `list` when it returns many: a bare array or a paginated envelope."""
    for status, response in (op.get("responses") or {}).items():
        if not str(status).startswith("2"):
            continue
        for _, schema in _content_schemas(response.get("content"), ""):
            schema = _resolve(schema, schemas)
            results = (schema.get("properties") or {}).get("results")
            if schema.get("type") == "array" or (
                isinstance(results, dict) and _resolve(results, schemas).get("type") == "array"
            ):
                return True
    return False


def _pascal(*parts: str) -> str:
    return "".join(word.capitalize() for word in _snake("_".join(parts)).split("_"))


def _makes_class(schema: Json) -> bool:
    return any(
        node.get("type") == "object"
        or "properties" in node
        or "additionalProperties" in node
        or any(value is not None for value in node.get("enum") or [])
        for _, node in _walk(schema, "")
    )


def _hoist_inline_models(spec: Json, op: Json, prefix: str, place: str, errors: list[str]) -> None:
    """The generator names inline models and enums after the operationId alone, and actions repeat across resources
    (`list` + query `status` -> `ListStatus` twice: the second operation is dropped). Moved into components named
    after resource + action (`AgentsListStatus`), they cannot clash."""
    schemas: Json = spec["components"]["schemas"]

    def hoist(holder: Json, suffix: str) -> None:
        schema = holder.get("schema")
        if not isinstance(schema, dict) or not _makes_class(schema):
            return
        name = prefix + suffix
        if schemas.setdefault(name, schema) != schema:
            errors.append(f"{place}: its inline schema would become {name}, a name the spec already uses")
            return
        holder["schema"] = {"$ref": SCHEMA_REF + name}

    for param in op.get("parameters") or []:
        hoist(param, _pascal(str(param.get("name", ""))))
    for media in ((op.get("requestBody") or {}).get("content") or {}).values():
        hoist(media, "Request")  # a request schema by name too, so that a second run leaves its writeOnly fields
    for status, response in (op.get("responses") or {}).items():
        for media in list((response.get("content") or {}).values())[:1]:  # the only one the generator reads
            hoist(media, f"Response{status}")


def _tag_and_name(spec: Json, operations: list[tuple[str, str, Json, Json]], errors: list[str]) -> None:
    """Each operation's import path (codegen/naming.py) goes into `x-module`; its operationId becomes the module name
    and its one tag names its package, unique per package (generate.py moves the files to their package)."""
    try:
        named = _named(spec, operations)
    except NamingError as error:
        errors.append(str(error))
        return
    tags: dict[tuple[str, ...], str] = {}
    for method, path, _, op in operations:
        # a second run keeps the first run's original (or its absence)
        original = None if "x-module" in op else op.get("operationId")
        module = named[method, path]
        package = module.parts[:-1]
        if package not in tags:
            tags[package] = separate(["_".join(part.strip("_") for part in package)], set(tags.values()))[0]
        op["tags"] = [tags[package]]
        op["operationId"] = module.parts[-1]
        op["x-module"] = ".".join(module.parts)
        if module.note:
            op["x-module-separated"] = module.note
        else:
            op.pop("x-module-separated", None)
        _hoist_inline_models(spec, op, _pascal(*module.parts), f"{method.upper()} {path}", errors)
        if isinstance(original, str):
            op.setdefault("x-original-operation-id", original)  # kept through a second run
    described = {tag.get("name"): tag for tag in spec.get("tags") or [] if isinstance(tag, dict)}
    spec["tags"] = [described.get(tag, {"name": tag}) for tag in tags.values()]


def _named(spec: Json, operations: list[tuple[str, str, Json, Json]]) -> dict[tuple[str, str], Named]:
    schemas = (spec.get("components") or {}).get("schemas") or {}
    return name_operations(
        Operation(method, path, method == "get" and _is_list(op, schemas)) for method, path, _, op in operations
    )


# --- rule 5: inline models named like a component -----------------------------------------------------------------


def _is_inline_class(node: Any) -> bool:
    """A schema the generator makes a class of where it stands (an object or an enum that is not a $ref)."""
    if not isinstance(node, dict) or "$ref" in node:
        return False
    all_of = node.get("allOf")
    return (
        node.get("type") == "object"
        or "properties" in node
        or (isinstance(all_of, list) and len(all_of) > 1)
        or any(value is not None for value in node.get("enum") or [])
    )


def _hoist_colliding_inline_models(spec: Json) -> None:
    """The generator names an inline model after its parent class and property (`identity.credentials` ->
    `IdentityCredentials`); when a component already has that class name it drops both and every schema using
    them. Such an inline schema becomes a component of its own under a free name (`IdentityCredentialsProperty`)."""
    schemas: Json = spec["components"]["schemas"]
    taken = {str(ClassName(name, "field_")) for name in schemas}
    hoisted: Json = {}

    def free_name(base: str) -> str:
        candidate, number = f"{base}Property", 2
        while candidate in schemas or candidate in hoisted or str(ClassName(candidate, "field_")) in taken:
            candidate, number = f"{base}Property{number}", number + 1
        return candidate

    def visit(node: Json, class_name: str) -> None:
        for prop, child in list((node.get("properties") or {}).items()):
            if not isinstance(child, dict):
                continue
            inner, holder, key, suffix = child, node["properties"], prop, ""
            if child.get("type") == "array" and isinstance(child.get("items"), dict):
                inner, holder, key, suffix = child["items"], child, "items", "_item"
            if not _is_inline_class(inner):
                continue
            inline_name = f"{pascal_case(class_name)}{pascal_case(prop + suffix)}"
            if inline_name in taken:
                name = free_name(inline_name)
                hoisted[name] = inner
                taken.add(str(ClassName(name, "field_")))
                holder[key] = {"$ref": SCHEMA_REF + name}
                inline_name = str(ClassName(name, "field_"))
            visit(inner, inline_name)

    for name, schema in list(schemas.items()):
        if isinstance(schema, dict):
            visit(schema, str(ClassName(name, "field_")))
    schemas.update(hoisted)
