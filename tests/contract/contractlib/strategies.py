"""Hypothesis strategies for the JSON Schemas of `schemas.to_json_schema`.

hypothesis-jsonschema draws every leaf (strings with their formats and patterns, numbers with their
bounds, booleans, nulls); the structure above them (objects, arrays, unions, `$ref`s) is composed here
once per schema, because hypothesis-jsonschema re-canonicalises object schemas on every draw, which
makes ~150 schemas x 25 examples take minutes instead of seconds. Tests validate each drawn instance
against the faithful JSON Schema (jsonschema), so a mistake here shows up as an invalid draw.
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema

from .schemas import CUSTOM_FORMATS, EXTRA_VALUE, MAX_EXTRA_PROPERTIES, Json

STRUCTURE = {"type", "properties", "required", "additionalProperties", "items", "allOf", "anyOf", "oneOf", "$ref"}
_EXTRA_KEYS = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=12)


class _Builder:
    def __init__(self, root: Json) -> None:
        self.defs: Json = root.get("$defs", {})
        self.cache: dict[str, st.SearchStrategy[Any]] = {}

    def ref(self, ref: str) -> st.SearchStrategy[Any]:
        name = ref.removeprefix("#/$defs/")
        if name not in self.cache:
            self.cache[name] = st.deferred(lambda: self.build(self.defs[name]))
        return self.cache[name]

    def build(self, node: Any) -> st.SearchStrategy[Any]:
        if node is True or node == {}:
            return self.build(EXTRA_VALUE)
        if node is False:
            return st.nothing()
        if "$ref" in node:
            rest = {k: v for k, v in node.items() if k != "$ref"}
            return (
                self.ref(node["$ref"])
                if not (rest.keys() & STRUCTURE)
                else self.build({"allOf": [{"$ref": node["$ref"]}], **rest})
            )
        if "allOf" in node:
            return self._all_of(node)
        for key in ("anyOf", "oneOf"):
            if key in node:
                rest = {k: v for k, v in node.items() if k != key}
                members = [
                    self.build({**rest, **member}) if isinstance(member, dict) else self.build(member)
                    for member in node[key]
                ]
                return st.one_of(members)
        if "enum" in node:
            return st.sampled_from(node["enum"])
        kind = node.get("type")
        if isinstance(kind, list):
            return st.one_of([self.build({**node, "type": one}) for one in kind])
        if kind == "object" or "properties" in node:
            return self._object(node)
        if kind == "array":
            return self._array(node)
        if kind is None:
            return self.build(EXTRA_VALUE)
        return from_schema(node, custom_formats=CUSTOM_FORMATS)

    def _all_of(self, node: Json) -> st.SearchStrategy[Any]:
        members = [self._resolve(member) for member in node["allOf"]]
        rest = {k: v for k, v in node.items() if k != "allOf"}
        if len(members) == 1 and not (rest.keys() & {"properties", "required"}):
            return self.build(
                {**members[0], **{k: v for k, v in rest.items() if k in STRUCTURE}}
                if isinstance(members[0], dict)
                else members[0]
            )
        merged: Json = {"type": "object", "properties": {}, "required": []}
        additional: Any = True
        for member in [*members, rest]:
            if not isinstance(member, dict):
                continue
            merged["properties"].update(member.get("properties") or {})
            merged["required"] += member.get("required") or []
            if member.get("additionalProperties", True) is not True:
                additional = member["additionalProperties"]
            if "maxProperties" in member:
                merged["maxProperties"] = max(merged.get("maxProperties", 0), member["maxProperties"])
        merged["additionalProperties"] = additional
        return self._object(merged)

    def _resolve(self, node: Any) -> Any:
        while isinstance(node, dict) and set(node) == {"$ref"}:
            node = self.defs[node["$ref"].removeprefix("#/$defs/")]
        if isinstance(node, dict) and "allOf" in node and set(node) <= {"allOf", "description", "type"}:
            members = [self._resolve(member) for member in node["allOf"]]
            if len(members) == 1:
                return members[0]
        return node

    def _object(self, node: Json) -> st.SearchStrategy[dict[str, Any]]:
        properties: Json = node.get("properties") or {}
        required = set(node.get("required") or [])
        allowed = {name: schema for name, schema in properties.items() if schema is not False}
        fixed = {name: self.build(schema) for name, schema in allowed.items() if name in required}
        optional = {name: self.build(schema) for name, schema in allowed.items() if name not in required}
        base = st.fixed_dictionaries(fixed, optional=optional)
        additional = node.get("additionalProperties", True)
        if additional is False:
            return base
        limit = max(0, int(node.get("maxProperties", len(properties) + MAX_EXTRA_PROPERTIES)) - len(properties))
        limit = min(limit, MAX_EXTRA_PROPERTIES)
        if limit == 0:
            return base
        extras = st.dictionaries(
            _EXTRA_KEYS.filter(lambda key: key not in properties), self.build(additional), max_size=limit
        )
        return st.tuples(base, extras).map(lambda pair: {**pair[1], **pair[0]})

    def _array(self, node: Json) -> st.SearchStrategy[list[Any]]:
        items = self.build(node.get("items", True))
        low = int(node.get("minItems", 0))
        high = node.get("maxItems")
        if node.get("uniqueItems"):
            return st.lists(items, min_size=low, max_size=high, unique_by=lambda v: json.dumps(v, sort_keys=True))
        return st.lists(items, min_size=low, max_size=high)


def strategy(json_schema: Json) -> st.SearchStrategy[Any]:
    """A strategy for instances of a JSON Schema made by `to_json_schema` (ideally with bounded=True)."""
    builder = _Builder(json_schema)
    body = {k: v for k, v in json_schema.items() if k != "$defs"}
    return builder.build(body)
