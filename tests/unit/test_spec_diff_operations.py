"""codegen.spec_diff on operations: their paths and modules, parameters, bodies, responses and webhook events."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from codegen.spec_diff import Change, Report, Side, diff_specs, main, schema_sides
from tests.unit.spec_diff_support import (
    Mutation,
    Spec,
    add_operation,
    base_spec,
    diff,
    json_body,
    list_params,
    only_change,
    operation,
    ref,
    schema,
)

# --- operations ----------------------------------------------------------------------------


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
