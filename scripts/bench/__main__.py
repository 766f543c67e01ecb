"""`python -m scripts.bench`: the arguments, the sections run in turn, the table and build/bench.json."""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import scripts.bench
from scripts.bench import data as bench_data
from scripts.bench import fleet as bench_fleet
from scripts.bench._measure import Pair
from scripts.bench._operation import (
    Operation,
    client_label,
    load_operation,
)
from scripts.bench._settings import (
    CORPUS,
    DEFAULT_OPERATION,
    DEFAULT_OUTPUT,
    SECTIONS,
    SPEC,
    Settings,
)
from scripts.bench.generation import bench_generate, build_package
from scripts.bench.imports import bench_import, import_lines
from scripts.bench.parse import bench_parse
from scripts.bench.percall import bench_loopback, bench_percall_mock
from scripts.bench.profile import bench_profile, profile_lines
from scripts.bench.report import machine, table


def default_large_spec() -> Path | None:
    """tests/specs/large.json, else the corpus spec with the most operations (None without a corpus)."""
    if (CORPUS / "large.json").is_file():
        return CORPUS / "large.json"
    specs = []
    for path in sorted(CORPUS.glob("*.json")):
        with contextlib.suppress(ValueError, OSError):
            specs.append((bench_data.count_operations(json.loads(path.read_text(encoding="utf-8"))), path))
    return max(specs)[1] if specs else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=scripts.bench.__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=41, help="interleaved rounds per per-call and parse measure")
    parser.add_argument("--async-rounds", type=int, default=11, help="interleaved rounds of concurrent batches")
    parser.add_argument("--import-runs", type=int, default=30, help="fresh interpreters per side for import time")
    parser.add_argument("--generate-rounds", type=int, default=3, help="generator runs per spec")
    parser.add_argument("--scale", type=float, default=1.0, help="multiplies the time of each sample")
    parser.add_argument("--only", default=",".join(SECTIONS), help=f"comma-separated subset of {','.join(SECTIONS)}")
    parser.add_argument("--concurrency", type=int, default=100, help="concurrent calls per async batch")
    parser.add_argument("--replicas", type=int, default=4, help="generate also the large spec's operations N times")
    parser.add_argument(
        "--clock",
        choices=("cpu", "wall"),
        default="cpu",
        help="clock of the in-process measures: this thread's CPU time (robust to other load) or wall time",
    )
    parser.add_argument("--operation", default=DEFAULT_OPERATION, help="the operation module to call")
    parser.add_argument("--large-spec", type=Path, default=None, help="the ~120-operation spec (default: corpus)")
    parser.add_argument("--no-large", action="store_true", help="only the vendored spec")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--fleet", default="500,4,8,50", help="fleet: requests,processes,threads,limit per second")
    args = parser.parse_args(argv)
    sections = [s.strip() for s in args.only.split(",") if s.strip()]
    unknown = set(sections) - set(SECTIONS)
    if unknown:
        parser.error(f"unknown sections: {', '.join(sorted(unknown))}")
    large_spec = None if args.no_large else (args.large_spec or default_large_spec())

    started = time.perf_counter_ns()
    spec = json.loads(SPEC.read_text(encoding="utf-8"))
    report: dict[str, Any] = {
        "machine": machine(),
        "client": client_label(),
        "settings": {},
        "results": {},
        "section_s": {},
    }
    report["settings"] = {
        "rounds": args.rounds,
        "async_rounds": args.async_rounds,
        "import_runs": args.import_runs,
        "generate_rounds": args.generate_rounds,
        "scale": args.scale,
        "concurrency": args.concurrency,
        "replicas": args.replicas,
        "clock": args.clock,
        "operation": args.operation,
        "fleet": args.fleet,
        "large_spec": str(large_spec) if large_spec else None,
    }
    errors: dict[str, str] = {}
    pairs: list[Pair] = []
    with tempfile.TemporaryDirectory(prefix="wassist-bench-") as work_dir:
        settings = Settings(
            rounds=args.rounds,
            async_rounds=args.async_rounds,
            import_runs=args.import_runs,
            generate_rounds=args.generate_rounds,
            scale=args.scale,
            concurrency=args.concurrency,
            replicas=args.replicas,
            clock=args.clock,
            operation=args.operation,
            large_spec=large_spec,
            work=Path(work_dir),
        )
        large: tuple[str, Path] | None = None
        try:
            section_start = time.perf_counter_ns()
            if "generate" in sections:
                _progress("generate")
                report["results"]["generate"], large = bench_generate(settings)
            elif large_spec is not None and {"import", "parse"} & set(sections):
                large = build_package(large_spec, settings.work / "generated")
            report["section_s"]["generate"] = round((time.perf_counter_ns() - section_start) / 1e9, 1)
        except Exception as error:
            errors["generate"] = f"{type(error).__name__}: {error}"
        operation: list[Operation] = []
        try:
            operation.append(load_operation(args.operation, spec))
        except Exception as error:
            errors["operation"] = f"{type(error).__name__}: {error}"
        runners: dict[str, Callable[[Operation], Any]] = {
            "import": lambda op: bench_import(settings, large),
            "parse": lambda op: bench_parse(op, settings, large),
            "percall": lambda op: bench_percall_mock(op, settings),
            "loopback": lambda op: bench_loopback(op, settings),
            "profile": lambda op: bench_profile(op, settings),
            "fleet": lambda op: bench_fleet.bench_fleet(*(int(n) for n in args.fleet.split(","))),
        }
        for name, runner in runners.items():
            if name not in sections or (name != "import" and not operation):
                continue
            _progress(name)
            section_start = time.perf_counter_ns()
            try:
                result = runner(operation[0] if operation else None)  # type: ignore[arg-type]
            except Exception as error:
                errors[name] = f"{type(error).__name__}: {error}"
                continue
            finally:
                report["section_s"][name] = round((time.perf_counter_ns() - section_start) / 1e9, 1)
            if name in ("profile", "fleet"):
                report["results"][name] = result
                continue
            if name == "import":
                result, report["results"]["import_modules"] = result
            pairs.extend(result)
            report["results"].update((pair.key, pair.summary()) for pair in result)
    report["errors"] = errors
    report["elapsed_s"] = round((time.perf_counter_ns() - started) / 1e9, 1)

    info = report["machine"]
    print(
        f"wassist-api-client bench: {info['cpus']} CPUs, {info['cpu_model']}, Python {info['python']}, "
        f"httpx2 {info['httpx2']} (the baseline), httpx {info['httpx'] or 'not installed'} (for the record); "
        f"client: {report['client']}"
    )
    print("\n".join(table(pairs, report["results"].get("generate"))))
    if "import_modules" in report["results"]:
        print("\n".join(import_lines(report["results"]["import_modules"])))
    if "profile" in report["results"]:
        print("\n".join(profile_lines(report["results"]["profile"])))
    if "fleet" in report["results"]:
        print("\n".join(bench_fleet.fleet_lines(report["results"]["fleet"])))
    for name, message in errors.items():
        print(f"ERROR in {name}: {message}", file=sys.stderr)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"\n{report['elapsed_s']} s in all; JSON summary in {args.output}")
    return 1 if errors else 0


def _progress(section: str) -> None:
    print(f"[bench] {section} ...", file=sys.stderr, flush=True)


if __name__ == "__main__":
    sys.exit(main())
