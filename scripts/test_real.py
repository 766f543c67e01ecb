"""`make test-real`: the pipeline and the contract suite on every spec of the real corpus (tests/specs/real/).

    python -m scripts.test_real                  # every spec of tests/specs/real/SOURCES.json
    python -m scripts.test_real kratos-api.json  # some of them

For each spec: its bytes must be those published (the manifest's sha256); the run writes the document it tests
to build/real/<name>.json (the spec as JSON, with an apiKey-in-header scheme substituted for every other kind of
auth, since the client authenticates with a header), generates it (`codegen.generate`, whose notes are printed),
then runs the contract suite on it in a child process: the package generated and every module imported, the
static checks, the round trip and the wire calls through Prism, with fewer examples and calls than `make test`
(BUDGET), and for large specs a deterministic sample of the operations on the wire (LARGE_BUDGET). Each child's
process tree (pytest, the generator, Prism) is watched: above 2 GB it is stopped and the spec fails. A table gives
per spec the operations, the time and the peak memory (the largest sum of the tree's resident memory seen, sampled
every 0.2 s).
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from codegen.normalize import HTTP_METHODS
from codegen.repair import repair_spec
from codegen.spec_diff import parse_spec_text

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "specs" / "real"
MANIFEST = CORPUS / "SOURCES.json"
BUILD = ROOT / "build" / "real"
MEMORY_LIMIT = 2 * 1024**3
SUBSTITUTE_SCHEME = "testRealApiKey"
SUBSTITUTE_HEADER = "X-API-Key"
HEADER = ("apiKey", "header")
# The per-spec work, scaled so that the corpus runs in minutes on 2 cores (see README, "Tests"): fewer hypothesis
# examples and dynamic calls than `make test` gives the synthetic corpus, and on large specs a deterministic sample
# of the operations on the wire (every operation is still generated, imported and checked statically).
BUDGET = {"WASSIST_CONTRACT_EXAMPLES": "10", "WASSIST_CONTRACT_DYNAMIC_CALLS": "6", "WASSIST_CONTRACT_SHRINK": "0"}
LARGE = 150  # operations
LARGE_BUDGET = {**BUDGET, "WASSIST_CONTRACT_EXAMPLES": "6", "WASSIST_CONTRACT_WIRE_OPERATIONS": "60"}
CONTRACT_TESTS = ["tests/contract/test_static.py", "tests/contract/test_roundtrip.py", "tests/contract/test_wire.py"]

Json = dict[str, Any]


@dataclass
class Outcome:
    name: str
    operations: int
    seconds: float
    peak_bytes: int
    status: str  # "ok", or why not


def load_manifest() -> list[Json]:
    specs: list[Json] = json.loads(MANIFEST.read_text(encoding="utf-8"))["specs"]
    return specs


def check_bytes(entry: Json) -> None:
    digest = hashlib.sha256((CORPUS / entry["file"]).read_bytes()).hexdigest()
    if digest != entry["sha256"]:
        raise SystemExit(f"{entry['file']}: sha256 {digest}, the manifest says {entry['sha256']} (edited by hand?)")


def with_header_auth(spec: Json) -> tuple[Json, str | None]:
    """The spec with every non-empty security requirement replaced by one apiKey-in-header scheme (the spec's
    own first one, else one added); and a note when something was substituted."""
    components = spec.setdefault("components", {})
    schemes: Json = components.setdefault("securitySchemes", {}) or {}
    components["securitySchemes"] = schemes
    header = next(
        (
            name
            for name, s in schemes.items()
            if isinstance(s, dict) and s.get("type") == "apiKey" and s.get("in") == "header"
        ),
        None,
    )
    if header is None:
        header = SUBSTITUTE_SCHEME
        schemes[header] = {"type": "apiKey", "in": "header", "name": SUBSTITUTE_HEADER}
    replaced = 0
    holders: list[Json] = [spec]
    for item in (spec.get("paths") or {}).values():
        holders.extend(op for method, op in item.items() if method in HTTP_METHODS and isinstance(op, dict))
    for holder in holders:
        security = holder.get("security")
        if isinstance(security, list) and security and security != [{header: []}]:
            holder["security"] = [{header: []}]
            replaced += 1
    note = f"auth: {replaced} security requirement(s) replaced by apiKey header scheme {header!r}" if replaced else None
    return spec, note


def operation_count(spec: Json) -> int:
    return sum(
        1
        for item in (spec.get("paths") or {}).values()
        for method, op in item.items()
        if method in HTTP_METHODS and isinstance(op, dict)
    )


def _tree(root_pid: int) -> dict[int, int]:
    """A process and all its descendants, with their resident bytes (Linux /proc)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            fields = stat.rsplit(")", 1)[1].split()
            pid, ppid, pages = int(entry.name), int(fields[1]), int(fields[21])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(pid)
        rss[pid] = pages * os.sysconf("SC_PAGE_SIZE")
    tree: dict[int, int] = {}
    stack = [root_pid]
    while stack:
        pid = stack.pop()
        tree[pid] = rss.get(pid, 0)
        stack.extend(children.get(pid, []))
    return tree


def run_watched(command: list[str], env: dict[str, str]) -> tuple[int, int]:
    """Run a command in its own session; its exit status and the peak memory of its process tree. Above
    MEMORY_LIMIT the whole tree is stopped."""
    process = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    peak = 0
    over = threading.Event()

    def watch() -> None:
        nonlocal peak
        while process.poll() is None:
            tree = _tree(process.pid)
            peak = max(peak, sum(tree.values()))
            if peak > MEMORY_LIMIT:
                over.set()
                for pid in tree:  # Prism runs in a session of its own: each process, not one group
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(pid, signal.SIGKILL)
                return
            time.sleep(0.2)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    status = process.wait()
    watcher.join()
    return (-1 if over.is_set() else status), peak


def test_spec(entry: Json) -> Outcome:
    name = Path(entry["file"]).stem
    check_bytes(entry)
    # Repaired here (as `make generate` would), so that the contract suite sees the spec the generator sees.
    repaired, repairs = repair_spec(parse_spec_text((CORPUS / entry["file"]).read_text(encoding="utf-8")))
    spec, note = with_header_auth(repaired)
    BUILD.mkdir(parents=True, exist_ok=True)
    tested = BUILD / f"{name}.json"
    tested.write_text(json.dumps(spec, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    operations = operation_count(spec)
    print(f"\n=== {entry['file']} ({entry['repository']}@{entry['commit'][:12]}, {operations} operations)", flush=True)
    for repair in repairs:
        print(f"repaired {repair}", flush=True)
    if note:
        print(note, flush=True)
    env = {**os.environ, "WASSIST_CONTRACT_SPECS": str(tested), "PYTHONHASHSEED": "0"}
    budget = LARGE_BUDGET if operations > LARGE else BUDGET
    env.update(budget)
    print("budget: " + ", ".join(f"{key}={value}" for key, value in budget.items()), flush=True)
    started = time.monotonic()
    package = BUILD / name / "wassist_api_client"
    status, peak = run_watched(
        [sys.executable, "-m", "codegen.generate", "--spec", str(tested), "--package-dir", str(package)], env
    )
    if status == 0:
        contract_status, contract_peak = run_watched(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-o", "addopts=", *CONTRACT_TESTS], env
        )
        status, peak = contract_status, max(peak, contract_peak)
        what = "contract suite"
    else:
        what = "generation"
    seconds = time.monotonic() - started
    if status == -1:
        result = f"stopped above {MEMORY_LIMIT // 1024**3} GB"
    elif status != 0:
        result = f"{what} failed (exit {status})"
    else:
        result = "ok"
    return Outcome(name, operations, seconds, peak, result)


def table(outcomes: list[Outcome]) -> str:
    lines = ["| spec | operations | time | peak memory | result |", "|---|---:|---:|---:|---|"]
    for outcome in outcomes:
        lines.append(
            f"| {outcome.name} | {outcome.operations} | {outcome.seconds:.0f} s | "
            f"{outcome.peak_bytes / 1024**2:.0f} MB | {outcome.status} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.test_real", description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", help="spec files of the corpus (default: all)")
    args = parser.parse_args(argv)
    entries = [entry for entry in load_manifest() if not args.files or entry["file"] in args.files]
    unknown = set(args.files) - {entry["file"] for entry in entries}
    if unknown:
        print(f"not in {MANIFEST.relative_to(ROOT)}: {', '.join(sorted(unknown))}", file=sys.stderr)
        return 2
    outcomes = [test_spec(entry) for entry in entries]
    print("\n" + table(outcomes))
    failed = [outcome.name for outcome in outcomes if outcome.status != "ok"]
    if failed:
        print(f"\nmake test-real: {len(failed)} spec(s) failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    print(f"\nmake test-real: {len(outcomes)} real specs generated and contract-tested.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
