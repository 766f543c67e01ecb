"""Measurement: a Pair of baseline and candidate samples, interleaved rounds, calibrated iterations."""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Pair:
    """One measure: baseline and candidate samples (ns per unit), one of each per round."""

    key: str
    title: str
    baseline_label: str
    candidate_label: str
    unit: str = "call"
    inner: int = 1
    baseline: list[float] = field(default_factory=list)
    candidate: list[float] = field(default_factory=list)
    target: float | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    # "wall": perf_counter_ns. "cpu": this thread's CPU time (thread_time_ns), for in-process measures
    # on a shared machine: time spent descheduled by other processes' load does not count. The wall
    # clock is then kept alongside, in baseline_wall/candidate_wall.
    clock: str = "wall"
    baseline_wall: list[float] = field(default_factory=list)
    candidate_wall: list[float] = field(default_factory=list)
    # For the record: raw httpx timed in the same rounds (None when httpx is not installed).
    reference_label: str | None = None
    reference: list[float] = field(default_factory=list)
    reference_wall: list[float] = field(default_factory=list)

    @property
    def rounds(self) -> int:
        return len(self.baseline)

    @property
    def ratio(self) -> float:
        """Median of the per-round ratios: paired, so slow drifts of the machine cancel out."""
        return statistics.median(c / b for b, c in zip(self.baseline, self.candidate, strict=True))

    def summary(self) -> dict[str, Any]:
        ratios = sorted(c / b for b, c in zip(self.baseline, self.candidate, strict=True))
        base, cand = statistics.median(self.baseline), statistics.median(self.candidate)
        return {
            "title": self.title,
            "baseline": self.baseline_label,
            "candidate": self.candidate_label,
            "unit": self.unit,
            "baseline_median_ns": round(base, 1),
            "candidate_median_ns": round(cand, 1),
            "ratio": round(self.ratio, 4),
            "ratio_of_medians": round(cand / base, 4),
            "ratio_min": round(ratios[0], 4),
            "ratio_max": round(ratios[-1], 4),
            "overhead_ns": round(cand - base, 1),
            "rounds": self.rounds,
            "inner": self.inner,
            "target": self.target,
            "met": None if self.target is None else self.ratio <= self.target,
            "clock": self.clock,
            **(
                {"ratio_wall": round(_paired(self.baseline_wall, self.candidate_wall), 4)} if self.baseline_wall else {}
            ),
            **(self._reference_summary() if self.reference else {}),
            **self.extra,
        }

    def _reference_summary(self) -> dict[str, Any]:
        return {
            "reference": self.reference_label,
            "reference_median_ns": round(statistics.median(self.reference), 1),
            # the candidate against raw httpx, and raw httpx against raw httpx2 (the baseline)
            "ratio_vs_reference": round(_paired(self.reference, self.candidate), 4),
            "reference_vs_baseline": round(_paired(self.baseline, self.reference), 4),
        }


def _paired(baseline: list[float], candidate: list[float]) -> float:
    return statistics.median(c / b for b, c in zip(baseline, candidate, strict=True))


def _time_loop(fn: Callable[[], object], inner: int) -> tuple[float, float]:
    """(wall, thread CPU) ns per call of `fn` over `inner` calls, with the collector off (for both sides alike)."""
    gc.collect()
    gc.disable()
    try:
        start, start_cpu = time.perf_counter_ns(), time.thread_time_ns()
        for _ in range(inner):
            fn()
        cpu = time.thread_time_ns() - start_cpu
        return (time.perf_counter_ns() - start) / inner, cpu / inner
    finally:
        gc.enable()


def calibrate(fns: list[Callable[[], object]], sample_ns: float) -> int:
    """Iterations per sample so that the slowest of `fns` runs about `sample_ns`."""
    slowest = 0.0
    for fn in fns:
        fn()  # warm up: first-call caches, connection set-up
        n, per_call = 1, 0.0
        while True:
            start = time.perf_counter_ns()
            for _ in range(n):
                fn()
            elapsed = time.perf_counter_ns() - start
            if elapsed > min(20e6, sample_ns / 4) or n >= 1 << 16:
                per_call = elapsed / n
                break
            n *= 2
        slowest = max(slowest, per_call)
    return max(1, int(sample_ns / slowest))


def interleave(
    pair: Pair,
    baseline: Callable[[], object],
    candidate: Callable[[], object],
    rounds: int,
    reference: Callable[[], object] | None = None,
) -> Pair:
    """`rounds` rounds of one baseline and one candidate sample (and one of raw httpx, when given), rotating
    which goes first."""
    order = [(pair.baseline, pair.baseline_wall, baseline), (pair.candidate, pair.candidate_wall, candidate)]
    if reference is not None:
        order.append((pair.reference, pair.reference_wall, reference))
    for index in range(rounds):
        shift = index % len(order)
        for samples, wall_samples, fn in order[shift:] + order[:shift]:
            wall, cpu = _time_loop(fn, pair.inner)
            if pair.clock == "cpu":
                samples.append(cpu)
                wall_samples.append(wall)
            else:
                samples.append(wall)
    return pair


async def _time_async(fn: Callable[[], Awaitable[object]], inner: int) -> float:
    gc.collect()
    gc.disable()
    try:
        start = time.perf_counter_ns()
        for _ in range(inner):
            await fn()
        return (time.perf_counter_ns() - start) / inner
    finally:
        gc.enable()
