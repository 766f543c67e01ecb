"""The wheel as a user installs it: a test file that only uses the `wassist_fake` fixture (the README's), with no
conftest, in a fresh virtualenv with no Node on PATH: without the [testing] extra pytest starts and the fixture
fails naming the extra; with it, the file passes."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

from test_serve import path_without_node

ROOT = Path(__file__).resolve().parents[2]
BLOCK = re.compile(r"<!-- readme-test: run=pytest -->\n```python\n(?P<code>.*?)```", re.S)
NO_FIXTURE_TEST = "\n\ndef test_without_the_fixture():\n    assert True\n"


def run_pytest(python: str, folder: Path, path: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "WASSIST_API_KEY", "WASSIST_BASE_URL")}
    return subprocess.run(
        [python, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_user_code.py"],
        cwd=folder,
        env={**env, "PATH": path},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_fixture_from_the_wheel_in_a_fresh_virtualenv_without_node(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "--wheel", "--outdir", str(dist), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (wheel,) = dist.glob("wassist_api_client-*.whl")
    archive = zipfile.ZipFile(wheel)
    names = archive.namelist()
    assert "wassist_api_client/openapi.normalized.json" in names
    assert "wassist_api_client/testing/_plugin.py" in names
    entry_points = next(name for name in names if name.endswith(".dist-info/entry_points.txt"))
    assert "wassist_fake = wassist_api_client.testing._plugin" in archive.read(entry_points).decode()

    user_tests = tmp_path / "user"
    user_tests.mkdir()
    match = BLOCK.search((ROOT / "README.md").read_text(encoding="utf-8"))
    assert match is not None, "README has no `run=pytest` example"
    (user_tests / "test_user_code.py").write_text(match["code"] + NO_FIXTURE_TEST, encoding="utf-8")
    path = path_without_node(tmp_path)

    venv = tmp_path / "venv"
    uv = str(Path(sys.executable).parent / "uv")
    subprocess.run([uv, "venv", "--quiet", "--python", sys.executable, str(venv)], check=True)
    python = str(venv / "bin" / "python")
    subprocess.run([uv, "pip", "install", "--quiet", "--python", python, str(wheel), "pytest"], check=True)

    without_extra = run_pytest(python, user_tests, path)
    assert without_extra.returncode == 1, without_extra.stdout + without_extra.stderr
    assert "1 passed" in without_extra.stdout  # pytest started, and the test without the fixture ran
    assert '"wassist-api-client[testing]"' in without_extra.stdout and "jsonschema" in without_extra.stdout

    subprocess.run([uv, "pip", "install", "--quiet", "--python", python, f"{wheel}[testing]"], check=True)
    with_extra = run_pytest(python, user_tests, path)
    assert with_extra.returncode == 0, with_extra.stdout + with_extra.stderr
    assert "4 passed" in with_extra.stdout
