"""Checking a request as the API would: key, method, path and query parameters, headers, the body.

Each check returns None (fine) or the error answer: (status, body) in Wassist's error format, or Django REST
framework's field map (`{"returnUrl": ["This field is required."]}`) for a 400.
"""

from __future__ import annotations

import email.parser
import email.policy
import json
from typing import Any

import httpx2

from ._operations import Json, Operation
from ._schemas import Schemas

Problem = tuple[int, Any]


def api_key_header(spec: Json) -> str | None:
    """The header of the spec's apiKey-in-header scheme (X-API-Key for Wassist), if it declares one."""
    for scheme in ((spec.get("components") or {}).get("securitySchemes") or {}).values():
        if scheme.get("type") == "apiKey" and scheme.get("in") == "header":
            return str(scheme["name"])
    return None


def needs_key(spec: Json, op: Operation) -> bool:
    """The operation's security (or the spec's) asks for a key, and none of its alternatives is `{}` (anonymous)."""
    requirements: list[Json] = op.node.get("security", spec.get("security")) or []
    return bool(requirements) and all(requirement for requirement in requirements)


def check_key(header: str | None, request: httpx2.Request) -> Problem | None:
    if header is not None and not request.headers.get(header):
        return 401, {"error": "Authentication credentials were not provided.", "code": "not_authenticated"}
    return None


def _convert(raw: str, schema: Json, schemas: Schemas) -> Any:
    """A query or path string as the JSON value its schema describes (left a string when it is not one)."""
    kind = schemas.resolve(schema).get("type")
    try:
        if kind == "integer":
            return int(raw)
        if kind == "number":
            return float(raw)
    except ValueError:
        return raw
    if kind == "boolean" and raw.lower() in ("true", "false"):
        return raw.lower() == "true"
    return raw


def check_parameters(
    op: Operation, path_params: dict[str, str], request: httpx2.Request, schemas: Schemas
) -> Problem | None:
    errors: dict[str, list[str]] = {}
    query = request.url.params
    for param in op.parameters:
        name, where, schema = param["name"], param.get("in"), param.get("schema") or {}
        values: list[str]
        if where == "path":
            values = [path_params.get(name, "")]
        elif where == "query":
            values = query.get_list(name)
        elif where == "header":
            values = [request.headers[name]] if name in request.headers else []
        else:
            continue
        if not values:
            if param.get("required") is True:
                errors[name] = ["This field is required."]
            continue
        resolved = schemas.resolve(schema)
        if resolved.get("type") == "array":
            items = resolved.get("items") or {}
            split = values if len(values) > 1 or param.get("explode", True) else values[0].split(",")
            value: Any = [_convert(v, items, schemas) for v in split]
        else:
            value = _convert(values[-1], schema, schemas)
        for field, messages in schemas.field_errors(schema, value, "request").items():
            errors[name if field == "non_field_errors" else f"{name}.{field}"] = messages
    return (400, errors) if errors else None


def decode_body(request: httpx2.Request) -> tuple[Any, Problem | None]:
    """(the decoded body: JSON, the fields of a form, or None, and the problem if it cannot be decoded)."""
    content = request.content
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if not content:
        return None, None
    if media == "application/json" or media.endswith("+json"):
        try:
            return json.loads(content), None
        except ValueError as error:
            return None, (400, {"error": f"JSON parse error - {error}", "code": "parse_error"})
    if media == "multipart/form-data":
        return _form_fields(request.headers["content-type"], content), None
    if media == "application/x-www-form-urlencoded":
        return dict(httpx2.QueryParams(content.decode("utf-8", errors="replace"))), None
    return None, None


def check_body(op: Operation, body: Any, request: httpx2.Request, schemas: Schemas) -> Problem | None:
    spec_body = op.node.get("requestBody")
    if not isinstance(spec_body, dict):
        return None
    content: Json = spec_body.get("content") or {}
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if not request.content:
        if spec_body.get("required") is True:
            return 400, {"non_field_errors": ["No data provided."]}
        return None
    if media not in content:
        documented = ", ".join(content) or "none"
        return 415, {
            "error": f'Unsupported media type "{media}" in request (documented: {documented}).',
            "code": "unsupported_media_type",
        }
    schema = (content[media] or {}).get("schema") or {}
    if media == "multipart/form-data" or media == "application/x-www-form-urlencoded":
        required = schemas.resolve(schema).get("required") or []
        missing = {name: ["This field is required."] for name in required if name not in (body or {})}
        return (400, missing) if missing else None
    if not (media == "application/json" or media.endswith("+json")):
        return None
    errors = schemas.field_errors(schema, body, "request")
    return (400, errors) if errors else None


def _form_fields(content_type: str, content: bytes) -> dict[str, Any]:
    """The part names of a multipart/form-data body, with their text (or bytes) values."""
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n" + content
    )
    fields: dict[str, Any] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if name:
            payload: Any = part.get_payload(decode=True)
            is_text = part.get_filename() is None and isinstance(payload, bytes)
            fields[str(name)] = payload.decode("utf-8", errors="replace") if is_text else payload
    return fields
