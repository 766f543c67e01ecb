"""The small pet-store spec the codegen.spec_diff tests mutate, and helpers to diff it against a changed copy."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from codegen.spec_diff import Change, Report, diff_specs

Spec = dict[str, Any]
Mutation = Callable[[Spec], object]  # lambdas may return what .pop()/.update() return


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def json_body(schema: Any) -> dict[str, Any]:
    return {"content": {"application/json": {"schema": schema}}}


def base_spec() -> Spec:
    """A pet store: NewPet is request-only, Pet and Report response-only, Tag and Kind both."""
    return {
        "openapi": "3.0.3",
        "info": {"title": "Pets", "version": "1.0.0", "description": "Pets API"},
        "paths": {
            "/pets/": {
                "get": {
                    "operationId": "pets_list",
                    "parameters": [
                        {"name": "limit", "in": "query", "schema": {"type": "integer"}},
                        {"name": "status", "in": "query", "schema": {"type": "string", "enum": ["a", "b"]}},
                        {"$ref": "#/components/parameters/Search"},
                    ],
                    "responses": {"200": {"description": "", **json_body({"type": "array", "items": ref("Pet")})}},
                },
                "post": {
                    "operationId": "pets_create",
                    "requestBody": {"required": True, **json_body(ref("NewPet"))},
                    "responses": {
                        "201": {"description": "", **json_body(ref("Pet"))},
                        "400": {"description": "", **json_body(ref("Error"))},
                    },
                },
            },
            "/pets/{id}/": {
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
                "get": {
                    "operationId": "pets_retrieve",
                    "responses": {"200": {"description": "", **json_body(ref("Pet"))}},
                },
            },
            "/reports/": {
                "get": {
                    "operationId": "reports_list",
                    "responses": {"200": {"description": "", **json_body(ref("Report"))}},
                },
            },
        },
        "components": {
            "parameters": {
                "Search": {"name": "search", "in": "query", "schema": {"type": "string"}},
            },
            "schemas": {
                "NewPet": {
                    "type": "object",
                    "properties": {
                        "name": {"type": "string"},
                        "nickname": {"type": "string"},
                        "weight": {"type": "number", "nullable": True},
                        "tag": ref("Tag"),
                        "kind": {"allOf": [ref("Kind")]},
                    },
                    "required": ["name"],
                },
                "Pet": {
                    "type": "object",
                    "properties": {
                        "id": {"type": "string", "format": "uuid", "readOnly": True},
                        "name": {"type": "string"},
                        "nickname": {"type": "string"},
                        "born": {"type": "string", "format": "date-time"},
                        "note": {"type": "string", "nullable": True},
                        "tag": ref("Tag"),
                        "kind": {"allOf": [ref("Kind")]},
                        "owner": {"type": "object", "properties": {"name": {"type": "string"}}},
                        "photos": {"type": "array", "items": {"type": "string", "enum": ["jpg", "png"]}},
                    },
                    "required": ["id", "name"],
                },
                "Report": {
                    "type": "object",
                    "properties": {"total": {"type": "integer"}, "ratio": {"type": "number"}},
                    "required": ["total"],
                },
                "Tag": {
                    "type": "object",
                    "properties": {"label": {"type": "string"}, "secret": {"type": "string", "readOnly": True}},
                    "required": ["label"],
                },
                "Kind": {"type": "string", "enum": ["cat", "dog"]},
                "Error": {"type": "object", "properties": {"error": {"type": "string"}}},
                "Unused": {"type": "object", "properties": {"x": {"type": "string"}}},
            },
        },
    }


def diff(mutate: Mutation) -> Report:
    old = base_spec()
    new = copy.deepcopy(old)
    mutate(new)
    return diff_specs(old, new)


def only_change(mutate: Mutation) -> Change:
    report = diff(mutate)
    assert len(report.changes) == 1, report.to_text()
    return report.changes[0]


def schema(spec: Spec, name: str) -> dict[str, Any]:
    result: dict[str, Any] = spec["components"]["schemas"][name]
    return result


def prop(spec: Spec, model: str, field: str) -> dict[str, Any]:
    result: dict[str, Any] = schema(spec, model)["properties"][field]
    return result


def operation(spec: Spec, path: str, method: str) -> dict[str, Any]:
    result: dict[str, Any] = spec["paths"][path][method]
    return result


def list_params(spec: Spec) -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = operation(spec, "/pets/", "get")["parameters"]
    return result


def add_operation(spec: Spec) -> None:
    spec["paths"]["/pets/{id}/"]["delete"] = {"operationId": "pets_destroy", "responses": {"204": {"description": ""}}}
