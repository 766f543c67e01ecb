"""The fake served over HTTP (`python -m wassist_api_client.testing serve`), and `make demo` without Node."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx2
import pytest

from scripts.prism import free_port

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "create_link_session.py"
UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
KEY = "serve-test-key"


def assert_created_session(output: str) -> None:
    assert "Created a WhatsApp link session" in output
    assert re.search(rf"id:\s+{UUID}", output), output
    assert re.search(r"status:\s+(PENDING|EXPIRED|SUCCESS|FAILED)", output), output


@pytest.fixture
def served() -> Iterator[str]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "wassist_api_client.testing", "serve", "--port", str(port)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert f"http://127.0.0.1:{port}" in line, line + (process.stderr.read() if process.poll() is not None else "")
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        _, stderr = process.communicate(timeout=10)
        assert KEY not in stderr  # the request log never shows headers


def test_the_quick_start_against_the_served_fake_prints_a_created_session(served: str, tmp_path: Path) -> None:
    env = {**os.environ, "WASSIST_API_KEY": KEY}
    result = subprocess.run(
        [sys.executable, str(EXAMPLE), "--base-url", served],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert_created_session(result.stdout)


def test_the_served_fake_checks_requests_as_in_process(served: str) -> None:
    with httpx2.Client(base_url=served, headers={"X-API-Key": KEY}) as http:
        rejected = http.post("/api/v1/whatsapp-link-sessions/", json={"successUrl": "https://example.com/ok"})
        missing = http.get("/api/v1/nothing/")
    assert rejected.status_code == 400 and rejected.json() == {"returnUrl": ["This field is required."]}
    assert missing.status_code == 404
    with httpx2.Client(base_url=served) as http:
        assert http.post("/api/v1/whatsapp-link-sessions/", json={}).status_code == 401


def test_serve_refuses_a_port_in_use(served: str) -> None:
    port = served.rsplit(":", 1)[1]
    result = subprocess.run(
        [sys.executable, "-m", "wassist_api_client.testing", "serve", "--port", port],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 1 and f"cannot listen on 127.0.0.1:{port}" in result.stderr


def path_without_node(tmp_path: Path) -> str:
    """A PATH with every command of this one except node, npm and npx (links in one directory)."""
    bin_dir = tmp_path / "bin-without-node"
    bin_dir.mkdir()
    for directory in os.environ.get("PATH", "").split(os.pathsep):
        if not os.path.isdir(directory):
            continue
        for entry in os.scandir(directory):
            target = bin_dir / entry.name
            if entry.name in ("node", "nodejs", "npm", "npx", "corepack") or target.exists():
                continue
            if os.access(entry.path, os.X_OK) and not entry.is_dir():
                target.symlink_to(entry.path)
    return str(bin_dir)


def test_make_demo_without_node_uses_the_served_fake(tmp_path: Path) -> None:
    path = path_without_node(tmp_path)
    assert shutil.which("node", path=path) is None and shutil.which("make", path=path) is not None
    env = {k: v for k, v in os.environ.items() if k not in ("WASSIST_API_KEY", "WASSIST_BASE_URL")}
    result = subprocess.run(
        ["make", "--no-print-directory", "demo"],
        cwd=ROOT,
        env={**env, "PATH": path},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Mock: the package's fake" in result.stdout and "Prism" not in result.stdout
    assert_created_session(result.stdout)
