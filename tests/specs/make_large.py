"""Write tests/specs/large.json: a ~120-operation spec shaped like drf-spectacular's output for a Wassist-like API.

Deterministic (no randomness, fixed order): `python tests/specs/make_large.py` rewrites the committed file
byte for byte. Not split (COMPONENT_SPLIT_REQUEST off): bodies reference the response serializers, readOnly
fields included, PATCH bodies reference `Patched<Name>`, and every body is offered as JSON, form and multipart.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

Json = dict[str, Any]
OUT = Path(__file__).with_name("large.json")
SECURITY = [{"ApiKeyAuth": []}]
SECURITY_SCHEME = {
    "type": "apiKey",
    "in": "header",
    "name": "X-API-Key",
    "description": "API key authentication. Pass your API key in the X-API-Key header.",
}


def ref(name: str) -> Json:
    return {"$ref": f"#/components/schemas/{name}"}


def enum(values: list[str]) -> Json:
    labels = "\n".join(f"* `{value}` - {value.replace('_', ' ').capitalize()}" for value in values)
    return {"enum": values, "type": "string", "description": labels}


READ_ONLY_STAMPS: Json = {
    "createdAt": {"type": "string", "format": "date-time", "readOnly": True},
    "updatedAt": {"type": "string", "format": "date-time", "readOnly": True},
}

# resource path segment -> (model name, id parameter schema, writable fields, status enum values or None)
RESOURCES: list[tuple[str, str, Json, Json, list[str] | None]] = [
    (
        "agents",
        "Agent",
        {"type": "string", "format": "uuid"},
        {
            "name": {"type": "string", "maxLength": 100},
            "systemPrompt": {"type": "string"},
            "model": {"type": "string", "default": "gpt-4o-mini"},
            "temperature": {"type": "number", "format": "double", "minimum": 0, "maximum": 2},
            "config": {"description": "Free-form JSON."},
        },
        ["draft", "published", "archived"],
    ),
    (
        "contacts",
        "Contact",
        {"type": "string", "format": "uuid"},
        {
            "phoneNumber": {"type": "string", "pattern": "^[0-9]{7,15}$"},
            "name": {"type": "string", "maxLength": 255},
            "email": {"type": "string", "format": "email", "nullable": True},
            "attributes": {"type": "object", "additionalProperties": {}},
        },
        None,
    ),
    (
        "whatsapp-accounts",
        "WhatsAppAccount",
        {"type": "string"},
        {
            "displayName": {"type": "string"},
            "phoneNumber": {"type": "string", "pattern": "^[0-9]{7,15}$"},
            "agent": {"type": "string", "format": "uuid", "nullable": True},
            "accessToken": {"type": "string", "writeOnly": True},
        },
        ["pending", "connected", "disconnected"],
    ),
    (
        "integrations",
        "Integration",
        {"type": "integer"},
        {
            "provider": enum(["hubspot", "zapier", "shopify", "custom"]),
            "settings": {"type": "object", "additionalProperties": {}},
            "apiKey": {"type": "string", "writeOnly": True},
            "enabled": {"type": "boolean", "default": True},
        },
        None,
    ),
    (
        "webhooks",
        "Webhook",
        {"type": "integer"},
        {
            "url": {"type": "string", "format": "uri", "maxLength": 200},
            "events": {"type": "array", "items": enum(["message.received", "message.sent", "conversation.closed"])},
            "secret": {"type": "string", "readOnly": True},
            "isActive": {"type": "boolean"},
        },
        None,
    ),
    (
        "templates",
        "Template",
        {"type": "string", "format": "uuid"},
        {
            "name": {"type": "string", "pattern": "^[a-z0-9_]+$"},
            "language": {"type": "string", "default": "en"},
            "body": {"type": "string"},
            "variables": {"type": "array", "items": {"type": "string"}},
        },
        ["draft", "submitted", "approved", "rejected"],
    ),
    (
        "broadcasts",
        "Broadcast",
        {"type": "string", "format": "uuid"},
        {
            "name": {"type": "string"},
            "template": {"type": "string", "format": "uuid"},
            "scheduledAt": {"type": "string", "format": "date-time", "nullable": True},
            "audience": {"type": "array", "items": {"type": "string", "format": "uuid"}},
        },
        ["scheduled", "sending", "sent", "cancelled"],
    ),
    (
        "knowledge-bases",
        "KnowledgeBase",
        {"type": "string", "format": "uuid"},
        {
            "name": {"type": "string"},
            "description": {"type": "string", "nullable": True},
            "agents": {"type": "array", "items": {"type": "string", "format": "uuid"}},
        },
        ["empty", "indexing", "ready"],
    ),
    (
        "api-keys",
        "ApiKey",
        {"type": "integer"},
        {
            "name": {"type": "string"},
            "prefix": {"type": "string", "readOnly": True},
            "key": {"type": "string", "readOnly": True, "description": "Shown once, on creation."},
            "expiresOn": {"type": "string", "format": "date", "nullable": True},
        },
        None,
    ),
    (
        "labels",
        "Label",
        {"type": "integer"},
        {
            "name": {"type": "string", "maxLength": 50},
            "color": {"type": "string", "pattern": "^#[0-9a-f]{6}$", "default": "#25d366"},
            "contactCount": {"type": "integer", "readOnly": True},
        },
        None,
    ),
    (
        "flows",
        "Flow",
        {"type": "string", "format": "uuid"},
        {
            "name": {"type": "string"},
            "agent": {"type": "string", "format": "uuid"},
            "trigger": enum(["keyword", "schedule", "webhook"]),
            "steps": {"type": "array", "items": {"type": "object", "additionalProperties": {}}},
        },
        ["inactive", "active"],
    ),
    (
        "teams",
        "Team",
        {"type": "integer"},
        {
            "name": {"type": "string"},
            "members": {"type": "array", "items": ref("TeamMember")},
        },
        None,
    ),
]

# (parent resource, nested segment, model, child id schema, fields, has update)
NESTED: list[tuple[str, str, str, Json, Json, bool]] = [
    (
        "agents",
        "conversations",
        "Conversation",
        {"type": "integer"},
        {
            "contact": ref("Contact"),
            "channel": {"allOf": [ref("ChannelEnum")], "default": "whatsapp"},
            "lastMessage": {"allOf": [ref("Message")], "nullable": True, "readOnly": True},
            "metadata": {"type": "object", "additionalProperties": {}, "nullable": True},
        },
        True,
    ),
    (
        "knowledge-bases",
        "documents",
        "Document",
        {"type": "string", "format": "uuid"},
        {
            "title": {"type": "string"},
            "sourceUrl": {"type": "string", "format": "uri", "nullable": True},
            "sizeBytes": {"type": "integer", "readOnly": True},
        },
        False,
    ),
    (
        "whatsapp-accounts",
        "phone-numbers",
        "PhoneNumber",
        {"type": "string"},
        {
            "number": {"type": "string", "pattern": "^[0-9]{7,15}$"},
            "verified": {"type": "boolean", "readOnly": True},
            "qualityRating": {"allOf": [ref("QualityRatingEnum")], "readOnly": True},
        },
        True,
    ),
    (
        "teams",
        "invitations",
        "TeamInvitation",
        {"type": "integer"},
        {
            "email": {"type": "string", "format": "email"},
            "role": {"allOf": [ref("InvitationRoleEnum")], "default": "member"},
            "expiresAt": {"type": "string", "format": "date-time", "readOnly": True},
        },
        False,
    ),
]

# (resource, segment, method, detail?, body model or None, response model or "inline")
ACTIONS: list[tuple[str, str, str, bool, str | None, str]] = [
    ("agents", "publish", "post", True, None, "Agent"),
    ("agents", "unpublish", "post", True, None, "Agent"),
    ("agents", "duplicate", "post", True, "AgentDuplicate", "Agent"),
    ("agents", "stats", "get", True, None, "inline"),
    ("agents", "test-message", "post", True, "TestMessage", "Message"),
    ("contacts", "import", "post", False, "ContactImport", "ContactImport"),
    ("contacts", "export", "get", False, None, "inline"),
    ("contacts", "block", "post", True, None, "Contact"),
    ("whatsapp-accounts", "verify", "post", True, "Verification", "WhatsAppAccount"),
    ("whatsapp-accounts", "sync", "post", True, None, "WhatsAppAccount"),
    ("integrations", "test", "post", True, None, "inline"),
    ("webhooks", "rotate-secret", "post", True, None, "Webhook"),
    ("webhooks", "ping", "post", True, None, "inline"),
    ("templates", "submit", "post", True, None, "Template"),
    ("broadcasts", "send", "post", True, None, "Broadcast"),
    ("broadcasts", "cancel", "post", True, None, "Broadcast"),
    ("broadcasts", "stats", "get", True, None, "inline"),
    ("knowledge-bases", "sync", "post", True, None, "KnowledgeBase"),
    ("api-keys", "rotate", "post", True, None, "ApiKey"),
    ("teams", "invite", "post", True, "Invitation", "Team"),
    ("labels", "merge", "post", False, "LabelMerge", "Label"),
    ("flows", "run", "post", True, "FlowRun", "FlowRun"),
    ("flows", "validate", "post", True, None, "inline"),
]

PAGINATION = [
    {
        "name": "limit",
        "required": False,
        "in": "query",
        "description": "Number of results to return per page.",
        "schema": {"type": "integer"},
    },
    {
        "name": "offset",
        "required": False,
        "in": "query",
        "description": "The initial index from which to return the results.",
        "schema": {"type": "integer"},
    },
]


def snake(segment: str) -> str:
    return segment.replace("-", "_")


def operation(op_id: str, responses: Json, params: list[Json] | None = None, body: str | None = None) -> Json:
    op: Json = {"operationId": op_id}
    if params:
        op["parameters"] = params
    op["tags"] = ["api"]
    if body:
        op["requestBody"] = {
            "content": {kind: {"schema": ref(body)} for kind in MEDIA_TYPES},
            "required": not body.startswith("Patched"),
        }
    op["security"] = SECURITY
    op["responses"] = responses
    return op


MEDIA_TYPES = ("application/json", "application/x-www-form-urlencoded", "multipart/form-data")


def respond(status: str, schema: Json | None) -> Json:
    if schema is None:
        return {status: {"description": "No response body"}}
    return {status: {"content": {"application/json": {"schema": schema}}, "description": ""}}


def path_param(name: str, schema: Json, what: str) -> Json:
    return {"in": "path", "name": name, "schema": schema, "description": f"Identifies this {what}.", "required": True}


def model(fields: Json, id_schema: Json, status: str | None) -> Json:
    props: Json = {"id": {**id_schema, "readOnly": True}, **fields}
    if status:
        props["status"] = {"allOf": [ref(status)], "readOnly": True}
    props.update(READ_ONLY_STAMPS)
    # drf marks required what has no default and is not nullable, readOnly fields included; a JSONField is optional.
    required = [
        name
        for name, prop in props.items()
        if prop.get("readOnly") or ("default" not in prop and "nullable" not in prop and name != "config")
    ]
    return {"type": "object", "properties": props, "required": sorted(required)}


def paginated(name: str) -> Json:
    return {
        "type": "object",
        "required": ["count", "results"],
        "properties": {
            "count": {"type": "integer", "example": 123},
            "next": {
                "type": "string",
                "nullable": True,
                "format": "uri",
                "example": "http://api.example.org/accounts/?offset=400&limit=100",
            },
            "previous": {
                "type": "string",
                "nullable": True,
                "format": "uri",
                "example": "http://api.example.org/accounts/?offset=200&limit=100",
            },
            "results": {"type": "array", "items": ref(name)},
        },
    }


def crud(paths: Json, schemas: Json, base: str, op_base: str, name: str, params: list[Json], id_param: Json) -> None:
    """drf's ModelViewSet: list + create on the collection, the other four on the detail path."""
    schemas[f"Paginated{name}List"] = paginated(name)
    patched = {key: value for key, value in schemas[name].items() if key != "required"}
    schemas[f"Patched{name}"] = patched
    filters: list[Json] = [
        *PAGINATION,
        {"name": "search", "required": False, "in": "query", "schema": {"type": "string"}},
    ]
    if f"{name}StatusEnum" in schemas:
        values = schemas[f"{name}StatusEnum"]["enum"]
        filters.append({"in": "query", "name": "status", "schema": {"type": "string", "enum": values}})
    paths[base] = {
        "get": operation(f"{op_base}_list", respond("200", ref(f"Paginated{name}List")), [*params, *filters]),
        "post": operation(f"{op_base}_create", respond("201", ref(name)), params or None, name),
    }
    detail = [*params, id_param]
    paths[f"{base}{{{id_param['name']}}}/"] = {
        "get": operation(f"{op_base}_retrieve", respond("200", ref(name)), detail),
        "put": operation(f"{op_base}_update", respond("200", ref(name)), detail, name),
        "patch": operation(f"{op_base}_partial_update", respond("200", ref(name)), detail, f"Patched{name}"),
        "delete": operation(f"{op_base}_destroy", respond("204", None), detail),
    }


def build() -> Json:
    schemas: Json = {
        "ChannelEnum": enum(["whatsapp", "api", "web"]),
        "QualityRatingEnum": enum(["green", "yellow", "red", "unknown"]),
        "RoleEnum": enum(["user", "assistant", "system"]),
        "Message": {
            "type": "object",
            "properties": {
                "id": {"type": "integer", "readOnly": True},
                "role": ref("RoleEnum"),
                "content": {"type": "string"},
                "sentAt": {"type": "string", "format": "date-time", "readOnly": True},
            },
            "required": ["content", "id", "role", "sentAt"],
        },
        "TeamMember": {
            "type": "object",
            "properties": {
                "user": {"type": "integer", "readOnly": True},
                "email": {"type": "string", "format": "email"},
                "role": enum(["owner", "admin", "member"]),
            },
            "required": ["email", "user"],
        },
        "AgentDuplicate": {"type": "object", "properties": {"name": {"type": "string"}}, "required": ["name"]},
        "TestMessage": {"type": "object", "properties": {"text": {"type": "string"}}, "required": ["text"]},
        "ContactImport": {
            "type": "object",
            "properties": {
                "file": {"type": "string", "format": "binary", "writeOnly": True},
                "imported": {"type": "integer", "readOnly": True},
                "errors": {"type": "array", "items": {"type": "string"}, "readOnly": True},
            },
            "required": ["errors", "file", "imported"],
        },
        "Verification": {"type": "object", "properties": {"code": {"type": "string", "pattern": "^[0-9]{6}$"}}},
        "Invitation": {
            "type": "object",
            "properties": {"email": {"type": "string", "format": "email"}, "role": ref("InvitationRoleEnum")},
            "required": ["email"],
        },
        "InvitationRoleEnum": enum(["admin", "member"]),
        "LabelMerge": {
            "type": "object",
            "properties": {"source": {"type": "integer"}, "target": {"type": "integer"}},
            "required": ["source", "target"],
        },
        "FlowRun": {
            "type": "object",
            "properties": {
                "runId": {"type": "string", "format": "uuid", "readOnly": True},
                "contact": {"type": "string", "format": "uuid", "writeOnly": True},
                "variables": {"type": "object", "additionalProperties": {"type": "string"}},
                "startedAt": {"type": "string", "format": "date-time", "readOnly": True},
            },
            "required": ["contact", "runId", "startedAt"],
        },
        # As in the vendored spec: the one operation the upstream reference page documents.
        "WhatsAppLinkSession": {
            "type": "object",
            "properties": {
                "id": {"type": "string", "format": "uuid", "readOnly": True},
                "successUrl": {"type": "string", "format": "uri"},
                "returnUrl": {"type": "string", "format": "uri"},
                "status": {"allOf": [ref("WhatsAppLinkSessionStatusEnum")], "readOnly": True},
                "linkUrl": {"type": "string", "readOnly": True},
            },
            "required": ["id", "linkUrl", "returnUrl", "status", "successUrl"],
        },
        "WhatsAppLinkSessionStatusEnum": enum(["PENDING", "EXPIRED", "SUCCESS", "FAILED"]),
        "PaginatedWhatsAppLinkSessionList": paginated("WhatsAppLinkSession"),
    }
    paths: Json = {}
    for segment, name, id_schema, fields, statuses in RESOURCES:
        status = None
        if statuses:
            status = f"{name}StatusEnum"
            schemas[status] = enum(statuses)
        schemas[name] = model(fields, id_schema, status)
        id_param = path_param("id", id_schema, name)
        crud(paths, schemas, f"/api/v1/{segment}/", f"api_v1_{snake(segment)}", name, [], id_param)
    for parent, segment, name, id_schema, fields, has_update in NESTED:
        schemas[name] = model(fields, id_schema, None)
        parent_id = path_param(f"{snake(parent)[:-1]}_id", {"type": "string"}, parent)
        base, op_base = (
            f"/api/v1/{parent}/{{{parent_id['name']}}}/{segment}/",
            f"api_v1_{snake(parent)}_{snake(segment)}",
        )
        crud(paths, schemas, base, op_base, name, [parent_id], path_param("id", id_schema, name))
        if not has_update:
            detail = paths[f"{base}{{id}}/"]
            del detail["put"], detail["patch"]
    messages = "/api/v1/agents/{agent_id}/conversations/{conversation_id}/messages/"
    scope = [
        path_param("agent_id", {"type": "string"}, "agent"),
        path_param("conversation_id", {"type": "integer"}, "conversation"),
    ]
    paths[messages] = {
        "get": operation(
            "api_v1_agents_conversations_messages_list",
            respond("200", {"type": "array", "items": ref("Message")}),
            scope,
        ),
        "post": operation(
            "api_v1_agents_conversations_messages_create", respond("201", ref("Message")), scope, "Message"
        ),
    }
    sessions = "/api/v1/whatsapp-link-sessions/"
    session = ref("WhatsAppLinkSession")
    paths[sessions] = {
        "get": operation(
            "api_v1_whatsapp_link_sessions_list", respond("200", ref("PaginatedWhatsAppLinkSessionList")), PAGINATION
        ),
        "post": operation("api_v1_whatsapp_link_sessions_create", respond("201", session), None, "WhatsAppLinkSession"),
    }
    session_id = [path_param("id", {"type": "string", "format": "uuid"}, "session")]
    paths[f"{sessions}{{id}}/"] = {
        "get": operation("api_v1_whatsapp_link_sessions_retrieve", respond("200", session), session_id)
    }
    for resource, segment, method, detail, body, response in ACTIONS:
        name = next(name for seg, name, *_ in RESOURCES if seg == resource)
        params = [path_param("id", next(s for seg, _, s, *_ in RESOURCES if seg == resource), name)] if detail else []
        path = f"/api/v1/{resource}/{'{id}/' if detail else ''}{segment}/"
        schema = {"type": "object", "additionalProperties": {}} if response == "inline" else ref(response)
        verb = {"get": "retrieve", "post": "create"}[method]
        op_id = f"api_v1_{snake(resource)}_{snake(segment)}_{verb}"
        paths[path] = {method: operation(op_id, respond("200", schema), params or None, body)}
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Wassist API",
            "version": "1.0.0",
            "description": "Synthetic drf-spectacular style spec (generated by tests/specs/make_large.py).",
        },
        "servers": [
            {"url": "https://backend.wassist.app", "description": "Production"},
            {"url": "http://localhost:8050", "description": "Development"},
        ],
        "security": [],
        "paths": dict(sorted(paths.items())),  # drf-spectacular sorts paths alphabetically
        "components": {"schemas": dict(sorted(schemas.items())), "securitySchemes": {"ApiKeyAuth": SECURITY_SCHEME}},
    }


if __name__ == "__main__":
    OUT.write_text(json.dumps(build(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
