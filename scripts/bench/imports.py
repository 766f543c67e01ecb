"""The import section: fresh interpreters importing the package and one operation module vs httpx2."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scripts.bench._measure import Pair
from scripts.bench._settings import (
    PACKAGE,
    ROOT,
    TARGETS,
    Settings,
)

try:  # the record's reference only: the package never imports it
    import httpx
except ImportError:  # pragma: no cover - the dev virtualenv has it (the generator's dependency)
    httpx = None  # type: ignore[assignment]


_IMPORT_SCRIPT = """
import sys, time
before = set(sys.modules)
start = time.perf_counter_ns()
{imports}
elapsed = time.perf_counter_ns() - start
import json
print(json.dumps({{"ns": elapsed, "new": sorted(set(sys.modules) - before), "before": sorted(before)}}))
"""


@dataclass
class ImportTarget:
    label: str
    package: str
    path: Path  # the directory holding the package
    module: str  # the operation module imported with it

    @property
    def statement(self) -> str:
        """What a program needs for its first call: the package, the client class, one operation module."""
        return f"import {self.package}\ngetattr({self.package}, 'Wassist', None)\nimport {self.module}"


def _import_run(statement: str, path: Path, *, importtime: bool = False) -> tuple[dict[str, Any], str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env["PYTHONPATH"] = str(path)
    command = [sys.executable, *(["-X", "importtime"] if importtime else []), "-c"]
    result = subprocess.run(
        [*command, _IMPORT_SCRIPT.format(imports=statement)],
        cwd=path,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout), result.stderr


def _heaviest_operation_module(package_dir: Path, package: str) -> str:
    """The largest operation module of a generated package (the worst single import)."""
    modules = [p for p in (package_dir / "api").glob("*/*.py") if p.name != "__init__.py"]
    heaviest = max(modules, key=lambda p: (p.stat().st_size, str(p)))
    return f"{package}.api.{heaviest.parent.name}.{heaviest.stem}"


def _module_census(target: ImportTarget, new_modules: list[str]) -> dict[str, Any]:
    package_dir = target.path / target.package
    prefix = target.package + "."
    return {
        "operation_module": target.module,
        "operation_modules_in_package": sum(1 for p in (package_dir / "api").glob("*/*.py") if p.name != "__init__.py"),
        "model_modules_in_package": sum(1 for p in (package_dir / "models").glob("*.py") if p.name != "__init__.py"),
        "operation_modules_imported": sum(
            1 for m in new_modules if m.startswith(prefix + "api.") and m.count(".") == 3
        ),
        "model_modules_imported": sum(1 for m in new_modules if m.startswith(prefix + "models.") and m.count(".") == 2),
        "package_modules_imported": sum(1 for m in new_modules if m == target.package or m.startswith(prefix)),
        "modules_imported": len(new_modules),
    }


def _importtime_extra(target: ImportTarget, known: set[str], runs: int = 3) -> list[dict[str, Any]]:
    """The slowest modules (self time, median of `-X importtime` runs) the package imports beyond `known`."""
    self_us: dict[str, list[int]] = {}
    cumulative_us: dict[str, list[int]] = {}
    for _ in range(runs):
        _, stderr = _import_run(target.statement, target.path, importtime=True)
        for line in stderr.splitlines():
            if not line.startswith("import time:") or "self [us]" in line:
                continue
            own, total, name = (part.strip() for part in line.removeprefix("import time:").split("|"))
            if name not in known:
                self_us.setdefault(name, []).append(int(own))
                cumulative_us.setdefault(name, []).append(int(total))
    rows: list[dict[str, Any]] = [
        {"module": name, "self_us": int(statistics.median(own)), "cumulative_us": int(statistics.median(total))}
        for (name, own), total in zip(self_us.items(), cumulative_us.values(), strict=True)
    ]
    rows.sort(key=lambda row: -row["self_us"])
    return rows[:12]


def bench_import(settings: Settings, large: tuple[str, Path] | None) -> tuple[list[Pair], dict[str, Any]]:
    targets = [ImportTarget("vendored spec", PACKAGE, ROOT, settings.operation)]
    if large is not None:
        package, path = large
        targets.append(
            ImportTarget(f"{package} (corpus)", package, path, _heaviest_operation_module(path / package, package))
        )
    baseline = "import httpx2"
    # Warm-up run of each: writes the bytecode caches, so every timed run reads .pyc files.
    httpx_run, _ = _import_run(baseline, ROOT)
    runs = {t.label: _import_run(t.statement, t.path)[0] for t in targets}
    samples: dict[str, list[float]] = {"httpx2": [], "httpx": [], **{t.label: [] for t in targets}}
    jobs: list[tuple[str, str, Path]] = [("httpx2", baseline, ROOT), *((t.label, t.statement, t.path) for t in targets)]
    if httpx is not None:  # for the record: raw httpx's import, in the same runs
        _import_run("import httpx", ROOT)
        jobs.append(("httpx", "import httpx", ROOT))
    for index in range(settings.import_runs):
        shift = index % len(jobs)
        for label, statement, path in jobs[shift:] + jobs[:shift]:
            samples[label].append(_import_run(statement, path)[0]["ns"])
    httpx_modules = set(httpx_run["new"])
    startup_modules = set(httpx_run["before"])
    pairs = []
    details: dict[str, Any] = {"httpx_modules_imported": len(httpx_modules)}
    for key, target in zip(("import", "import_large"), targets, strict=False):
        pair = Pair(
            key,
            f"import time, {target.label}",
            "import httpx2",
            f"import {target.package} + Wassist + {'.'.join(target.module.rsplit('.', 2)[-2:])}",
            unit="fresh interpreter",
            baseline=samples["httpx2"],
            candidate=samples[target.label],
            target=TARGETS[key],
            reference_label="import httpx" if samples["httpx"] else None,
            reference=samples["httpx"],
        )
        census = _module_census(target, runs[target.label]["new"])
        census["modules_beyond_httpx"] = sorted(set(runs[target.label]["new"]) - httpx_modules)
        census["slowest_modules_beyond_httpx"] = _importtime_extra(target, httpx_modules | startup_modules)
        pair.extra["modules"] = {k: v for k, v in census.items() if not isinstance(v, list)}
        details[key] = census
        pairs.append(pair)
    return pairs, details


def import_lines(details: dict[str, Any]) -> list[str]:
    lines = [f"\nimports: `import httpx2` loads {details['httpx_modules_imported']} modules"]
    for key in ("import", "import_large"):
        if key not in details:
            continue
        census = details[key]
        lines.append(
            f"  {census['operation_module']}: {census['modules_imported']} modules "
            f"({census['package_modules_imported']} of the package: {census['operation_modules_imported']} of "
            f"{census['operation_modules_in_package']} operation modules, {census['model_modules_imported']} of "
            f"{census['model_modules_in_package']} model modules); beyond httpx2, slowest: "
            + ", ".join(f"{row['module']} {row['self_us']} µs" for row in census["slowest_modules_beyond_httpx"][:6])
        )
    return lines
