"""Normalize an OpenAPI spec (drf-spectacular style) into what openapi-python-client 0.29.1 generates cleanly.

A pure function spec -> spec, driven only by what the spec says (see issue 3):

1. each operation gets its import path from its path (codegen/naming.py): `x-module` (`conversations.messages.list_`),
   the module name as operationId and one tag per package;
2. inline models and enums become components named after that import path;
3. request bodies get readOnly-free ``<Name>Request`` / ``Patched<Name>Request`` twins, responses lose writeOnly;
4. request bodies keep one media type (JSON, or multipart where a binary field needs it);
5. quirks that make the generator crash, warn or drop operations are repaired, or reported by raising
   NormalizationError naming the place;
6. webhook payloads (OpenAPI 3.1 `webhooks`, 3.0 `x-webhooks`) written inline become components named
   `<Event>WebhookPayload`, so that the generator (which ignores webhooks) makes their models.


Modules, one concern each: `_walk` (operations, schemas per place, `$ref`), `_schemas` (rule 5 on schemas),
`_parameters_and_bodies` (rules 4 and 5 on operations), `_read_write` (rule 3), `_names` (rules 1 and 2),
`_webhooks` (rule 6).

Usage: ``python -m codegen.normalize IN.json OUT.json``
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from codegen.naming import NamingError
from codegen.normalize._names import _hoist_colliding_inline_models, _named, _tag_and_name
from codegen.normalize._parameters_and_bodies import _choose_body_media_type, _repair_parameters, _repair_responses
from codegen.normalize._read_write import _binary_only_in_requests, _split_read_write
from codegen.normalize._schemas import _move_enum_nullability, _repair_schema, _undiscriminated_one_of
from codegen.normalize._walk import HTTP_METHODS, SCHEMA_REF, Json, _copy, _operations, _schema_roots, _walk
from codegen.normalize._webhooks import _hoist_webhook_payloads, webhook_payloads

__all__ = [
    "HTTP_METHODS",
    "SCHEMA_REF",
    "Json",
    "NormalizationError",
    "main",
    "module_paths",
    "normalize",
    "normalize_file",
    "webhook_payloads",
]


class NormalizationError(ValueError):
    """The spec has something the normalizer cannot repair; the message names each place."""


def normalize(spec: Json) -> Json:
    """Return the normalized copy of ``spec``; ``spec`` itself is never modified."""
    out = _copy(spec)
    errors: list[str] = []
    schemas: Json = out.setdefault("components", {}).setdefault("schemas", {})
    operations = list(_operations(out))
    _hoist_webhook_payloads(out, errors)
    for place, root in _schema_roots(out, operations):
        for where, node in _walk(root, place):
            _repair_schema(node, where, schemas, errors)
    for place, root in _schema_roots(out, operations):
        for _, node in _walk(root, place):
            _move_enum_nullability(node, schemas)
    for method, path, item, op in operations:
        _repair_parameters(method, path, item, op, out, errors)
        _choose_body_media_type(op, out)
        _repair_responses(op)
    _split_read_write(out, operations)
    _undiscriminated_one_of(out)
    _binary_only_in_requests(out, operations)
    _tag_and_name(out, operations, errors)
    _hoist_colliding_inline_models(out)
    if errors:
        raise NormalizationError("\n".join(errors))
    return out


def normalize_file(src: Path, dst: Path) -> None:
    result = normalize(json.loads(src.read_text(encoding="utf-8")))
    dst.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m codegen.normalize", description="Normalize an OpenAPI spec.")
    parser.add_argument("src", type=Path, help="OpenAPI spec (JSON) to read")
    parser.add_argument("dst", type=Path, help="normalized spec (JSON) to write")
    args = parser.parse_args(argv)
    try:
        normalize_file(args.src, args.dst)
    except NormalizationError as error:
        print(f"normalize: {args.src}:\n{error}", file=sys.stderr)
        return 1
    return 0


def module_paths(spec: Json) -> dict[str, str]:
    """`METHOD /path` -> `api.<...>` for every operation of a spec as published: what the change report compares.
    The import paths `make generate` would give it; for a spec the normalizer refuses, those of its paths as they
    are (empty if they cannot be named either)."""
    try:
        normalized = normalize(spec)
    except NormalizationError:
        normalized = _copy(spec)
        try:
            named = _named(normalized, list(_operations(normalized)))
        except NamingError:
            return {}
        return {f"{method.upper()} {path}": "api." + ".".join(parts.parts) for (method, path), parts in named.items()}
    return {f"{method.upper()} {path}": "api." + op["x-module"] for method, path, _, op in _operations(normalized)}
