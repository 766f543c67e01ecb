"""Rule 6: webhook payloads (OpenAPI 3.1 `webhooks`, 3.0 `x-webhooks`) as `<Event>WebhookPayload` components."""

from __future__ import annotations

from codegen.normalize._names import _makes_class, _pascal
from codegen.normalize._parameters_and_bodies import _resolve_component, _usable
from codegen.normalize._walk import HTTP_METHODS, SCHEMA_REF, Json

WEBHOOK_SECTIONS = ("webhooks", "x-webhooks")  # OpenAPI 3.1, and the 3.0 extension for the same thing


# --- rule 6: webhook payloads -------------------------------------------------------------------------------------


def webhook_payloads(spec: Json) -> dict[str, Json]:
    """Event name (the key under `webhooks`, or `x-webhooks` in 3.0) -> the JSON media object of its payload:
    the request body of its POST, or of its first operation with one. `webhooks` wins over `x-webhooks`;
    events without a JSON payload are left out. The media objects are the spec's own (edit them in place)."""
    payloads: Json = {}
    for section in WEBHOOK_SECTIONS:
        for event, raw_item in (spec.get(section) or {}).items():
            item = _resolve_component(raw_item, spec, "pathItems") if isinstance(raw_item, dict) else None
            if event in payloads or not isinstance(item, dict):
                continue
            methods = ["post", *(method for method in HTTP_METHODS if method != "post")]
            for method in methods:
                body = item[method].get("requestBody") if isinstance(item.get(method), dict) else None
                body = _resolve_component(body, spec, "requestBodies") if isinstance(body, dict) else None
                content = _usable(body.get("content") or {}, ("application/json",)) if body else {}
                media = next((m for m in content.values() if isinstance(m.get("schema"), dict)), None)
                if media is not None:
                    payloads[event] = media
                    break
    return payloads


def _hoist_webhook_payloads(spec: Json, errors: list[str]) -> None:
    """Rule 6. A payload that is a `$ref` keeps its component; one that is not an object stays inline (it is
    delivered as plain JSON)."""
    schemas: Json = spec["components"]["schemas"]
    for event, media in webhook_payloads(spec).items():
        schema = media["schema"]
        if not _makes_class(schema):
            continue
        stem = _pascal(event)
        if not stem or not stem[0].isalpha():
            errors.append(f"webhook {event!r}: its name makes no model name (it must start with a letter)")
            continue
        name = f"{stem}WebhookPayload"
        if schemas.setdefault(name, schema) != schema:
            errors.append(f"webhook {event!r}: its payload would become {name}, a name the spec already uses")
            continue
        media["schema"] = {"$ref": SCHEMA_REF + name}
