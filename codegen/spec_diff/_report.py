"""What a diff produces: where a schema travels (`Side`), how a change affects it (`Effect`), the breaking rule,
and the `Change`s and `Report` with its semver level, bump and rendering."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass

VERSION_RE = re.compile(r"^(\d+)\.(\d+)\.(\d+)$")


class Side(enum.Flag):
    """Where a schema travels: sent by the client, returned to it, or both."""

    NONE = 0
    REQUEST = 1
    RESPONSE = 2
    BOTH = 3


class Effect(enum.Enum):
    """How a change affects the set of valid values."""

    SAME = "same"
    WIDENED = "widened"
    NARROWED = "narrowed"
    CHANGED = "changed"


def is_breaking(effect: Effect, side: Side) -> bool:
    """The side-aware rule described in the package docstring (codegen/spec_diff/__init__.py)."""
    if effect is Effect.CHANGED:
        return True
    if effect is Effect.NARROWED:
        return bool(side & Side.REQUEST)
    if effect is Effect.WIDENED:
        return bool(side & Side.RESPONSE)
    return False


@dataclass(frozen=True)
class Change:
    kind: str
    location: str
    message: str
    breaking: bool


@dataclass(frozen=True)
class Report:
    changes: tuple[Change, ...]
    text_changed: bool

    @property
    def breaking(self) -> bool:
        return any(change.breaking for change in self.changes)

    @property
    def breaking_changes(self) -> tuple[Change, ...]:
        return tuple(change for change in self.changes if change.breaking)

    @property
    def non_breaking_changes(self) -> tuple[Change, ...]:
        return tuple(change for change in self.changes if not change.breaking)

    @property
    def level(self) -> str:
        """The semantic-versioning level of the change: major, minor, patch or none."""
        if self.breaking:
            return "major"
        if self.changes:
            return "minor"
        return "patch" if self.text_changed else "none"

    def bump(self, version: str) -> str:
        match = VERSION_RE.match(version)
        if match is None:
            raise ValueError(f"version {version!r} is not of the form X.Y.Z")
        major, minor, patch = (int(part) for part in match.groups())
        if self.level == "major":
            return f"{major + 1}.0.0"
        if self.level == "minor":
            return f"{major}.{minor + 1}.0"
        if self.level == "patch":
            return f"{major}.{minor}.{patch + 1}"
        return version

    def summary(self) -> str:
        if self.changes:
            return f"{len(self.changes)} API change(s), {len(self.breaking_changes)} breaking."
        if self.text_changed:
            return "No API changes; only the spec's text (descriptions, examples, metadata) changed."
        return "No changes: the specs are identical."

    def to_markdown(self) -> str:
        lines = [self.summary()]
        if self.changes:
            for title, changes in self._sections():
                lines += ["", f"### {title}", ""]
                lines += [f"- `{c.location}` — {c.message}" for c in changes] or ["None."]
        return "\n".join(lines) + "\n"

    def to_text(self) -> str:
        lines = [self.summary()]
        if self.changes:
            for title, changes in self._sections():
                lines += ["", f"{title}:"]
                lines += [f"  - {c.location}: {c.message}" for c in changes] or ["  (none)"]
        return "\n".join(lines) + "\n"

    def _sections(self) -> list[tuple[str, tuple[Change, ...]]]:
        return [("Breaking", self.breaking_changes), ("Non-breaking", self.non_breaking_changes)]
