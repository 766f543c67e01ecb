"""`make test-matrix`: the runtime suites on CPython 3.10, 3.12 and 3.13 (`make test` covers 3.11).

    .venv/bin/nox                          # what `make test-matrix` runs: every session below
    .venv/bin/nox -s "runtime(3.12)"       # one of them

The generator needs Python >= 3.11, so `pregenerate` generates every package the suites import once,
here on the dev virtualenv's Python (3.11), and the other sessions import the result
(tests/pregenerated.py). Each runtime session gets a virtualenv of its own, synced from uv.lock with
the `test` extra (which installs on 3.10 too), and runs the client, fault, model and docs suites
(the README's examples and the wheel installed into a fresh virtualenv) against the Prism mock in
node_modules. `lowest` runs the client, fault and model suites on 3.10 with the lowest versions the
runtime dependencies allow (their `>=` bounds in pyproject.toml), to show that those bounds hold.

Interpreters are looked up on PATH, then under the pyenv root (`pyenv root`, $PYENV_ROOT or
~/.pyenv, in `versions/<X.Y.*>/bin`); each session prints the one it used. A missing one fails the
run, unless MATRIX_ALLOW_MISSING=1 (then its session is skipped, saying so).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nox
import tomllib

ROOT = Path(__file__).resolve().parent
PYTHONS = ["3.10", "3.12", "3.13"]
LOWEST_PYTHON = "3.10"
PREGENERATED = ROOT / "build" / "matrix" / "pregenerated"
ENVS = ROOT / ".nox"
SUITES = ["tests/client", "tests/faults", "tests/models", "tests/docs"]
LOWEST_SUITES = ["tests/client", "tests/faults", "tests/models"]

nox.options.sessions = ["pregenerate", "runtime", "lowest"]
nox.options.default_venv_backend = "none"  # the sessions make their virtualenvs with uv, from the lock


def uv() -> str:
    """The uv that `make venv` installed beside this Python (pinned in the Makefile), else the one on PATH."""
    beside = Path(sys.executable).parent / "uv"
    found = str(beside) if beside.exists() else shutil.which("uv")
    if found is None:
        raise RuntimeError("uv not found: run `make venv`")
    return found


def pyenv_root() -> Path:
    pyenv = shutil.which("pyenv")
    if pyenv is not None:
        result = subprocess.run([pyenv, "root"], capture_output=True, text=True, check=False)
        if result.returncode == 0 and result.stdout.strip():
            return Path(result.stdout.strip())
    return Path(os.environ.get("PYENV_ROOT") or Path.home() / ".pyenv")


def _probe(candidate: str, version: str) -> tuple[str, str] | None:
    """(real executable, full version) if `candidate` runs and is CPython `version`; a pyenv shim of an
    inactive version fails here and is passed over."""
    script = "import platform, sys; print(platform.python_implementation(), platform.python_version(), sys.executable)"
    try:
        result = subprocess.run([candidate, "-c", script], capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    parts = result.stdout.split()
    if result.returncode != 0 or len(parts) != 3 or parts[0] != "CPython":
        return None
    if not (parts[1] == version or parts[1].startswith(version + ".")):
        return None
    return parts[2], parts[1]


def find_python(version: str) -> tuple[str, str, str] | None:
    """(executable, full version, where it was found) of CPython `version`, or None."""
    name = f"python{version}"
    for entry in os.environ.get("PATH", "").split(os.pathsep):
        on_path = Path(entry) / name
        if entry and on_path.is_file() and (found := _probe(str(on_path), version)):
            return *found, "PATH"
    root = pyenv_root()
    installed = sorted(
        (root / "versions").glob(f"{version}.*"),
        key=lambda p: [int(n) if n.isdigit() else -1 for n in re.split(r"[.\-]", p.name)],
        reverse=True,  # the newest patch release first
    )
    for directory in installed:
        candidate = directory / "bin" / name
        if candidate.is_file() and (found := _probe(str(candidate), version)):
            return *found, f"pyenv root {root}"
    return None


def interpreter(session: nox.Session, version: str) -> str:
    found = find_python(version)
    if found is None:
        where = f"PATH or {pyenv_root() / 'versions'}"
        if os.environ.get("MATRIX_ALLOW_MISSING") == "1":
            session.skip(f"CPython {version} not found on {where}: skipped (MATRIX_ALLOW_MISSING=1)")
        session.error(f"CPython {version} not found on {where}; install it, or set MATRIX_ALLOW_MISSING=1 to skip it")
    executable, full_version, where = found
    session.log(f"CPython {version}: {executable} ({full_version}, found on {where})")
    return executable


def synced_env(session: nox.Session, version: str, name: str) -> Path:
    """A fresh virtualenv for `version`: the `test` extra exactly as uv.lock pins it, the project editable."""
    python = interpreter(session, version)
    env = ENVS / name
    session.run(uv(), "venv", "--quiet", "--clear", "--python", python, str(env), external=True)
    session.run(
        uv(),
        "sync",
        "--quiet",
        "--frozen",  # the lock as committed: fail rather than re-resolve
        "--extra",
        "test",
        env={"UV_PROJECT_ENVIRONMENT": str(env)},
        external=True,
    )
    return env


def run_suites(session: nox.Session, env: Path, suites: list[str]) -> None:
    python = str(env / "bin" / "python")
    versions = (
        "import sys; from importlib.metadata import version as v; print('runtime on Python', sys.version.split()[0],"
        " '|', ', '.join(f'{n} {v(n)}' for n in ('httpx2', 'httpcore2', 'attrs', 'python-dateutil')))"
    )
    session.run(python, "-c", versions, external=True)
    session.run(
        python,
        "-m",
        "pytest",
        *suites,
        "-q",
        "-p",
        "no:cacheprovider",
        *session.posargs,
        env={
            "WASSIST_TEST_PREGENERATED": str(PREGENERATED),
            # the session's Python first; uv for the wheel test's fresh virtualenv
            "PATH": os.pathsep.join([str(env / "bin"), str(Path(uv()).parent), os.environ.get("PATH", "")]),
        },
        external=True,
    )


@nox.session(python=False)
def pregenerate(session: nox.Session) -> None:
    """Generate, on this (3.11+) Python, every package the runtime suites import."""
    session.log(f"generating on Python {sys.version.split()[0]} ({sys.executable})")
    session.run(sys.executable, "-m", "tests.pregenerated", str(PREGENERATED), external=True, silent=True)


@nox.session(python=False, requires=["pregenerate"])
@nox.parametrize("version", PYTHONS, ids=PYTHONS)
def runtime(session: nox.Session, version: str) -> None:
    """The client, fault, model and docs suites on CPython `version`."""
    run_suites(session, synced_env(session, version, f"runtime-{version}"), SUITES)


def lower_bounds() -> list[str]:
    """`name==X` for each runtime dependency's `>=X` in pyproject.toml."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pins = []
    for requirement in project["dependencies"]:
        match = re.match(r"^([A-Za-z0-9_.\-]+)\s*[^;]*?>=\s*([^,;\s]+)", requirement)
        if match is None:
            raise ValueError(f"runtime dependency without a lower bound: {requirement!r}")
        pins.append(f"{match[1]}=={match[2]}")
    return pins


@nox.session(python=False, requires=["pregenerate"])
def lowest(session: nox.Session) -> None:
    """The client, fault and model suites on the oldest Python with the lowest allowed runtime dependencies."""
    env = synced_env(session, LOWEST_PYTHON, "lowest")
    pins = lower_bounds()
    session.log(f"lower bounds: {' '.join(pins)}")
    session.run(uv(), "pip", "install", "--quiet", "--python", str(env / "bin" / "python"), *pins, external=True)
    run_suites(session, env, LOWEST_SUITES)
