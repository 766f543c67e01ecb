"""The example `make demo` runs, and the wheel `make dist` builds, used as a user would."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

from tools.prism import PrismServer

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "create_link_session.py"
UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


def run_example(python: str, prism: PrismServer, cwd: Path, **extra_env: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "WASSIST_BASE_URL", "WASSIST_LOG")}
    env["WASSIST_API_KEY"] = "example-test-key"
    env.update(extra_env)
    return subprocess.run(
        [python, str(EXAMPLE), "--base-url", prism.base_url],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def assert_created_session(result: subprocess.CompletedProcess[str]) -> None:
    assert result.returncode == 0, result.stderr
    assert "Created a WhatsApp link session" in result.stdout
    assert re.search(rf"id:\s+{UUID}", result.stdout), result.stdout
    assert re.search(r"status:\s+(PENDING|EXPIRED|SUCCESS|FAILED)", result.stdout), result.stdout
    assert "example-test-key" not in result.stdout + result.stderr


def test_the_example_creates_a_session_on_the_mock(vendored_prism: PrismServer, tmp_path: Path) -> None:
    assert_created_session(run_example(sys.executable, vendored_prism, tmp_path))


def test_wassist_log_debug_shows_the_request_on_stderr(vendored_prism: PrismServer, tmp_path: Path) -> None:
    quiet = run_example(sys.executable, vendored_prism, tmp_path)
    loud = run_example(sys.executable, vendored_prism, tmp_path, WASSIST_LOG="debug")
    info = run_example(sys.executable, vendored_prism, tmp_path, WASSIST_LOG="info")

    assert_created_session(loud)
    request = f"POST {vendored_prism.base_url}/api/v1/whatsapp-link-sessions/ -> 201"
    assert request in loud.stderr
    assert "DEBUG" in loud.stderr
    assert request not in quiet.stderr and request not in info.stderr  # nothing unless asked; INFO hides DEBUG
    assert "example-test-key" not in loud.stderr


def test_the_example_explains_a_missing_key(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "WASSIST_API_KEY"}
    result = subprocess.run(
        [sys.executable, str(EXAMPLE), "--base-url", "http://127.0.0.1:9"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "WASSIST_API_KEY" in result.stderr


def test_the_wheel_installs_in_a_fresh_virtualenv_and_works(vendored_prism: PrismServer, tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "--wheel", "--outdir", str(dist), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (wheel,) = dist.glob("wassist_api_client-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "wassist_api_client/py.typed" in names
    assert "wassist_api_client/api/whatsapp_link_sessions/create.py" in names
    assert not [name for name in names if name.startswith(("tests/", "tools/", "templates/"))]

    venv = tmp_path / "venv"
    uv = str(Path(sys.executable).parent / "uv")
    subprocess.run([uv, "venv", "--quiet", "--python", sys.executable, str(venv)], check=True)
    python = str(venv / "bin" / "python")
    subprocess.run([uv, "pip", "install", "--quiet", "--python", python, str(wheel)], check=True)
    assert_created_session(run_example(python, vendored_prism, tmp_path))
