"""The example `make demo` runs, and the wheel `make dist` builds, used as a user would."""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from importlib.metadata import version
from pathlib import Path

from scripts.prism import PrismServer
from tests import pregenerated

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


def quick_start() -> str:
    """The README's first Python block: the quick start."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    quick = readme[readme.index("## Quick start") :]
    return quick[quick.index("```python\n") + len("```python\n") : quick.index("```\n", quick.index("```python"))]


def installed(uv: str, python: str) -> dict[str, str]:
    """Name -> version of every distribution in the virtualenv of `python`."""
    listing = subprocess.run(
        [uv, "pip", "list", "--python", python, "--format", "json"], check=True, capture_output=True, text=True
    )
    return {row["name"].lower(): row["version"] for row in json.loads(listing.stdout)}


def without_source_tree(tmp_path: Path) -> Path:
    """A copy of the tests and the pytest settings, where `import wassist_api_client` finds only the installed wheel."""
    work = tmp_path / "work"
    shutil.copytree(ROOT / "tests", work / "tests", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", work / "pyproject.toml")  # [tool.pytest.ini_options]
    return work


def test_the_wheel_installs_httpx2_not_httpx_and_passes_the_client_suites(
    vendored_prism: PrismServer, tmp_path: Path
) -> None:
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
    assert not [name for name in names if name.startswith(("tests/", "codegen/", "scripts/"))]

    venv = tmp_path / "venv"
    uv = shutil.which("uv", path=str(Path(sys.executable).parent)) or shutil.which("uv")
    assert uv is not None, "uv is installed by `make venv`"
    subprocess.run([uv, "venv", "--quiet", "--python", sys.executable, str(venv)], check=True)
    python = str(venv / "bin" / "python")
    subprocess.run([uv, "pip", "install", "--quiet", "--python", python, str(wheel)], check=True)
    runtime = installed(uv, python)
    assert "httpx2" in runtime and "httpcore2" in runtime, runtime
    assert not {"httpx", "httpcore"} & runtime.keys(), f"a second HTTP stack came with the wheel: {runtime}"

    assert_created_session(run_example(python, vendored_prism, tmp_path))
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    quick = subprocess.run(
        [python, "-c", quick_start()],
        cwd=tmp_path,
        env={**env, "WASSIST_API_KEY": "example-test-key", "WASSIST_BASE_URL": vendored_prism.base_url},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert quick.returncode == 0, quick.stderr
    assert re.search(rf"^{UUID} (PENDING|EXPIRED|SUCCESS|FAILED) \S+$", quick.stdout, re.M), quick.stdout

    # The client and fault suites, on the installed wheel: the test tools at this run's versions, then the
    # suites from a copy of tests/ with no source tree beside it.
    tools = [f"{name}=={version(name)}" for name in ("pytest", "pytest-timeout")]
    subprocess.run([uv, "pip", "install", "--quiet", "--python", python, *tools], check=True)
    assert not {"httpx", "httpcore"} & installed(uv, python).keys()
    work = without_source_tree(tmp_path)
    if pregenerated.ENV not in env:  # the pagination and custom-key tests import packages generated from their specs
        env[pregenerated.ENV] = str(tmp_path / "pregenerated")
        pregenerated.pregenerate(
            tmp_path / "pregenerated",
            [
                (spec, package)
                for spec, package in pregenerated.runtime_packages()
                if {"client", "faults"} & set(spec.parts)
            ],
        )
    where = subprocess.run(
        [python, "-c", "import wassist_api_client; print(wassist_api_client.__file__)"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert Path(where.stdout.strip()).is_relative_to(venv), where.stdout
    suites = subprocess.run(
        [python, "-m", "pytest", "tests/client", "tests/faults", "-q", "-p", "no:cacheprovider"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert suites.returncode == 0, suites.stdout[-4000:] + suites.stderr[-2000:]
    assert re.search(r"^\d+ passed", suites.stdout.splitlines()[-1]), suites.stdout[-1000:]
    assert " failed" not in suites.stdout.splitlines()[-1]


def imported_top_modules(source: str) -> set[str]:
    modules = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            modules.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            modules.add(node.module.split(".")[0])
    return modules


def test_nothing_that_runs_in_a_user_program_imports_httpx() -> None:
    # The dev virtualenv has httpx (the generator's), so an import of it would pass every other test here.
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    sources = {f"README block {i}": code for i, code in enumerate(re.findall(r"```python\n(.*?)```", readme, re.S))}
    for path in [*sorted((ROOT / "wassist_api_client").rglob("*.py")), *sorted((ROOT / "examples").glob("*.py"))]:
        sources[str(path.relative_to(ROOT))] = path.read_text(encoding="utf-8")
    assert len(sources) > 10
    assert {name for name, code in sources.items() if "httpx" in imported_top_modules(code)} == set()
    assert "httpx2" in imported_top_modules(sources["wassist_api_client/_client.py"])
