"""Unit tests of codegen/normalize/: rule 5 (quirks the generator chokes on), including those of real public specs."""

from __future__ import annotations

import copy

import pytest

from codegen.normalize import NormalizationError, normalize
from tests.unit.normalize_support import (
    Json,
    json_body,
    ok,
    op_of,
    ref,
    resolve,
    spec_of,
)

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
