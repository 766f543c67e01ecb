"""How much the contract suite does per spec. `make test-real` (scripts/test_real.py) sets these variables to run
the suite on one real spec at a time, with the wire calls sampled on large specs; unset, everything runs."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from hypothesis import Phase

SPECS_ENV = "WASSIST_CONTRACT_SPECS"  # os.pathsep-separated spec files: the suite covers these instead
WIRE_OPERATIONS_ENV = "WASSIST_CONTRACT_WIRE_OPERATIONS"  # at most this many operations per spec on the wire
EXAMPLES_ENV = "WASSIST_CONTRACT_EXAMPLES"  # hypothesis examples per schema in the round trip
DYNAMIC_CALLS_ENV = "WASSIST_CONTRACT_DYNAMIC_CALLS"  # `Prefer: dynamic=true` calls per operation
SHRINK_ENV = "WASSIST_CONTRACT_SHRINK"  # 0: report a failing round-trip example as drawn, without shrinking it


def selected_specs() -> list[Path] | None:
    value = os.environ.get(SPECS_ENV, "").strip()
    return [Path(item).resolve() for item in value.split(os.pathsep) if item] if value else None


def _number(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def max_examples(default: int) -> int:
    return _number(EXAMPLES_ENV, default)


def dynamic_calls(default: int) -> int:
    return _number(DYNAMIC_CALLS_ENV, default)


def phases() -> tuple[Phase, ...]:
    """Hypothesis phases: shrinking a failing instance of a large real schema can take longer than the whole run
    (minutes per test, and memory growing with every candidate), so `make test-real` reports it as drawn."""
    if os.environ.get(SHRINK_ENV, "").strip() == "0":
        return (Phase.explicit, Phase.reuse, Phase.generate)
    return tuple(Phase)


def wire_sample(labels: list[str]) -> list[int]:
    """Indices of the operations to call on the wire: all of them, or a deterministic sample (by a hash of each
    label, so that one operation's place in the sample does not depend on the others)."""
    limit = _number(WIRE_OPERATIONS_ENV, 0)
    indices = list(range(len(labels)))
    if limit <= 0 or limit >= len(labels):
        return indices
    ranked = sorted(indices, key=lambda index: hashlib.sha256(labels[index].encode()).hexdigest())
    return sorted(ranked[:limit])
