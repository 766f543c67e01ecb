"""Small specs for the unit tests of codegen/normalize/ (tests/unit/test_normalize_*.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

Json = dict[str, Any]
ROOT = Path(__file__).resolve().parents[2]
SPECS = sorted((ROOT / "tests" / "specs").glob("*.json"))
NOT_3_0 = {"quirks.json"}  # carries 3.1-isms on purpose (see its info.description)


def ref(name: str) -> Json:
    return {"$ref": f"#/components/schemas/{name}"}


def json_body(schema: Json) -> Json:
    return {"content": {"application/json": {"schema": schema}}, "required": True}


def ok(schema: Json | None = None, status: str = "200") -> Json:
    if schema is None:
        return {status: {"description": "No response body"}}
    return {status: {"description": "", "content": {"application/json": {"schema": schema}}}}


def spec_of(paths: Json, schemas: Json | None = None) -> Json:
    """A drf-spectacular shaped spec; `paths` maps "METHOD /path/" to an operation."""
    out: Json = {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}}
    for key, op in paths.items():
        method, path = key.split(" ")
        out["paths"].setdefault(path, {})[method.lower()] = {"tags": ["api"], **op}
    out["components"] = {"schemas": schemas or {}}
    return out


def op_of(spec: Json, key: str) -> Json:
    method, path = key.split(" ")
    found: Json = spec["paths"][path][method.lower()]
    return found


def body_schema(spec: Json, key: str) -> Json:
    content = op_of(spec, key)["requestBody"]["content"]
    assert len(content) == 1
    schema: Json = next(iter(content.values()))["schema"]
    return schema


def resolve(spec: Json, schema: Json) -> Json:
    while "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def operations(spec: Json) -> Iterator[tuple[str, str, Json]]:
    for path, item in spec["paths"].items():
        for method, op in item.items():
            yield method, path, op


AGENT: Json = {
    "type": "object",
    "properties": {
        "id": {"type": "string", "format": "uuid", "readOnly": True},
        "name": {"type": "string"},
        "status": {"allOf": [ref("StatusEnum")], "readOnly": True},
        "secret": {"type": "string", "writeOnly": True},
    },
    "required": ["id", "name", "secret", "status"],
}
STATUS_ENUM: Json = {"type": "string", "enum": ["on", "off"]}

DRF_MEDIA = ("application/json", "application/x-www-form-urlencoded", "multipart/form-data")
