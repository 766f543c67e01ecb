"""Schema mismatches: the `Issue` record, JSON paths, and the scope that collects or logs them.

A mismatch never raises: `invalid()` records an `Issue` and hands the value back as received (a
missing required field becomes None). Where the issue goes depends on the active scope:

- inside `collect_issues()` (which `_response_body.json_body` opens for every 2xx body), issues are
  collected; the scope's owner raises them (strict mode) or logs them (lenient mode);
- outside any scope (a user calling `Model.from_dict(...)` directly), each issue is logged as a
  WARNING on the `wassist_api_client` logger at once.

JSON paths are tracked lazily: `from_dict` receives its position as a `JSONPath` chain of tuples
`(parent, key, ...)` rooted at "$"; it is rendered to `$.results[2].agent.linkUrl` only when an
issue is recorded.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from .types import UNSET

__all__ = [
    "Issue",
    "JSONPath",
    "Owner",
    "collect_issues",
    "describe",
    "invalid",
    "malformed",
    "render_path",
    "start_collecting",
    "stop_collecting",
]

logger = logging.getLogger("wassist_api_client")

# A position in a JSON document: "$" or a tuple (parent, key, key, ...) whose keys are object keys
# (str) or array indexes (int). Built in the hot path only as cheap tuples, rendered on demand.
JSONPath = str | tuple[Any, ...]
Owner = str | None


class Issue:
    """One place where received data does not match the spec (a plain class: a dataclass costs ~2 ms to import)."""

    __slots__ = ("expected", "model", "path", "received")

    def __init__(self, model: str | None, path: str, expected: str, received: str) -> None:
        self.model = model  # the schema (model class) whose field it is; None for a bare response body
        self.path = path  # JSON path with the spec's field names, e.g. $.results[2].agent.linkUrl
        self.expected = expected  # e.g. "string", "string (uuid)", "object (Agent)", "integer or null"
        self.received = received  # e.g. "object", "null", "nothing (field missing)", "string (not a valid uuid)"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Issue) and self._fields() == other._fields()

    def __hash__(self) -> int:
        return hash(self._fields())

    def __repr__(self) -> str:
        return "Issue({!r}, {!r}, {!r}, {!r})".format(*self._fields())

    def _fields(self) -> tuple[str | None, str, str, str]:
        return (self.model, self.path, self.expected, self.received)

    def __str__(self) -> str:
        where = f"{self.model} at {self.path}" if self.model else self.path
        return f"{where}: expected {self.expected}, received {self.received}"


_SCOPE: ContextVar[list[Issue] | None] = ContextVar("wassist_api_client_validation_issues", default=None)


@contextmanager
def collect_issues() -> Iterator[list[Issue]]:
    """Collect the issues recorded while parsing inside the block (instead of logging them)."""
    issues: list[Issue] = []
    token = _SCOPE.set(issues)
    try:
        yield issues
    finally:
        _SCOPE.reset(token)


def start_collecting() -> tuple[list[Issue], Any]:
    """The same as `collect_issues()` without a generator frame, for `_response_body.json_body`."""
    issues: list[Issue] = []
    return issues, _SCOPE.set(issues)


def stop_collecting(token: Any) -> None:
    _SCOPE.reset(token)


def _record(issue: Issue) -> None:
    issues = _SCOPE.get()
    if issues is None:
        logger.warning("Data does not match the spec, kept as received: %s", issue)
    else:
        issues.append(issue)


# ---------------------------------------------------------------------------------------------
# Describing values and paths (slow path only)


def describe(value: object) -> str:
    """The JSON type of a received value, for messages (never the value itself: it may be private)."""
    if value is UNSET:
        return "nothing (field missing)"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, (list, tuple)):
        return "array"
    if isinstance(value, Mapping):
        return "object"
    return type(value).__name__


def render_path(path: JSONPath, key: str | int | None = None) -> str:
    """`(("$", "results", 2), "agent")` + "linkUrl" -> `$.results[2].agent.linkUrl`."""
    keys: list[str | int] = [] if key is None else [key]
    node: Any = path
    while isinstance(node, tuple):
        keys.extend(reversed(node[1:]))
        node = node[0]
    parts = [str(node)]
    for part in reversed(keys):
        if isinstance(part, int):
            parts.append(f"[{part}]")
        elif part.isidentifier():
            parts.append(f".{part}")
        else:
            parts.append("[" + repr(part) + "]")
    return "".join(parts)


# ---------------------------------------------------------------------------------------------
# Recording mismatches


def invalid(value: Any, expected: str, owner: Owner, path: JSONPath, key: str | int | None = None) -> Any:
    """Record that `value` (at `path`/`key` of `owner`) is not `expected`; return it as received.

    A missing field (`UNSET`) becomes None, the value generated models use for "required but absent".
    """
    _record(Issue(owner, render_path(path, key), expected, describe(value)))
    return None if value is UNSET else value


def malformed(value: str, expected: str, what: str, owner: Owner, path: JSONPath, key: str | int | None) -> str:
    """Record a string that is not a valid `what` (uuid, date, ...); return it as received."""
    _record(Issue(owner, render_path(path, key), expected, f"string (not a valid {what})"))
    return value
