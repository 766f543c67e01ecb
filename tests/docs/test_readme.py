"""Every Python block of README.md runs, against the Prism mock of the spec it is written for.

A block runs against the vendored openapi.json unless a `<!-- readme-test: spec=PATH -->` line
precedes it; `expect=REGEX` in that line is something its output must contain. A block marked
`serve=webhooks` is a webhook receiver: it is started as a server and sent signed deliveries;
`run=pytest` runs the block as a test file of its own (no conftest) with pytest.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx2
import pytest

from scripts.prism import PrismServer, free_port, start_prism
from tests import pregenerated
from wassist_api_client.webhooks import sign

ROOT = Path(__file__).resolve().parents[2]
BLOCK = re.compile(r"(?:<!-- readme-test: (?P<options>[^>]*)-->\n)?```python\n(?P<code>.*?)```", re.S)
API_KEY = "readme-test-key"
WEBHOOK_SECRET = "readme-webhook-secret"


def readme_blocks() -> list[tuple[str, dict[str, str]]]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = []
    for match in BLOCK.finditer(text):
        options = dict(option.split("=", 1) for option in (match["options"] or "").split())
        blocks.append((match["code"], options))
    return blocks


BLOCKS = readme_blocks()


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, tuple[PrismServer, Path]]]:
    """Per spec: a Prism mock and a directory whose `wassist_api_client` is generated from that spec."""
    running: dict[str, tuple[PrismServer, Path]] = {}
    try:
        for spec in sorted({options.get("spec", "openapi.json") for _, options in BLOCKS}):
            package_root = ROOT
            if spec != "openapi.json":
                package_root = pregenerated.package_root(
                    ROOT / spec, "wassist_api_client", tmp_path_factory.mktemp("readme")
                )
            running[spec] = (start_prism(ROOT / spec), package_root)
        yield running
    finally:
        for prism, _ in running.values():
            prism.stop()


def test_the_readme_has_python_examples() -> None:
    assert len(BLOCKS) >= 4


@pytest.mark.parametrize(("code", "options"), BLOCKS, ids=[f"block{i}" for i in range(len(BLOCKS))])
def test_readme_block_runs(
    code: str, options: dict[str, str], servers: dict[str, tuple[PrismServer, Path]], tmp_path: Path
) -> None:
    prism, package_root = servers[options.get("spec", "openapi.json")]
    if options.get("serve") == "webhooks":
        run_webhook_receiver(code, tmp_path)
        return
    env = {
        **os.environ,
        "WASSIST_API_KEY": API_KEY,
        "WASSIST_BASE_URL": prism.base_url,
        "PYTHONPATH": str(package_root),
    }
    command = [sys.executable, "-c", code]
    if options.get("run") == "pytest":
        (tmp_path / "test_readme_example.py").write_text(code, encoding="utf-8")
        command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_readme_example.py"]
    result = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip(), "the example printed nothing"
    assert API_KEY not in result.stdout + result.stderr
    if "expect" in options:
        assert re.search(options["expect"], result.stdout), result.stdout


def test_the_readme_receiver_is_the_example_file() -> None:
    served = [code for code, options in BLOCKS if options.get("serve") == "webhooks"]
    assert served == [(ROOT / "examples" / "webhook_receiver.py").read_text(encoding="utf-8")]


def run_webhook_receiver(code: str, tmp_path: Path) -> None:
    """Start the block as `python receiver.py --port N`, post a delivery, its retry and a forged one, stop it."""
    script = tmp_path / "receiver.py"
    script.write_text(code, encoding="utf-8")
    port = free_port()
    env = {**os.environ, "WASSIST_WEBHOOK_SECRET": WEBHOOK_SECRET, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, str(script), "--port", str(port)]
    with subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as server:
        try:
            url = f"http://127.0.0.1:{port}/webhooks/wassist"
            body = b'{"conversation": "c-1", "text": "hello"}'
            delivery_id = str(uuid.uuid4())
            with httpx2.Client(timeout=10) as client:
                wait_until_listening(client, url, server)
                for _ in range(2):  # the delivery, then Wassist's retry of it
                    headers = sign(body, secret=WEBHOOK_SECRET, event="message.received", delivery_id=delivery_id)
                    assert client.post(url, content=body, headers=headers).status_code == 204
                forged = sign(body, secret="not-the-secret", event="message.received")
                assert client.post(url, content=body, headers=forged).status_code == 401
        finally:
            server.send_signal(signal.SIGINT)  # a graceful stop: the queued work is done first
            out, err = server.communicate(timeout=30)
    assert server.returncode == 0, err
    assert out.count(f"handled message.received {delivery_id}: ") == 1, out + err
    assert WEBHOOK_SECRET not in out + err


def wait_until_listening(client: httpx2.Client, url: str, server: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert server.poll() is None, "the receiver exited"
        try:
            client.get(url)
            return
        except httpx2.TransportError:
            time.sleep(0.1)
    raise AssertionError("the receiver did not start listening")
