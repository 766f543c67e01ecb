"""Unit tests of codegen/normalize.py on small specs built here and on the corpus in tests/specs/."""

from __future__ import annotations

import copy
import json
import os
import runpy
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from openapi_spec_validator import OpenAPIV30SpecValidator, validate
from openapi_spec_validator.validation.exceptions import DuplicateOperationIDError

from codegen.normalize import NormalizationError, main, normalize

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


# --- rule 1: import paths, operation names and tags (the naming rules themselves: tests/unit/test_naming.py) -------


@pytest.mark.parametrize(
    "tag_of",
    [
        {"/api/v1/whatsapp-link-sessions/": "whatsapp_link_sessions"},
        {"/api/v1/agents/": "agents", "/api/v1/agents/{id}/conversations/": "agents", "/api/v1/contacts/": "contacts"},
        {"/v2/things/": "things", "/v2/OtherThings/{id}/": "other_things"},
        {"/agents/": "agents", "/agents/{id}/": "agents"},  # every path keeps a segment after the prefix
        {"/api/v1/agents/": "agents", "/api/v2/agents/": "agents"},  # a version is never a resource
        {"/api/v1/agents/{id}/messages/{mid}/": "agents_messages", "/api/v1/agents/": "agents"},  # a sub-package
    ],
)
def test_each_operation_is_tagged_with_its_package(tag_of: dict[str, str]) -> None:
    spec = spec_of({f"GET {path}": {"operationId": f"op{i}", "responses": ok()} for i, path in enumerate(tag_of)})
    first = next(iter(tag_of.values()))
    spec["tags"] = [{"name": "api"}, {"name": first, "description": "kept"}]
    out = normalize(spec)
    assert {path: op["tags"] for _, path, op in operations(out)} == {path: [tag] for path, tag in tag_of.items()}
    used = list(dict.fromkeys(tag_of.values()))
    assert out["tags"] == [{"name": first, "description": "kept"}, *({"name": tag} for tag in used[1:])]


def test_packages_whose_joined_names_clash_get_distinct_tags() -> None:
    spec = spec_of({"GET /a/{id}/b/{x}/": {"responses": ok()}, "GET /a_b/": {"responses": ok()}})
    out = normalize(spec)
    assert op_of(out, "GET /a/{id}/b/{x}/")["tags"] == ["a_b"]
    assert op_of(out, "GET /a_b/")["tags"] == ["a_b_2"]
    assert [op["x-module"] for _, _, op in operations(out)] == ["a.b.retrieve", "a_b.retrieve"]


def test_a_path_without_a_static_first_segment_is_reported() -> None:
    spec = spec_of({"GET /{org}/agents/": {"responses": ok()}, "GET /agents/": {"responses": ok()}})
    with pytest.raises(NormalizationError, match=r"^/\{org\}/agents/: no resource segment after the API prefix /$"):
        normalize(spec)


@pytest.mark.parametrize(
    ("key", "operation_id", "module"),
    [
        (
            "POST /api/v1/whatsapp-link-sessions/",
            "api_v1_whatsapp_link_sessions_create",
            "whatsapp_link_sessions.create",
        ),
        ("GET /api/v1/agents/{id}/", "api_v1_agents_retrieve", "agents.retrieve"),
        ("POST /api/v1/agents/{id}/publish/", "api_v1_agents_publish_create", "agents.publish"),
        ("GET /api/v1/agents/{id}/", "getAgentById", "agents.retrieve"),  # named by its path, not its id
    ],
)
def test_the_operation_id_becomes_the_module_name_and_the_original_is_kept(
    key: str, operation_id: str, module: str
) -> None:
    spec = spec_of({key: {"operationId": operation_id, "responses": ok()}, "GET /api/v1/other/": {"responses": ok()}})
    op = op_of(normalize(spec), key)
    assert (op["x-module"], op["operationId"], op["x-original-operation-id"]) == (
        module,
        module.rsplit(".", 1)[1],
        operation_id,
    )


@pytest.mark.parametrize(
    ("key", "response", "module"),
    [
        ("GET /api/v1/agents/", {"type": "array", "items": {"type": "string"}}, "agents.list_"),
        ("GET /api/v1/agents/", ref("PaginatedList"), "agents.list_"),
        ("GET /api/v1/agents/{id}/", {"type": "string"}, "agents.retrieve"),
        ("GET /api/v1/agents/{id}/stats/", {"type": "integer"}, "agents.stats"),
        ("GET /api/v1/agents/{id}/stats/", {"type": "array", "items": {"type": "string"}}, "agents.stats.list_"),
        ("POST /api/v1/agents/{id}/publish/", None, "agents.publish"),
        ("PUT /api/v1/agents/{id}/", None, "agents.update"),
        ("PATCH /api/v1/agents/{id}/", None, "agents.partial_update"),
        ("DELETE /api/v1/agents/{id}/", None, "agents.destroy"),
    ],
)
def test_a_list_response_makes_a_collection(key: str, response: Json | None, module: str) -> None:
    paginated = {"type": "object", "properties": {"results": {"type": "array", "items": {"type": "string"}}}}
    spec = spec_of(
        {key: {"responses": ok(response)}, "GET /api/v1/x/": {"responses": ok()}}, {"PaginatedList": paginated}
    )
    op = op_of(normalize(spec), key)
    assert op["x-module"] == module
    assert "x-original-operation-id" not in op


def test_two_operations_with_one_name_are_separated_and_say_so() -> None:
    spec = spec_of(
        {
            "GET /api/v1/agents/all/": {"operationId": "list", "responses": ok()},
            "GET /api/v1/agents/{id}/all/": {"responses": ok()},
            "GET /api/v1/contacts/": {"operationId": "api_v1_contacts_list", "responses": ok()},
        }
    )
    out = normalize(spec)
    first, second = op_of(out, "GET /api/v1/agents/all/"), op_of(out, "GET /api/v1/agents/{id}/all/")
    assert (first["x-module"], second["x-module"]) == ("agents.all_", "agents.all_2")
    assert "x-module-separated" not in first
    assert second["x-module-separated"] == "all_2 (all_ was taken)"
    assert normalize(out) == out  # the note, like every name, is the same on a second run


@pytest.mark.parametrize("spec_path", SPECS, ids=lambda path: path.name)
def test_no_output_name_contains_the_api_prefix(spec_path: Path) -> None:
    out = normalize(json.loads(spec_path.read_text()))
    names = [name.lower() for name in out["components"]["schemas"]]
    names += [f"{op['tags'][0]}.{op['operationId']}" for _, _, op in operations(out)]
    assert names
    assert not [name for name in names if "api_v1" in name or "apiv1" in name]


# --- rule 3: readOnly / writeOnly ---------------------------------------------------------------------------------


def test_vendored_spec_gets_a_request_twin_without_read_only_fields() -> None:
    out = normalize(json.loads((ROOT / "openapi.json").read_text()))
    schemas = out["components"]["schemas"]
    op = op_of(out, "POST /api/v1/whatsapp-link-sessions/")
    assert (op["tags"], op["operationId"]) == (["whatsapp_link_sessions"], "create")
    assert body_schema(out, "POST /api/v1/whatsapp-link-sessions/") == ref("WhatsAppLinkSessionRequest")
    assert list(schemas["WhatsAppLinkSessionRequest"]["properties"]) == ["successUrl", "returnUrl"]
    assert schemas["WhatsAppLinkSessionRequest"]["required"] == ["returnUrl", "successUrl"]
    assert len(schemas["WhatsAppLinkSession"]["properties"]) == 5
    assert op["responses"]["201"]["content"]["application/json"]["schema"] == ref("WhatsAppLinkSession")


def test_read_only_fields_leave_the_twin_and_write_only_fields_leave_the_response() -> None:
    spec = spec_of(
        {"POST /api/v1/agents/": {"requestBody": json_body(ref("Agent")), "responses": ok(ref("Agent"), "201")}},
        {"Agent": AGENT, "StatusEnum": STATUS_ENUM},
    )
    out = normalize(spec)
    schemas = out["components"]["schemas"]
    assert list(schemas) == ["Agent", "AgentRequest", "StatusEnum"]
    assert schemas["AgentRequest"]["properties"] == {
        "name": {"type": "string"},
        "secret": AGENT["properties"]["secret"],
    }
    assert schemas["AgentRequest"]["required"] == ["name", "secret"]
    assert list(schemas["Agent"]["properties"]) == ["id", "name", "status"]
    assert schemas["Agent"]["required"] == ["id", "name", "status"]
    assert body_schema(out, "POST /api/v1/agents/") == ref("AgentRequest")


def test_a_schema_with_only_write_only_fields_gets_a_twin() -> None:
    login = {
        "type": "object",
        "properties": {"user": {"type": "string"}, "password": {"type": "string", "writeOnly": True}},
    }
    spec = spec_of(
        {"POST /api/v1/login/": {"requestBody": json_body(ref("Login")), "responses": ok(ref("Login"))}},
        {"Login": login},
    )
    schemas = normalize(spec)["components"]["schemas"]
    assert list(schemas["LoginRequest"]["properties"]) == ["user", "password"]
    assert list(schemas["Login"]["properties"]) == ["user"]


@pytest.mark.parametrize(
    "wrap",
    [
        lambda inner: inner,
        lambda inner: {"allOf": [inner]},
        lambda inner: {"allOf": [inner], "nullable": True},
        lambda inner: {"type": "array", "items": inner},
        lambda inner: {"type": "object", "additionalProperties": inner},
        lambda inner: {"oneOf": [inner, {"type": "string"}]},
        lambda inner: {"anyOf": [{"type": "integer"}, {"type": "array", "items": inner}]},
        lambda inner: {"type": "object", "properties": {"deep": inner}},
    ],
    ids=["ref", "allOf", "nullable-allOf", "array", "additionalProperties", "oneOf", "anyOf-array", "inline-object"],
)
def test_nested_read_only_is_split_through_every_nesting(wrap: Callable[[Json], Json]) -> None:
    inner = {"type": "object", "properties": {"id": {"type": "integer", "readOnly": True}, "v": {"type": "string"}}}
    outer = {"type": "object", "properties": {"child": wrap(ref("Inner")), "plain": ref("Plain")}}
    schemas = {"Outer": outer, "Inner": inner, "Plain": {"type": "object", "properties": {"x": {"type": "string"}}}}
    spec = spec_of(
        {"POST /api/v1/outer/": {"requestBody": json_body(ref("Outer")), "responses": ok(ref("Outer"))}}, schemas
    )
    out = normalize(spec)["components"]["schemas"]
    assert list(out) == ["Outer", "OuterRequest", "Inner", "InnerRequest", "Plain"]
    assert out["OuterRequest"]["properties"] == {"child": wrap(ref("InnerRequest")), "plain": ref("Plain")}
    assert out["Outer"]["properties"]["child"] == wrap(ref("Inner"))  # the response side is untouched
    assert out["InnerRequest"]["properties"] == {"v": {"type": "string"}}


def test_patch_bodies_use_an_all_optional_patched_twin_with_complete_nested_twins() -> None:
    settings = {
        "type": "object",
        "properties": {"at": {"type": "string", "readOnly": True}, "n": {"type": "integer"}},
        "required": ["at", "n"],
    }
    agent = {**AGENT, "properties": {**AGENT["properties"], "settings": ref("Settings")}}
    patched = {key: value for key, value in agent.items() if key != "required"}
    spec = spec_of(
        {
            "PATCH /api/v1/agents/{id}/": {
                "requestBody": json_body(ref("PatchedAgent")),
                "responses": ok(ref("Agent")),
            },
            "PATCH /api/v1/teams/{id}/": {"requestBody": json_body(ref("Agent")), "responses": ok(ref("Agent"))},
        },
        {"Agent": agent, "PatchedAgent": patched, "Settings": settings, "StatusEnum": STATUS_ENUM},
    )
    out = normalize(spec)
    schemas = out["components"]["schemas"]
    assert body_schema(out, "PATCH /api/v1/agents/{id}/") == ref("PatchedAgentRequest")
    assert body_schema(out, "PATCH /api/v1/teams/{id}/") == ref("PatchedAgentRequest")
    twin = schemas["PatchedAgentRequest"]
    assert "required" not in twin
    assert list(twin["properties"]) == ["name", "secret", "settings"]
    assert twin["properties"]["settings"] == ref("SettingsRequest")
    assert schemas["SettingsRequest"]["required"] == ["n"]  # nested objects are sent whole


def test_patch_body_without_read_only_fields_still_loses_required() -> None:
    note = {"type": "object", "properties": {"text": {"type": "string"}}, "required": ["text"]}
    spec = spec_of(
        {"PATCH /api/v1/notes/{id}/": {"requestBody": json_body(ref("Note")), "responses": ok(ref("Note"))}},
        {"Note": note},
    )
    out = normalize(spec)
    assert body_schema(out, "PATCH /api/v1/notes/{id}/") == ref("PatchedNoteRequest")
    assert out["components"]["schemas"]["PatchedNoteRequest"] == {"type": "object", "properties": note["properties"]}


def test_schemas_with_nothing_to_split_are_not_copied() -> None:
    note = {"type": "object", "properties": {"text": {"type": "string"}}, "required": ["text"]}
    spec = spec_of(
        {"POST /api/v1/notes/": {"requestBody": json_body(ref("Note")), "responses": ok(ref("Note"))}}, {"Note": note}
    )
    out = normalize(spec)
    assert list(out["components"]["schemas"]) == ["Note"]
    assert body_schema(out, "POST /api/v1/notes/") == ref("Note")


def test_an_existing_request_schema_is_used_and_never_doubled() -> None:
    request = {"type": "object", "properties": {"name": {"type": "string"}}}
    spec = spec_of(
        {
            "POST /api/v1/agents/": {"requestBody": json_body(ref("Agent")), "responses": ok(ref("Agent"))},
            "PUT /api/v1/agents/{id}/": {"requestBody": json_body(ref("AgentRequest")), "responses": ok(ref("Agent"))},
        },
        {"Agent": AGENT, "AgentRequest": request, "StatusEnum": STATUS_ENUM},
    )
    out = normalize(spec)
    assert list(out["components"]["schemas"]) == ["Agent", "AgentRequest", "StatusEnum"]
    assert out["components"]["schemas"]["AgentRequest"] == request
    assert body_schema(out, "POST /api/v1/agents/") == ref("AgentRequest")
    assert body_schema(out, "PUT /api/v1/agents/{id}/") == ref("AgentRequest")


def test_an_already_split_spec_is_not_split_again() -> None:
    spec = json.loads((ROOT / "tests" / "specs" / "already_split.json").read_text())
    out = normalize(spec)
    assert list(out["components"]["schemas"]) == list(spec["components"]["schemas"])
    assert out["components"]["schemas"] == spec["components"]["schemas"]
    bodies = {
        (method, path): body_schema(out, f"{method.upper()} {path}")
        for method, path, op in operations(out)
        if "requestBody" in op
    }
    assert bodies == {
        ("post", "/api/v1/agents/"): ref("AgentRequest"),
        ("put", "/api/v1/agents/{id}/"): ref("AgentRequest"),
        ("patch", "/api/v1/agents/{id}/"): ref("PatchedAgentRequest"),
        ("post", "/api/v1/notes/"): ref("NoteRequest"),
    }


def test_inline_bodies_lose_read_only_fields_in_place_and_keep_write_only_ones() -> None:
    item = {
        "type": "object",
        "properties": {"id": {"readOnly": True}, "n": {"type": "integer"}, "w": {"writeOnly": True}},
    }
    spec = spec_of(
        {"POST /api/v1/bulk/": {"requestBody": json_body({"type": "array", "items": item}), "responses": ok()}}
    )
    once = normalize(spec)
    twice = normalize(once)
    for out in (once, twice):
        body = resolve(out, body_schema(out, "POST /api/v1/bulk/"))
        assert body["items"]["properties"] == {"n": {"type": "integer"}, "w": {"writeOnly": True}}


def test_a_self_referencing_schema_gets_one_self_referencing_twin() -> None:
    node = {
        "type": "object",
        "properties": {
            "id": {"type": "integer", "readOnly": True},
            "children": {"type": "array", "items": ref("Node")},
        },
    }
    spec = spec_of(
        {"POST /api/v1/nodes/": {"requestBody": json_body(ref("Node")), "responses": ok(ref("Node"))}}, {"Node": node}
    )
    schemas = normalize(spec)["components"]["schemas"]
    assert list(schemas) == ["Node", "NodeRequest"]
    assert schemas["NodeRequest"]["properties"] == {"children": {"type": "array", "items": ref("NodeRequest")}}


# --- rule 4: one request media type -------------------------------------------------------------------------------

DRF_MEDIA = ("application/json", "application/x-www-form-urlencoded", "multipart/form-data")


@pytest.mark.parametrize(
    ("media_types", "upload", "kept"),
    [
        (DRF_MEDIA, {"type": "string"}, "application/json"),
        (DRF_MEDIA, {"type": "string", "format": "binary"}, "multipart/form-data"),
        (DRF_MEDIA, {"type": "array", "items": {"type": "string", "format": "binary"}}, "multipart/form-data"),
        (DRF_MEDIA, ref("File"), "multipart/form-data"),
        (("application/x-www-form-urlencoded",), {"type": "string"}, "application/x-www-form-urlencoded"),
        (
            ("multipart/form-data", "application/json; charset=utf-8"),
            {"type": "string"},
            "application/json; charset=utf-8",
        ),
        (("multipart/form-data", "application/vnd.api+json"), {"type": "string"}, "application/vnd.api+json"),
        (
            ("application/x-www-form-urlencoded", "multipart/form-data"),
            {"type": "string"},
            "application/x-www-form-urlencoded",
        ),
        (("text/plain",), {"type": "string"}, "application/octet-stream"),
        (("application/xml", "application/json"), {"type": "string"}, "application/json"),
    ],
)
def test_request_body_keeps_one_media_type(media_types: tuple[str, ...], upload: Json, kept: str) -> None:
    schemas = {
        "Upload": {"type": "object", "properties": {"name": {"type": "string"}, "file": upload}},
        "File": {"type": "string", "format": "binary"},
    }
    content = {media_type: {"schema": ref("Upload")} for media_type in media_types}
    spec = spec_of({"POST /api/v1/uploads/": {"requestBody": {"content": content}, "responses": ok()}}, schemas)
    assert list(op_of(normalize(spec), "POST /api/v1/uploads/")["requestBody"]["content"]) == [kept]


def test_a_shared_request_body_component_is_copied_into_each_operation() -> None:
    spec = spec_of(
        {
            "POST /api/v1/agents/": {"requestBody": {"$ref": "#/components/requestBodies/Body"}, "responses": ok()},
            "PUT /api/v1/agents/{id}/": {"requestBody": {"$ref": "#/components/requestBodies/Body"}, "responses": ok()},
        },
        {"Agent": AGENT, "StatusEnum": STATUS_ENUM},
    )
    body = {"content": {media: {"schema": ref("Agent")} for media in DRF_MEDIA}}
    spec["components"]["requestBodies"] = {"Body": body}
    out = normalize(spec)
    assert (
        body_schema(out, "POST /api/v1/agents/") == body_schema(out, "PUT /api/v1/agents/{id}/") == ref("AgentRequest")
    )
    assert out["components"]["requestBodies"] == {"Body": body}


# --- rule 5: quirks -----------------------------------------------------------------------------------------------


def normalize_schema(schema: Json, **others: Json) -> Json:
    """Normalize a one-operation spec whose response is the component `S`; return `S`."""
    spec = spec_of({"GET /api/v1/things/": {"responses": ok(ref("S"))}}, {"S": schema, **others})
    result: Json = normalize(spec)["components"]["schemas"]["S"]
    return result


def test_duplicate_enum_values_are_dropped_keeping_the_first_order() -> None:
    assert normalize_schema({"type": "string", "enum": ["b", "a", "b", "c", "a"]})["enum"] == ["b", "a", "c"]
    assert normalize_schema({"type": "integer", "enum": [1, 2, 1]})["enum"] == [1, 2]


@pytest.mark.parametrize(
    ("prop", "default_kept"),
    [
        ({"type": "string", "enum": ["x", "y"], "default": "z"}, False),
        ({"type": "string", "enum": ["x", "y"], "default": "y"}, True),
        ({"allOf": [ref("E")], "default": "urgent"}, False),
        ({"allOf": [ref("E")], "default": "low"}, True),
        ({"type": "integer", "default": "three"}, False),
        ({"type": "integer", "default": True}, False),
        ({"type": "number", "default": 3}, True),
        ({"type": "string", "nullable": True, "default": None}, True),
    ],
)
def test_defaults_the_generator_cannot_convert_are_dropped(prop: Json, default_kept: bool) -> None:
    schema = normalize_schema({"type": "object", "properties": {"p": prop}}, E={"type": "string", "enum": ["low"]})
    assert ("default" in schema["properties"]["p"]) is default_kept


@pytest.mark.parametrize(
    ("schema", "expected"),
    [
        ({"type": ["integer", "null"], "minimum": 0}, {"type": "integer", "nullable": True, "minimum": 0}),
        ({"format": "date", "type": ["string", "null"]}, {"format": "date", "type": "string", "nullable": True}),
        ({"type": ["string"]}, {"type": "string"}),
        (
            {"type": ["string", "integer", "null"]},
            {"anyOf": [{"type": "string"}, {"type": "integer"}], "nullable": True},
        ),
        ({"type": "null"}, {"enum": [None], "nullable": True}),
    ],
)
def test_openapi_3_1_type_lists_become_3_0_nullable(schema: Json, expected: Json) -> None:
    nested = normalize_schema(
        {"type": "object", "properties": {"outer": {"type": "object", "properties": {"p": schema}}}}
    )
    assert nested["properties"]["outer"]["properties"]["p"] == expected
    assert list(nested["properties"]["outer"]["properties"]["p"]) == list(expected)  # spliced in place, order kept


def test_type_lists_on_parameters_are_repaired_and_path_parameters_are_never_nullable() -> None:
    params = [
        {"name": "id", "in": "path", "required": True, "schema": {"type": ["integer", "null"]}},
        {"name": "q", "in": "query", "schema": {"type": ["string", "null"]}},
    ]
    spec = spec_of({"GET /api/v1/things/{id}/": {"parameters": params, "responses": ok()}})
    out = op_of(normalize(spec), "GET /api/v1/things/{id}/")["parameters"]
    assert [param["schema"] for param in out] == [{"type": "integer"}, {"type": "string", "nullable": True}]


def test_path_parameters_are_declared_and_required() -> None:
    spec = spec_of(
        {
            "GET /api/v1/a/{a_id}/b/{id}/": {
                "parameters": [{"name": "id", "in": "path", "required": False, "schema": {"type": "integer"}}],
                "responses": ok(),
            }
        }
    )
    params = op_of(normalize(spec), "GET /api/v1/a/{a_id}/b/{id}/")["parameters"]
    assert params == [
        {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}},
        {"name": "a_id", "in": "path", "required": True, "schema": {"type": "string"}},
    ]


def test_a_declared_path_parameter_missing_from_the_path_is_reported() -> None:
    params = [{"name": "pk", "in": "path", "required": True, "schema": {"type": "integer"}}]
    spec = spec_of({"GET /api/v1/things/{id}/": {"parameters": params, "responses": ok()}})
    with pytest.raises(NormalizationError, match=r"GET /api/v1/things/\{id\}/: path parameter 'pk' does not appear"):
        normalize(spec)


def test_titles_are_removed_from_schemas_but_not_properties_named_title() -> None:
    schema = {
        "title": "Thing object",
        "type": "object",
        "properties": {
            "title": {"type": "string", "title": "Title"},
            "a": {"type": "object", "title": "Details", "properties": {"x": {"type": "integer"}}},
            "b": {"type": "array", "items": {"type": "object", "title": "Details", "properties": {}}},
        },
    }
    out = normalize_schema(schema)
    assert out == {
        "type": "object",
        "properties": {
            "title": {"type": "string"},
            "a": {"type": "object", "properties": {"x": {"type": "integer"}}},
            "b": {"type": "array", "items": {"type": "object", "properties": {}}},
        },
    }


@pytest.mark.parametrize(
    ("content", "kept"),
    [
        ({"application/pdf": {"schema": {"type": "string", "format": "binary"}}}, ["application/octet-stream"]),
        ({"*/*": {}}, ["application/octet-stream"]),
        ({"application/xml": {"schema": {}}, "application/json": {"schema": {}}}, ["application/json"]),
        ({"text/csv": {"schema": {"type": "string"}}, "image/png": {}}, ["text/csv"]),
        ({"Application/JSON": {"schema": {}}}, ["application/json"]),
        ({"application/problem+json": {"schema": {}}}, ["application/problem+json"]),
        ({"application/json": {"schema": None}}, None),
        ({}, None),
    ],
)
def test_responses_keep_only_media_types_the_generator_reads(content: Json, kept: list[str] | None) -> None:
    spec = spec_of({"DELETE /api/v1/things/{id}/": {"responses": {"200": {"description": "", "content": content}}}})
    response = op_of(normalize(spec), "DELETE /api/v1/things/{id}/")["responses"]["200"]
    assert (list(response["content"]) if "content" in response else None) == kept
    if kept == ["application/octet-stream"]:
        assert response["content"]["application/octet-stream"]["schema"] == {"type": "string", "format": "binary"}


def test_null_among_enum_values_becomes_nullable_but_a_null_enum_stays() -> None:
    assert normalize_schema({"type": "string", "nullable": True, "enum": ["a", None, "b"]}) == {
        "type": "string",
        "nullable": True,
        "enum": ["a", "b"],
    }
    assert normalize_schema({"enum": ["a", None]}) == {"enum": ["a"], "nullable": True}
    assert normalize_schema({"enum": [None]}) == {"enum": [None]}


@pytest.mark.parametrize(
    "schema",
    [{"type": "boolean", "enum": [True, False]}, {"type": "number", "enum": [0.5, 1.5]}, {"enum": [1, "a"]}],
)
def test_enums_the_generator_cannot_model_lose_the_enum_keyword(schema: Json) -> None:
    assert normalize_schema(schema) == {key: value for key, value in schema.items() if key != "enum"}


def test_enum_values_that_collide_as_member_names_are_reported() -> None:
    schema = {
        "type": "object",
        "properties": {"state": {"type": "string", "enum": ["in-progress", "done", "in_progress"]}},
    }
    with pytest.raises(NormalizationError, match=r"schema S\.state: enum values 'in-progress' and 'in_progress' both"):
        normalize_schema(schema)
    assert normalize_schema({"type": "string", "enum": ["a-b", "a_b"], "x-enum-varnames": ["A", "B"]})["enum"]


def test_drf_untyped_fields_and_blank_or_null_enums_pass_through() -> None:
    schema = {
        "type": "object",
        "properties": {
            "any": {},
            "meta": {"type": "object", "additionalProperties": {}},
            "kind": {"nullable": True, "oneOf": [ref("KindEnum"), ref("BlankEnum"), ref("NullEnum")]},
        },
    }
    enums = {"KindEnum": {"type": "string", "enum": ["a"]}, "BlankEnum": {"enum": [""]}, "NullEnum": {"enum": [None]}}
    spec = spec_of({"GET /api/v1/things/": {"responses": ok(ref("S"))}}, {"S": schema, **enums})
    assert normalize(spec)["components"]["schemas"] == {"S": schema, **enums}


def test_inline_models_are_named_after_the_import_path() -> None:
    status = {"name": "status", "in": "query", "schema": {"type": "string", "enum": ["a", "b"]}}
    stats = {"type": "object", "additionalProperties": {}}
    spec = spec_of(
        {
            "GET /api/v1/agents/": {
                "operationId": "api_v1_agents_list",
                "parameters": [status],
                "responses": ok(stats),
            },
            "GET /api/v1/contacts/": {
                "operationId": "api_v1_contacts_list",
                "parameters": [{**status, "schema": {"type": "string", "enum": ["c"]}}],
                "requestBody": json_body({"type": "object", "properties": {"n": {"type": "integer"}}}),
                "responses": ok({"type": "array", "items": {"type": "string"}}),
            },
        }
    )
    out = normalize(spec)
    assert list(out["components"]["schemas"]) == [
        "AgentsRetrieveStatus",
        "AgentsRetrieveResponse200",
        "ContactsListStatus",
        "ContactsListRequest",
    ]
    assert op_of(out, "GET /api/v1/agents/")["parameters"][0]["schema"] == ref("AgentsRetrieveStatus")
    assert op_of(out, "GET /api/v1/contacts/")["responses"]["200"]["content"]["application/json"]["schema"]["items"]


# --- purity, determinism, CLI, corpus -----------------------------------------------------------------------------


@pytest.mark.parametrize("spec_path", SPECS, ids=lambda path: path.name)
def test_pure_deterministic_and_idempotent(spec_path: Path) -> None:
    text = spec_path.read_text()
    spec = json.loads(text)
    first = json.dumps(normalize(spec), indent=2)
    assert spec == json.loads(text)  # the input is untouched
    assert json.dumps(normalize(json.loads(text)), indent=2) == first
    assert json.dumps(normalize(json.loads(first)), indent=2) == first


def test_objects_shared_in_a_hand_built_input_are_edited_independently() -> None:
    shared = {"content": {media: {"schema": ref("Agent")} for media in DRF_MEDIA}}
    spec = spec_of(
        {
            "POST /api/v1/agents/": {"requestBody": shared, "responses": ok()},
            "PATCH /api/v1/agents/{id}/": {"requestBody": shared, "responses": ok()},
        },
        {"Agent": AGENT, "StatusEnum": STATUS_ENUM},
    )
    before = copy.deepcopy(spec)
    out = normalize(spec)
    assert spec == before
    assert body_schema(out, "POST /api/v1/agents/") == ref("AgentRequest")
    assert body_schema(out, "PATCH /api/v1/agents/{id}/") == ref("PatchedAgentRequest")


def test_cli_writes_the_normalized_spec_and_reports_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src, dst = tmp_path / "in.json", tmp_path / "out.json"
    spec = json.loads((ROOT / "openapi.json").read_text())
    src.write_text(json.dumps(spec))
    assert main([str(src), str(dst)]) == 0
    assert dst.read_text() == json.dumps(normalize(spec), indent=2, ensure_ascii=False) + "\n"
    unnamed = spec_of({"GET /{org}/a/": {"responses": ok()}, "GET /a/": {"responses": ok()}})
    src.write_text(json.dumps(unnamed))
    assert main([str(src), str(dst)]) == 1
    assert "/{org}/a/: no resource segment after the API prefix /" in capsys.readouterr().err


def test_cli_runs_as_a_module(tmp_path: Path) -> None:
    dst = tmp_path / "out.json"
    result = subprocess.run(
        [sys.executable, "-m", "codegen.normalize", str(ROOT / "openapi.json"), str(dst)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "WhatsAppLinkSessionRequest" in json.loads(dst.read_text())["components"]["schemas"]


@pytest.mark.parametrize("spec_path", SPECS, ids=lambda path: path.name)
def test_corpus_is_valid_openapi_3_0_and_so_is_its_normalized_form(spec_path: Path) -> None:
    spec = json.loads(spec_path.read_text())
    if spec_path.name in NOT_3_0:
        with pytest.raises(Exception, match=r"is not valid|None is not of type"):
            validate(spec)
    else:
        validate(spec)
    # Actions repeat across resources by design (one module per resource), so operationIds may too.
    errors = [
        e
        for e in OpenAPIV30SpecValidator(normalize(spec)).iter_errors()
        if not isinstance(e, DuplicateOperationIDError)
    ]
    assert errors == []


def test_corpus_has_the_size_the_issue_asks_for() -> None:
    assert {path.name for path in SPECS} >= {"drf_features.json", "quirks.json", "already_split.json", "large.json"}
    large = normalize(json.loads((ROOT / "tests" / "specs" / "large.json").read_text()))
    assert len(list(operations(large))) >= 100
    assert len(large["tags"]) >= 10
    drf = normalize(json.loads((ROOT / "tests" / "specs" / "drf_features.json").read_text()))
    assert len(list(operations(drf))) >= 15


def test_large_json_is_what_make_large_writes() -> None:
    build = runpy.run_path(str(ROOT / "tests" / "specs" / "make_large.py"))["build"]
    expected = json.dumps(build(), indent=2, ensure_ascii=False) + "\n"
    assert (ROOT / "tests" / "specs" / "large.json").read_text() == expected


# --- the real generator -------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, int, str]]:
    """Every corpus spec normalized and generated with plain openapi-python-client, all at once (in parallel)."""
    root = tmp_path_factory.mktemp("plain_generator")
    bin_dir = Path(sys.executable).parent
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}  # its ruff post-hook
    running = {}
    for spec_path in SPECS:
        package = "gen_" + spec_path.stem
        normalized = root / f"{spec_path.stem}.normalized.json"
        normalized.write_text(json.dumps(normalize(json.loads(spec_path.read_text()))))
        command = [str(bin_dir / "openapi-python-client"), "generate", "--path", str(normalized), "--meta", "none"]
        command += ["--output-path", str(root / package)]
        running[spec_path.name] = (
            root,
            subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True),
        )
    results = {}
    for name, (where, process) in running.items():
        output, _ = process.communicate(timeout=240)
        results[name] = (where, process.returncode, output)
    return results


@pytest.mark.slow
@pytest.mark.parametrize("spec_path", SPECS, ids=lambda path: path.name)
def test_plain_generator_generates_every_operation_of_the_normalized_corpus(
    spec_path: Path, generated: dict[str, tuple[Path, int, str]]
) -> None:
    root, status, output = generated[spec_path.name]
    assert status == 0, output
    assert not [word for word in ("Warning", "WARNING", "Skipping", "Unable", "Error") if word in output], output
    package = "gen_" + spec_path.stem
    spec = normalize(json.loads(spec_path.read_text()))
    per_tag: dict[str, int] = {}
    for _, _, op in operations(spec):
        per_tag[op["tags"][0]] = per_tag.get(op["tags"][0], 0) + 1
    modules = {
        tag: len([p for p in (root / package / "api" / tag).glob("*.py") if p.name != "__init__.py"]) for tag in per_tag
    }
    assert modules == per_tag
    importer = (
        "import importlib, pkgutil, sys\n"
        f"sys.path.insert(0, {str(root)!r})\n"
        f"package = importlib.import_module({package!r})\n"
        "names = [m.name for m in pkgutil.walk_packages(package.__path__, package.__name__ + '.')]\n"
        "for name in names: importlib.import_module(name)\n"
        "print(len(names))\n"
    )
    result = subprocess.run([sys.executable, "-c", importer], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) > sum(per_tag.values())  # every endpoint module, the models, the package's own


def test_nullable_enums_are_made_nullable_where_they_are_used() -> None:
    # The generator ignores `nullable` on an enum schema itself, so the field would reject null.
    schema = normalize_schema(
        {
            "type": "object",
            "properties": {
                "byRef": ref("E"),
                "wrapped": {"allOf": [ref("E")], "readOnly": True},
                "inline": {"type": "string", "enum": ["x", None]},
                "items": {"type": "array", "items": ref("E")},
                "alwaysNull": {"enum": [None]},
                "plain": ref("P"),
            },
        },
        E={"type": "string", "enum": ["a", "b", None]},
        P={"type": "string", "enum": ["a"]},
    )
    props = schema["properties"]
    assert props["byRef"] == {"allOf": [ref("E")], "nullable": True}
    assert props["wrapped"] == {"allOf": [ref("E")], "readOnly": True, "nullable": True}
    assert props["inline"] == {"anyOf": [{"type": "string", "enum": ["x"]}], "nullable": True}
    assert props["items"]["items"] == {"allOf": [ref("E")], "nullable": True}
    assert props["alwaysNull"] == {"enum": [None]}
    assert props["plain"] == ref("P")


def test_binary_fields_are_strings_outside_request_bodies() -> None:
    # A JSON response carries a file as its URL; the multipart upload keeps the binary field.
    upload = {"type": "object", "properties": {"file": {"type": "string", "format": "binary"}}}
    download = {"type": "string", "format": "binary"}
    spec = spec_of(
        {
            "POST /api/v1/uploads/": {
                "requestBody": {"content": {"multipart/form-data": {"schema": ref("Upload")}}},
                "responses": ok(ref("Stored")),
            },
            "GET /api/v1/uploads/{id}/raw/": {
                "responses": {"200": {"description": "", "content": {"application/octet-stream": {"schema": download}}}}
            },
        },
        {
            "Upload": upload,
            "Stored": {"type": "object", "properties": {"file": {"type": "string", "format": "binary"}}},
        },
    )
    result = normalize(spec)
    assert result["components"]["schemas"]["Upload"]["properties"]["file"] == {"type": "string", "format": "binary"}
    assert result["components"]["schemas"]["Stored"]["properties"]["file"] == {"type": "string"}
    raw = result["paths"]["/api/v1/uploads/{id}/raw/"]["get"]["responses"]["200"]["content"]
    assert raw["application/octet-stream"]["schema"] == download


# --- quirks of real public specs (tests/specs/real/) -------------------------------------------------------------


def test_an_inline_object_named_like_a_component_becomes_a_component_of_its_own() -> None:
    # ory/kratos: `identity.credentials` (inline) would be the class IdentityCredentials, a component's name.
    credentials = {"type": "object", "additionalProperties": ref("identityCredentials")}
    schemas = {
        "identity": {"type": "object", "properties": {"id": {"type": "string"}, "credentials": credentials}},
        "identityCredentials": {"type": "object", "properties": {"type": {"type": "string"}}},
    }
    out = normalize(spec_of({"GET /api/v1/identities/{id}/": {"responses": ok(ref("identity"))}}, schemas))
    kept = out["components"]["schemas"]
    assert kept["identity"]["properties"]["credentials"] == ref("IdentityCredentialsProperty")
    assert kept["IdentityCredentialsProperty"] == credentials
    assert kept["identityCredentials"] == schemas["identityCredentials"]


def test_a_hoisted_name_never_takes_a_name_in_use() -> None:
    schemas = {
        "a": {"type": "object", "properties": {"b": {"type": "object", "properties": {"x": {"type": "string"}}}}},
        "aB": {"type": "object", "properties": {"y": {"type": "string"}}},
        "aBProperty": {"type": "object", "properties": {"z": {"type": "string"}}},
    }
    out = normalize(spec_of({"GET /api/v1/as/": {"responses": ok(ref("a"))}}, schemas))
    assert out["components"]["schemas"]["a"]["properties"]["b"] == ref("ABProperty2")
    assert set(out["components"]["schemas"]) == {"a", "aB", "aBProperty", "ABProperty2"}


def test_a_default_response_that_is_the_only_success_is_a_success() -> None:
    only_default = {"responses": {"default": {"description": "successful operation"}}}
    spec = spec_of({"GET /api/v1/sessions/logout/": only_default})
    responses = op_of(normalize(spec), "GET /api/v1/sessions/logout/")["responses"]
    assert responses["2XX"] == {"description": "successful operation"}
    assert "default" in responses


def test_a_default_response_beside_a_documented_success_stays_the_fallback() -> None:
    spec = spec_of({"GET /api/v1/things/": {"responses": {**ok({"type": "string"}), "default": {"description": "x"}}}})
    assert set(op_of(normalize(spec), "GET /api/v1/things/")["responses"]) == {"200", "default"}


def test_a_json_binary_response_is_a_download() -> None:
    # authentik's flow export: drf-spectacular documents a FileResponse as a JSON binary string.
    spec = spec_of({"GET /api/v1/flows/{slug}/export/": {"responses": ok({"type": "string", "format": "binary"})}})
    content = op_of(normalize(spec), "GET /api/v1/flows/{slug}/export/")["responses"]["200"]["content"]
    assert content == {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}


def test_a_nullable_enum_query_parameter_is_the_enum() -> None:
    param = {"name": "action", "in": "query", "schema": {"type": "string", "nullable": True, "enum": ["a", "b", None]}}
    spec = spec_of({"GET /api/v1/events/": {"parameters": [param], "responses": ok({"type": "string"})}})
    out = normalize(spec)
    (normalized,) = op_of(out, "GET /api/v1/events/")["parameters"]
    assert resolve(out, normalized["schema"]) == {"type": "string", "enum": ["a", "b"]}


def test_a_one_of_whose_discriminator_its_request_members_lost_is_an_any_of() -> None:
    # drf-spectacular's polymorphic PATCH: the discriminator `type` is readOnly, so the request twins lack it.
    person = {
        "type": "object",
        "properties": {"name": {"type": "string"}, "type": {"type": "string", "readOnly": True}},
    }
    meta = {"oneOf": [ref("Legal"), ref("Natural")], "discriminator": {"propertyName": "type"}}
    spec = spec_of(
        {"PATCH /api/v1/persons/{id}/": {"requestBody": json_body(ref("Meta")), "responses": ok(ref("Meta"))}},
        {"Legal": copy.deepcopy(person), "Natural": copy.deepcopy(person), "Meta": meta},
    )
    schemas = normalize(spec)["components"]["schemas"]
    request = schemas["PatchedMetaRequest"]
    assert "oneOf" not in request and "discriminator" not in request
    assert request["anyOf"] == [ref("LegalRequest"), ref("NaturalRequest")]
    assert schemas["Meta"]["oneOf"] == [ref("Legal"), ref("Natural")]  # the response side keeps its discriminator


def test_each_member_of_a_discriminated_one_of_holds_its_mapped_value() -> None:
    # ory/kratos: every member's `method` is any string (or an enum of all members' values), so bodies are ambiguous.
    def member(extra: str, method: Json) -> Json:
        return {"type": "object", "properties": {"method": method, extra: {"type": "string"}}, "required": ["method"]}

    mapping = {"code": "#/components/schemas/Code", "link": "#/components/schemas/Link"}
    body = {"oneOf": [ref("Link"), ref("Code")], "discriminator": {"propertyName": "method", "mapping": mapping}}
    schemas = {
        "Link": member("email", {"type": "string"}),
        "Code": member("code", {"type": "string", "enum": ["link", "code"]}),
        "Body": body,
    }
    spec = spec_of({"POST /api/v1/recovery/": {"requestBody": json_body(ref("Body")), "responses": ok()}}, schemas)
    out = normalize(spec)["components"]["schemas"]
    assert resolve(out, out["Link"]["properties"]["method"])["enum"] == ["link"]
    assert resolve(out, out["Code"]["properties"]["method"])["enum"] == ["code"]
