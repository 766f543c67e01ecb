"""The static contract catches a spec that moved away from its (stale) generated code.

Each mutation changes a throwaway copy of a spec (the vendored one, and one corpus spec); the package
stays the one generated from the ORIGINAL spec. The checks must then report a problem that names the
schema or operation and the field, and that problem must not be there without the mutation. What to
mutate is picked from the spec itself (first fitting schema/property/operation in sorted order), never
by name.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from conftest import spec_id
from contractlib import checks
from contractlib.spec import SCHEMA_REF, VENDORED_SPEC, ContractSpec, Json, corpus_specs

ADDED_PROPERTY = "contractAddedProperty"


@dataclass
class Mutation:
    document: Json
    expected: list[str]  # every one of these appears in one problem line
    what: str


def _response_object_schemas(spec: ContractSpec) -> list[str]:
    """Object components of the ORIGINAL spec that some response reaches (so stale code parses them)."""
    reached = spec.response_components()
    original = spec.original.get("components", {}).get("schemas", {})
    return sorted(
        name
        for name in reached
        if name in original and spec.shape(original[name]).kind == "object" and original[name].get("properties")
    )


def _pick_property(spec: ContractSpec, kinds: tuple[str, ...]) -> tuple[str, str, Json]:
    original = spec.original["components"]["schemas"]
    for name in _response_object_schemas(spec):
        for prop, schema in sorted(original[name]["properties"].items()):
            if schema.get("writeOnly"):
                continue
            shape = spec.shape(schema)
            if shape.kind in kinds and not schema.get("format") and shape.ref is None:
                return name, prop, schema
    pytest.fail(f"{spec.name}: no response schema with a plain {kinds} property to mutate")


def remove_field(document: Json) -> Mutation:
    spec = ContractSpec(document)
    name, prop, _ = _pick_property(spec, ("string", "integer", "number", "boolean"))
    mutated = copy.deepcopy(document)
    schema = mutated["components"]["schemas"][name]
    del schema["properties"][prop]
    if prop in schema.get("required", []):
        schema["required"].remove(prop)
        if not schema["required"]:
            del schema["required"]
    return Mutation(mutated, [f"schema {name}", repr(prop)], f"removed {name}.{prop}")


def change_type(document: Json) -> Mutation:
    spec = ContractSpec(document)
    name, prop, schema = _pick_property(spec, ("string", "integer", "boolean"))
    mutated = copy.deepcopy(document)
    new_type = "integer" if schema.get("type") != "integer" else "string"
    replacement = {"type": new_type}
    for key in ("readOnly", "nullable"):
        if key in schema:
            replacement[key] = schema[key]
    mutated["components"]["schemas"][name]["properties"][prop] = replacement
    return Mutation(mutated, [f"schema {name}", repr(prop), "the spec says"], f"{name}.{prop} became {new_type}")


def change_path(document: Json) -> Mutation:
    """The first path loses (or gains) its trailing slash: same resource and action, another URL."""
    mutated = copy.deepcopy(document)
    old = sorted(mutated["paths"])[0]
    new = old.rstrip("/") if old.endswith("/") else old + "/"
    mutated["paths"] = {(new if path == old else path): item for path, item in mutated["paths"].items()}
    return Mutation(mutated, [f" {new} (", "path"], f"path {old} became {new}")


def add_required_property(document: Json) -> Mutation:
    spec = ContractSpec(document)
    name = _response_object_schemas(spec)[0]
    mutated = copy.deepcopy(document)
    schema = mutated["components"]["schemas"][name]
    schema["properties"][ADDED_PROPERTY] = {"type": "string"}
    schema["required"] = [*schema.get("required", []), ADDED_PROPERTY]
    return Mutation(mutated, [f"schema {name}", repr(ADDED_PROPERTY)], f"{name} gained required {ADDED_PROPERTY}")


def remove_enum_value(document: Json) -> Mutation:
    spec = ContractSpec(document)
    original = document["components"]["schemas"]
    reached = spec.response_components()
    enums = sorted(
        name for name in reached if name in original and len([v for v in original[name].get("enum") or [] if v]) >= 2
    )
    if not enums:
        pytest.fail(f"{spec.name}: no enum schema with two values or more to mutate")
    name = enums[0]
    mutated = copy.deepcopy(document)
    values = mutated["components"]["schemas"][name]["enum"]
    removed = [v for v in values if v is not None][-1]
    values.remove(removed)
    return Mutation(mutated, [f"schema {name}", repr(removed)], f"{name} lost the value {removed!r}")


def _uses_of_enum(document: Json, enum: str) -> list[tuple[str, str]]:
    """(schema, property) pairs whose property refers to an enum component (directly or through allOf/oneOf)."""
    uses = []
    target = SCHEMA_REF + enum
    for name, schema in document["components"]["schemas"].items():
        for prop, prop_schema in (schema.get("properties") or {}).items():
            if target in json.dumps(prop_schema):
                uses.append((name, prop))
    return uses


MUTATIONS: dict[str, Callable[[Json], Mutation]] = {
    "removed-field": remove_field,
    "changed-type": change_type,
    "changed-path": change_path,
    "added-required-property": add_required_property,
    "removed-enum-value": remove_enum_value,
}


def _mutable_corpus_spec() -> list[Path]:
    """One corpus spec: the first (sorted) where every mutation finds something to change."""
    for path in corpus_specs():
        document = json.loads(path.read_text(encoding="utf-8"))
        try:
            spec = ContractSpec(document, path.name)
            _pick_property(spec, ("string", "integer", "boolean"))
            if not any(
                len([v for v in document["components"]["schemas"][name].get("enum") or [] if v]) >= 2
                for name in spec.response_components()
                if name in document["components"]["schemas"]
            ):
                continue
        except BaseException:
            continue
        return [path]
    return []


NEGATIVE_SPECS = [VENDORED_SPEC, *_mutable_corpus_spec()]


def test_a_corpus_spec_is_mutated_too() -> None:
    assert len(NEGATIVE_SPECS) == 2, "no corpus spec offers all five mutations (tests/specs/ is missing one)"


def _matching(problems: list[str], expected: list[str]) -> list[str]:
    return [line for line in problems if all(part in line for part in expected)]


@pytest.mark.parametrize("mutation", list(MUTATIONS), ids=str)
@pytest.mark.parametrize("spec_path", NEGATIVE_SPECS, ids=spec_id)
def test_stale_code_is_caught(
    spec_path: Path, mutation: str, package_for: Callable[[Path], ModuleType], tmp_path: Path
) -> None:
    original: Any = json.loads(spec_path.read_text(encoding="utf-8"))
    package = package_for(spec_path)  # generated from the ORIGINAL spec: stale for the mutated one
    change = MUTATIONS[mutation](original)
    copy_path = tmp_path / spec_path.name  # the mutated spec lives in a throwaway copy
    copy_path.write_text(json.dumps(change.document, indent=2), encoding="utf-8")
    mutated = json.loads(copy_path.read_text(encoding="utf-8"))

    before = checks.check_all(original, package)
    after = checks.check_all(mutated, package)
    new = [line for line in after if line not in before]
    found = _matching(new, change.expected)
    assert found, (
        f"{spec_id(spec_path)}: {change.what}: no new problem names all of {change.expected}; new problems:\n"
        + "\n".join(new or ["(none)"])
    )
    if mutation == "removed-enum-value":
        # the properties using the enum are named too
        enum = change.expected[0].removeprefix("schema ")
        for schema, prop in _uses_of_enum(change.document, enum):
            assert _matching(new, [repr(prop)]), f"{change.what}: no problem names {schema}.{prop}:\n" + "\n".join(new)
