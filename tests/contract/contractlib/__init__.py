"""The contract between a spec and a generated package, as functions (see tests/contract/test_*.py).

Everything here is driven by the spec it is given: no operation, model or field name of the
Wassist API appears in this package, so the same checks run on openapi.json and on every spec
of the corpus (tests/specs/).

- `spec`: the spec as the checks see it: the original and its normalized form
  (`codegen.normalize.normalize`), operations, `$ref` resolution, object views per direction.
- `instances`: deterministic valid JSON instances of schemas (and strings for regex patterns).
- `jsonschema`: OpenAPI 3.0 schemas as JSON Schema (hypothesis-jsonschema, jsonschema) and
  format-aware comparison of JSON values.
- `package`: introspection of a generated package (modules, attrs models, annotations).
- `checks`: the static contract: functions (spec dict, package module) -> list of problems.
"""
