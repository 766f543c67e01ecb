"""Every model of every spec: valid data round-trips; mismatches are kept (lenient) or raised (strict).

Parametrised over the vendored spec (the real `wassist_api_client`), the shared corpus
(tests/specs/*.json) and tests/models/specs/*.json, each generated into a package of its own.
Test data comes from the normalized spec (tests/models/support.py), never from the generated code.
"""

from __future__ import annotations

import importlib
import json
import logging
import pickle
import re
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx2
import pytest
from hypothesis import HealthCheck, given, settings

from tests.models.support import (
    ROOT,
    Examples,
    FieldCase,
    ModelCase,
    enum_schema,
    field_cases,
    model_cases,
    normalized,
    render_key,
    spec_paths,
    strategy,
    wrong_value,
)

LOGGER = "wassist_api_client"
MODELS = model_cases()
FIELDS = field_cases()
WRONG_FIELDS = [f for f in FIELDS if wrong_value(normalized(f.model.spec), f.schema) is not None]
REQUIRED_FIELDS = [f for f in FIELDS if f.required]
ENUM_FIELDS = [f for f in FIELDS if enum_schema(normalized(f.model.spec), f.schema) is not None]
SEEDS = range(4)
# Extra properties of any type fit only a model whose additionalProperties are untyped.
UNTYPED_EXTRA_MODELS = [
    m
    for m in MODELS
    if not isinstance(m.schema.get("additionalProperties"), dict) or not m.schema["additionalProperties"]
]


def ids(cases: list[Any]) -> list[str]:
    return [str(case) for case in cases]


@pytest.fixture(scope="session")
def package(generated_package: Callable[[Path], ModuleType]) -> Callable[[Path], ModuleType]:
    """The client package generated from a spec: the real one for the vendored spec."""

    def get(spec: Path) -> ModuleType:
        if spec == ROOT / "openapi.json":
            return importlib.import_module("wassist_api_client")
        return generated_package(spec)

    return get


class Warnings:
    """The WARNING records of the package's logger during the test's call phase."""

    def __init__(self, caplog: pytest.LogCaptureFixture) -> None:
        self.caplog = caplog

    @property
    def messages(self) -> list[str]:
        return [r.getMessage() for r in self.caplog.records if r.name == LOGGER and r.levelno >= logging.WARNING]


@pytest.fixture
def warnings(caplog: pytest.LogCaptureFixture) -> Warnings:
    caplog.set_level(logging.WARNING, logger=LOGGER)
    return Warnings(caplog)


class Subject:
    """One model class with the means to parse like the client does."""

    def __init__(self, package: ModuleType, case: ModelCase) -> None:
        self.package = package
        self.case = case
        self.models = importlib.import_module(package.__name__ + ".models")
        self.cls: Any = getattr(self.models, case.class_name)
        self.parsing: Any = importlib.import_module(package.__name__ + "._parsing")
        self.errors: Any = importlib.import_module(package.__name__ + "._exceptions")

    def example(self, seed: int = 0) -> dict[str, Any]:
        value = Examples(normalized(self.case.spec), seed).value(self.case.ref)
        assert isinstance(value, dict)
        return value

    def parse(self, body: Any, *, strict: bool) -> Any:
        """Through `_parsing.json_body`, as generated endpoint functions do."""
        response = httpx2.Response(
            200, json=body, request=httpx2.Request("GET", "https://backend.wassist.app/api/v1/x/")
        )
        with self.parsing.json_body(response, strict=strict) as decoded:
            return self.cls.from_dict(decoded)


@pytest.fixture
def subject(package: Callable[[Path], ModuleType], request: pytest.FixtureRequest) -> Subject:
    case = request.param if isinstance(request.param, ModelCase) else request.param.model
    return Subject(package(case.spec), case)


def test_the_parametrisation_covers_every_spec() -> None:
    specs = {case.spec for case in MODELS}
    assert specs == set(spec_paths()), "a spec without any model case"
    assert len(MODELS) > 50 and len(WRONG_FIELDS) > 300 and ENUM_FIELDS


# ---------------------------------------------------------------------------------------------
# Valid data


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("subject", MODELS, ids=ids(MODELS), indirect=True)
def test_valid_data_round_trips_without_issues(subject: Subject, seed: int, warnings: Warnings) -> None:
    data = subject.example(seed)
    model = subject.cls.from_dict(data)
    assert model.to_dict() == data
    assert json.loads(json.dumps(model.to_dict())) == data  # plain JSON: no UUID/datetime objects left
    assert warnings.messages == []
    assert subject.parse(data, strict=True).to_dict() == data


@pytest.mark.parametrize("subject", MODELS, ids=ids(MODELS), indirect=True)
def test_hypothesis_data_round_trips_in_strict_mode(subject: Subject) -> None:
    data_strategy = strategy(normalized(subject.case.spec), subject.case.ref)

    @settings(max_examples=15, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(data_strategy)
    def check(data: dict[str, Any]) -> None:
        assert subject.parse(data, strict=True).to_dict() == data

    check()


# ---------------------------------------------------------------------------------------------
# Mismatches


def _field_message_checks(field: FieldCase, text: str) -> None:
    assert field.model.class_name in text
    assert f"{field.model.class_name} at {render_key('$', field.name)}:" in text


@pytest.mark.parametrize("subject", WRONG_FIELDS, ids=ids(WRONG_FIELDS), indirect=True)
def test_wrong_type_is_kept_with_one_warning_in_lenient_mode(
    subject: Subject, request: pytest.FixtureRequest, warnings: Warnings
) -> None:
    field: FieldCase = request.node.callspec.params["subject"]
    kind, bad = wrong_value(normalized(field.model.spec), field.schema)  # type: ignore[misc]
    data = {**subject.example(), field.name: bad}

    model = subject.cls.from_dict(data)

    assert getattr(model, field.attribute) == bad
    assert model.to_dict() == data
    assert len(warnings.messages) == 1, warnings.messages
    _field_message_checks(field, warnings.messages[0])
    assert f"received {kind}" in warnings.messages[0]


@pytest.mark.parametrize("subject", WRONG_FIELDS, ids=ids(WRONG_FIELDS), indirect=True)
def test_wrong_type_raises_in_strict_mode(subject: Subject, request: pytest.FixtureRequest) -> None:
    field: FieldCase = request.node.callspec.params["subject"]
    _, bad = wrong_value(normalized(field.model.spec), field.schema)  # type: ignore[misc]
    data = {**subject.example(), field.name: bad}

    with pytest.raises(subject.errors.APIResponseValidationError) as info:
        subject.parse(data, strict=True)

    _field_message_checks(field, str(info.value))
    assert info.value.response.status_code == 200
    assert [issue.path for issue in info.value.issues] == [render_key("$", field.name)]


@pytest.mark.parametrize("subject", REQUIRED_FIELDS, ids=ids(REQUIRED_FIELDS), indirect=True)
def test_missing_required_field_is_none_in_lenient_mode_and_an_error_in_strict_mode(
    subject: Subject, request: pytest.FixtureRequest, warnings: Warnings
) -> None:
    field: FieldCase = request.node.callspec.params["subject"]
    data = subject.example()
    del data[field.name]

    model = subject.cls.from_dict(data)
    assert getattr(model, field.attribute) is None
    assert model.to_dict() == data  # still missing, not null
    assert len(warnings.messages) == 1, warnings.messages
    _field_message_checks(field, warnings.messages[0])
    assert "received nothing (field missing)" in warnings.messages[0]

    with pytest.raises(subject.errors.APIResponseValidationError) as info:
        subject.parse(data, strict=True)
    _field_message_checks(field, str(info.value))


@pytest.mark.parametrize("subject", ENUM_FIELDS, ids=ids(ENUM_FIELDS), indirect=True)
@pytest.mark.parametrize("strict", [False, True], ids=["lenient", "strict"])
def test_unknown_enum_value_is_kept(
    subject: Subject, request: pytest.FixtureRequest, strict: bool, warnings: Warnings
) -> None:
    field: FieldCase = request.node.callspec.params["subject"]
    enum = enum_schema(normalized(field.model.spec), field.schema)
    assert enum is not None
    unknown: Any = "SOMETHING_NEW ✨" if isinstance(enum["enum"][0], str) else 987654
    data = {**subject.example(), field.name: unknown}

    model = subject.parse(data, strict=strict)

    value = getattr(model, field.attribute)
    assert value == unknown
    assert value.value == unknown
    assert value.is_known is False
    assert value is type(value)(unknown)  # one pseudo-member per value
    assert model.to_dict() == data
    assert warnings.messages == []


@pytest.mark.parametrize("subject", UNTYPED_EXTRA_MODELS, ids=ids(UNTYPED_EXTRA_MODELS), indirect=True)
def test_extra_properties_are_kept(subject: Subject, warnings: Warnings) -> None:
    extra = {"someFutureField": {"nested": [1, "two", None]}, "ünïcode 😀": "✓"}
    data = {**subject.example(), **extra}

    model = subject.parse(data, strict=True)

    assert {key: model.additional_properties[key] for key in extra} == extra
    assert model.to_dict() == data
    assert warnings.messages == []


@pytest.mark.parametrize("subject", MODELS, ids=ids(MODELS), indirect=True)
@pytest.mark.parametrize("strict", [False, True], ids=["lenient", "strict"])
def test_an_array_where_the_model_is_expected_raises_in_both_modes(subject: Subject, strict: bool) -> None:
    with pytest.raises(subject.errors.APIResponseValidationError) as info:
        subject.parse([subject.example()], strict=strict)
    assert f"{subject.case.class_name} at $: expected object ({subject.case.class_name}), received array" in str(
        info.value
    )
    with pytest.raises(subject.errors.ModelValidationError):  # called directly: the same, with no response
        subject.cls.from_dict([subject.example()])


# ---------------------------------------------------------------------------------------------
# Paths into nested data


NESTED_LISTS = [
    f
    for f in FIELDS
    if f.schema.get("type") == "array"
    and "$ref" in f.schema.get("items", {})
    and f.required
    and any(
        wrong_value(normalized(f.model.spec), s) is not None
        for s in normalized(f.model.spec)["components"]["schemas"][f.schema["items"]["$ref"].rsplit("/", 1)[-1]]
        .get("properties", {})
        .values()
    )
]


@pytest.mark.parametrize("subject", NESTED_LISTS, ids=ids(NESTED_LISTS), indirect=True)
def test_a_mismatch_in_a_list_item_names_its_path(
    subject: Subject, request: pytest.FixtureRequest, warnings: Warnings
) -> None:
    field: FieldCase = request.node.callspec.params["subject"]
    spec = normalized(field.model.spec)
    item_name = field.schema["items"]["$ref"].rsplit("/", 1)[-1]
    item_schema = spec["components"]["schemas"][item_name]
    inner = next(n for n, s in item_schema.get("properties", {}).items() if wrong_value(spec, s) is not None)
    _, bad = wrong_value(spec, item_schema["properties"][inner])  # type: ignore[misc]
    data = subject.example()
    item = Examples(spec).value({"$ref": f"#/components/schemas/{item_name}"})
    data[field.name] = [item, {**item, inner: bad}]
    path = render_key(render_key(render_key("$", field.name), 1), inner)

    model = subject.cls.from_dict(data)

    assert model.to_dict() == data
    assert len(warnings.messages) == 1, warnings.messages
    assert f" at {path}:" in warnings.messages[0]
    with pytest.raises(subject.errors.APIResponseValidationError, match=re.escape(f" at {path}:")):
        subject.parse(data, strict=True)


# ---------------------------------------------------------------------------------------------
# Open enums


def _enum_cases() -> list[tuple[Path, str]]:
    return [
        (path, name)
        for path in spec_paths()
        for name, schema in normalized(path).get("components", {}).get("schemas", {}).items()
        if [v for v in schema.get("enum", []) if v is not None]
    ]


ENUMS = _enum_cases()


@pytest.mark.parametrize(("spec", "schema_name"), ENUMS, ids=[f"{p.stem}:{n}" for p, n in ENUMS])
def test_open_enum_classes(package: Callable[[Path], ModuleType], spec: Path, schema_name: str) -> None:
    models = importlib.import_module(package(spec).__name__ + ".models")
    case = ModelCase(spec, schema_name)
    enum_class: Any = getattr(models, case.class_name)
    values = [v for v in case.schema["enum"] if v is not None]

    for value in values:
        member = enum_class(value)
        assert member == value and member.value == value and member.is_known
        assert str(member) == str(value)
        assert member in list(enum_class)
    unknown: Any = "NEW_VALUE" if isinstance(values[0], str) else max(values) + 1000
    pseudo = enum_class(unknown)
    assert isinstance(pseudo, enum_class)
    assert pseudo == unknown and pseudo.value == unknown and str(pseudo) == str(unknown) and f"{pseudo}" == str(unknown)
    assert pseudo.is_known is False and pseudo not in list(enum_class)
    assert pseudo is enum_class(unknown)
    assert pickle.loads(pickle.dumps(pseudo)) is pseudo
    with pytest.raises(ValueError):  # the wrong JSON type is still no member (from_dict keeps it as received)
        enum_class(1.5)


def _is_nullable_enum_field(f: FieldCase) -> bool:
    """A nullable field whose value is an enum (codegen/normalize/ writes these `{allOf|anyOf: [enum], nullable}`)."""
    members = f.schema.get("allOf") or f.schema.get("anyOf") or [f.schema]
    if not f.schema.get("nullable") or len(members) != 1:
        return False
    target = members[0]
    if "$ref" in target:
        target = normalized(f.model.spec)["components"]["schemas"][target["$ref"].rsplit("/", 1)[1]]
    return "enum" in target


NULLABLE_ENUMS = [f for f in FIELDS if _is_nullable_enum_field(f)]


def test_the_corpus_has_nullable_enum_fields() -> None:
    assert NULLABLE_ENUMS


@pytest.mark.parametrize("subject", NULLABLE_ENUMS, ids=ids(NULLABLE_ENUMS), indirect=True)
def test_nullable_enum_accepts_null(subject: Subject, request: pytest.FixtureRequest) -> None:
    field: FieldCase = request.node.callspec.params["subject"]
    subject.parse({**subject.example(), field.name: None}, strict=True)
