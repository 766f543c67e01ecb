"""Helpers over raw spec nodes: mappings that may be missing, `$ref`s to follow, the component schemas."""

from __future__ import annotations

from typing import Any

JSONDict = dict[str, Any]

SCHEMA_REF_PREFIX = "#/components/schemas/"


def _dict(value: Any) -> JSONDict:
    """The value if it is a mapping, else empty: diffing must not crash on odd specs."""
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def ref_name(schema: Any) -> str | None:
    """The component a schema refers to, also through the `allOf: [{$ref}]` wrapper."""
    node = _dict(schema)
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith(SCHEMA_REF_PREFIX):
        return ref[len(SCHEMA_REF_PREFIX) :]
    members = _list(node.get("allOf"))
    # A wrapper only adds annotations (readOnly, nullable, description); own properties make it a model.
    if len(members) == 1 and "properties" not in node:
        return ref_name(members[0])
    return None


def _resolve(spec: JSONDict, node: Any) -> JSONDict:
    """Follow local `$ref`s (parameters, request bodies, responses) to the object they name."""
    seen: set[str] = set()
    current = _dict(node)
    while isinstance(current.get("$ref"), str) and current["$ref"] not in seen:
        ref: str = current["$ref"]
        seen.add(ref)
        if not ref.startswith("#/"):
            return {}
        target: Any = spec
        for part in ref[2:].split("/"):
            target = _dict(target).get(part.replace("~1", "/").replace("~0", "~"))
        current = _dict(target)
    return current


def _components(spec: JSONDict) -> JSONDict:
    return _dict(_dict(spec.get("components")).get("schemas"))
