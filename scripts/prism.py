"""Run the Prism mock server (`@stoplight/prism-cli`, pinned in package.json) for tests and demos.

    with start_prism(Path("build/openapi.normalized.json")) as prism:
        httpx2.post(prism.base_url + "/api/v1/...", ...)

    python -m scripts.prism openapi.json        # serve a spec in the foreground until Ctrl-C

`prism mock --errors` validates every request against the spec (an invalid one gets a 4xx with
Prism's problem JSON) and answers with the documented examples, or with random valid payloads
for requests that carry `Prefer: dynamic=true`. Prism runs in its own process group on a free
127.0.0.1 port; `stop()` ends the whole group, and an interpreter that exits stops every
server it started. Prism's output goes to a temporary log file (a pipe nobody reads would
block it) and is quoted in every error.
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import http.client
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import IO

ROOT = Path(__file__).resolve().parent.parent
PRISM_BIN = ROOT / "node_modules" / ".bin" / "prism"
HOST = "127.0.0.1"
STARTUP_TIMEOUT = 60.0
STOP_TIMEOUT = 10.0
_PORT_ATTEMPTS = 5
_LOG_TAIL_CHARS = 4000

__all__ = ["PRISM_BIN", "PrismError", "PrismServer", "free_port", "start_prism"]


class PrismError(RuntimeError):
    """Prism could not be started (its output is part of the message) or did not stop."""


def free_port(host: str = HOST) -> int:
    """A TCP port that nothing listens on right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        port: int = probe.getsockname()[1]
        return port


class PrismServer:
    """One `prism mock` process: a context manager that stops it (and its process group) on exit."""

    def __init__(self, process: subprocess.Popen[bytes], log: IO[bytes], spec: Path, host: str, port: int) -> None:
        self.process = process
        self.spec = spec
        self.host = host
        self.port = port
        self._log = log
        self._final_output = ""

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def pid(self) -> int:
        return self.process.pid

    def output(self) -> str:
        """Everything Prism has printed so far (stdout and stderr interleaved); kept after stop()."""
        if self._log.closed:
            return self._final_output
        self._log.flush()
        return Path(self._log.name).read_text(encoding="utf-8", errors="replace")

    def output_tail(self, chars: int = _LOG_TAIL_CHARS) -> str:
        text = self.output()
        return text if len(text) <= chars else "..." + text[-chars:]

    def group_alive(self) -> bool:
        """True while any process of Prism's process group exists (Prism leads its own group)."""
        if self.process.poll() is None:
            return True
        try:
            os.killpg(self.process.pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:  # a process with that group id exists, we just may not signal it
            return True
        return True

    def stop(self, timeout: float = STOP_TIMEOUT) -> None:
        """Stop Prism and every process of its group: SIGTERM, then SIGKILL after `timeout` seconds."""
        try:
            if self.group_alive():
                _signal_group(self.process.pid, signal.SIGTERM)
                with contextlib.suppress(subprocess.TimeoutExpired):
                    self.process.wait(timeout)
                _signal_group(self.process.pid, signal.SIGKILL)  # stragglers, and a leader that ignored SIGTERM
                self.process.wait(timeout)
                deadline = time.monotonic() + timeout
                while self.group_alive():
                    if time.monotonic() > deadline:
                        raise PrismError(f"Prism's process group {self.process.pid} is still alive after SIGKILL")
                    time.sleep(0.05)
        finally:
            _RUNNING.discard(self)
            if not self._log.closed:
                self._final_output = self.output()
                self._log.close()
                Path(self._log.name).unlink(missing_ok=True)

    def __enter__(self) -> PrismServer:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        state = "running" if self.process.poll() is None else f"exited {self.process.returncode}"
        return f"<PrismServer {self.base_url} pid={self.process.pid} {state} spec={self.spec}>"


_RUNNING: set[PrismServer] = set()


def _signal_group(pgid: int, signum: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pgid, signum)


@atexit.register
def _stop_all() -> None:
    for server in list(_RUNNING):
        server.stop()


def start_prism(
    spec: Path | str,
    *,
    port: int | None = None,
    host: str = HOST,
    errors: bool = True,
    seed: str | None = None,
    extra_args: Sequence[str] = (),
    binary: Path = PRISM_BIN,
    startup_timeout: float = STARTUP_TIMEOUT,
) -> PrismServer:
    """Start `prism mock` for a spec file and return once it answers HTTP requests.

    With `port=None` a free port is picked (and another one if Prism loses the race for it).
    `errors=True` passes `--errors`; `seed` makes dynamic responses reproducible. Raises
    PrismError, quoting Prism's output, if it exits or stays silent for `startup_timeout` seconds.
    """
    spec = Path(spec).resolve()
    if not spec.is_file():
        raise PrismError(f"no spec file at {spec}")
    if not os.access(binary, os.X_OK):
        raise PrismError(f"no Prism at {binary}: run `npm ci` (or `make node_modules/.installed`)")
    attempts = 1 if port is not None else _PORT_ATTEMPTS
    for attempt in range(attempts):
        chosen = port if port is not None else free_port(host)
        command = [str(binary), "mock", str(spec), "--host", host, "--port", str(chosen)]
        if errors:
            command.append("--errors")
        if seed is not None:
            command += ["--seed", seed]
        command += list(extra_args)
        log = tempfile.NamedTemporaryFile(prefix="prism-", suffix=".log", delete=False)  # noqa: SIM115
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so that stop() reaches every child
            env={**os.environ, "FORCE_COLOR": "0", "NO_COLOR": "1"},
        )
        server = PrismServer(process, log, spec, host, chosen)
        _RUNNING.add(server)
        try:
            _wait_until_answering(server, startup_timeout)
        except PrismError:
            output = server.output()
            server.stop()
            if "EADDRINUSE" in output and attempt + 1 < attempts:
                continue
            raise
        except BaseException:
            server.stop()
            raise
        return server
    raise AssertionError("unreachable")  # pragma: no cover


def _wait_until_answering(server: PrismServer, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        returncode = server.process.poll()
        if returncode is not None:
            raise PrismError(
                f"Prism exited with status {returncode} while starting on {server.base_url} "
                f"for {server.spec}:\n{server.output_tail()}"
            )
        if _answers(server.host, server.port):
            return
        if time.monotonic() > deadline:
            raise PrismError(
                f"Prism did not answer on {server.base_url} within {timeout:.0f}s "
                f"for {server.spec}:\n{server.output_tail()}"
            )
        time.sleep(0.1)


def _answers(host: str, port: int) -> bool:
    """Any HTTP response (Prism answers unknown paths with 404) means the server is up."""
    connection = http.client.HTTPConnection(host, port, timeout=2)
    try:
        connection.request("GET", "/")
        connection.getresponse().read()
    except (OSError, http.client.HTTPException):
        return False
    finally:
        connection.close()
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Serve a spec with `prism mock --errors` until Ctrl-C.")
    parser.add_argument("spec", type=Path)
    parser.add_argument("--port", type=int, default=None)
    parser.add_argument("--seed", default=None)
    args = parser.parse_args(argv)
    try:
        with start_prism(args.spec, port=args.port, seed=args.seed) as prism:
            print(f"Prism serves {args.spec} on {prism.base_url} (Ctrl-C stops it)", flush=True)
            while prism.process.poll() is None:
                time.sleep(0.5)
            print(f"Prism exited with status {prism.process.returncode}:\n{prism.output_tail()}", file=sys.stderr)
            return 1
    except PrismError as error:
        print(error, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0


if __name__ == "__main__":
    sys.exit(main())
