"""Repair the defects that make a real spec invalid OpenAPI but leave its meaning plain, each named by JSON pointer.

    repaired, repairs = repair_spec(spec)     # spec itself is never modified

openapi-spec-validator finds the defects; a rule below repairs those it can, and the validator runs again until the
spec is valid or no rule applies (`RepairError` then names what is left, with its pointer). The rules:

- a security scheme carrying keys its type does not take (authentik's apiKey scheme with `scheme: bearer`): they go;
- keys the specification does not allow where they stand (not `x-` extensions): they go;
- an empty `required` list (OpenAPI 3.0 wants at least one name): it goes.

`codegen.generate` repairs before normalizing and prints each repair; `make update-spec` validates the repaired spec
and lists the repairs in its change report.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

Json = dict[str, Any]
MAX_ROUNDS = 20
SCHEME_KEYS = {
    "apiKey": {"type", "description", "name", "in"},
    "http": {"type", "description", "scheme", "bearerFormat"},
    "oauth2": {"type", "description", "flows"},
    "openIdConnect": {"type", "description", "openIdConnectUrl"},
    "mutualTLS": {"type", "description"},
}


class RepairError(ValueError):
    """The spec is invalid in a way no rule repairs; the message names the defect and its JSON pointer."""


@dataclass(frozen=True)
class Repair:
    pointer: str  # RFC 6901, of what was removed or changed
    what: str

    def __str__(self) -> str:
        return f"{self.pointer}: {self.what}"


def pointer(path: Any) -> str:
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in path)


def _errors(spec: Json) -> list[Any]:
    from openapi_spec_validator.validation.exceptions import OpenAPIValidationError, ValidatorDetectError
    from openapi_spec_validator.validation.validators import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator
    from referencing.exceptions import Unresolvable

    version = str(spec.get("openapi", ""))
    validator = OpenAPIV31SpecValidator if version.startswith("3.1") else OpenAPIV30SpecValidator
    try:
        return list(validator(spec).iter_errors())
    except (OpenAPIValidationError, ValidatorDetectError) as error:
        return [error]
    except Unresolvable as error:  # a dangling $ref stops the validator itself; no rule repairs it
        return [error]


def _describe(error: Any) -> str:
    where = pointer(getattr(error, "absolute_path", ()))
    return f"{where or '/'}: {getattr(error, 'message', str(error))}"


def _node(spec: Json, path: list[Any]) -> Any:
    node: Any = spec
    for part in path:
        node = node[part]
    return node


def _security_scheme_repairs(spec: Json) -> Iterator[Repair]:
    schemes = (spec.get("components") or {}).get("securitySchemes") or {}
    for name, scheme in schemes.items():
        if not isinstance(scheme, dict) or scheme.get("type") not in SCHEME_KEYS:
            continue
        allowed = SCHEME_KEYS[scheme["type"]]
        for key in [key for key in scheme if key not in allowed and not key.startswith("x-")]:
            value = scheme.pop(key)
            yield Repair(
                pointer(["components", "securitySchemes", name, key]),
                f"removed {key}: {json.dumps(value)} (a security scheme of type {scheme['type']} takes no {key})",
            )


def _empty_required_repairs(node: Any, path: list[Any]) -> Iterator[Repair]:
    """`required: []` in schema objects (the validator reports it deep inside a oneOf, without a usable path)."""
    if isinstance(node, dict):
        if node.get("required") == [] and not str(path[-1] if path else "").startswith("x-"):
            del node["required"]
            yield Repair(pointer([*path, "required"]), "removed an empty required list")
        for key, value in list(node.items()):
            yield from _empty_required_repairs(value, [*path, key])
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _empty_required_repairs(value, [*path, index])


def _error_repairs(spec: Json, error: Any) -> Iterator[Repair]:
    path = list(getattr(error, "absolute_path", ()))
    kind = getattr(error, "validator", None)
    try:
        node = _node(spec, path)
    except (KeyError, IndexError, TypeError):
        return
    if kind == "additionalProperties" and isinstance(node, dict):
        schema = getattr(error, "schema", {}) or {}
        known = set(schema.get("properties") or {})
        patterns = list(schema.get("patternProperties") or {})
        for key in [k for k in node if k not in known and not any(re.search(p, k) for p in patterns)]:
            if not key.startswith("x-"):
                value = node.pop(key)
                yield Repair(pointer([*path, key]), f"removed {key}: {json.dumps(value)[:80]} (not allowed here)")


def repair_spec(spec: Json) -> tuple[Json, list[Repair]]:
    """A valid copy of the spec and the repairs made (none for a valid spec); RepairError if it cannot be made
    valid. Nothing is repaired in a valid spec."""
    out: Json = json.loads(json.dumps(spec))
    errors = _errors(out)
    repairs: list[Repair] = []
    if errors:
        repairs.extend(_security_scheme_repairs(out))
        if str(out.get("openapi", "")).startswith("3.0"):
            repairs.extend(_empty_required_repairs(out, []))
        errors = _errors(out) if repairs else errors
    for _ in range(MAX_ROUNDS):
        found = [repair for error in errors for repair in _error_repairs(out, error)] if errors else []
        if not found:
            break
        repairs.extend(found)
        errors = _errors(out)
    if errors:
        listed = "\n".join(f"  {_describe(error)}" for error in errors[:10])
        more = f"\n  ... and {len(errors) - 10} more" if len(errors) > 10 else ""
        raise RepairError(f"the spec is not valid OpenAPI, and no repair applies:\n{listed}{more}")
    return out, repairs
