"""Rule 5 on schemas: titles, 3.1 type lists, enums, defaults the generator cannot convert, nullable enums,
and discriminated oneOfs."""

from __future__ import annotations

import json
import re
from typing import Any

from codegen.normalize._walk import SCHEMA_REF, Json, _resolve

JSON_TYPES: dict[str, tuple[type, ...]] = {
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "string": (str,),
    "array": (list,),
    "object": (dict,),
}


# --- rule 5: schema quirks ----------------------------------------------------------------------------------------


def _repair_schema(node: Json, where: str, schemas: Json, errors: list[str]) -> None:
    # The generator names classes after `title` (inline ones after parent + title), so two inline schemas titled
    # alike are duplicate models, and a titled component loses its name; the names must come from the spec's keys.
    if isinstance(node.get("title"), str):
        del node["title"]
    _repair_type_list(node)
    if isinstance(node.get("enum"), list):
        _repair_enum(node, where, errors)
    if "default" in node and node["default"] is not None and not _default_fits(node, schemas):
        # The generator drops the whole schema (and the responses using it) over a default it cannot convert.
        del node["default"]


def _repair_type_list(node: Json) -> None:
    """OpenAPI 3.1 `type: [t, 'null']` -> 3.0 `type: t, nullable: true` (the generator rejects `t | None` path
    parameters); several non-null types become an anyOf."""
    kinds = node.get("type")
    if kinds == "null":
        kinds = ["null"]
    if not isinstance(kinds, list):
        return
    concrete = [kind for kind in kinds if kind != "null"]
    replacement: Json
    if len(concrete) == 1:
        replacement = {"type": concrete[0]}
    elif concrete:
        replacement = {"anyOf": [*node.get("anyOf", []), *({"type": kind} for kind in concrete)]}
    else:
        replacement = {} if "enum" in node else {"enum": [None]}
    if len(concrete) < len(kinds):
        replacement["nullable"] = True
    # Spliced in where `type` was, so the rest of the schema keeps its order.
    items = list(node.items())
    node.clear()
    for key, value in items:
        if key == "type":
            node.update(replacement)
        elif key not in replacement:
            node[key] = value


def _repair_enum(node: Json, where: str, errors: list[str]) -> None:
    values: list[Any] = []
    seen: set[str] = set()
    for value in node["enum"]:
        key = f"{type(value).__name__}:{json.dumps(value, sort_keys=True)}"  # 1 and True are different values
        if key not in seen:  # the generator crashes on a duplicate member name
            seen.add(key)
            values.append(value)
    if None in values and len(values) > 1:
        # A null among other values makes the generator emit three look-alike enum classes for one field.
        values.remove(None)
        node["nullable"] = True
    node["enum"] = values
    kinds = {type(value) for value in values if value is not None}
    if len(kinds) > 1 or not kinds <= {str, int}:
        # Only str or int enums can be generated (bool, float, mixed: the schema is dropped); keep the type alone.
        del node["enum"]
        return
    if kinds == {str} and "x-enum-varnames" not in node:
        _check_enum_names(values, where, errors)


def _move_enum_nullability(node: Json, schemas: Json) -> None:
    """The generator ignores `nullable` on an enum schema (the field then rejects null) but honours it on a
    wrapper `{allOf: [$ref], nullable: true}` (`anyOf` for an inline enum): give every property, item or map value
    that uses a nullable enum one."""
    slots: list[tuple[Json, str]] = [(node["properties"], name) for name in node.get("properties") or {}]
    slots += [(node, key) for key in ("items", "additionalProperties") if isinstance(node.get(key), dict)]
    for parent, key in slots:
        child = parent[key]
        if not isinstance(child, dict):
            continue
        members = child.get("allOf")
        if isinstance(members, list) and len(members) == 1 and _is_nullable_enum(members[0], schemas):
            child["nullable"] = True
        elif _is_nullable_enum(child, schemas) and "$ref" in child:
            parent[key] = {"allOf": [{"$ref": child["$ref"]}], "nullable": True}
        elif _is_nullable_enum(child, schemas):
            # An inline enum under allOf would become a model class; under anyOf it stays an enum.
            parent[key] = {"anyOf": [{k: v for k, v in child.items() if k != "nullable"}], "nullable": True}


def _is_nullable_enum(node: Any, schemas: Json) -> bool:
    if not isinstance(node, dict):
        return False
    target = _resolve(node, schemas)
    values = target.get("enum")
    # `enum: [null]` (drf-spectacular's NullEnum) is a null constant the generator handles as is.
    return isinstance(values, list) and values != [None] and target.get("nullable") is True


def _check_enum_names(values: list[Any], where: str, errors: list[str]) -> None:
    """Distinct values that the generator turns into one member name crash it (or silently lose a value)."""
    names: dict[str, str] = {}
    for index, value in enumerate(values):
        if value is None:
            continue
        if value and value[0].isalpha():
            kept = "".join(c for c in value.upper() if c.isidentifier() or c.isdecimal() or c in ". _-")
            name = "_".join(re.findall(r"[^. _-]+", kept))
        else:
            name = f"VALUE_{index}"
        if name in names:
            errors.append(f"{where}: enum values {names[name]!r} and {value!r} both become the member name {name}")
        names.setdefault(name, value)


def _default_fits(node: Json, schemas: Json) -> bool:
    default = node["default"]
    for candidate in [node, *(member for member in node.get("allOf") or [] if isinstance(member, dict))]:
        target = _resolve(candidate, schemas)
        if isinstance(target.get("enum"), list) and default not in target["enum"]:
            return False
        kind = target.get("type")
        kinds = JSON_TYPES.get(kind, (object,)) if isinstance(kind, str) else (object,)
        if not isinstance(default, kinds) or (isinstance(default, bool) and bool not in kinds):
            return False
    return True


# --- rule 5: a discriminator naming a property no member has -------------------------------------------------------


def _undiscriminated_one_of(spec: Json) -> None:
    """drf-spectacular's polymorphic request twins lose the discriminator property when it is readOnly (`type`), so
    every all-optional PATCH member fits one body and no body fits "exactly one" of them: a oneOf whose
    discriminator names a property none of its members has is an anyOf (the generator makes the same union)."""
    schemas: Json = spec["components"]["schemas"]
    for schema in schemas.values():
        if not isinstance(schema, dict) or not isinstance(schema.get("oneOf"), list):
            continue
        discriminator = schema.get("discriminator")
        name = discriminator.get("propertyName") if isinstance(discriminator, dict) else None
        if name is None:
            continue
        members = [_resolve(member, schemas) for member in schema["oneOf"] if isinstance(member, dict)]
        if not any(name in (member.get("properties") or {}) for member in members):
            schema["anyOf"] = schema.pop("oneOf")
            del schema["discriminator"]
            continue
        _pin_discriminator_values(name, schema["discriminator"].get("mapping") or {}, schemas)


def _pin_discriminator_values(name: str, mapping: Json, schemas: Json) -> None:
    """ory/kratos' `method` (a string, or an enum of every member's values) in each member of a discriminated
    oneOf: each body fits several members, and validators (Prism) refuse it for not fitting exactly one. The
    mapping says which value each member holds; the member's discriminator becomes that one value (the client's
    union picks its member by it too)."""
    for value, ref in mapping.items():
        target = ref[len(SCHEMA_REF) :] if isinstance(ref, str) and ref.startswith(SCHEMA_REF) else None
        member = schemas.get(target) if target else None
        prop = (member.get("properties") or {}).get(name) if isinstance(member, dict) else None
        if not isinstance(prop, dict) or prop.get("type") != "string" or "$ref" in prop:
            continue
        if "enum" not in prop or (isinstance(prop["enum"], list) and value in prop["enum"]):
            prop["enum"] = [value]  # also an enum of every member's values (kratos' `method: [link, code]`)
