"""Rules 4 and 5 on operations: path parameters, one media type per request body, responses the generator
reads."""

from __future__ import annotations

import re
from typing import Any

from codegen.normalize._walk import Json, _children, _copy, _resolve

RAW_BYTES: Json = {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}
PARAM = re.compile(r"\{([^}]+)\}")


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
