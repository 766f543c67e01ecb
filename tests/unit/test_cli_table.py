"""codegen/cli_table.py on OperationModule values of our own (nested resources included), and the click app built
from such a table (help only: nothing is called)."""

from __future__ import annotations

from typing import Any

import pytest

from codegen.cli_table import CommandTableError, command_path, commands, render
from codegen.generate import OperationModule
from wassist_api_client._cli import _app
from wassist_api_client._cli._table import Command, Param

ID = {"name": "id", "in": "path", "required": True, "description": "The conversation.", "schema": {"type": "string"}}
ARRAY = {"type": "array", "items": {}}
SPEC: dict[str, Any] = {
    "paths": {
        "/api/v1/conversations/": {"get": {"operationId": "list", "parameters": []}},
        "/api/v1/conversations/{id}/messages/": {
            "parameters": [ID],
            "get": {
                "operationId": "messages_list",
                "description": "The messages of a conversation.",
                "parameters": [
                    {"name": "url", "in": "query", "schema": {"type": "string"}},
                    {"name": "id", "in": "query", "description": "Only this message.", "schema": {"type": "integer"}},
                    {"name": "pageSize", "in": "query", "required": True, "schema": {"type": "integer"}},
                ],
                "responses": {"200": {"content": {"application/json": {"schema": ARRAY}}, "description": ""}},
            },
        },
        "/api/v1/conversations/{id}/takeover/": {
            "post": {
                "operationId": "takeover",
                "parameters": [ID],
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/TakeoverRequest"}}},
                },
            }
        },
    },
    "components": {
        "schemas": {
            "TakeoverRequest": {
                "type": "object",
                "required": ["reason"],
                "properties": {
                    "reason": {"type": "string", "description": "Why a human takes over."},
                    "timeout": {"type": "integer"},
                    "all": {"type": "boolean"},
                    "mode": {"allOf": [{"$ref": "#/components/schemas/ModeEnum"}]},
                    "until": {"type": "string", "format": "date-time", "nullable": True},
                },
            },
            "ModeEnum": {"type": "string", "enum": ["silent", "announced"], "description": "* `silent` - Silent"},
        }
    },
}


def module(method: str, path: str, parts: tuple[str, ...]) -> OperationModule:
    return OperationModule(method, path, parts, SPEC["paths"][path][method])


MODULES = [
    module("get", "/api/v1/conversations/", ("conversations", "list_")),
    module("get", "/api/v1/conversations/{id}/messages/", ("conversations", "messages", "list_")),
    module("post", "/api/v1/conversations/{id}/takeover/", ("conversations", "takeover")),
]


def table() -> list[Command]:
    def params(rows: list[dict[str, Any]]) -> tuple[Param, ...]:
        return tuple(Param(**row) for row in rows)

    return [
        Command(**{**row, "arguments": params(row["arguments"]), "options": params(row["options"])})
        for row in commands(SPEC, MODULES)
    ]


def test_command_paths_are_the_module_parts_in_dashes() -> None:
    assert command_path(("whatsapp_link_sessions", "create")) == ("whatsapp-link-sessions", "create")
    assert command_path(("conversations", "messages", "list_")) == ("conversations", "messages", "list")
    assert command_path(("templates", "import_")) == ("templates", "import")
    assert [(c.path, c.module) for c in table()] == [
        (("conversations", "list"), "conversations.list_"),
        (("conversations", "messages", "list"), "conversations.messages.list_"),
        (("conversations", "takeover"), "conversations.takeover"),
    ]


def test_parameters_are_named_as_the_generator_names_them() -> None:
    messages = table()[1]

    assert [(a.name, a.key, a.help) for a in messages.arguments] == [("id", "id_path", "The conversation.")]
    assert [(o.name, o.key, o.kind, o.required) for o in messages.options] == [
        ("url", "url_query", "string", False),  # `url` is reserved in the generated functions
        ("id", "id_query", "integer", False),  # the same name in path and query: both get their location
        ("page-size", "page_size", "integer", True),
    ]
    assert messages.pages and messages.body is None


def test_body_fields_become_typed_options_and_clashes_get_a_prefix() -> None:
    takeover = table()[2]

    assert [(o.name, o.key, o.kind, o.choices, o.required) for o in takeover.options] == [
        ("reason", "reason", "string", (), True),
        ("body-timeout", "timeout", "integer", (), False),
        ("body-all", "all", "boolean", (), False),
        ("mode", "mode", "enum", ("silent", "announced"), False),
        ("until", "until", "date-time", (), False),
    ]
    assert takeover.options[0].help == "Why a human takes over."
    assert takeover.options[3].help == ""  # drf-spectacular's list of the values: the choices show them
    assert (takeover.body, takeover.body_required, takeover.pages) == ("json", True, False)


def test_a_command_that_would_also_be_a_group_is_refused() -> None:
    clash = [*MODULES, module("get", "/api/v1/conversations/", ("conversations", "messages"))]
    with pytest.raises(CommandTableError, match="`wassist conversations messages` would be a command and a group"):
        commands(SPEC, clash)
    with pytest.raises(CommandTableError, match="two operations would both be `wassist conversations list`"):
        commands(SPEC, [*MODULES, MODULES[0]])


def test_the_rendered_table_is_python_that_builds_the_same_commands() -> None:
    source = render(commands(SPEC, MODULES)).replace("from ._cli._table", "from wassist_api_client._cli._table")
    namespace: dict[str, Any] = {}
    exec(compile(source, "_cli_commands.py", "exec"), namespace)

    assert list(namespace["COMMANDS"]) == table()


def test_nested_commands_have_their_own_group_and_usage(capsys: pytest.CaptureFixture[str]) -> None:
    status = _app.run(["conversations", "--help"], commands=table())
    group = capsys.readouterr().out
    nested = _app.run(["conversations", "messages", "list", "--help"], commands=table())
    command = capsys.readouterr().out

    assert status == 0 and nested == 0
    assert "Usage: wassist conversations [OPTIONS] COMMAND [ARGS]..." in group
    assert [line.split()[0] for line in group.split("Commands:")[1].strip().splitlines()] == [
        "list",
        "messages",
        "takeover",
    ]
    assert "Usage: wassist conversations messages list [OPTIONS] ID" in command
    assert "The messages of a conversation." in command and "GET /api/v1/conversations/{id}/messages/" in command
    assert "--page-size INTEGER" in command and "[required]" in command


def test_a_missing_required_body_field_is_bad_usage(capsys: pytest.CaptureFixture[str]) -> None:
    status = _app.run(["conversations", "takeover", "c1", "--body-timeout", "5"], commands=table())

    assert status == 2
    error = capsys.readouterr().err
    assert error.startswith("Usage: wassist conversations takeover [OPTIONS] ID")
    assert "Missing option --reason (or the whole body with --json)." in error
