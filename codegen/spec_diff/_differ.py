"""The differ: operations, webhook events and component schemas of two specs, compared into `Change`s."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from codegen.normalize import module_paths
from codegen.spec_diff._nodes import JSONDict, _components, _dict, _list, _resolve, ref_name
from codegen.spec_diff._operations import (
    _main_media_type,
    _operation_nodes,
    _parameter_schema,
    _parameters,
    webhook_payloads,
)
from codegen.spec_diff._report import Change, Effect, Report, Side, is_breaking
from codegen.spec_diff._schema_types import describe, enum_values, is_nullable, type_effect
from codegen.spec_diff._sides import _property_side, schema_sides
from codegen.spec_diff._where import Where

PACKAGE = "wassist_api_client"


def diff_specs(old: JSONDict, new: JSONDict) -> Report:
    differ = _Differ(old, new)
    changes = (*differ.operations(), *differ.webhooks(), *differ.schemas())
    text_changed = json.dumps(old, ensure_ascii=False) != json.dumps(new, ensure_ascii=False)
    return Report(changes=changes, text_changed=text_changed)


def _arrow(modules: dict[str, str], key: str) -> str:
    """` -> wassist_api_client.api.<...>`: the operation's import path, when its spec's paths can be named."""
    return f" -> {PACKAGE}.{modules[key]}" if key in modules else ""


def _is_success(status: str) -> bool:
    return status.startswith("2")


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


def _ordered_union(old: Iterable[Any], new: Iterable[Any]) -> list[Any]:
    """Keys in the new spec's order, then the removed ones in the old spec's order."""
    new_keys = list(new)
    known = set(new_keys)
    return new_keys + [key for key in old if key not in known]
