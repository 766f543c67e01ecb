"""Fixtures of tests/cli: the `wassist` command line run as a subprocess, against Prism or a loopback server.

Every run goes through `Cli.run`, which fails the test if the API key shows up in stdout or stderr, or if a
traceback does.
"""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pytest

from codegen.generate import load_normalized
from scripts.prism import PrismServer, start_prism
from tests.client.support import API_KEY, server

__all__ = ["server"]  # fixture

ROOT = Path(__file__).resolve().parents[2]
SPECS = Path(__file__).parent / "specs"
PAGES_SPEC = ROOT / "tests" / "client" / "specs" / "pages.json"
RUN_TIMEOUT = 60


@dataclass
class Result:
    status: int
    stdout: str
    stderr: str

    def json(self) -> object:
        return json.loads(self.stdout)


def _environment(pythonpath: Path | None, with_key: bool, extra: dict[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("WASSIST_") and k != "COLUMNS"}
    env["PYTHONPATH"] = os.pathsep.join(str(p) for p in (pythonpath, ROOT) if p is not None)
    env["COLUMNS"] = "200"  # one line per option in help, whatever terminal runs the tests
    if with_key:
        env["WASSIST_API_KEY"] = API_KEY
    return {**env, **extra}


def assert_clean(*texts: str) -> None:
    for text in texts:
        assert API_KEY not in text, "the API key was printed"
        assert "Traceback" not in text, text


@dataclass
class Cli:
    """`python -m <package> ...` for the real package or one generated from another spec."""

    package: str = "wassist_api_client"
    pythonpath: Path | None = None

    def run(self, *args: str, stdin: str = "", with_key: bool = True, env: dict[str, str] | None = None) -> Result:
        return self._run([sys.executable, "-m", self.package, *args], stdin, with_key, env or {})

    def python(self, program: str) -> Result:
        """`python -c program` with this package importable, as its command line would be run."""
        return self._run([sys.executable, "-c", program], "", True, {})

    def _run(self, argv: list[str], stdin: str, with_key: bool, env: dict[str, str]) -> Result:
        completed = subprocess.run(
            argv,
            input=stdin,
            capture_output=True,
            text=True,
            env=_environment(self.pythonpath, with_key, env),
            cwd=ROOT,
            timeout=RUN_TIMEOUT,
            check=False,
        )
        assert_clean(completed.stdout, completed.stderr)
        return Result(completed.returncode, completed.stdout, completed.stderr)

    def run_on_terminal(self, *args: str, terminal: tuple[str, ...]) -> tuple[Result, str]:
        """Run with the named streams ("stdout", "stderr") on a pseudo-terminal; also return what it showed."""
        leader, follower = pty.openpty()
        streams = {name: follower if name in terminal else subprocess.PIPE for name in ("stdout", "stderr")}
        process = subprocess.Popen(
            [sys.executable, "-m", self.package, *args],
            stdin=subprocess.DEVNULL,
            env=_environment(self.pythonpath, True, {}),
            cwd=ROOT,
            text=True,
            **streams,
        )
        os.close(follower)
        shown = b""
        while True:
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # EIO: every writer closed the terminal
                break
            if not chunk:
                break
            shown += chunk
        os.close(leader)
        stdout, stderr = process.communicate(timeout=RUN_TIMEOUT)
        text = shown.decode(errors="replace").replace("\r\n", "\n")
        assert_clean(text, stdout or "", stderr or "")
        return Result(process.returncode, stdout or "", stderr or ""), text


@pytest.fixture(scope="session")
def cli() -> Cli:
    return Cli()


@pytest.fixture(scope="session")
def cli_for(generated_package: Callable[[Path], ModuleType]) -> Callable[[Path], Cli]:
    """The command line of a package generated from a spec into a temp dir (with its own command table)."""

    def get(spec: Path) -> Cli:
        package = generated_package(spec)
        return Cli(package.__name__, Path(package.__path__[0]).parent)

    return get


@pytest.fixture(scope="session")
def prism(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PrismServer]:
    """Prism serving the normalized openapi.json (what the commands were generated from)."""
    spec = tmp_path_factory.mktemp("cli-prism") / "openapi.normalized.json"
    spec.write_text(json.dumps(load_normalized(ROOT / "openapi.json")), encoding="utf-8")
    with start_prism(spec) as server:
        yield server
