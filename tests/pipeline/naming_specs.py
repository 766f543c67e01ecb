"""Small valid OpenAPI 3.0 specs built from a list of `METHOD /path/` keys, for the naming tests."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

Json = dict[str, Any]
# Upstream shapes the issue names, with the import paths it asks for (lists answer GET with an array).
WASSIST_NAMES = {
    "POST /api/v1/utils/generate_password/": "utils.generate_password",
    "GET /api/schema/": "schema.retrieve",
    "GET /api/v1/conversations/": "conversations.list_",
    "GET /api/v1/conversations/{id}/": "conversations.retrieve",
    "GET /api/v1/conversations/{id}/messages/": "conversations.messages.list_",
    "POST /api/v1/conversations/{id}/messages/": "conversations.messages.create",
    "POST /api/v1/conversations/{id}/takeover/": "conversations.takeover",
    "POST /api/v1/conversations/{id}/handback/": "conversations.handback",
    "POST /api/v1/conversations/{id}/subscribe/": "conversations.subscribe",
    "POST /api/v1/conversations/{id}/prompt/": "conversations.prompt",
    "POST /api/v1/conversations/{id}/typing/": "conversations.typing",
    "POST /api/v1/conversations/{id}/send-template/": "conversations.send_template",
    "GET /api/v1/integrations/connectors/": "integrations.connectors.list_",
    "GET /api/v1/integrations/connectors/{id}/": "integrations.connectors.retrieve",
    "GET /api/v1/agents/": "agents.list_",
    "POST /api/v1/agents/byoa/": "agents.byoa",
    "POST /api/v1/agents/{id}/duplicate/": "agents.duplicate",
    "GET /api/v1/agents/{id}/routing/": "agents.routing_retrieve",
    "PUT /api/v1/agents/{id}/routing/": "agents.routing_update",
    "POST /api/v1/webhooks/{id}/rotate-secret/": "webhooks.rotate_secret",
    "POST /api/v1/webhook-deliveries/{id}/replay/": "webhook_deliveries.replay",
    "POST /api/v1/whatsapp-templates/import/": "whatsapp_templates.import_",
    "GET /api/v1/whatsapp-link-sessions/{id}/": "whatsapp_link_sessions.retrieve",
    "POST /api/v1/whatsapp-link-sessions/": "whatsapp_link_sessions.create",
}
WASSIST_LISTS = {
    "GET /api/v1/conversations/",
    "GET /api/v1/conversations/{id}/messages/",
    "GET /api/v1/integrations/connectors/",
    "GET /api/v1/agents/",
}
THING: Json = {"type": "object", "properties": {"id": {"type": "string"}, "name": {"type": "string"}}}


def spec_of(keys: Iterable[str], *, lists: Iterable[str] = (), deprecated: Iterable[str] = ()) -> Json:
    """Every operation answers 200 with a `Thing` (a JSON array of them for the keys in `lists`); POST, PUT and PATCH
    send one; each path parameter is declared."""
    lists, deprecated = set(lists), set(deprecated)
    paths: Json = {}
    for key in keys:
        method, path = key.split(" ")
        schema: Json = {"$ref": "#/components/schemas/Thing"}
        response = {"type": "array", "items": schema} if key in lists else schema
        op: Json = {
            "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": response}}}},
        }
        params = [
            {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
            for name in re.findall(r"\{([^}]+)\}", path)
        ]
        if params:
            op["parameters"] = params
        if method in ("POST", "PUT", "PATCH"):
            op["requestBody"] = {"required": True, "content": {"application/json": {"schema": schema}}}
        if key in deprecated:
            op["deprecated"] = True
        paths.setdefault(path, {})[method.lower()] = op
    return {
        "openapi": "3.0.3",
        "info": {"title": "naming", "version": "1"},
        "paths": paths,
        "components": {"schemas": {"Thing": THING}},
    }
