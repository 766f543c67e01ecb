"""Round trip by property-based testing: for every object schema of every spec (vendored + corpus),
instances drawn from its JSON Schema (hypothesis-jsonschema; extra properties included wherever
additionalProperties allows them) survive `from_dict` -> `to_dict` unchanged, and `to_dict()` of every
request model validates against the request schema (jsonschema, formats checked).

"Unchanged" is JSON equality that tells booleans from numbers, with format-bearing strings compared as
what they denote (date-time '...Z' == '...+00:00', uuid case) and binary payloads by their bytes.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import jsonschema
import pytest
from conftest import SPEC_PATHS, spec_id
from contractlib.budget import max_examples, phases
from contractlib.package import Package
from contractlib.schemas import (
    binary_to_text,
    canonical,
    first_difference,
    to_json_schema,
)
from contractlib.spec import SCHEMA_REF, ContractSpec, Direction, class_name
from contractlib.strategies import strategy
from hypothesis import HealthCheck, given, settings

MAX_EXAMPLES = max_examples(25)  # fewer for large real specs (make test-real)


def _cases() -> list[tuple[Path, str]]:
    cases = []
    for path in SPEC_PATHS:
        spec = ContractSpec.from_file(path)
        cases.extend(
            (path, name) for name, node in spec.model_components().items() if spec.shape(node).kind == "object"
        )
    return cases


CASES = _cases()


def test_every_spec_has_object_schemas() -> None:
    assert {path for path, _ in CASES} == set(SPEC_PATHS)


@pytest.mark.parametrize(("spec_path", "schema"), CASES, ids=[f"{spec_id(p)}:{name}" for p, name in CASES])
def test_round_trip(
    spec_path: Path,
    schema: str,
    package_for: Callable[[Path], ModuleType],
    contract_spec_for: Callable[[Path], ContractSpec],
) -> None:
    spec = contract_spec_for(spec_path)
    package = Package(package_for(spec_path))
    cls = package.model_class(class_name(schema))
    assert cls is not None, f"schema {schema}: no class {class_name(schema)} in {package.name}.models"
    node = {"$ref": SCHEMA_REF + schema}
    direction: Direction = "request" if schema in spec.request_components() else "response"
    validator = jsonschema.Draft202012Validator(
        to_json_schema(spec, node, direction), format_checker=jsonschema.FormatChecker()
    )
    drawing = to_json_schema(spec, node, direction, bounded=True)

    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=phases(),
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
    )
    @given(strategy(drawing))
    def round_trip(drawn: Any) -> None:
        drawn_errors = [error.message for error in validator.iter_errors(drawn)]
        assert not drawn_errors, f"test tool bug: drew an invalid instance of {schema}: {drawn_errors}"
        instance = drawn
        parsed = package.from_dict(cls, copy.deepcopy(instance))
        written = parsed.to_dict()
        difference = first_difference(canonical(spec, node, instance), canonical(spec, node, written))
        assert difference is None, f"schema {schema}: from_dict -> to_dict changed {difference}\ninstance: {drawn!r}"
        if direction == "request":
            errors = [
                f"{'/'.join(map(str, error.absolute_path)) or '(root)'}: {error.message}"
                for error in validator.iter_errors(binary_to_text(spec, node, written))
            ]
            assert not errors, f"schema {schema}: to_dict() is not a valid request body:\n" + "\n".join(errors)

    round_trip()
