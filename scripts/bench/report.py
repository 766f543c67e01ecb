"""The report: the machine it ran on and the table of pairs and generation times."""

from __future__ import annotations

import contextlib
import os
import platform
from pathlib import Path
from typing import Any

import httpx2

from scripts.bench._measure import Pair

try:  # the record's reference only: the package never imports it
    import httpx
except ImportError:  # pragma: no cover - the dev virtualenv has it (the generator's dependency)
    httpx = None  # type: ignore[assignment]


def machine() -> dict[str, Any]:
    model = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return {
        "cpus": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "cpu_model": model,
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "httpx2": httpx2.__version__,
        "httpx": None if httpx is None else httpx.__version__,
    }


def _duration(ns: float) -> str:
    if ns >= 1e9:
        return f"{ns / 1e9:.2f} s"
    if ns >= 1e6:
        return f"{ns / 1e6:.2f} ms"
    return f"{ns / 1e3:.2f} µs"


def _shown(ratio: float, as_percent: bool) -> str:
    return f"{(ratio - 1) * 100:+.0f}%" if as_percent else f"{ratio:.3f}x"


def table(pairs: list[Pair], generation: dict[str, Any] | None) -> list[str]:
    """Against raw httpx2; for the record, raw httpx's time, the candidate against it and httpx against httpx2."""
    lines = [
        f"{'measure':<42} {'httpx2':>10} {'candidate':>10} {'ratio':>7} {'target':>7}  {'':4} "
        f"{'httpx':>10} {'vs httpx':>8} {'httpx/2':>7}  rounds x iters, clock",
    ]
    for pair in pairs:
        s = pair.summary()
        is_import = pair.key.startswith("import")
        ratio = _shown(s["ratio"], is_import)
        if is_import:
            target = f"+{(pair.target or 0) * 100 - 100:.0f}%"
        else:
            target = f"{pair.target:.2f}x" if pair.target is not None else "-"
        verdict = "" if s["met"] is None else ("ok" if s["met"] else "MISS")
        record = f"{'-':>10} {'-':>8} {'-':>7}"
        if "reference_median_ns" in s:
            record = (
                f"{_duration(s['reference_median_ns']):>10} {_shown(s['ratio_vs_reference'], is_import):>8} "
                f"{_shown(s['reference_vs_baseline'], is_import):>7}"
            )
        lines.append(
            f"{pair.title:<42} {_duration(s['baseline_median_ns']):>10} {_duration(s['candidate_median_ns']):>10} "
            f"{ratio:>7} {target:>7}  {verdict:4} {record}  {s['rounds']} x {s['inner']} {s['clock']}"
        )
    if generation:
        for row in generation["specs"]:
            lines.append(
                f"{'generate ' + row['spec']:<42} {row['operations']:>4} ops {row['schemas']:>3} schemas "
                f"{row['median_s']:6.2f} s wall {row['median_cpu_s']:6.2f} s CPU "
                f"({row['median_system_cpu_s']:.2f} system)  {generation['rounds']} runs"
            )
        if "growth" in generation:
            (_, n1), (_, n2) = ((r["spec"], r["operations"]) for r in generation["specs"][1:])
            lines.append(
                f"{'  growth':<42} {generation['fixed_cpu_s']:.1f} s CPU fixed; per operation "
                f"{generation['cpu_ms_per_operation_first']:.1f} ms CPU up to {n1} ops, "
                f"{generation['cpu_ms_per_operation_then']:.1f} ms from {n1} to {n2} (ratio {generation['growth']})"
            )
    return lines
