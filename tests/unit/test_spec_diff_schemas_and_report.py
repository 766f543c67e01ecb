"""codegen.spec_diff on component schemas (fields, types, nullability, enums, sides), the report's levels,
bumps and rendering, and spec parsing and the CLI."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from codegen.spec_diff import Change, Side, SpecParseError, diff_specs, main, parse_spec_text, schema_sides
from tests.unit.spec_diff_support import (
    Mutation,
    Spec,
    add_operation,
    base_spec,
    diff,
    list_params,
    only_change,
    prop,
    ref,
    schema,
)

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
