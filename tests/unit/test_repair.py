"""codegen/repair.py: invalid specs repaired where the defect's meaning is plain, each repair named by JSON pointer."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from openapi_spec_validator import validate

from codegen.repair import RepairError, repair_spec

Json = dict[str, Any]


def spec_with(components: Json | None = None, operation: Json | None = None) -> Json:
    op = operation or {"operationId": "things_list", "responses": {"200": {"description": "ok"}}}
    return {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {"/api/v1/things/": {"get": op}},
        "components": components or {},
    }


def test_a_valid_spec_is_left_as_it_is() -> None:
    spec = spec_with({"securitySchemes": {"key": {"type": "apiKey", "in": "header", "name": "X-API-Key"}}})
    repaired, repairs = repair_spec(spec)
    assert repairs == []
    assert repaired == spec


def test_a_security_scheme_loses_the_keys_its_type_does_not_take() -> None:
    # authentik's schema.yml: an apiKey scheme with `scheme: bearer` (openapi-spec-validator refuses it).
    scheme = {"type": "apiKey", "in": "header", "name": "Authorization", "scheme": "bearer", "x-note": "kept"}
    spec = spec_with({"securitySchemes": {"authentik": scheme}})
    original = copy.deepcopy(spec)
    repaired, repairs = repair_spec(spec)
    validate(repaired)
    assert [str(repair) for repair in repairs] == [
        '/components/securitySchemes/authentik/scheme: removed scheme: "bearer" '
        "(a security scheme of type apiKey takes no scheme)"
    ]
    assert repaired["components"]["securitySchemes"]["authentik"] == {
        "type": "apiKey",
        "in": "header",
        "name": "Authorization",
        "x-note": "kept",
    }
    assert spec == original  # the input is never modified


def test_a_key_not_allowed_where_it_stands_goes() -> None:
    operation = {"operationId": "things_list", "responses": {"200": {"description": "ok"}}, "summmary": "typo"}
    repaired, repairs = repair_spec(spec_with(operation=operation))
    validate(repaired)
    assert [repair.pointer for repair in repairs] == ["/paths/~1api~1v1~1things~1/get/summmary"]
    assert "summmary" not in repaired["paths"]["/api/v1/things/"]["get"]


def test_an_empty_required_list_goes() -> None:
    schemas = {"Thing": {"type": "object", "properties": {"a": {"type": "string"}}, "required": []}}
    repaired, repairs = repair_spec(spec_with({"schemas": schemas}))
    validate(repaired)
    assert [repair.pointer for repair in repairs] == ["/components/schemas/Thing/required"]
    assert "required" not in repaired["components"]["schemas"]["Thing"]


def test_a_defect_no_rule_repairs_is_refused_naming_it() -> None:
    operation = {"operationId": "things_list"}  # no responses: nothing says what they would be
    with pytest.raises(RepairError, match=r"/paths/~1api~1v1~1things~1/get: 'responses' is a required property"):
        repair_spec(spec_with(operation=operation))
