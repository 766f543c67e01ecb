"""`make demo`: run examples/create_link_session.py against a local mock of the API.

The mock is Prism (`prism mock` of openapi.json) when Node is on PATH, else the package's own fake served over
HTTP (`python -m wassist_api_client.testing serve`); the first line printed says which.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from scripts.prism import PRISM_BIN, PrismError, free_port, start_prism

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "create_link_session.py"
# Neither mock checks what the X-API-Key header says, only that it is there.
MOCK_API_KEY = "demo-key-for-the-local-mock"
FAKE_STARTUP_TIMEOUT = 30.0


@contextlib.contextmanager
def served_fake() -> Iterator[str]:
    """`python -m wassist_api_client.testing serve` on a free loopback port; yields its base URL."""
    port = free_port()
    command = [sys.executable, "-m", "wassist_api_client.testing", "serve", "--port", str(port)]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert process.stdout is not None
        deadline = time.monotonic() + FAKE_STARTUP_TIMEOUT
        line = process.stdout.readline()  # the server prints one line once it listens
        if "serves" not in line or time.monotonic() > deadline:
            raise PrismError(f"the served fake did not start (exit status {process.poll()}): {line.strip()}")
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(10)


def mock_server() -> contextlib.AbstractContextManager[str]:
    if shutil.which("node") and PRISM_BIN.exists():
        print("Mock: Prism (Node is on PATH), serving openapi.json", flush=True)
        return _prism_url()
    print("Mock: the package's fake, `python -m wassist_api_client.testing serve` (no Node on PATH)", flush=True)
    return served_fake()


@contextlib.contextmanager
def _prism_url() -> Iterator[str]:
    with start_prism(ROOT / "openapi.json") as prism:
        yield prism.base_url


def main() -> int:
    try:
        with mock_server() as base_url:
            print(f"The mock is serving on {base_url}\n", flush=True)
            env = {**os.environ, "WASSIST_API_KEY": MOCK_API_KEY}
            command = [sys.executable, str(EXAMPLE), "--base-url", base_url]
            print("$ python examples/create_link_session.py --base-url", base_url, flush=True)
            return subprocess.run(command, env=env, check=False).returncode
    except PrismError as error:
        print(f"make demo: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
