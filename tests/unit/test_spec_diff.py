"""codegen.spec_diff on small specs written here: each kind of change, its breaking flag, bumps, rendering."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from codegen.spec_diff import (
    Change,
    Report,
    Side,
    SpecParseError,
    diff_specs,
    main,
    parse_spec_text,
    schema_sides,
)

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


# --- operations ----------------------------------------------------------------------------


def add_operation(spec: Spec) -> None:
    spec["paths"]["/pets/{id}/"]["delete"] = {"operationId": "pets_destroy", "responses": {"204": {"description": ""}}}


def test_operation_added_is_not_breaking() -> None:
    assert only_change(add_operation) == Change(
        "operation-added", "DELETE /pets/{id}/", "operation added -> wassist_api_client.api.pets.destroy", False
    )


def test_operation_removed_is_breaking() -> None:
    change = only_change(lambda s: s["paths"].pop("/reports/"))
    assert change == Change(
        "operation-removed", "GET /reports/", "operation removed -> wassist_api_client.api.reports.retrieve", True
    )


def test_an_operation_id_change_moves_nothing() -> None:
    # modules are named after paths (codegen/naming.py), so a new operationId is no API change at all
    report = diff(lambda s: operation(s, "/reports/", "get").update(operationId="reports_all"))
    assert report.changes == () and report.level == "patch"


def test_a_module_rename_is_breaking_and_names_both_import_paths() -> None:
    def list_reports(spec: Spec) -> None:  # GET /reports/ now answers with a list: reports.retrieve -> reports.list_
        ok = operation(spec, "/reports/", "get")["responses"]["200"]
        ok["content"]["application/json"]["schema"] = {"type": "array", "items": ref("Report")}

    changes = diff(list_reports).changes
    renamed = [change for change in changes if change.kind == "operation-renamed"]
    assert renamed == [
        Change(
            "operation-renamed",
            "GET /reports/",
            "renamed: wassist_api_client.api.reports.retrieve -> wassist_api_client.api.reports.list_ "
            "(the generated module moves)",
            True,
        )
    ]


def test_adding_a_path_elsewhere_renames_nothing() -> None:
    def add_resource(spec: Spec) -> None:
        spec["paths"]["/owners/{id}/pets/"] = {"get": {"responses": {"200": {"description": ""}}}}

    assert [change.kind for change in diff(add_resource).changes] == ["operation-added"]


def test_operation_deprecated_is_not_breaking() -> None:
    change = only_change(lambda s: operation(s, "/reports/", "get").update(deprecated=True))
    assert (change.kind, change.breaking) == ("operation-deprecated", False)
    assert change.message == "operation deprecated -> wassist_api_client.api.reports.retrieve"


def test_field_deprecated_is_listed_and_not_breaking() -> None:
    change = only_change(lambda s: s["components"]["schemas"]["Pet"]["properties"]["name"].update(deprecated=True))
    assert (change.kind, change.location, change.message, change.breaking) == (
        "field-deprecated",
        "Pet.name",
        "field deprecated",
        False,
    )


# --- parameters ----------------------------------------------------------------------------


@pytest.mark.parametrize(("required", "breaking"), [(True, True), (False, False)])
def test_parameter_added(required: bool, breaking: bool) -> None:
    param = {"name": "owner", "in": "query", "required": required, "schema": {"type": "string"}}
    change = only_change(lambda s: list_params(s).append(param))
    assert (change.kind, change.location, change.breaking) == ("parameter-added", "GET /pets/", breaking)
    assert change.message == f"query parameter `owner` added ({'required' if required else 'optional'})"


def test_parameter_removed_is_breaking() -> None:
    change = only_change(lambda s: list_params(s).pop(0))
    assert change == Change("parameter-removed", "GET /pets/", "query parameter `limit` removed", True)


def test_parameter_becoming_required_is_breaking() -> None:
    change = only_change(lambda s: list_params(s)[0].update(required=True))
    assert change == Change("parameter-required-changed", "GET /pets/", "query parameter `limit` is now required", True)


def test_parameter_becoming_optional_is_not_breaking() -> None:
    old = base_spec()
    list_params(old).append({"name": "q", "in": "query", "required": True})
    new = copy.deepcopy(old)
    list_params(new)[-1]["required"] = False
    (change,) = diff_specs(old, new).changes
    assert (change.kind, change.breaking) == ("parameter-required-changed", False)
    assert change.message == "query parameter `q` is now optional"


def test_path_level_parameter_is_seen_by_each_operation() -> None:
    change = only_change(lambda s: s["paths"]["/pets/{id}/"]["parameters"][0]["schema"].update(type="integer"))
    assert (change.kind, change.location, change.breaking) == ("type-changed", "GET /pets/{id}/", True)
    assert change.message == "path parameter `id`: type changed from `string` to `integer`"


def test_parameter_behind_a_ref_is_resolved() -> None:
    change = only_change(lambda s: s["components"]["parameters"]["Search"].update(required=True))
    assert change == Change(
        "parameter-required-changed", "GET /pets/", "query parameter `search` is now required", True
    )


def test_parameter_type_widened_is_not_breaking() -> None:
    change = only_change(lambda s: list_params(s)[0]["schema"].update(type="number"))
    assert change.message == "query parameter `limit`: type changed from `integer` to `number` (widened)"
    assert not change.breaking


def test_parameter_enum_value_removed_is_breaking() -> None:
    change = only_change(lambda s: list_params(s)[1]["schema"]["enum"].remove("b"))
    assert change == Change(
        "enum-value-removed", "GET /pets/", "query parameter `status`: enum value `b` removed", True
    )


# --- bodies and responses ------------------------------------------------------------------


def test_request_body_schema_swapped_is_breaking() -> None:
    change = only_change(lambda s: operation(s, "/pets/", "post")["requestBody"].update(json_body(ref("Pet"))))
    assert (change.kind, change.location, change.breaking) == ("request-body-changed", "POST /pets/", True)
    assert change.message == "request body: schema changed from `NewPet` to `Pet`"


def test_request_body_added_optional_is_not_breaking_and_required_is() -> None:
    def add_body(required: bool) -> Mutation:
        return lambda s: operation(s, "/reports/", "get").update(requestBody={"required": required, **json_body({})})

    optional, required = only_change(add_body(False)), only_change(add_body(True))
    assert (optional.kind, optional.message, optional.breaking) == (
        "request-body-added",
        "request body added (optional)",
        False,
    )
    assert (required.kind, required.message, required.breaking) == (
        "request-body-added",
        "request body added (required)",
        True,
    )


@pytest.mark.parametrize(("required", "breaking"), [(False, False), (True, True)])
def test_request_body_required_change(required: bool, breaking: bool) -> None:
    old = base_spec()
    operation(old, "/pets/", "post")["requestBody"]["required"] = not required
    new = copy.deepcopy(old)
    operation(new, "/pets/", "post")["requestBody"]["required"] = required
    (change,) = diff_specs(old, new).changes
    message = f"request body is now {'required' if required else 'optional'}"
    assert change == Change("request-body-required-changed", "POST /pets/", message, breaking)


def test_request_media_types_removed_is_breaking_and_added_is_not() -> None:
    def offer_form_instead_of_json(spec: Spec) -> None:
        content = operation(spec, "/pets/", "post")["requestBody"]["content"]
        content["multipart/form-data"] = content.pop("application/json")

    assert {(c.kind, c.message, c.breaking) for c in diff(offer_form_instead_of_json).changes} == {
        ("request-media-type-added", "request body now accepts `multipart/form-data`", False),
        ("request-media-type-removed", "request body no longer accepts `application/json`", True),
    }


def test_success_response_schema_swapped_is_breaking() -> None:
    change = only_change(lambda s: operation(s, "/reports/", "get")["responses"]["200"].update(json_body(ref("Pet"))))
    assert change == Change(
        "response-changed", "GET /reports/", "response `200`: schema changed from `Report` to `Pet`", True
    )


def test_inline_response_schema_is_diffed_field_by_field() -> None:
    old = base_spec()
    operation(old, "/reports/", "get")["responses"]["200"] = json_body(
        {"type": "object", "properties": {"count": {"type": "integer"}}}
    )
    new = copy.deepcopy(old)
    operation(new, "/reports/", "get")["responses"]["200"]["content"]["application/json"]["schema"]["properties"].pop(
        "count"
    )
    (change,) = diff_specs(old, new).changes
    assert change == Change("field-removed", "GET /reports/", "response `200` `count`: field removed", True)


def test_responses_added_and_removed() -> None:
    assert only_change(lambda s: operation(s, "/reports/", "get")["responses"].update({"404": {}})) == Change(
        "response-added", "GET /reports/", "response `404` added", False
    )
    error_removed = only_change(lambda s: operation(s, "/pets/", "post")["responses"].pop("400"))
    assert (error_removed.kind, error_removed.breaking) == ("response-removed", False)

    def swap_success(spec: Spec) -> None:
        responses = operation(spec, "/pets/", "post")["responses"]
        responses["200"] = responses.pop("201")

    kinds = {(c.kind, c.message, c.breaking) for c in diff(swap_success).changes}
    assert ("response-removed", "response `201` removed", True) in kinds
    assert ("response-added", "response `200` added", False) in kinds


# --- component schemas: fields ---------------------------------------------------------------


def add_field(model: str, required: bool, **extra: Any) -> Mutation:
    def mutate(spec: Spec) -> None:
        schema(spec, model)["properties"]["extra"] = {"type": "string", **extra}
        if required:
            schema(spec, model).setdefault("required", []).append("extra")

    return mutate


@pytest.mark.parametrize(
    ("model", "required", "extra", "breaking"),
    [
        ("NewPet", True, {}, True),  # callers must now send it
        ("NewPet", False, {}, False),
        ("Pet", True, {}, False),  # response-only: readers just get more
        ("Tag", True, {}, True),  # Tag travels both ways
        ("Tag", True, {"readOnly": True}, False),  # readOnly: never sent
        ("Unused", True, {}, True),  # not reachable: users may build the model themselves
    ],
)
def test_field_added(model: str, required: bool, extra: dict[str, Any], breaking: bool) -> None:
    change = only_change(add_field(model, required, **extra))
    assert (change.kind, change.location, change.breaking) == ("field-added", f"{model}.extra", breaking)
    assert change.message == f"field added ({'required' if required else 'optional'})"


@pytest.mark.parametrize("model", ["NewPet", "Pet", "Report"])
def test_field_removed_is_always_breaking(model: str) -> None:
    field = next(iter(schema(base_spec(), model)["properties"]))
    change = only_change(lambda s: schema(s, model)["properties"].pop(field))
    assert change == Change("field-removed", f"{model}.{field}", "field removed", True)


@pytest.mark.parametrize(
    ("model", "field", "change_to", "breaking"),
    [
        ("NewPet", "nickname", "required", True),  # request: optional -> required narrows
        ("NewPet", "name", "optional", False),
        ("Pet", "name", "optional", True),  # response: users relied on it being there
        ("Pet", "nickname", "required", False),
        ("Pet", "id", "optional", True),
    ],
)
def test_required_changes_depend_on_the_side(model: str, field: str, change_to: str, breaking: bool) -> None:
    def mutate(spec: Spec) -> None:
        required: list[str] = schema(spec, model)["required"]
        if change_to == "required":
            required.append(field)
        else:
            required.remove(field)

    change = only_change(mutate)
    assert change == Change("field-required-changed", f"{model}.{field}", f"now {change_to}", breaking)


@pytest.mark.parametrize(
    ("model", "field", "new_type", "message", "breaking"),
    [
        ("Pet", "name", {"type": "integer"}, "type changed from `string` to `integer`", True),
        ("NewPet", "weight", {"type": "integer"}, "type changed from `number` to `integer` (narrowed)", True),
        ("Report", "ratio", {"type": "integer"}, "type changed from `number` to `integer` (narrowed)", False),
        ("Report", "total", {"type": "number"}, "type changed from `integer` to `number` (widened)", True),
        ("NewPet", "name", {}, "type changed from `string` to `any` (widened)", False),
        (
            "Pet",
            "born",
            {"type": "string", "format": "date"},
            "type changed from `string (date-time)` to `string (date)`",
            True,
        ),
        ("Pet", "born", {"type": "string"}, "type changed from `string (date-time)` to `string`", True),
        (
            "NewPet",
            "name",
            {"type": "string", "format": "uri"},
            "type changed from `string` to `string (uri)` (narrowed)",
            True,
        ),
        ("Pet", "kind", {"allOf": [ref("Tag")]}, "type changed from `Kind` to `Tag`", True),
        ("Pet", "tag", {"type": "array", "items": ref("Tag")}, "type changed from `Tag` to `array of Tag`", True),
        (
            "Pet",
            "photos",
            {"type": "array", "items": {"type": "integer"}},
            "type changed from `array of string` to `array of integer`",
            True,
        ),
        (
            "NewPet",
            "name",
            {"oneOf": [{"type": "string"}, {"type": "integer"}]},
            "type changed from `string` to `integer | string` (widened)",
            False,
        ),
    ],
)
def test_type_changes(model: str, field: str, new_type: dict[str, Any], message: str, breaking: bool) -> None:
    def mutate(spec: Spec) -> None:
        nullable = prop(spec, model, field).get("nullable")
        schema(spec, model)["properties"][field] = {**new_type, **({"nullable": True} if nullable else {})}

    change = only_change(mutate)
    assert change == Change("type-changed", f"{model}.{field}", message, breaking)


@pytest.mark.parametrize(
    ("model", "field", "nullable", "breaking"),
    [
        ("Pet", "name", True, True),  # readers may now get None
        ("NewPet", "name", True, False),
        ("NewPet", "weight", False, True),  # callers sending None now fail
        ("Pet", "note", False, False),
    ],
)
def test_nullable_changes_depend_on_the_side(model: str, field: str, nullable: bool, breaking: bool) -> None:
    change = only_change(lambda s: prop(s, model, field).update(nullable=nullable))
    message = "now nullable" if nullable else "no longer nullable"
    assert change == Change("nullable-changed", f"{model}.{field}", message, breaking)


def test_nullable_through_a_31_type_list_is_recognised() -> None:
    change = only_change(lambda s: prop(s, "Pet", "name").update(type=["string", "null"]))
    assert (change.kind, change.breaking) == ("nullable-changed", True)


def test_enum_value_added_is_not_breaking_and_removed_is() -> None:
    assert only_change(lambda s: schema(s, "Kind")["enum"].append("bird")) == Change(
        "enum-value-added", "Kind", "enum value `bird` added", False
    )
    assert only_change(lambda s: schema(s, "Kind")["enum"].remove("cat")) == Change(
        "enum-value-removed", "Kind", "enum value `cat` removed", True
    )


def test_enum_inside_array_items_is_located_on_the_items() -> None:
    change = only_change(lambda s: prop(s, "Pet", "photos")["items"]["enum"].remove("png"))
    assert change == Change("enum-value-removed", "Pet.photos[]", "enum value `png` removed", True)


def test_string_becoming_an_enum_is_breaking_because_the_generated_type_becomes_an_enum_class() -> None:
    change = only_change(lambda s: prop(s, "Pet", "name").update(enum=["x"]))
    assert change == Change("enum-changed", "Pet.name", "now restricted to an enum", True)


@pytest.mark.parametrize(
    ("mutate", "location", "breaking"),
    [
        (lambda s: list_params(s)[1]["schema"].pop("enum"), "GET /pets/", False),  # request: accepts more
        (lambda s: prop(s, "Pet", "photos")["items"].pop("enum"), "Pet.photos[]", True),  # response: returns more
    ],
)
def test_enum_dropped_is_a_widening(mutate: Mutation, location: str, breaking: bool) -> None:
    change = only_change(mutate)
    assert (change.kind, change.location, change.breaking) == ("enum-changed", location, breaking)


def test_nested_inline_object_fields_are_diffed() -> None:
    change = only_change(lambda s: prop(s, "Pet", "owner")["properties"].pop("name"))
    assert change == Change("field-removed", "Pet.owner.name", "field removed", True)


def test_read_only_flip_drops_a_field_from_requests() -> None:
    change = only_change(lambda s: prop(s, "Tag", "label").update(readOnly=True))
    assert (change.kind, change.location, change.breaking) == ("field-access-changed", "Tag.label", True)


def test_schema_added_and_removed() -> None:
    added = only_change(lambda s: s["components"]["schemas"].update(Extra={"type": "string"}))
    assert added == Change("schema-added", "Extra", "schema added", False)
    removed = only_change(lambda s: s["components"]["schemas"].pop("Unused"))
    assert removed == Change("schema-removed", "Unused", "schema removed", True)


def test_all_of_members_are_merged_into_the_model() -> None:
    old = base_spec()
    schema(old, "Unused")["allOf"] = [ref("Tag")]
    new = copy.deepcopy(old)
    schema(new, "Tag")["properties"].pop("label")
    locations = {c.location for c in diff_specs(old, new).changes}
    assert locations == {"Tag.label", "Unused.label"}


def test_schema_sides_follow_refs_and_skip_read_only_properties() -> None:
    sides = schema_sides(base_spec())
    assert sides["NewPet"] is Side.REQUEST
    assert sides["Pet"] is Side.RESPONSE
    assert sides["Tag"] is Side.BOTH and sides["Kind"] is Side.BOTH
    assert "Unused" not in sides


# --- report: levels, bumps, rendering ------------------------------------------------------


def test_identical_specs_report_nothing_and_keep_the_version() -> None:
    report = diff(lambda s: None)
    assert (report.changes, report.text_changed, report.level) == ((), False, "none")
    assert report.bump("1.2.3") == "1.2.3"
    assert report.to_text() == "No changes: the specs are identical.\n"


def test_text_only_change_is_a_patch() -> None:
    report = diff(lambda s: s["info"].update(description="Better words"))
    assert (report.changes, report.level, report.bump("1.2.3")) == ((), "patch", "1.2.4")
    assert "only the spec's text" in report.to_markdown()


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [(add_operation, "1.3.0"), (lambda s: s["paths"].pop("/reports/"), "2.0.0")],
)
def test_bump(mutate: Mutation, expected: str) -> None:
    assert diff(mutate).bump("1.2.3") == expected


def test_bump_rejects_a_malformed_version() -> None:
    with pytest.raises(ValueError, match=r"X\.Y\.Z"):
        diff(add_operation).bump("1.2")


def breaking_and_additive(spec: Spec) -> None:
    add_operation(spec)
    spec["paths"].pop("/reports/")


def test_markdown_has_a_section_per_kind_with_one_line_per_change() -> None:
    markdown = diff(breaking_and_additive).to_markdown()
    assert markdown == (
        "2 API change(s), 1 breaking.\n"
        "\n### Breaking\n\n- `GET /reports/` — operation removed -> wassist_api_client.api.reports.retrieve\n"
        "\n### Non-breaking\n\n- `DELETE /pets/{id}/` — operation added -> wassist_api_client.api.pets.destroy\n"
    )


def test_text_lists_breaking_first_and_marks_empty_sections() -> None:
    text = diff(add_operation).to_text()
    assert text == (
        "1 API change(s), 0 breaking.\n\nBreaking:\n  (none)\n"
        "\nNon-breaking:\n  - DELETE /pets/{id}/: operation added -> wassist_api_client.api.pets.destroy\n"
    )
    assert diff(breaking_and_additive).breaking
    assert not diff(add_operation).breaking


# --- parsing and CLI -------------------------------------------------------------------------


def test_yaml_is_parsed_to_json_data() -> None:
    spec = parse_spec_text(
        "openapi: 3.0.3\npaths:\n  /a/:\n    get:\n      responses:\n        200: {description: ok}\n"
    )
    assert spec["paths"]["/a/"]["get"]["responses"] == {"200": {"description": "ok"}}


@pytest.mark.parametrize(
    ("text", "error"), [("{not json", "not valid JSON"), ("[1, 2]", "list"), ("just words", "str")]
)
def test_parse_rejects_what_is_not_an_object(text: str, error: str) -> None:
    with pytest.raises(SpecParseError, match=error):
        parse_spec_text(text)


def test_cli_prints_the_report_and_exits_1_on_breaking(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old, new = base_spec(), base_spec()
    new["paths"].pop("/reports/")
    (tmp_path / "old.json").write_text(json.dumps(old))
    (tmp_path / "new.json").write_text(json.dumps(new))
    assert main([str(tmp_path / "old.json"), str(tmp_path / "new.json")]) == 1
    assert "  - GET /reports/: operation removed" in capsys.readouterr().out
    assert main([str(tmp_path / "new.json"), str(tmp_path / "old.json"), "--markdown"]) == 0
    assert "- `GET /reports/` — operation added" in capsys.readouterr().out
    assert main([str(tmp_path / "old.json"), str(tmp_path / "missing.json")]) == 2
    assert "missing.json" in capsys.readouterr().err


# --- webhook events ----------------------------------------------------------------------------


def with_webhooks(section: str = "webhooks") -> Spec:
    """The pet store with two webhook events: one payload inline, one a component used by no operation."""
    spec = base_spec()
    spec["openapi"] = "3.1.0" if section == "webhooks" else "3.0.3"
    spec[section] = {
        "pet.adopted": {
            "post": {
                "requestBody": json_body(
                    {
                        "type": "object",
                        "properties": {"petId": {"type": "string"}, "by": {"type": "string"}},
                        "required": ["petId"],
                    }
                ),
                "responses": {"200": {"description": ""}},
            }
        },
        "pet.vaccinated": {"$ref": "#/components/pathItems/Vaccinated"},
    }
    spec["components"]["pathItems"] = {
        "Vaccinated": {
            "post": {"requestBody": json_body(ref("Vaccination")), "responses": {"200": {"description": ""}}}
        }
    }
    spec["components"]["schemas"]["Vaccination"] = {
        "type": "object",
        "properties": {"petId": {"type": "string"}, "vaccine": {"type": "string"}},
        "required": ["petId", "vaccine"],
    }
    return spec


def webhook_diff(mutate: Mutation, section: str = "webhooks") -> Report:
    old = with_webhooks(section)
    new = copy.deepcopy(old)
    mutate(new)
    return diff_specs(old, new)


def inline_payload(spec: Spec, section: str = "webhooks") -> dict[str, Any]:
    result: dict[str, Any] = spec[section]["pet.adopted"]["post"]["requestBody"]["content"]["application/json"]
    return result["schema"]


@pytest.mark.parametrize("section", ["webhooks", "x-webhooks"])
def test_webhook_event_added_is_not_breaking(section: str) -> None:
    def add(spec: Spec) -> None:
        spec[section]["pet.returned"] = {"post": {"requestBody": json_body({"type": "object"}), "responses": {}}}

    (change,) = webhook_diff(add, section).changes
    assert change == Change("webhook-added", "webhook pet.returned", "webhook event added", False)


@pytest.mark.parametrize("section", ["webhooks", "x-webhooks"])
def test_webhook_event_removed_is_breaking(section: str) -> None:
    (change,) = webhook_diff(lambda s: s[section].pop("pet.adopted"), section).changes
    assert change == Change("webhook-removed", "webhook pet.adopted", "webhook event removed", True)


def test_an_inline_payload_is_diffed_field_by_field_as_something_received() -> None:
    report = webhook_diff(lambda s: inline_payload(s)["properties"].pop("by"))
    assert [(c.kind, c.location, c.message, c.breaking) for c in report.changes] == [
        ("field-removed", "webhook pet.adopted", "payload `by`: field removed", True)
    ]
    added = webhook_diff(lambda s: inline_payload(s)["properties"].update(at={"type": "string"}))
    assert [(c.kind, c.message, c.breaking) for c in added.changes] == [
        ("field-added", "payload `at`: field added (optional)", False)
    ]
    # Received, so a field becoming optional (it may now be missing) breaks readers; becoming required does not.
    optional = webhook_diff(lambda s: inline_payload(s)["required"].remove("petId"))
    assert [(c.kind, c.breaking) for c in optional.changes] == [("field-required-changed", True)]
    required = webhook_diff(lambda s: inline_payload(s)["required"].append("by"))
    assert [(c.kind, c.breaking) for c in required.changes] == [("field-required-changed", False)]


def test_a_payload_that_names_another_model_is_a_breaking_change() -> None:
    def swap(spec: Spec) -> None:
        spec["components"]["pathItems"]["Vaccinated"]["post"]["requestBody"] = json_body(ref("Report"))

    changes = [c for c in webhook_diff(swap).changes if c.kind == "webhook-changed"]
    assert changes == [
        Change(
            "webhook-changed", "webhook pet.vaccinated", "payload: schema changed from `Vaccination` to `Report`", True
        )
    ]


def test_a_component_only_webhooks_use_is_compared_as_a_response() -> None:
    sides = schema_sides(with_webhooks())
    assert sides["Vaccination"] == Side.RESPONSE
    report = webhook_diff(lambda s: schema(s, "Vaccination")["required"].remove("vaccine"))
    assert [(c.location, c.breaking) for c in report.changes] == [("Vaccination.vaccine", True)]


def test_moving_webhooks_from_the_3_0_extension_to_3_1_changes_nothing_users_see() -> None:
    old, new = with_webhooks("x-webhooks"), with_webhooks("webhooks")
    report = diff_specs(old, new)
    assert report.changes == ()
    assert report.level == "patch"


def test_the_report_lists_webhook_events(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old, new = base_spec(), with_webhooks()
    (tmp_path / "old.json").write_text(json.dumps(old))
    (tmp_path / "new.json").write_text(json.dumps(new))
    assert main([str(tmp_path / "old.json"), str(tmp_path / "new.json"), "--markdown"]) == 0
    out = capsys.readouterr().out
    assert "- `webhook pet.adopted` — webhook event added" in out
    assert "- `webhook pet.vaccinated` — webhook event added" in out
