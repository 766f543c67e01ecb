"""The generate section: `python -m codegen.generate` wall and CPU time, and how it grows with operations."""

from __future__ import annotations

import json
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from scripts.bench import data as bench_data
from scripts.bench._settings import (
    ROOT,
    SPEC,
    Settings,
)


def _generate(spec: Path, package_dir: Path) -> tuple[float, float, float]:
    """(wall ns, user and system CPU s of the generator and its children) of one `python -m codegen.generate`."""
    shutil.rmtree(package_dir, ignore_errors=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter_ns()
    result = subprocess.run(
        [sys.executable, "-m", "codegen.generate", "--spec", str(spec), "--package-dir", str(package_dir)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter_ns() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        raise RuntimeError(f"generating from {spec.name} failed:\n{result.stdout}{result.stderr}")
    return elapsed, after.ru_utime - before.ru_utime, after.ru_stime - before.ru_stime


def build_package(spec: Path, out_dir: Path) -> tuple[str, Path]:
    """Generate a package from `spec` into `out_dir` (not timed); (package name, its parent directory)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    package = _package_name(spec)
    _generate(spec, out_dir / package)
    return package, out_dir


def _package_name(spec: Path) -> str:
    """`bench_<stem>_client`: never the name of a package a test or the project imports."""
    return "bench_" + re.sub(r"\W", "_", spec.stem) + "_client"


def bench_generate(settings: Settings) -> tuple[dict[str, Any], tuple[str, Path] | None]:
    """Generation wall time per spec; also leaves the large package in place for `import`/`parse`."""
    specs_dir, out_dir = settings.work / "specs", settings.work / "generated"
    specs_dir.mkdir(exist_ok=True)
    out_dir.mkdir(exist_ok=True)
    specs = [("vendored", SPEC)]
    if settings.large_spec is not None:
        large = json.loads(settings.large_spec.read_text(encoding="utf-8"))
        specs.append((settings.large_spec.stem, settings.large_spec))
        if settings.replicas > 1:  # the same API with more resources: how the cost grows past today's size
            replicated = specs_dir / f"{settings.large_spec.stem}_x{settings.replicas}.json"
            document = bench_data.replicate_spec(large, settings.replicas)
            replicated.write_text(json.dumps(document, indent=2), encoding="utf-8")
            specs.append((f"{settings.large_spec.stem} x{settings.replicas}", replicated))
    wall: dict[str, list[float]] = {label: [] for label, _ in specs}
    cpu: dict[str, list[float]] = {label: [] for label, _ in specs}
    system: dict[str, list[float]] = {label: [] for label, _ in specs}
    for index in range(settings.generate_rounds):
        shift = index % len(specs)
        for label, spec in specs[shift:] + specs[:shift]:
            elapsed, user_s, system_s = _generate(spec, out_dir / _package_name(spec))
            wall[label].append(elapsed / 1e9)
            cpu[label].append(user_s + system_s)
            system[label].append(system_s)
    rows: list[dict[str, Any]] = []
    for label, spec in specs:
        document = json.loads(spec.read_text(encoding="utf-8"))
        rows.append(
            {
                "spec": label,
                "file": str(spec.relative_to(ROOT) if spec.is_relative_to(ROOT) else spec.name),
                "operations": bench_data.count_operations(document),
                "schemas": len(document.get("components", {}).get("schemas", {})),
                "median_s": round(statistics.median(wall[label]), 3),
                "median_cpu_s": round(statistics.median(cpu[label]), 3),
                "median_system_cpu_s": round(statistics.median(system[label]), 3),
                "runs_s": [round(s, 3) for s in wall[label]],
            }
        )
    result: dict[str, Any] = {"rounds": settings.generate_rounds, "specs": rows}
    if len(rows) == 3:
        # CPU time of the generator's processes: what grows with the spec, less disturbed by other load.
        (n0, t0), (n1, t1), (n2, t2) = ((r["operations"], r["median_cpu_s"]) for r in rows)
        first = (t1 - t0) / max(1, n1 - n0)
        second = (t2 - t1) / max(1, n2 - n1)
        result["fixed_cpu_s"] = round(t0, 2)
        result["cpu_ms_per_operation_first"] = round(first * 1000, 1)
        result["cpu_ms_per_operation_then"] = round(second * 1000, 1)
        # 1.0: linear; above 1: an operation costs more the more there are.
        result["growth"] = round(second / first, 2) if first > 0 else None
    large_package = None if settings.large_spec is None else (_package_name(settings.large_spec), out_dir)
    return result, large_package
