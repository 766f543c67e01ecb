"""The spec as the contract sees it: the original document, its normalized form, operations and schema shapes."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml
from openapi_python_client.strings import ClassName, PythonIdentifier

from codegen.normalize import normalize
from codegen.spec_diff import parse_spec_text

from .budget import selected_specs

Json = dict[str, Any]
Direction = Literal["request", "response", "neutral"]

ROOT = Path(__file__).resolve().parents[3]
VENDORED_SPEC = ROOT / "openapi.json"
SPECS_DIR = ROOT / "tests" / "specs"
SCHEMA_REF = "#/components/schemas/"
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
PATH_PARAM = re.compile(r"\{([^}]+)\}")


@functools.cache
def generator_settings() -> tuple[str, dict[str, Any]]:
    """`field_prefix` and `class_overrides` of generator-config.yaml (the generator's defaults otherwise)."""
    config = yaml.safe_load((ROOT / "generator-config.yaml").read_text(encoding="utf-8")) or {}
    return str(config.get("field_prefix", "field_")), dict(config.get("class_overrides") or {})


def class_name(component: str) -> str:
    """The class the generator makes for a component schema (its own naming function, not a copy)."""
    prefix, overrides = generator_settings()
    override = overrides.get(component)
    if isinstance(override, dict) and override.get("class_name"):
        return str(override["class_name"])
    return str(ClassName(component, prefix))


def identifier(name: str, prefix: str | None = None) -> str:
    """The Python identifier the generator makes of a name (tags, operationIds): its own function."""
    return str(PythonIdentifier(name, generator_settings()[0] if prefix is None else prefix))


@dataclass(frozen=True)
class Shape:
    """What a schema node is, once `$ref`s, single-member `allOf`/`oneOf` wrappers and nulls are seen through.

    kind: one of enum, union, object, array, string, integer, number, boolean, any, null.
    ref: the component name when the core is a component (its class must be the component's class).
    """

    kind: str
    node: Json
    nullable: bool
    ref: str | None
    members: tuple[Json, ...] = ()  # the non-null members of a union


@dataclass
class ObjectView:
    """The properties of an object schema (allOf merged) as one direction sees them."""

    properties: dict[str, Json]
    required: set[str]
    additional: Any  # True, False or a schema
    excluded: dict[str, str] = field(default_factory=dict)  # property -> why it is not in this direction


@dataclass
class Body:
    media_type: str
    schema: Json
    required: bool


@dataclass
class Reply:
    status: str
    media_type: str | None
    schema: Json | None


class ContractSpec:
    """One spec: the original and what `codegen.normalize.normalize` makes of it (what the generator sees)."""

    def __init__(self, original: Json, name: str = "spec") -> None:
        self.name = name
        self.original = original
        self.normalized: Json = normalize(original)
        self.schemas: Json = self.normalized.get("components", {}).get("schemas", {})
        self.operations = list(self._operations())

    @classmethod
    def from_file(cls, path: Path) -> ContractSpec:
        return cls(load_document(path), path.name)

    def __repr__(self) -> str:
        return f"<ContractSpec {self.name}: {len(self.operations)} operations, {len(self.schemas)} schemas>"

    # --- operations -------------------------------------------------------------------------------------------

    def _operations(self) -> Iterator[Operation]:
        for path, item in (self.normalized.get("paths") or {}).items():
            for method, node in item.items():
                if method in HTTP_METHODS and isinstance(node, dict):
                    params: dict[tuple[str, str], Json] = {}
                    for param in [*(item.get("parameters") or []), *(node.get("parameters") or [])]:
                        param = self.component("parameters", param)
                        params[param["name"], param["in"]] = param
                    yield Operation(self, method, path, node, list(params.values()))

    def component(self, section: str, node: Json) -> Json:
        ref = node.get("$ref")
        prefix = f"#/components/{section}/"
        if isinstance(ref, str) and ref.startswith(prefix):
            found: Json = self.normalized["components"][section][ref[len(prefix) :]]
            return found
        return node

    # --- schemas ----------------------------------------------------------------------------------------------

    @staticmethod
    def ref_name(node: Json) -> str | None:
        ref = node.get("$ref")
        return ref[len(SCHEMA_REF) :] if isinstance(ref, str) and ref.startswith(SCHEMA_REF) else None

    def deref(self, node: Json) -> tuple[Json, str | None]:
        name = None
        seen: set[str] = set()
        while (target := self.ref_name(node)) is not None and target not in seen:
            seen.add(target)
            name = target
            node = self.schemas[target]
        return node, name

    @staticmethod
    def is_null_only(node: Json) -> bool:
        return node.get("enum") == [None] or node.get("type") == "null"

    def shape(self, node: Json) -> Shape:
        """See through $ref, single-member allOf (inline), oneOf/anyOf with one non-null member, and nulls."""
        nullable = False
        ref: str | None = None
        for _ in range(50):
            nullable = nullable or node.get("nullable") is True or None in (node.get("enum") or [])
            if self.ref_name(node) is not None:
                node, ref = self.deref(node)
                continue
            all_of = node.get("allOf")
            if (
                isinstance(all_of, list)
                and len(all_of) == 1
                and not node.get("properties")
                and not (ref is not None and node is self.schemas.get(ref))  # a component made of allOf is a class
            ):
                node = all_of[0]
                ref = None
                continue
            for key in ("oneOf", "anyOf"):
                if isinstance(node.get(key), list):
                    members = [member for member in node[key] if not self.is_null_only(self.deref(member)[0])]
                    nullable = nullable or len(members) < len(node[key])
                    if len(members) == 1 and not node.get("properties"):
                        node = members[0]
                        ref = None
                        break
                    if len(members) > 1:
                        return Shape("union", node, nullable, ref, tuple(members))
            else:
                break
        if self.is_null_only(node):
            return Shape("null", node, True, ref)
        if [value for value in node.get("enum") or [] if value is not None]:
            return Shape("enum", node, nullable, ref)
        kind = node.get("type")
        if kind == "object" or node.get("properties") or node.get("allOf"):
            return Shape("object", node, nullable, ref)
        if kind in ("array", "string", "integer", "number", "boolean"):
            return Shape(str(kind), node, nullable, ref)
        return Shape("any", node, nullable, ref)

    def enum_values(self, node: Json) -> list[Any]:
        return [value for value in node.get("enum") or [] if value is not None]

    def object_view(self, node: Json, direction: Direction) -> ObjectView:
        """Properties (allOf merged), required and additionalProperties of an object, minus what a direction
        never carries: readOnly properties in requests, writeOnly ones in responses."""
        node, _ = self.deref(node)
        properties: dict[str, Json] = {}
        required: set[str] = set()
        additional: Any = node.get("additionalProperties", True)
        for member in node.get("allOf") or []:
            sub = self.object_view(member, "neutral")
            properties.update(sub.properties)
            required |= sub.required
            if sub.additional is not True and additional is True:
                additional = sub.additional
        properties.update(node.get("properties") or {})
        required |= set(node.get("required") or [])
        view = ObjectView({}, set(), additional)
        for name, prop in properties.items():
            if direction == "request" and prop.get("readOnly") is True:
                view.excluded[name] = "readOnly, never sent"
            elif direction == "response" and prop.get("writeOnly") is True:
                view.excluded[name] = "writeOnly, never received"
            else:
                view.properties[name] = prop
        view.required = required & set(view.properties)
        return view

    def model_components(self) -> dict[str, Json]:
        """Component schemas the generator makes a class for: objects (allOf included) and str/int enums."""
        return {name: node for name, node in self.schemas.items() if self.shape(node).kind in ("object", "enum")}

    def reachable(self, roots: list[Json]) -> set[str]:
        """Component names reachable from some schema nodes."""
        found: set[str] = set()
        stack = list(roots)
        while stack:
            node = stack.pop()
            if isinstance(node, dict):
                name = self.ref_name(node)
                if name is not None and name not in found and name in self.schemas:
                    found.add(name)
                    stack.append(self.schemas[name])
                stack.extend(value for key, value in node.items() if key != "$ref")
            elif isinstance(node, list):
                stack.extend(node)
        return found

    def request_components(self) -> set[str]:
        return self.reachable([op.body.schema for op in self.operations if op.body is not None])

    def response_components(self) -> set[str]:
        return self.reachable([reply.schema for op in self.operations for reply in op.replies if reply.schema])

    def security_headers(self, key: str = "test-key") -> dict[str, str]:
        """Headers that satisfy every apiKey-in-header and http bearer/basic scheme the spec declares."""
        headers: dict[str, str] = {}
        for scheme in (self.normalized.get("components", {}).get("securitySchemes") or {}).values():
            if scheme.get("type") == "apiKey" and scheme.get("in") == "header":
                headers[scheme["name"]] = key
            elif scheme.get("type") == "http" and str(scheme.get("scheme", "")).lower() == "bearer":
                headers["Authorization"] = f"Bearer {key}"
            elif scheme.get("type") == "http" and str(scheme.get("scheme", "")).lower() == "basic":
                headers["Authorization"] = "Basic dGVzdDp0ZXN0"
        return headers


@dataclass
class Operation:
    spec: ContractSpec = field(repr=False)
    method: str
    path: str
    node: Json = field(repr=False)
    parameters: list[Json] = field(repr=False)

    @property
    def tag(self) -> str:
        return str(self.node["tags"][0])

    @property
    def action(self) -> str:
        return str(self.node["operationId"])

    @property
    def module_path(self) -> tuple[str, ...]:
        """(package, ..., module) under api/: the import path codegen/normalize/ chose (`x-module`), which is what
        codegen.generate.operation_modules() reads."""
        return tuple(str(self.node["x-module"]).split("."))

    @property
    def label(self) -> str:
        return f"operation {self.method.upper()} {self.path} ({'.'.join(self.module_path)})"

    @property
    def body(self) -> Body | None:
        body = self.node.get("requestBody")
        if not isinstance(body, dict):
            return None
        body = self.spec.component("requestBodies", body)
        (media_type, media), *_ = body["content"].items()
        return Body(media_type, media.get("schema") or {}, body.get("required") is True)

    @property
    def replies(self) -> list[Reply]:
        replies = []
        for status, response in (self.node.get("responses") or {}).items():
            response = self.spec.component("responses", response)
            content = response.get("content") or {}
            if not content:
                replies.append(Reply(str(status), None, None))
                continue
            media_type, media = next(iter(content.items()))
            replies.append(Reply(str(status), media_type, media.get("schema") or {}))
        return replies

    def path_pattern(self) -> re.Pattern[str]:
        """A regex for the URLs of this path template; group gN is the Nth path parameter."""
        names: list[str] = []

        def group(match: re.Match[str]) -> str:
            names.append(match.group(1))
            return f"(?P<g{len(names) - 1}>[^/]*)"

        parts = PATH_PARAM.split(self.path)
        pattern = "".join(re.escape(part) if index % 2 == 0 else "{" + part + "}" for index, part in enumerate(parts))
        return re.compile("^" + PATH_PARAM.sub(group, pattern) + "$")

    def path_names(self) -> list[str]:
        return PATH_PARAM.findall(self.path)


def load_document(path: Path) -> Json:
    """A spec file as JSON data (JSON or YAML)."""
    return parse_spec_text(path.read_text(encoding="utf-8"))


def corpus_specs() -> list[Path]:
    return sorted(SPECS_DIR.glob("*.json"))


def contract_spec_paths() -> list[Path]:
    """The specs the contract suite covers: the vendored one and the synthetic corpus, or those selected."""
    return selected_specs() or [VENDORED_SPEC, *corpus_specs()]
