"""Unit tests of codegen/normalize/: rules 1, 3 and 4 (import paths and tags, readOnly / writeOnly, one request
media type)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from codegen.normalize import NormalizationError, normalize
from tests.unit.normalize_support import (
    AGENT,
    DRF_MEDIA,
    ROOT,
    SPECS,
    STATUS_ENUM,
    Json,
    body_schema,
    json_body,
    ok,
    op_of,
    operations,
    ref,
    resolve,
    spec_of,
)

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
