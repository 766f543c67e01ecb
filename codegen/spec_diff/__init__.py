"""Compare two raw OpenAPI 3.x specs and report what changed for users of the generated client.

`diff_specs(old, new)` is pure: two spec dicts in, a `Report` out. Nothing here knows
any particular API; every rule is driven by the specs' structure.

Breaking rules, in terms of the set of values a field/parameter accepts or may return:

* a change that *narrows* what is accepted breaks callers who send it (request side);
* a change that *widens* what may come back breaks readers who rely on it (response side);
* a change of type or identity (different model, different Python type) breaks both.

So optional->required is breaking on requests, required->optional and becoming nullable
are breaking on responses, integer->number is breaking only where the value is returned.
Removals (operation, webhook event, parameter, field, schema, enum value) are always breaking; additions
are breaking only when they make a request need something new (a required parameter,
body or request field). New enum values are never breaking because the client keeps
values it doesn't know. A schema reachable from no operation counts as both sides,
since users may build or read its model directly.

CLI: `python -m codegen.spec_diff OLD NEW [--markdown]` prints the report; exit 1 if breaking.
"""

from __future__ import annotations

from codegen.spec_diff._cli import main
from codegen.spec_diff._differ import PACKAGE, diff_specs
from codegen.spec_diff._nodes import SCHEMA_REF_PREFIX, JSONDict, ref_name
from codegen.spec_diff._operations import HTTP_METHODS, webhook_payloads
from codegen.spec_diff._parse import SpecParseError, parse_spec_text
from codegen.spec_diff._report import VERSION_RE, Change, Effect, Report, Side, is_breaking
from codegen.spec_diff._schema_types import (
    PYTHON_TYPED_FORMATS,
    WIDER_FORMATS,
    describe,
    enum_values,
    is_nullable,
    type_effect,
)
from codegen.spec_diff._sides import schema_sides
from codegen.spec_diff._where import Where

__all__ = [
    "HTTP_METHODS",
    "PACKAGE",
    "PYTHON_TYPED_FORMATS",
    "SCHEMA_REF_PREFIX",
    "VERSION_RE",
    "WIDER_FORMATS",
    "Change",
    "Effect",
    "JSONDict",
    "Report",
    "Side",
    "SpecParseError",
    "Where",
    "describe",
    "diff_specs",
    "enum_values",
    "is_breaking",
    "is_nullable",
    "main",
    "parse_spec_text",
    "ref_name",
    "schema_sides",
    "type_effect",
    "webhook_payloads",
]
