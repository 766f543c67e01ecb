"""One command's call: its generated operation module, the client, the output and the error messages."""

from __future__ import annotations

import enum
import importlib
import inspect
import json
import logging
import os
import sys
import typing
from dataclasses import dataclass
from types import ModuleType
from typing import IO, Any

from .._exceptions import APIConnectionError, APIResponseValidationError, APIStatusError, WassistError
from ._table import Command, Param

_PACKAGE = __name__.rsplit(".", 2)[0]  # wassist_api_client, or a package generated from another spec
_logger = logging.getLogger("wassist_api_client")  # the name the runtime logs under, in every package


@dataclass(frozen=True)
class Settings:
    base_url: str | None
    timeout: float | None
    max_retries: int | None
    verbose: bool


def execute(
    command: Command,
    *,
    path: dict[str, str],
    query: list[tuple[Param, Any]],
    body_fields: list[tuple[Param, Any]],
    body_json: Any,
    data: IO[bytes] | None,
    all_pages: bool,
    settings: Settings,
) -> None:
    """Call the command's generated function; print the response's JSON (or every item with `all_pages`)."""
    from .._client import DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT, Wassist
    from .._pagination import paginate

    if not os.environ.get("WASSIST_API_KEY"):
        raise WassistError(
            "no API key: set the WASSIST_API_KEY environment variable "
            "(there is no --api-key option: it would leave the key in your shell history)"
        )
    _log_to_stderr(verbose=settings.verbose)
    module = importlib.import_module(f"{_PACKAGE}.api.{command.module}")
    hints = _hints(module)
    kwargs: dict[str, Any] = dict(path)
    for param, value in query:
        if value not in (None, ()):
            kwargs[param.key] = _query_value(param, value, hints.get(param.key))
    if command.body == "binary" and data is not None:
        kwargs["body"] = _file(data)
    elif command.body is not None and (body_json is not None or body_fields):
        kwargs["body"] = _body(body_json, body_fields, hints.get("body"))
    timeout = DEFAULT_TIMEOUT if settings.timeout is None else settings.timeout
    retries = DEFAULT_MAX_RETRIES if settings.max_retries is None else settings.max_retries
    with Wassist(base_url=settings.base_url, timeout=timeout, max_retries=retries) as client:
        if not all_pages:
            _print_content(module.sync_detailed(client=client, **kwargs).content)
            return
        progress = sys.stderr.isatty()
        count = 0
        for item in paginate(module.sync, client=client, **kwargs):
            _print_json(item.to_dict() if hasattr(item, "to_dict") else item, pretty=False)
            count += 1
            if progress:
                print(f"\rwassist: {count} items", end="", file=sys.stderr, flush=True)
        if progress:
            print(f"\rwassist: {count} items, every page", file=sys.stderr)


def describe(error: WassistError) -> str:
    """One line for stderr: the class, and what the API (or the connection) said."""
    name = type(error).__name__
    if isinstance(error, APIStatusError):
        code = f" [{error.code}]" if error.code else ""
        request_id = f" (request id {error.request_id})" if error.request_id else ""
        where = f"{error.request.method} {error.request.url.path}"
        return f"{name}: {error.status_code} {error.message}{code}{request_id} from {where}"
    if isinstance(error, APIConnectionError):
        cause = error.__cause__
        reason = f" ({type(cause).__name__}: {cause})" if cause is not None and str(cause) not in error.message else ""
        return f"{name}: {error.request.method} {error.request.url}: {error.message}{reason}"
    if isinstance(error, APIResponseValidationError):
        return f"{name}: {error.message}"
    return str(error) if type(error) is WassistError else f"{name}: {error}"


def silence_stdout() -> None:
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def _log_to_stderr(*, verbose: bool) -> None:
    """Warnings (a body that does not fit its model) always; each request with -v (the runtime never logs keys)."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("wassist: %(message)s"))
    _logger.addHandler(handler)
    _logger.setLevel(logging.DEBUG if verbose else logging.WARNING)


def _hints(module: ModuleType) -> dict[str, Any]:
    try:
        return typing.get_type_hints(module.sync)
    except Exception:  # an annotation that cannot be resolved: use what inspect sees
        return {name: p.annotation for name, p in inspect.signature(module.sync).parameters.items()}


def _members(annotation: Any) -> list[Any]:
    """The classes inside an annotation (`Status | Unset`, `list[Status] | Unset`)."""
    found = [annotation] if isinstance(annotation, type) else []
    for argument in typing.get_args(annotation):
        found += _members(argument)
    return found


def _query_value(param: Param, value: Any, annotation: Any) -> Any:
    enum_class = next((c for c in _members(annotation) if issubclass(c, enum.Enum)), None)
    if enum_class is not None:
        return [enum_class(v) for v in value] if param.multiple else enum_class(value)
    return list(value) if param.multiple else value


def _body(document: Any, fields: list[tuple[Param, Any]], annotation: Any) -> Any:
    """The body model from `--json` and the field options (which win)."""
    if fields:
        document = dict(document) if isinstance(document, dict) else {}
        for param, value in fields:
            document[param.key] = _body_value(param, value)
    model = next((c for c in _members(annotation) if hasattr(c, "from_dict")), None)
    if model is None:
        return document
    if not isinstance(document, dict):
        raise WassistError(f"the body must be a JSON object ({model.__name__}), not {type(document).__name__}")
    return model.from_dict(document)


def _body_value(param: Param, value: Any) -> Any:
    if param.multiple:
        return [_body_value(Param(**{**param.__dict__, "multiple": False}), v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "read"):  # a multipart file field
        return value.read()
    return value


def _file(data: IO[bytes]) -> Any:
    file_class = importlib.import_module(f"{_PACKAGE}.types").File
    return file_class(payload=data, file_name=os.path.basename(getattr(data, "name", "") or "") or None)


def _print_content(content: bytes) -> None:
    if not content:
        return
    try:
        document = json.loads(content)
    except ValueError:  # a download: the bytes as they came
        sys.stdout.buffer.write(content)
        return
    _print_json(document, pretty=sys.stdout.isatty())


def _print_json(document: Any, *, pretty: bool) -> None:
    if pretty:
        print(json.dumps(document, indent=2, ensure_ascii=False))
    else:
        print(json.dumps(document, ensure_ascii=False, separators=(",", ":")))
