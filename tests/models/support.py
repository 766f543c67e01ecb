"""Test data for the generated models, built from the (normalized) spec, not from the generated code.

`Examples` makes JSON values that fit a schema (valid instances, varied by a seed); `wrong_value`
picks a value of a JSON type the schema does not accept; `json_schema` turns an OpenAPI 3.0
schema into plain JSON Schema for hypothesis-jsonschema.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from tests import pregenerated

ROOT = Path(__file__).resolve().parents[2]

Json = Any
SKIP = object()  # no value can be made here (a recursive reference): leave the property out


def spec_paths() -> list[Path]:
    """The vendored spec, the shared corpus and this folder's own specs (globbed: new ones join in)."""
    return [
        ROOT / "openapi.json",
        *sorted((ROOT / "tests" / "specs").glob("*.json")),
        *sorted((ROOT / "tests" / "models" / "specs").glob("*.json")),
    ]


def spec_id(path: Path) -> str:
    return "vendored" if path == ROOT / "openapi.json" else path.stem


_NORMALIZED: dict[Path, dict[str, Any]] = {}


def normalized(path: Path) -> dict[str, Any]:
    """The spec as the generator sees it (codegen.normalize applied)."""
    if path not in _NORMALIZED:
        _NORMALIZED[path] = pregenerated.normalized(path)
    return _NORMALIZED[path]


@dataclass(frozen=True)
class ModelCase:
    spec: Path
    schema_name: str

    @property
    def schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = normalized(self.spec)["components"]["schemas"][self.schema_name]
        return schema

    @property
    def ref(self) -> dict[str, str]:
        return {"$ref": f"#/components/schemas/{self.schema_name}"}

    @property
    def class_name(self) -> str:
        # What openapi-python-client names the class of a component schema.
        return pregenerated.class_name(self.spec, self.schema.get("title") or self.schema_name)

    def __str__(self) -> str:
        return f"{spec_id(self.spec)}:{self.schema_name}"


@dataclass(frozen=True)
class FieldCase:
    model: ModelCase
    name: str  # the JSON name, as in the spec

    @property
    def schema(self) -> dict[str, Any]:
        properties: dict[str, Any] = self.model.schema.get("properties", {})
        return dict(properties[self.name])

    @property
    def attribute(self) -> str:
        return pregenerated.attribute_name(self.model.spec, self.name)

    @property
    def required(self) -> bool:
        return self.name in self.model.schema.get("required", [])

    def __str__(self) -> str:
        return f"{self.model}.{self.name}"


def is_model_schema(schema: dict[str, Any]) -> bool:
    """Whether openapi-python-client makes an attrs class of a component schema."""
    if "enum" in schema:
        return False
    return schema.get("type") == "object" or "properties" in schema or "allOf" in schema


def model_cases() -> list[ModelCase]:
    return [
        ModelCase(path, name)
        for path in spec_paths()
        for name, schema in normalized(path).get("components", {}).get("schemas", {}).items()
        if is_model_schema(schema)
    ]


def field_cases(*, required_only: bool = False) -> list[FieldCase]:
    return [
        FieldCase(model, name)
        for model in model_cases()
        for name in model.schema.get("properties", {})
        if not required_only or name in model.schema.get("required", [])
    ]


# ---------------------------------------------------------------------------------------------
# Valid values


@dataclass
class Examples:
    """Valid JSON for the schemas of one spec; `seed` varies optional fields, nulls, union members."""

    spec: dict[str, Any]
    seed: int = 0
    rng: random.Random = field(init=False)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)

    @property
    def full(self) -> bool:
        """Seed 0: every optional property present, no nulls, first union member, one item per array."""
        return self.seed == 0

    def resolve(self, schema: dict[str, Any]) -> tuple[str | None, dict[str, Any]]:
        ref = schema.get("$ref")
        if not isinstance(ref, str):
            return None, schema
        name = ref.rsplit("/", 1)[-1]
        return name, self.spec["components"]["schemas"][name]

    def value(self, schema: dict[str, Any], stack: tuple[str, ...] = ()) -> Json:
        name, schema = self.resolve(schema)
        if name is not None:
            if stack.count(name) >= 2:  # recursion: stop after two levels
                return SKIP
            stack = (*stack, name)
        if schema.get("nullable") and not self.full and self.rng.random() < 0.3 and nullable_as_generated(schema):
            return None
        if "enum" in schema:
            values = [v for v in schema["enum"] if v is not None]
            if not values:
                return None
            return values[0] if self.full else self.rng.choice(values)
        for key in ("oneOf", "anyOf"):
            if key in schema:
                options = [s for s in schema[key] if self.resolve(s)[1].get("enum") != [None]]
                option = options[0] if self.full else self.rng.choice(options)
                return self.value(option, stack)
        if "allOf" in schema:
            parts = [self.value(part, stack) for part in schema["allOf"]]
            if len(parts) == 1:
                return parts[0]
            merged: dict[str, Any] = {}
            for part in parts:
                if isinstance(part, dict):
                    merged.update(part)
            return merged
        kind = schema.get("type")
        if kind == "string":
            return self.string(schema)
        if kind == "integer":
            return self.rng.choice([0, 7, -3, 2**40])
        if kind == "number":
            return self.rng.choice([1.5, 0.0, -2.25, 3])
        if kind == "boolean":
            return self.rng.choice([True, False])
        if kind == "array":
            item_schema = schema.get("items", {})
            count = max(schema.get("minItems", 0), 1 if self.full else self.rng.randint(0, 2))
            items = [self.value(item_schema, stack) for _ in range(count)]
            return [item for item in items if item is not SKIP]
        if kind == "object" or "properties" in schema or "additionalProperties" in schema:
            return self.object(schema, stack)
        # untyped `{}`: anything
        return self.rng.choice([{"free": ["form", 1, None]}, "text", 42, [True], None]) if not self.full else {"a": 1}

    def object(self, schema: dict[str, Any], stack: tuple[str, ...]) -> dict[str, Any]:
        required = set(schema.get("required", []))
        result: dict[str, Any] = {}
        for prop_name, prop_schema in schema.get("properties", {}).items():
            if prop_name not in required and not self.full and self.rng.random() < 0.4:
                continue
            value = self.value(prop_schema, stack)
            if value is not SKIP:
                result[prop_name] = value
        additional = schema.get("additionalProperties")
        if isinstance(additional, dict) and additional and (self.full or self.rng.random() < 0.5):
            value = self.value(additional, stack)
            if value is not SKIP:
                result["someKey 🔑"] = value
        return result

    def string(self, schema: dict[str, Any]) -> str:
        fmt = schema.get("format")
        if fmt == "uuid":
            text = str(uuid.UUID(int=self.rng.getrandbits(128), version=4))
            return text.upper() if not self.full and self.rng.random() < 0.2 else text
        if fmt == "date":
            return self.rng.choice(["2024-05-06", "1999-12-31"])
        if fmt == "date-time":
            return self.rng.choice(
                [
                    "2024-05-06T07:08:09Z",  # Django REST framework's default spelling
                    "2024-05-06T07:08:09.123456Z",
                    "2024-05-06T07:08:09.123+02:00",
                    "2024-05-06T07:08:09+00:00",
                    "2024-05-06T07:08:09.000001-05:30",
                ]
            )
        if fmt in ("uri", "url"):
            return "https://example.com/ünïcode/😀?x=1"
        if fmt == "email":
            return "someone@example.com"
        text = self.rng.choice(["plain", "ünïcode ✓", "emoji 😀👍🏽", "", 'quote " and \\ backslash'])
        max_length = schema.get("maxLength")
        min_length: int = schema.get("minLength", 0)
        text = text[:max_length] if isinstance(max_length, int) else text
        return text + "x" * max(0, min_length - len(text))


def nullable_as_generated(schema: dict[str, Any]) -> bool:
    """`nullable` as openapi-python-client 0.29.1 applies it: it ignores `nullable` on an enum whose
    values lack null (see test_nullable_enum_accepts_null, which tracks that)."""
    return not ("enum" in schema and None not in schema["enum"])


# ---------------------------------------------------------------------------------------------
# Wrong values


JSON_TYPES = ("object", "array", "string", "integer", "number", "boolean", "null")
_WRONG: list[tuple[str, Json]] = [
    ("object", {"unexpected": ["shape", 1]}),
    ("array", ["unexpected"]),
    ("string", "unexpected"),
    ("integer", 12345),
    ("boolean", True),
    ("null", None),
]


def accepted_types(spec: dict[str, Any], schema: dict[str, Any], seen: tuple[str, ...] = ()) -> set[str] | None:
    """The JSON types a schema accepts (None: any), as the generated model reads it."""
    examples = Examples(spec)
    name, schema = examples.resolve(schema)
    if name in seen:
        return None
    if name is not None:
        seen = (*seen, name)
    types: set[str] = set()
    if schema.get("nullable") and nullable_as_generated(schema):
        types.add("null")
    if "enum" in schema:
        for value in schema["enum"]:
            types.add(_json_type(value))
        return types
    for key in ("oneOf", "anyOf", "allOf"):
        if key in schema:
            for option in schema[key]:
                inner = accepted_types(spec, option, seen)
                if inner is None:
                    return None
                types |= inner
            if key == "allOf" and len(schema[key]) > 1:
                types.add("object")
            return types
    kind = schema.get("type")
    if kind is None:
        if "properties" in schema or "additionalProperties" in schema:
            return types | {"object"}
        return None
    types.add(kind)
    if kind == "number":
        types.add("integer")
    return types


def _json_type(value: Json) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def wrong_value(spec: dict[str, Any], schema: dict[str, Any]) -> tuple[str, Json] | None:
    """(JSON type, value) of a value the schema does not accept, or None if it accepts anything."""
    accepted = accepted_types(spec, schema)
    if accepted is None:
        return None
    for kind, value in _WRONG:
        if kind not in accepted:
            return kind, value
    return None


def enum_schema(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any] | None:
    """The enum a property holds directly (through `$ref`/single `allOf`), if any."""
    examples = Examples(spec)
    _, schema = examples.resolve(schema)
    if "allOf" in schema and len(schema["allOf"]) == 1:
        return enum_schema(spec, schema["allOf"][0])
    if "enum" in schema and [v for v in schema["enum"] if v is not None]:
        return schema
    return None


# ---------------------------------------------------------------------------------------------
# Hypothesis strategies (hypothesis-jsonschema 0.23.1 does not work with the pinned hypothesis for
# object schemas: `'many' object has no attribute 'more'`)


_OFFSETS = [dt.timezone.utc, dt.timezone(dt.timedelta(hours=5, minutes=30)), dt.timezone(-dt.timedelta(hours=8))]


def _datetime_text(value: dt.datetime, spelling: int) -> str:
    text = value.isoformat(timespec=("auto", "seconds", "milliseconds")[spelling % 3])
    return text[:-6] + "Z" if spelling >= 3 and text.endswith("+00:00") else text


_DATETIMES = st.builds(
    _datetime_text,
    st.datetimes(
        min_value=dt.datetime(1, 1, 2), max_value=dt.datetime(9999, 12, 30), timezones=st.sampled_from(_OFFSETS)
    ),
    st.integers(0, 5),
)
_UUIDS = st.uuids().map(str) | st.uuids().map(lambda u: str(u).upper())
_ANY_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=6,
)


def strategy(spec: dict[str, Any], schema: dict[str, Any], stack: tuple[str, ...] = ()) -> st.SearchStrategy[Json]:
    """Valid JSON for a schema of the spec, as the generated model reads it (recursion: two levels)."""
    name, schema = Examples(spec).resolve(schema)
    if name is not None:
        if stack.count(name) >= 2:
            return st.nothing()  # an optional property left out, an empty array, or null
        stack = (*stack, name)
    if schema.get("nullable") and nullable_as_generated(schema):
        return st.none() | strategy(spec, {**schema, "nullable": False}, stack)
    if "enum" in schema:
        values = [v for v in schema["enum"] if v is not None]
        return st.sampled_from(values) if values else st.none()
    for key in ("oneOf", "anyOf"):
        if key in schema:
            return st.one_of([strategy(spec, option, stack) for option in schema[key]])
    if "allOf" in schema:
        parts = [strategy(spec, part, stack) for part in schema["allOf"]]
        if len(parts) == 1:
            return parts[0]
        return st.tuples(*parts).map(lambda values: {k: v for part in values for k, v in part.items()})
    kind = schema.get("type")
    if kind == "string":
        fmt = schema.get("format")
        if fmt == "uuid":
            return _UUIDS
        if fmt == "date":
            return st.dates().map(dt.date.isoformat)
        if fmt == "date-time":
            return _DATETIMES
        return st.text(min_size=schema.get("minLength", 0), max_size=schema.get("maxLength", 12))
    if kind == "integer":
        return st.integers()
    if kind == "number":
        return st.integers() | st.floats(allow_nan=False, allow_infinity=False)
    if kind == "boolean":
        return st.booleans()
    if kind == "array":
        items = strategy(spec, schema.get("items", {}), stack)
        return st.just([]) if items.is_empty else st.lists(items, min_size=schema.get("minItems", 0), max_size=3)
    if kind == "object" or "properties" in schema or "additionalProperties" in schema:
        properties = schema.get("properties", {})
        required = set(schema.get("required", []))
        fixed = st.fixed_dictionaries(
            {k: strategy(spec, v, stack) for k, v in properties.items() if k in required},
            optional={k: strategy(spec, v, stack) for k, v in properties.items() if k not in required},
        )
        additional = schema.get("additionalProperties")
        if isinstance(additional, dict) and additional:
            extra = st.dictionaries(
                st.text(min_size=1, max_size=8).filter(lambda k: k not in properties),
                strategy(spec, additional, stack),
                max_size=2,
            )
            return st.tuples(fixed, extra).map(lambda pair: {**pair[1], **pair[0]})
        return fixed
    return _ANY_JSON


def render_key(path: str, key: str | int) -> str:
    """A JSON path one step down, spelled as the package's messages spell it ($.a[1]['b c'])."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if key.isidentifier() else f"{path}[{key!r}]"
