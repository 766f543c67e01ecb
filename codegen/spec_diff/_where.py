"""Where a (sub)schema sits in the report: a model path or a subject inside an operation."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from codegen.spec_diff._report import Side


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


def _join_path(parts: Iterable[str]) -> str:
    """`Agent.tags[]`, `Agent.metadata{}`: item and value markers attach without a dot."""
    return ".".join(parts).replace(".[]", "[]").replace(".{}", "{}")
