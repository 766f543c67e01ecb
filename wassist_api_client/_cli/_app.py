"""The click groups and commands, built on demand from the generated table (no operation module is imported)."""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from dateutil.parser import isoparse

from .._cli_commands import COMMANDS
from .._exceptions import WassistError
from . import _run
from ._table import Command, Param

PROG = "wassist"
if TYPE_CHECKING:
    _ParamType = click.ParamType[Any, Any]  # generic for type checkers; older click releases are not subscriptable
else:
    _ParamType = click.ParamType
_CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 110}


class _DateTime(_ParamType):
    name = "date-time"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> dt.datetime:
        if isinstance(value, dt.datetime):
            return value
        try:
            return isoparse(str(value))
        except ValueError:
            self.fail(f"{value!r} is not an ISO 8601 date-time (2026-01-31T12:00:00Z)", param, ctx)


class _Date(_ParamType):
    name = "date"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> dt.date:
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            self.fail(f"{value!r} is not an ISO 8601 date (2026-01-31)", param, ctx)


class _JSONValue(_ParamType):
    """A JSON value given inline; for `--json` also `-` (stdin) or `@file.json`."""

    name = "json"

    def __init__(self, sources: bool = False) -> None:
        self.sources = sources

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        text = str(value)
        if self.sources and text == "-":
            text = sys.stdin.read()
        elif self.sources and text.startswith("@"):
            try:
                text = Path(text[1:]).read_text(encoding="utf-8")
            except OSError as error:
                self.fail(f"cannot read {text[1:]!r}: {error.strerror}", param, ctx)
        try:
            return json.loads(text)
        except ValueError as error:
            self.fail(f"not valid JSON: {error}", param, ctx)


_TYPES: dict[str, _ParamType] = {
    "string": click.STRING,
    "integer": click.INT,
    "number": click.FLOAT,
    "date-time": _DateTime(),
    "date": _Date(),
    "json": _JSONValue(),
    "binary": click.File("rb"),
}


def _global_options() -> list[click.Parameter]:
    """On the root and on every command (a command's value wins)."""
    return [
        click.Option(["--base-url"], metavar="URL", help="The API (default: $WASSIST_BASE_URL or the real API)."),
        click.Option(["--timeout"], type=click.FloatRange(min=0, min_open=True), help="Seconds per request (60)."),
        click.Option(["--max-retries"], type=click.IntRange(min=0), help="Retries of a failed request (2)."),
        click.Option(["-v", "--verbose"], is_flag=True, default=None, help="Log each request to stderr."),
    ]


def _option(index: int, param: Param) -> click.Option:
    required = "[required unless in --json]" if param.required and param.location == "body" else ""
    repeat = "[repeatable]" if param.multiple else ""
    text = "  ".join(part for part in (param.help, repeat, required) if part)
    dest = f"p{index}"
    if param.kind == "boolean":
        return click.Option([f"--{param.name}/--no-{param.name}", dest], default=None, help=text)
    kind = click.Choice(param.choices) if param.kind == "enum" else _TYPES.get(param.kind, click.STRING)
    required_now = param.required and param.location == "query"
    return click.Option([f"--{param.name}", dest], type=kind, multiple=param.multiple, required=required_now, help=text)


def _help(command: Command) -> str:
    about = command.description or command.summary
    lines = [about, "", f"\b\n{command.operation}"] if about else [f"\b\n{command.operation}"]
    if command.arguments:
        width = max(len(argument.name) for argument in command.arguments) + 2
        lines += ["", "\b\nArguments:"]
        lines += [f"  {a.name.upper():<{width}}{a.help or 'passed as given'}" for a in command.arguments]
    return "\n".join(lines)


def _leaf(command: Command) -> click.Command:
    params: list[click.Parameter] = [
        click.Argument([f"a{index}"], metavar=argument.name.upper()) for index, argument in enumerate(command.arguments)
    ]
    params += [_option(index, param) for index, param in enumerate(command.options)]
    if command.body in ("json", "multipart"):
        json_help = "The whole body as JSON: inline, - (stdin) or @file.json; options override its fields."
        source = _JSONValue(sources=True)
        params.append(click.Option(["--json", "body_json"], type=source, metavar="JSON|@FILE|-", help=json_help))
    if command.body == "binary":
        params.append(click.Option(["--data", "data"], type=click.File("rb"), help="The body: a file, or - (stdin)."))
    if command.pages:
        params.append(click.Option(["--all", "all_pages"], is_flag=True, help="Every page, one item per line."))
    params += _global_options()

    def callback(**values: Any) -> None:
        ctx = click.get_current_context()
        settings = {**ctx.find_root().params, **{k: v for k, v in values.items() if v is not None}}
        given = [(p, values[f"p{i}"]) for i, p in enumerate(command.options)]
        body_fields = [(p, value) for p, value in given if p.location == "body" and value not in (None, ())]
        body_json = values.get("body_json")
        named = {p.key for p, _ in body_fields}
        missing = [f"--{p.name}" for p in command.options if p.location == "body" and p.required and p.key not in named]
        if command.body_required and body_json is None and missing:  # with --json, the API judges the body
            raise click.UsageError(f"Missing option {', '.join(missing)} (or the whole body with --json).", ctx)
        _run.execute(
            command,
            path={a.key: values[f"a{i}"] for i, a in enumerate(command.arguments)},
            query=[(p, value) for p, value in given if p.location == "query"],
            body_fields=body_fields,
            body_json=body_json,
            data=values.get("data"),
            all_pages=bool(values.get("all_pages")),
            settings=_run.Settings(
                base_url=settings.get("base_url"),
                timeout=settings.get("timeout"),
                max_retries=settings.get("max_retries"),
                verbose=bool(settings.get("verbose")),
            ),
        )

    short = command.summary or command.description.split("\n")[0]
    return click.Command(command.path[-1], params=params, callback=callback, help=_help(command), short_help=short)


class _Group(click.Group):
    """The commands under `prefix`, made when click asks for them."""

    def __init__(self, name: str, prefix: tuple[str, ...], commands: Sequence[Command], **kwargs: Any) -> None:
        super().__init__(name, context_settings=_CONTEXT, **kwargs)
        self.prefix = prefix
        self.children: dict[str, list[Command]] = {}
        for command in commands:
            self.children.setdefault(command.path[len(prefix)], []).append(command)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(self.children)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        members = self.children.get(cmd_name, [])
        depth = len(self.prefix) + 1
        for command in members:
            if len(command.path) == depth:
                return _leaf(command)
        if not members:
            return None
        actions = sorted({" ".join(command.path[depth:]) for command in members})
        return _Group(cmd_name, (*self.prefix, cmd_name), members, short_help=", ".join(actions))


def app(commands: Sequence[Command] = COMMANDS) -> click.Group:
    return _Group(
        PROG,
        (),
        commands,
        params=_global_options(),
        help="The Wassist API from the command line; the key comes from WASSIST_API_KEY.",
    )


def run(argv: Sequence[str], commands: Sequence[Command] = COMMANDS) -> int:
    """Run one command line; every failure is a message on stderr and a status (1, or 2 for bad usage)."""
    try:
        status = app(commands).main(list(argv), prog_name=PROG, standalone_mode=False)
    except click.ClickException as error:
        error.show()
        return error.exit_code
    except click.Abort:
        print("Aborted.", file=sys.stderr)
        return 1
    except WassistError as error:
        print(f"{PROG}: {_run.describe(error)}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        _run.silence_stdout()  # the reader left (`| head`): no second error when Python flushes stdout
        return 1
    except Exception as error:  # never a traceback: say what broke
        print(f"{PROG}: unexpected {type(error).__name__}: {error}", file=sys.stderr)
        return 1
    return status if isinstance(status, int) else 0
