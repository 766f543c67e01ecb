"""Normalize an OpenAPI spec (drf-spectacular style) into what openapi-python-client 0.29.1 generates cleanly.

A pure function spec -> spec, driven only by what the spec says (see issue 3):

1. each operation gets its import path from its path (codegen/naming.py): `x-module` (`conversations.messages.list_`),
   the module name as operationId and one tag per package;
2. inline models and enums become components named after that import path;
3. request bodies get readOnly-free ``<Name>Request`` / ``Patched<Name>Request`` twins, responses lose writeOnly;
4. request bodies keep one media type (JSON, or multipart where a binary field needs it);
5. quirks that make the generator crash, warn or drop operations are repaired, or reported by raising
   NormalizationError naming the place;
6. webhook payloads (OpenAPI 3.1 `webhooks`, 3.0 `x-webhooks`) written inline become components named
   `<Event>WebhookPayload`, so that the generator (which ignores webhooks) makes their models.

Usage: ``python -m codegen.normalize IN.json OUT.json``
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from openapi_python_client.strings import ClassName, pascal_case

from codegen.naming import Named, NamingError, Operation, name_operations, separate

Json = dict[str, Any]

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
SCHEMA_REF = "#/components/schemas/"
JSON_TYPES: dict[str, tuple[type, ...]] = {
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "string": (str,),
    "array": (list,),
    "object": (dict,),
}
RAW_BYTES: Json = {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}
WEBHOOK_SECTIONS = ("webhooks", "x-webhooks")  # OpenAPI 3.1, and the 3.0 extension for the same thing
PARAM = re.compile(r"\{([^}]+)\}")


class NormalizationError(ValueError):
    """The spec has something the normalizer cannot repair; the message names each place."""


def normalize(spec: Json) -> Json:
    """Return the normalized copy of ``spec``; ``spec`` itself is never modified."""
    out = _copy(spec)
    errors: list[str] = []
    schemas: Json = out.setdefault("components", {}).setdefault("schemas", {})
    operations = list(_operations(out))
    _hoist_webhook_payloads(out, errors)
    for place, root in _schema_roots(out, operations):
        for where, node in _walk(root, place):
            _repair_schema(node, where, schemas, errors)
    for place, root in _schema_roots(out, operations):
        for _, node in _walk(root, place):
            _move_enum_nullability(node, schemas)
    for method, path, item, op in operations:
        _repair_parameters(method, path, item, op, out, errors)
        _choose_body_media_type(op, out)
        _repair_responses(op)
    _split_read_write(out, operations)
    _undiscriminated_one_of(out)
    _binary_only_in_requests(out, operations)
    _tag_and_name(out, operations, errors)
    _hoist_colliding_inline_models(out)
    if errors:
        raise NormalizationError("\n".join(errors))
    return out


def normalize_file(src: Path, dst: Path) -> None:
    result = normalize(json.loads(src.read_text(encoding="utf-8")))
    dst.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m codegen.normalize", description="Normalize an OpenAPI spec.")
    parser.add_argument("src", type=Path, help="OpenAPI spec (JSON) to read")
    parser.add_argument("dst", type=Path, help="normalized spec (JSON) to write")
    args = parser.parse_args(argv)
    try:
        normalize_file(args.src, args.dst)
    except NormalizationError as error:
        print(f"normalize: {args.src}:\n{error}", file=sys.stderr)
        return 1
    return 0


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


# --- rule 5: schema quirks ----------------------------------------------------------------------------------------


def _repair_schema(node: Json, where: str, schemas: Json, errors: list[str]) -> None:
    # The generator names classes after `title` (inline ones after parent + title), so two inline schemas titled
    # alike are duplicate models, and a titled component loses its name; the names must come from the spec's keys.
    if isinstance(node.get("title"), str):
        del node["title"]
    _repair_type_list(node)
    if isinstance(node.get("enum"), list):
        _repair_enum(node, where, errors)
    if "default" in node and node["default"] is not None and not _default_fits(node, schemas):
        # The generator drops the whole schema (and the responses using it) over a default it cannot convert.
        del node["default"]


def _repair_type_list(node: Json) -> None:
    """OpenAPI 3.1 `type: [t, 'null']` -> 3.0 `type: t, nullable: true` (the generator rejects `t | None` path
    parameters); several non-null types become an anyOf."""
    kinds = node.get("type")
    if kinds == "null":
        kinds = ["null"]
    if not isinstance(kinds, list):
        return
    concrete = [kind for kind in kinds if kind != "null"]
    replacement: Json
    if len(concrete) == 1:
        replacement = {"type": concrete[0]}
    elif concrete:
        replacement = {"anyOf": [*node.get("anyOf", []), *({"type": kind} for kind in concrete)]}
    else:
        replacement = {} if "enum" in node else {"enum": [None]}
    if len(concrete) < len(kinds):
        replacement["nullable"] = True
    # Spliced in where `type` was, so the rest of the schema keeps its order.
    items = list(node.items())
    node.clear()
    for key, value in items:
        if key == "type":
            node.update(replacement)
        elif key not in replacement:
            node[key] = value


def _repair_enum(node: Json, where: str, errors: list[str]) -> None:
    values: list[Any] = []
    seen: set[str] = set()
    for value in node["enum"]:
        key = f"{type(value).__name__}:{json.dumps(value, sort_keys=True)}"  # 1 and True are different values
        if key not in seen:  # the generator crashes on a duplicate member name
            seen.add(key)
            values.append(value)
    if None in values and len(values) > 1:
        # A null among other values makes the generator emit three look-alike enum classes for one field.
        values.remove(None)
        node["nullable"] = True
    node["enum"] = values
    kinds = {type(value) for value in values if value is not None}
    if len(kinds) > 1 or not kinds <= {str, int}:
        # Only str or int enums can be generated (bool, float, mixed: the schema is dropped); keep the type alone.
        del node["enum"]
        return
    if kinds == {str} and "x-enum-varnames" not in node:
        _check_enum_names(values, where, errors)


def _move_enum_nullability(node: Json, schemas: Json) -> None:
    """The generator ignores `nullable` on an enum schema (the field then rejects null) but honours it on a
    wrapper `{allOf: [$ref], nullable: true}` (`anyOf` for an inline enum): give every property, item or map value
    that uses a nullable enum one."""
    slots: list[tuple[Json, str]] = [(node["properties"], name) for name in node.get("properties") or {}]
    slots += [(node, key) for key in ("items", "additionalProperties") if isinstance(node.get(key), dict)]
    for parent, key in slots:
        child = parent[key]
        if not isinstance(child, dict):
            continue
        members = child.get("allOf")
        if isinstance(members, list) and len(members) == 1 and _is_nullable_enum(members[0], schemas):
            child["nullable"] = True
        elif _is_nullable_enum(child, schemas) and "$ref" in child:
            parent[key] = {"allOf": [{"$ref": child["$ref"]}], "nullable": True}
        elif _is_nullable_enum(child, schemas):
            # An inline enum under allOf would become a model class; under anyOf it stays an enum.
            parent[key] = {"anyOf": [{k: v for k, v in child.items() if k != "nullable"}], "nullable": True}


def _is_nullable_enum(node: Any, schemas: Json) -> bool:
    if not isinstance(node, dict):
        return False
    target = _resolve(node, schemas)
    values = target.get("enum")
    # `enum: [null]` (drf-spectacular's NullEnum) is a null constant the generator handles as is.
    return isinstance(values, list) and values != [None] and target.get("nullable") is True


def _check_enum_names(values: list[Any], where: str, errors: list[str]) -> None:
    """Distinct values that the generator turns into one member name crash it (or silently lose a value)."""
    names: dict[str, str] = {}
    for index, value in enumerate(values):
        if value is None:
            continue
        if value and value[0].isalpha():
            kept = "".join(c for c in value.upper() if c.isidentifier() or c.isdecimal() or c in ". _-")
            name = "_".join(re.findall(r"[^. _-]+", kept))
        else:
            name = f"VALUE_{index}"
        if name in names:
            errors.append(f"{where}: enum values {names[name]!r} and {value!r} both become the member name {name}")
        names.setdefault(name, value)


def _default_fits(node: Json, schemas: Json) -> bool:
    default = node["default"]
    for candidate in [node, *(member for member in node.get("allOf") or [] if isinstance(member, dict))]:
        target = _resolve(candidate, schemas)
        if isinstance(target.get("enum"), list) and default not in target["enum"]:
            return False
        kind = target.get("type")
        kinds = JSON_TYPES.get(kind, (object,)) if isinstance(kind, str) else (object,)
        if not isinstance(default, kinds) or (isinstance(default, bool) and bool not in kinds):
            return False
    return True


# --- rule 5: parameters and responses -----------------------------------------------------------------------------


def _repair_parameters(method: str, path: str, item: Json, op: Json, spec: Json, errors: list[str]) -> None:
    place = f"{method.upper()} {path}"
    declared: set[str] = set()
    for param in [*item.get("parameters", []), *op.get("parameters", [])]:
        param = _resolve_component(param, spec, "parameters")
        schema = param.get("schema")
        enum = schema.get("enum") if isinstance(schema, dict) else None
        if isinstance(schema, dict) and schema.get("nullable") is True and any(v is not None for v in enum or []):
            # A query string, header or cookie cannot carry null (None and Unset both leave it out), and the
            # generator would type a nullable enum parameter as the enum alone anyway.
            del schema["nullable"]
            schema["enum"] = [value for value in schema["enum"] if value is not None]
        if param.get("in") != "path":
            continue
        declared.add(param.get("name", ""))
        if param.get("name") not in PARAM.findall(path):
            errors.append(f"{place}: path parameter {param.get('name')!r} does not appear in the path")
        # The generator skips operations whose path parameters are optional or nullable.
        param["required"] = True
        if isinstance(param.get("schema"), dict):
            param["schema"].pop("nullable", None)
    for name in PARAM.findall(path):
        if name not in declared:
            # The generator skips operations with undeclared path parameters; Wassist's are strings.
            param = {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
            op.setdefault("parameters", []).append(param)


def _resolve_component(node: Json, spec: Json, section: str) -> Json:
    ref = node.get("$ref")
    prefix = f"#/components/{section}/"
    if isinstance(ref, str) and ref.startswith(prefix):
        found = (spec["components"].get(section) or {}).get(ref[len(prefix) :])
        if isinstance(found, dict):
            return found
    return node


def _media_base(media_type: str) -> str:
    base = media_type.split(";")[0].strip().lower()
    return "application/json" if base.endswith("+json") else base


def _usable(content: Json, kinds: tuple[str, ...]) -> Json:
    """The entries of `content` the generator accepts, keyed as it can parse them (it rejects upper case)."""
    kept: Json = {}
    for media_type, media in content.items():
        base = _media_base(media_type)
        if base in kinds or (base.startswith("text/") and "text/*" in kinds):
            lowered = media_type.split(";")[0].strip().lower()
            kept[media_type if media_type.startswith(lowered) else media_type.lower()] = media
    return kept


def _has_binary(node: Json, schemas: Json, seen: set[int]) -> bool:
    node = _resolve(node, schemas)
    if id(node) in seen:
        return False
    seen.add(id(node))
    return node.get("format") == "binary" or any(_has_binary(child, schemas, seen) for _, child in _children(node))


def _choose_body_media_type(op: Json, spec: Json) -> None:
    """Rule 4: one media type per body. The generator emits one branch per type (all taken, `Unset` unimported)
    and skips operations whose only body type it does not know."""
    if not isinstance(op.get("requestBody"), dict):
        return
    # A shared components/requestBodies entry is copied in: each operation's body is edited on its own.
    body = op["requestBody"] = _copy(_resolve_component(op["requestBody"], spec, "requestBodies"))
    content = {
        media_type: media
        for media_type, media in (body.get("content") or {}).items()
        if isinstance(media, dict) and isinstance(media.get("schema"), dict)
    }
    kinds = ("application/json", "application/x-www-form-urlencoded", "multipart/form-data", "application/octet-stream")
    usable = _usable(content, kinds)
    by_base: dict[str, str] = {}
    for media_type in usable:
        by_base.setdefault(_media_base(media_type), media_type)
    multipart = by_base.get("multipart/form-data")
    if multipart and _has_binary(usable[multipart]["schema"], spec["components"]["schemas"], set()):
        chosen: str | None = multipart
    else:
        chosen = next((by_base[kind] for kind in kinds if kind in by_base), None)
    body["content"] = {chosen: usable[chosen]} if chosen else _copy(RAW_BYTES)


def _is_download(media_type: str, media: Any) -> bool:
    schema = media.get("schema") if isinstance(media, dict) else None
    return (
        _media_base(media_type) == "application/json"
        and isinstance(schema, dict)
        and schema.get("type") == "string"
        and schema.get("format") == "binary"
    )


def _repair_responses(op: Json) -> None:
    responses = op.get("responses")
    if isinstance(responses, dict) and "default" in responses and not any(str(s)[0] == "2" for s in responses):
        # `default` is then the only documented success (`GET /user/logout`: `default: successful operation`);
        # the generator reads `default` as "any other status", so the client would refuse every 2xx.
        responses["2XX"] = _copy(responses["default"])
    for response in (responses or {}).values():
        if not isinstance(response, dict) or "content" not in response:
            continue
        content = response["content"] or {}
        usable = _usable(content, ("application/json", "application/octet-stream", "text/*"))
        if any(_is_download(media_type, media) for media_type, media in usable.items()):
            # drf-spectacular documents a file download as a JSON binary string: the body is the file's bytes.
            response["content"] = _copy(RAW_BYTES)
            continue
        if not content or (usable and all(media.get("schema") is None for media in usable.values())):
            del response["content"]  # `schema: null` or no content at all: the response has no body
        elif usable:
            response["content"] = usable
        else:
            # The generator omits responses in media types it does not know; raw bytes are what they carry.
            response["content"] = _copy(RAW_BYTES)


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


def module_paths(spec: Json) -> dict[str, str]:
    """`METHOD /path` -> `api.<...>` for every operation of a spec as published: what the change report compares.
    The import paths `make generate` would give it; for a spec the normalizer refuses, those of its paths as they
    are (empty if they cannot be named either)."""
    try:
        normalized = normalize(spec)
    except NormalizationError:
        normalized = _copy(spec)
        try:
            named = _named(normalized, list(_operations(normalized)))
        except NamingError:
            return {}
        return {f"{method.upper()} {path}": "api." + ".".join(parts.parts) for (method, path), parts in named.items()}
    return {f"{method.upper()} {path}": "api." + op["x-module"] for method, path, _, op in _operations(normalized)}


# --- rule 5: a discriminator naming a property no member has -------------------------------------------------------


def _undiscriminated_one_of(spec: Json) -> None:
    """drf-spectacular's polymorphic request twins lose the discriminator property when it is readOnly (`type`), so
    every all-optional PATCH member fits one body and no body fits "exactly one" of them: a oneOf whose
    discriminator names a property none of its members has is an anyOf (the generator makes the same union)."""
    schemas: Json = spec["components"]["schemas"]
    for schema in schemas.values():
        if not isinstance(schema, dict) or not isinstance(schema.get("oneOf"), list):
            continue
        discriminator = schema.get("discriminator")
        name = discriminator.get("propertyName") if isinstance(discriminator, dict) else None
        if name is None:
            continue
        members = [_resolve(member, schemas) for member in schema["oneOf"] if isinstance(member, dict)]
        if not any(name in (member.get("properties") or {}) for member in members):
            schema["anyOf"] = schema.pop("oneOf")
            del schema["discriminator"]
            continue
        _pin_discriminator_values(name, schema["discriminator"].get("mapping") or {}, schemas)


def _pin_discriminator_values(name: str, mapping: Json, schemas: Json) -> None:
    """ory/kratos' `method` (a string, or an enum of every member's values) in each member of a discriminated
    oneOf: each body fits several members, and validators (Prism) refuse it for not fitting exactly one. The
    mapping says which value each member holds; the member's discriminator becomes that one value (the client's
    union picks its member by it too)."""
    for value, ref in mapping.items():
        target = ref[len(SCHEMA_REF) :] if isinstance(ref, str) and ref.startswith(SCHEMA_REF) else None
        member = schemas.get(target) if target else None
        prop = (member.get("properties") or {}).get(name) if isinstance(member, dict) else None
        if not isinstance(prop, dict) or prop.get("type") != "string" or "$ref" in prop:
            continue
        if "enum" not in prop or (isinstance(prop["enum"], list) and value in prop["enum"]):
            prop["enum"] = [value]  # also an enum of every member's values (kratos' `method: [link, code]`)


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


# --- rule 6: webhook payloads -------------------------------------------------------------------------------------


def webhook_payloads(spec: Json) -> dict[str, Json]:
    """Event name (the key under `webhooks`, or `x-webhooks` in 3.0) -> the JSON media object of its payload:
    the request body of its POST, or of its first operation with one. `webhooks` wins over `x-webhooks`;
    events without a JSON payload are left out. The media objects are the spec's own (edit them in place)."""
    payloads: Json = {}
    for section in WEBHOOK_SECTIONS:
        for event, raw_item in (spec.get(section) or {}).items():
            item = _resolve_component(raw_item, spec, "pathItems") if isinstance(raw_item, dict) else None
            if event in payloads or not isinstance(item, dict):
                continue
            methods = ["post", *(method for method in HTTP_METHODS if method != "post")]
            for method in methods:
                body = item[method].get("requestBody") if isinstance(item.get(method), dict) else None
                body = _resolve_component(body, spec, "requestBodies") if isinstance(body, dict) else None
                content = _usable(body.get("content") or {}, ("application/json",)) if body else {}
                media = next((m for m in content.values() if isinstance(m.get("schema"), dict)), None)
                if media is not None:
                    payloads[event] = media
                    break
    return payloads


def _hoist_webhook_payloads(spec: Json, errors: list[str]) -> None:
    """Rule 6. A payload that is a `$ref` keeps its component; one that is not an object stays inline (it is
    delivered as plain JSON)."""
    schemas: Json = spec["components"]["schemas"]
    for event, media in webhook_payloads(spec).items():
        schema = media["schema"]
        if not _makes_class(schema):
            continue
        stem = _pascal(event)
        if not stem or not stem[0].isalpha():
            errors.append(f"webhook {event!r}: its name makes no model name (it must start with a letter)")
            continue
        name = f"{stem}WebhookPayload"
        if schemas.setdefault(name, schema) != schema:
            errors.append(f"webhook {event!r}: its payload would become {name}, a name the spec already uses")
            continue
        media["schema"] = {"$ref": SCHEMA_REF + name}


if __name__ == "__main__":
    raise SystemExit(main())
