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

import argparse
import enum
import json
import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from codegen.normalize import module_paths

JSONDict = dict[str, Any]

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
SCHEMA_REF_PREFIX = "#/components/schemas/"
# Formats that openapi-python-client maps to their own Python type (date, datetime, UUID, File):
# adding, removing or swapping one of them changes the generated attribute's type.
PYTHON_TYPED_FORMATS = frozenset({"date", "date-time", "uuid", "binary"})
WIDER_FORMATS = frozenset({("int32", "int64"), ("float", "double")})
PACKAGE = "wassist_api_client"
VERSION_RE = re.compile(r"^(\d+)\.(\d+)\.(\d+)$")


class Side(enum.Flag):
    """Where a schema travels: sent by the client, returned to it, or both."""

    NONE = 0
    REQUEST = 1
    RESPONSE = 2
    BOTH = 3


class Effect(enum.Enum):
    """How a change affects the set of valid values."""

    SAME = "same"
    WIDENED = "widened"
    NARROWED = "narrowed"
    CHANGED = "changed"


def is_breaking(effect: Effect, side: Side) -> bool:
    """The side-aware rule described in the module docstring."""
    if effect is Effect.CHANGED:
        return True
    if effect is Effect.NARROWED:
        return bool(side & Side.REQUEST)
    if effect is Effect.WIDENED:
        return bool(side & Side.RESPONSE)
    return False


@dataclass(frozen=True)
class Change:
    kind: str
    location: str
    message: str
    breaking: bool


@dataclass(frozen=True)
class Report:
    changes: tuple[Change, ...]
    text_changed: bool

    @property
    def breaking(self) -> bool:
        return any(change.breaking for change in self.changes)

    @property
    def breaking_changes(self) -> tuple[Change, ...]:
        return tuple(change for change in self.changes if change.breaking)

    @property
    def non_breaking_changes(self) -> tuple[Change, ...]:
        return tuple(change for change in self.changes if not change.breaking)

    @property
    def level(self) -> str:
        """The semantic-versioning level of the change: major, minor, patch or none."""
        if self.breaking:
            return "major"
        if self.changes:
            return "minor"
        return "patch" if self.text_changed else "none"

    def bump(self, version: str) -> str:
        match = VERSION_RE.match(version)
        if match is None:
            raise ValueError(f"version {version!r} is not of the form X.Y.Z")
        major, minor, patch = (int(part) for part in match.groups())
        if self.level == "major":
            return f"{major + 1}.0.0"
        if self.level == "minor":
            return f"{major}.{minor + 1}.0"
        if self.level == "patch":
            return f"{major}.{minor}.{patch + 1}"
        return version

    def summary(self) -> str:
        if self.changes:
            return f"{len(self.changes)} API change(s), {len(self.breaking_changes)} breaking."
        if self.text_changed:
            return "No API changes; only the spec's text (descriptions, examples, metadata) changed."
        return "No changes: the specs are identical."

    def to_markdown(self) -> str:
        lines = [self.summary()]
        if self.changes:
            for title, changes in self._sections():
                lines += ["", f"### {title}", ""]
                lines += [f"- `{c.location}` — {c.message}" for c in changes] or ["None."]
        return "\n".join(lines) + "\n"

    def to_text(self) -> str:
        lines = [self.summary()]
        if self.changes:
            for title, changes in self._sections():
                lines += ["", f"{title}:"]
                lines += [f"  - {c.location}: {c.message}" for c in changes] or ["  (none)"]
        return "\n".join(lines) + "\n"

    def _sections(self) -> list[tuple[str, tuple[Change, ...]]]:
        return [("Breaking", self.breaking_changes), ("Non-breaking", self.non_breaking_changes)]


def diff_specs(old: JSONDict, new: JSONDict) -> Report:
    differ = _Differ(old, new)
    changes = (*differ.operations(), *differ.webhooks(), *differ.schemas())
    text_changed = json.dumps(old, ensure_ascii=False) != json.dumps(new, ensure_ascii=False)
    return Report(changes=changes, text_changed=text_changed)


class SpecParseError(ValueError):
    """The text is neither a JSON nor a YAML object."""


def parse_spec_text(text: str) -> JSONDict:
    """Parse a spec document as JSON, or YAML when it isn't JSON; the result is plain JSON data."""
    try:
        data: Any = json.loads(text)
    except json.JSONDecodeError as json_error:
        if text.lstrip().startswith(("{", "[")):
            raise SpecParseError(f"not valid JSON: {json_error}") from json_error
        data = _parse_yaml(text)
    if not isinstance(data, dict):
        raise SpecParseError(f"the document is a {type(data).__name__}, not a JSON/YAML object")
    return data


def _parse_yaml(text: str) -> Any:
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    try:
        data = YAML(typ="safe", pure=True).load(text)
    except YAMLError as error:
        raise SpecParseError(f"neither valid JSON nor valid YAML: {error}") from error
    # A round trip through JSON turns YAML-only values into what the JSON document would hold:
    # integer keys such as `200:` become "200", dates become ISO strings.
    try:
        return json.loads(json.dumps(data, default=str))
    except ValueError as error:
        raise SpecParseError(f"the YAML document can't be represented as JSON: {error}") from error


# --- helpers over raw spec nodes ---------------------------------------------------------


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


def _type_names(schema: JSONDict) -> list[str]:
    declared = schema.get("type")
    names = declared if isinstance(declared, list) else [declared] if isinstance(declared, str) else []
    return [name for name in names if name != "null"]


def _alternatives(schema: JSONDict) -> list[JSONDict]:
    """The non-null members of a oneOf/anyOf, or of a 3.1 type list."""
    members = [_dict(m) for m in _list(schema.get("oneOf")) + _list(schema.get("anyOf"))]
    members = [m for m in members if m.get("type") != "null"]
    if not members and len(_type_names(schema)) > 1:
        members = [{**schema, "type": name} for name in _type_names(schema)]
    return members


def describe(schema: Any) -> str:
    """A short human name of a schema's type, ignoring nullability; equal names mean equal types."""
    node = _dict(schema)
    name = ref_name(node)
    if name is not None:
        return name
    alternatives = _alternatives(node)
    if len(alternatives) > 1:
        return " | ".join(sorted({describe(member) for member in alternatives}))
    if len(alternatives) == 1:
        return describe(alternatives[0])
    members = _list(node.get("allOf"))
    if len(members) == 1 and "properties" not in node:
        return describe(members[0])
    types = _type_names(node)
    if not types:
        # openapi-python-client merges a multi-member allOf into one model.
        return "object" if "properties" in node or members else "any"
    if types[0] == "array":
        return f"array of {describe(node.get('items'))}"
    fmt = node.get("format")
    return f"{types[0]} ({fmt})" if isinstance(fmt, str) else types[0]


def is_nullable(schema: Any) -> bool:
    node = _dict(schema)
    if node.get("nullable") is True or "null" in _list(node.get("type")) or None in _list(node.get("enum")):
        return True
    members = _list(node.get("oneOf")) + _list(node.get("anyOf"))
    return any(_dict(member).get("type") == "null" or is_nullable(member) for member in members)


def enum_values(schema: Any) -> list[str] | None:
    """The enum's non-null values as display strings, or None when the schema has no enum."""
    values = _dict(schema).get("enum")
    if not isinstance(values, list):
        return None
    return [value if isinstance(value, str) else json.dumps(value) for value in values if value is not None]


def type_effect(old: Any, new: Any) -> Effect:
    """How the type of `new` relates to that of `old` (nullability and enums aside)."""
    old_name, new_name = describe(old), describe(new)
    if old_name == new_name:
        return Effect.SAME
    if new_name == "any":
        return Effect.WIDENED
    if old_name == "any":
        return Effect.NARROWED
    old_alts = {describe(m) for m in _alternatives(_dict(old))} or {old_name}
    new_alts = {describe(m) for m in _alternatives(_dict(new))} or {new_name}
    if len(old_alts) > 1 or len(new_alts) > 1:
        return _set_effect(old_alts, new_alts)
    return _single_type_effect(_dict(old), _dict(new))


def _set_effect(old: set[str], new: set[str]) -> Effect:
    if old < new:
        return Effect.WIDENED
    if new < old:
        return Effect.NARROWED
    return Effect.CHANGED


def _single_type_effect(old: JSONDict, new: JSONDict) -> Effect:
    if ref_name(old) is not None or ref_name(new) is not None:
        return Effect.CHANGED  # a different model (or model <-> inline) is a different Python type
    old_types, new_types = _type_names(old), _type_names(new)
    old_type = old_types[0] if old_types else "object"
    new_type = new_types[0] if new_types else "object"
    if (old_type, new_type) == ("integer", "number"):
        return Effect.WIDENED
    if (old_type, new_type) == ("number", "integer"):
        return Effect.NARROWED
    if old_type != new_type:
        return Effect.CHANGED
    if old_type == "array":
        return type_effect(old.get("items"), new.get("items"))
    return _format_effect(old.get("format"), new.get("format"))


def _format_effect(old: Any, new: Any) -> Effect:
    if old == new:
        return Effect.SAME
    if old in PYTHON_TYPED_FORMATS or new in PYTHON_TYPED_FORMATS:
        return Effect.CHANGED
    if old is None:
        return Effect.NARROWED  # e.g. a plain string must now be a URI
    if new is None:
        return Effect.WIDENED
    if (old, new) in WIDER_FORMATS:
        return Effect.WIDENED
    if (new, old) in WIDER_FORMATS:
        return Effect.NARROWED
    return Effect.CHANGED


def _property_side(schema: Any, side: Side) -> Side:
    """readOnly fields are never sent and writeOnly fields never returned."""
    node = _dict(schema)
    if node.get("readOnly") is True:
        side &= ~Side.REQUEST
    if node.get("writeOnly") is True:
        side &= ~Side.RESPONSE
    return side


def _children(schema: JSONDict, side: Side) -> Iterator[Any]:
    """The sub-schemas of a schema that travel on `side`."""
    for prop in _dict(schema.get("properties")).values():
        if _property_side(prop, side):
            yield prop
    for key in ("items", "additionalProperties", "not"):
        if isinstance(schema.get(key), dict):
            yield schema[key]
    for key in ("allOf", "oneOf", "anyOf"):
        yield from _list(schema.get(key))


def schema_sides(spec: JSONDict) -> dict[str, Side]:
    """Which component schemas each operation sends or receives, transitively through `$ref`s."""
    sides: dict[str, Side] = {}
    for operation, path_item in _operation_nodes(spec).values():
        for schema in _request_schemas(spec, operation, path_item):
            _mark(spec, schema, Side.REQUEST, sides)
        for response in _dict(operation.get("responses")).values():
            for media in _dict(_resolve(spec, response).get("content")).values():
                _mark(spec, _dict(media).get("schema"), Side.RESPONSE, sides)
    for payload in webhook_payloads(spec).values():
        _mark(spec, payload, Side.RESPONSE, sides)  # payloads come to the client, like responses
    return sides


def _mark(spec: JSONDict, schema: Any, side: Side, sides: dict[str, Side]) -> None:
    components = _components(spec)
    stack = [schema]
    while stack:
        node = _dict(stack.pop())
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(SCHEMA_REF_PREFIX):
            name = ref[len(SCHEMA_REF_PREFIX) :]
            if not sides.get(name, Side.NONE) & side:
                sides[name] = sides.get(name, Side.NONE) | side
                stack.append(components.get(name))
            continue
        stack.extend(_children(node, side))


def _operation_nodes(spec: JSONDict) -> dict[str, tuple[JSONDict, JSONDict]]:
    """`METHOD /path` -> (operation, its path item), in path then method order."""
    found: dict[str, tuple[JSONDict, JSONDict]] = {}
    for path, raw_item in sorted(_dict(spec.get("paths")).items()):
        item = _resolve(spec, raw_item)
        for method in HTTP_METHODS:
            if isinstance(item.get(method), dict):
                found[f"{method.upper()} {path}"] = (item[method], item)
    return found


def webhook_payloads(spec: JSONDict) -> dict[str, Any]:
    """Webhook event (3.1 `webhooks`, else 3.0 `x-webhooks`) -> the schema of its payload: the body of its POST
    (or of its first operation with a body) in its main media type; None when it has none."""
    payloads: dict[str, Any] = {}
    for section in ("webhooks", "x-webhooks"):
        for event, raw_item in _dict(spec.get(section)).items():
            if event in payloads:
                continue
            item = _resolve(spec, raw_item)
            payloads[event] = None
            for method in ("post", *(method for method in HTTP_METHODS if method != "post")):
                content = _dict(_resolve(spec, _dict(item.get(method)).get("requestBody")).get("content"))
                media_type = _main_media_type(content)
                if media_type is not None:
                    payloads[event] = _dict(content[media_type]).get("schema")
                    break
    return payloads


def _parameters(spec: JSONDict, operation: JSONDict, path_item: JSONDict) -> dict[tuple[str, str], JSONDict]:
    """(location, name) -> parameter; operation-level parameters override path-level ones."""
    params: dict[tuple[str, str], JSONDict] = {}
    for raw in _list(path_item.get("parameters")) + _list(operation.get("parameters")):
        param = _resolve(spec, raw)
        params[(str(param.get("in")), str(param.get("name")))] = param
    return params


def _parameter_schema(param: JSONDict) -> Any:
    if "schema" in param:
        return param["schema"]
    for media in _dict(param.get("content")).values():
        return _dict(media).get("schema")
    return None


def _request_schemas(spec: JSONDict, operation: JSONDict, path_item: JSONDict) -> Iterator[Any]:
    for param in _parameters(spec, operation, path_item).values():
        yield _parameter_schema(param)
    for media in _dict(_resolve(spec, operation.get("requestBody")).get("content")).values():
        yield _dict(media).get("schema")


def _main_media_type(content: JSONDict) -> str | None:
    """The media type the generated client uses: JSON when offered, else the first one."""
    for media_type in content:
        if media_type.split(";")[0].strip() == "application/json":
            return media_type
    for media_type in content:
        if "json" in media_type:
            return media_type
    return next(iter(content), None)


def _arrow(modules: dict[str, str], key: str) -> str:
    """` -> wassist_api_client.api.<...>`: the operation's import path, when its spec's paths can be named."""
    return f" -> {PACKAGE}.{modules[key]}" if key in modules else ""


def _is_success(status: str) -> bool:
    return status.startswith("2")


# --- the differ ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Where:
    """Where a (sub)schema sits: a model path (`Agent.tags[]`) or a subject inside an operation."""

    base: str
    side: Side
    subject: str = ""  # e.g. "request body", "query parameter `limit`"; empty for models
    path: tuple[str, ...] = ()

    def child(self, name: str, side: Side) -> Where:
        return replace(self, path=(*self.path, name), side=side)

    @property
    def location(self) -> str:
        if self.subject:
            return self.base
        return _join_path((self.base, *self.path))

    def message(self, text: str) -> str:
        if not self.subject:
            return text
        if not self.path:
            return f"{self.subject}: {text}"
        field = _join_path(self.path)
        return f"{self.subject} `{field}`: {text}"


class _Differ:
    def __init__(self, old: JSONDict, new: JSONDict) -> None:
        self.old, self.new = old, new
        self.old_sides, self.new_sides = schema_sides(old), schema_sides(new)
        self.old_modules, self.new_modules = module_paths(old), module_paths(new)

    # operations

    def operations(self) -> Iterator[Change]:
        old_ops, new_ops = _operation_nodes(self.old), _operation_nodes(self.new)
        for key in _ordered_union(old_ops, new_ops):
            if key not in old_ops:
                yield Change("operation-added", key, "operation added" + _arrow(self.new_modules, key), breaking=False)
            elif key not in new_ops:
                message = "operation removed" + _arrow(self.old_modules, key)
                yield Change("operation-removed", key, message, breaking=True)
            else:
                yield from self._operation(key, old_ops[key], new_ops[key])

    def _operation(self, key: str, old: tuple[JSONDict, JSONDict], new: tuple[JSONDict, JSONDict]) -> Iterator[Change]:
        (old_op, old_item), (new_op, new_item) = old, new
        # The module is named after the path (codegen/naming.py), not the operationId: a changed id moves nothing.
        was, now = self.old_modules.get(key), self.new_modules.get(key)
        if was and now and was != now:
            message = f"renamed: {PACKAGE}.{was} -> {PACKAGE}.{now} (the generated module moves)"
            yield Change("operation-renamed", key, message, breaking=True)
        if new_op.get("deprecated") is True and old_op.get("deprecated") is not True:
            yield Change("operation-deprecated", key, "operation deprecated" + _arrow(self.new_modules, key), False)
        yield from self._parameters(key, (old_op, old_item), (new_op, new_item))
        yield from self._request_body(key, old_op.get("requestBody"), new_op.get("requestBody"))
        yield from self._responses(key, _dict(old_op.get("responses")), _dict(new_op.get("responses")))

    def _parameters(self, key: str, old: tuple[JSONDict, JSONDict], new: tuple[JSONDict, JSONDict]) -> Iterator[Change]:
        old_params, new_params = _parameters(self.old, *old), _parameters(self.new, *new)
        for ident in _ordered_union(old_params, new_params):
            label = f"{ident[0]} parameter `{ident[1]}`"
            if ident not in old_params:
                required = new_params[ident].get("required") is True
                text = f"{label} added ({'required' if required else 'optional'})"
                yield Change("parameter-added", key, text, breaking=required)
            elif ident not in new_params:
                yield Change("parameter-removed", key, f"{label} removed", breaking=True)
            else:
                yield from self._parameter(key, label, old_params[ident], new_params[ident])

    def _parameter(self, key: str, label: str, old: JSONDict, new: JSONDict) -> Iterator[Change]:
        old_required, new_required = old.get("required") is True, new.get("required") is True
        if old_required != new_required:
            text = f"{label} is now {'required' if new_required else 'optional'}"
            yield Change("parameter-required-changed", key, text, breaking=new_required)
        where = Where(key, Side.REQUEST, subject=label)
        yield from self._schema(_parameter_schema(old), _parameter_schema(new), where)

    def _request_body(self, key: str, old_raw: Any, new_raw: Any) -> Iterator[Change]:
        old, new = _resolve(self.old, old_raw), _resolve(self.new, new_raw)
        old_required, new_required = old.get("required") is True, new.get("required") is True
        if not old and not new:
            return
        if not old:
            text = f"request body added ({'required' if new_required else 'optional'})"
            yield Change("request-body-added", key, text, breaking=new_required)
        elif not new:
            yield Change("request-body-removed", key, "request body removed", breaking=True)
        else:
            if old_required != new_required:
                text = f"request body is now {'required' if new_required else 'optional'}"
                yield Change("request-body-required-changed", key, text, breaking=new_required)
            yield from self._request_content(key, _dict(old.get("content")), _dict(new.get("content")))

    def _request_content(self, key: str, old: JSONDict, new: JSONDict) -> Iterator[Change]:
        for media_type in _ordered_union(old, new):
            if media_type not in new:
                text = f"request body no longer accepts `{media_type}`"
                yield Change("request-media-type-removed", key, text, breaking=True)
            elif media_type not in old:
                text = f"request body now accepts `{media_type}`"
                yield Change("request-media-type-added", key, text, breaking=False)
        main_type = _main_media_type(old)
        if main_type is not None and main_type == _main_media_type(new):
            old_schema, new_schema = _dict(old[main_type]).get("schema"), _dict(new[main_type]).get("schema")
            where = Where(key, Side.REQUEST, subject="request body")
            yield from self._body_schema(old_schema, new_schema, where, "request-body-changed", breaking=True)

    def _responses(self, key: str, old: JSONDict, new: JSONDict) -> Iterator[Change]:
        for status in _ordered_union(old, new):
            if status not in old:
                yield Change("response-added", key, f"response `{status}` added", breaking=False)
            elif status not in new:
                # Users read success bodies; error responses surface as exceptions either way.
                yield Change("response-removed", key, f"response `{status}` removed", breaking=_is_success(status))
            else:
                yield from self._response(key, status, old[status], new[status])

    def _response(self, key: str, status: str, old_raw: Any, new_raw: Any) -> Iterator[Change]:
        success = _is_success(status)
        old_content = _dict(_resolve(self.old, old_raw).get("content"))
        new_content = _dict(_resolve(self.new, new_raw).get("content"))
        old_type, new_type = _main_media_type(old_content), _main_media_type(new_content)
        subject = f"response `{status}`"
        if old_type is not None and new_type is None:
            yield Change("response-changed", key, f"{subject} no longer has a body", breaking=success)
        elif old_type is None and new_type is not None:
            yield Change("response-changed", key, f"{subject} now has a body", breaking=False)
        elif old_type is not None and new_type is not None:
            old_schema = _dict(old_content[old_type]).get("schema")
            new_schema = _dict(new_content[new_type]).get("schema")
            where = Where(key, Side.RESPONSE, subject=subject)
            if success:
                yield from self._body_schema(old_schema, new_schema, where, "response-changed", breaking=True)
            elif describe(old_schema) != describe(new_schema):
                text = f"schema changed from `{describe(old_schema)}` to `{describe(new_schema)}`"
                yield Change("response-changed", key, where.message(text), breaking=False)

    def _body_schema(self, old: Any, new: Any, where: Where, kind: str, breaking: bool) -> Iterator[Change]:
        """A body that names a model is compared by name (the model is diffed on its own)."""
        old_name, new_name = ref_name(old), ref_name(new)
        if old_name is None and new_name is None:
            yield from self._schema(old, new, where)
        elif old_name != new_name:
            text = f"schema changed from `{describe(old)}` to `{describe(new)}`"
            yield Change(kind, where.base, where.message(text), breaking=breaking)

    # webhook events: payloads the client receives, so they are compared as responses

    def webhooks(self) -> Iterator[Change]:
        old_events, new_events = webhook_payloads(self.old), webhook_payloads(self.new)
        for event in _ordered_union(old_events, new_events):
            key = f"webhook {event}"
            if event not in old_events:
                yield Change("webhook-added", key, "webhook event added", breaking=False)
            elif event not in new_events:
                # Its model, and the table entry that types deliveries of it, leave the package.
                yield Change("webhook-removed", key, "webhook event removed", breaking=True)
            else:
                where = Where(key, Side.RESPONSE, subject="payload")
                yield from self._body_schema(old_events[event], new_events[event], where, "webhook-changed", True)

    # component schemas

    def schemas(self) -> Iterator[Change]:
        old_schemas, new_schemas = _components(self.old), _components(self.new)
        for name in sorted(old_schemas.keys() | new_schemas.keys()):
            if name not in old_schemas:
                yield Change("schema-added", name, "schema added", breaking=False)
            elif name not in new_schemas:
                yield Change("schema-removed", name, "schema removed", breaking=True)
            else:
                side = self.old_sides.get(name, Side.NONE) | self.new_sides.get(name, Side.NONE)
                where = Where(name, side or Side.BOTH)
                yield from self._schema(old_schemas[name], new_schemas[name], where)

    def _schema(self, old: Any, new: Any, where: Where) -> Iterator[Change]:
        effect = type_effect(old, new)
        if effect is not Effect.SAME:
            text = f"type changed from `{describe(old)}` to `{describe(new)}`"
            if effect is not Effect.CHANGED:
                text += f" ({effect.value})"
            yield self._change("type-changed", where, text, is_breaking(effect, where.side))
        yield from self._nullable(old, new, where)
        yield from self._enum(old, new, where)
        # A changed type is one line; the parts of a model named by `$ref` are diffed under its name.
        if effect is Effect.SAME and ref_name(old) is None:
            yield from self._fields(_dict(old), _dict(new), where)
            if describe(old).startswith("array of"):
                items_where = where.child("[]", where.side)
                yield from self._schema(_dict(old).get("items"), _dict(new).get("items"), items_where)
            old_extra, new_extra = _additional(old), _additional(new)
            declared = "additionalProperties" in _dict(old) or "additionalProperties" in _dict(new)
            if declared and old_extra is not None and new_extra is not None:
                yield from self._schema(old_extra, new_extra, where.child("{}", where.side))

    def _nullable(self, old: Any, new: Any, where: Where) -> Iterator[Change]:
        was, now = is_nullable(old), is_nullable(new)
        if was != now:
            effect = Effect.WIDENED if now else Effect.NARROWED
            text = "now nullable" if now else "no longer nullable"
            yield self._change("nullable-changed", where, text, is_breaking(effect, where.side))

    def _enum(self, old: Any, new: Any, where: Where) -> Iterator[Change]:
        old_values, new_values = enum_values(old), enum_values(new)
        if old_values is None and new_values is None:
            return
        if old_values is None:
            # The generated type becomes an Enum class: callers passing plain strings break.
            yield self._change("enum-changed", where, "now restricted to an enum", breaking=True)
        elif new_values is None:
            yield self._change("enum-changed", where, "no longer an enum", is_breaking(Effect.WIDENED, where.side))
        else:
            for value in new_values:
                if value not in old_values:
                    yield self._change("enum-value-added", where, f"enum value `{value}` added", breaking=False)
            for value in old_values:
                if value not in new_values:
                    yield self._change("enum-value-removed", where, f"enum value `{value}` removed", breaking=True)

    def _fields(self, old: JSONDict, new: JSONDict, where: Where) -> Iterator[Change]:
        old_props, old_required = _object_fields(self.old, old)
        new_props, new_required = _object_fields(self.new, new)
        for name in _ordered_union(old_props, new_props):
            if name not in old_props:
                yield from self._field_added(where, name, new_props[name], name in new_required)
            elif name not in new_props:
                yield self._change("field-removed", where.child(name, where.side), "field removed", breaking=True)
            else:
                old_prop, new_prop = old_props[name], new_props[name]
                side = _property_side(old_prop, where.side) | _property_side(new_prop, where.side)
                field = where.child(name, side)
                if _dict(new_prop).get("deprecated") is True and _dict(old_prop).get("deprecated") is not True:
                    yield self._change("field-deprecated", field, "field deprecated", breaking=False)
                yield from self._access(old_prop, new_prop, field, name in new_required)
                yield from self._required(name in old_required, name in new_required, field)
                yield from self._schema(old_prop, new_prop, field)

    def _field_added(self, where: Where, name: str, prop: Any, required: bool) -> Iterator[Change]:
        field = where.child(name, _property_side(prop, where.side))
        breaking = required and bool(field.side & Side.REQUEST)
        text = f"field added ({'required' if required else 'optional'})"
        yield self._change("field-added", field, text, breaking)

    def _required(self, was: bool, now: bool, field: Where) -> Iterator[Change]:
        if was != now:
            effect = Effect.NARROWED if now else Effect.WIDENED
            text = "now required" if now else "now optional"
            yield self._change("field-required-changed", field, text, is_breaking(effect, field.side))

    def _access(self, old: Any, new: Any, field: Where, required: bool) -> Iterator[Change]:
        """readOnly/writeOnly flips move a field out of (or into) request or response models."""
        for flag, side, gone_from in (
            ("readOnly", Side.REQUEST, "requests"),
            ("writeOnly", Side.RESPONSE, "responses"),
        ):
            was, now = _dict(old).get(flag) is True, _dict(new).get(flag) is True
            if now and not was:
                breaking = bool(field.side & side)
                yield self._change("field-access-changed", field, f"now {flag} (gone from {gone_from})", breaking)
            elif was and not now:
                # Like a new field on that side: breaking only if requests must now send it.
                breaking = required and side is Side.REQUEST and bool(field.side & Side.REQUEST)
                yield self._change("field-access-changed", field, f"no longer {flag}", breaking)

    @staticmethod
    def _change(kind: str, where: Where, text: str, breaking: bool) -> Change:
        return Change(kind, where.location, where.message(text), breaking)


def _object_fields(spec: JSONDict, schema: JSONDict) -> tuple[JSONDict, set[str]]:
    """Properties and required names of an object, merging `allOf` members as the generator does."""
    props: JSONDict = {}
    required: set[str] = set()
    seen: set[str] = set()
    stack = [schema]
    while stack:
        node = stack.pop()
        name = ref_name(node) if "$ref" in node else None
        if name is not None:
            if name not in seen:
                seen.add(name)
                stack.append(_dict(_components(spec).get(name)))
            continue
        props.update(_dict(node.get("properties")))
        required.update(r for r in _list(node.get("required")) if isinstance(r, str))
        stack.extend(_dict(member) for member in reversed(_list(node.get("allOf"))))
    return props, required


def _additional(schema: Any) -> JSONDict | None:
    """The schema of an object's extra keys ({} when any are allowed), None when forbidden."""
    extra = _dict(schema).get("additionalProperties", True)
    if extra is False:
        return None
    return _dict(extra)


def _join_path(parts: Iterable[str]) -> str:
    """`Agent.tags[]`, `Agent.metadata{}`: item and value markers attach without a dot."""
    return ".".join(parts).replace(".[]", "[]").replace(".{}", "{}")


def _ordered_union(old: Iterable[Any], new: Iterable[Any]) -> list[Any]:
    """Keys in the new spec's order, then the removed ones in the old spec's order."""
    new_keys = list(new)
    known = set(new_keys)
    return new_keys + [key for key in old if key not in known]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m codegen.spec_diff", description="Compare two OpenAPI specs.")
    parser.add_argument("old", type=Path, help="the previous spec (JSON or YAML)")
    parser.add_argument("new", type=Path, help="the new spec (JSON or YAML)")
    parser.add_argument("--markdown", action="store_true", help="print Markdown instead of plain text")
    args = parser.parse_args(argv)
    try:
        old, new = (parse_spec_text(path.read_text(encoding="utf-8")) for path in (args.old, args.new))
    except (OSError, UnicodeDecodeError, SpecParseError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    report = diff_specs(old, new)
    print(report.to_markdown() if args.markdown else report.to_text(), end="")
    return 1 if report.breaking else 0


if __name__ == "__main__":
    sys.exit(main())
