"""What the generated command table (`_cli_commands.py`) is made of: plain data, no click, no operation modules."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Param:
    """A path argument, a query parameter or a body field of one operation."""

    name: str  # the option without `--` (`success-url`), or the argument's name in the spec
    key: str  # the generated function's keyword (path, query) or the body's JSON field name
    kind: str  # string, integer, number, boolean, enum, date-time, date, binary or json
    location: str  # path, query or body
    required: bool
    help: str
    choices: tuple[str, ...] = ()
    multiple: bool = False


@dataclass(frozen=True)
class Command:
    """One operation as `wassist <path...>`, calling `api.<module>`."""

    path: tuple[str, ...]  # ("conversations", "messages", "list")
    module: str  # "conversations.messages.list_", under the package's `api`
    operation: str  # "GET /api/v1/conversations/{id}/messages/"
    summary: str
    description: str
    arguments: tuple[Param, ...]
    options: tuple[Param, ...]
    body: str | None  # json, multipart, binary, or None without a request body
    body_required: bool
    pages: bool  # a list operation: `--all` follows every page
