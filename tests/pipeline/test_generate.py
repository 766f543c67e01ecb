"""make generate / make check-generated on the vendored spec and on throwaway copies of the repo."""

from __future__ import annotations

import importlib
import json
import pkgutil
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import wassist_api_client
from codegen import generate

ROOT = Path(__file__).resolve().parents[2]


def run_generate(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "codegen.generate", *args], cwd=repo, capture_output=True, text=True, check=False
    )


@pytest.fixture
def repo_copy(tmp_path: Path) -> Path:
    """A throwaway copy of what generation reads and writes."""
    copy = tmp_path / "repo"
    for name in ("openapi.json", "generator-config.yaml", "pyproject.toml"):
        copy.mkdir(exist_ok=True)
        shutil.copy2(ROOT / name, copy / name)
    for folder in ("codegen", "wassist_api_client"):
        shutil.copytree(ROOT / folder, copy / folder, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


def test_committed_code_is_what_the_spec_generates() -> None:
    result = run_generate(ROOT, "--check")
    assert result.returncode == 0, result.stdout + result.stderr


def test_generating_twice_gives_identical_bytes(repo_copy: Path) -> None:
    package = repo_copy / "wassist_api_client"
    assert run_generate(repo_copy).returncode == 0
    first = generate.generated_files(package)
    assert run_generate(repo_copy).returncode == 0
    assert generate.generated_files(package) == first
    assert first == generate.generated_files(ROOT / "wassist_api_client")


def test_editing_a_generated_file_fails_the_check_with_a_diff(repo_copy: Path) -> None:
    package = repo_copy / "wassist_api_client"
    victim = sorted(p for p in generate.generated_files(package) if p.parts[0] == "models")[0]
    (package / victim).write_text((package / victim).read_text() + "# edited by hand\n")
    result = run_generate(repo_copy, "--check")
    assert result.returncode == 1
    assert f"committed/{victim}" in result.stdout
    assert "-# edited by hand" in result.stdout


def test_editing_the_spec_fails_the_check_with_a_diff(repo_copy: Path) -> None:
    spec = json.loads((repo_copy / "openapi.json").read_text())
    schema = next(iter(spec["components"]["schemas"].values()))
    schema["properties"]["addedByTheTest"] = {"type": "string"}
    (repo_copy / "openapi.json").write_text(json.dumps(spec))
    result = run_generate(repo_copy, "--check")
    assert result.returncode == 1
    assert "added_by_the_test" in result.stdout


def test_generation_removes_stale_generated_files_and_keeps_hand_written_ones(repo_copy: Path) -> None:
    package = repo_copy / "wassist_api_client"
    stale_module = package / "api" / "gone_resource" / "list.py"
    stale_module.parent.mkdir(parents=True)
    stale_module.write_text("")
    (package / "models" / "gone_model.py").write_text("")
    (package / "_hand_written.py").write_text("KEEP = True\n")
    assert run_generate(repo_copy).returncode == 0
    assert not stale_module.exists()
    assert not stale_module.parent.exists()
    assert not (package / "models" / "gone_model.py").exists()
    assert (package / "_hand_written.py").read_text() == "KEEP = True\n"
    assert (package / "__init__.py").read_bytes() == (ROOT / "wassist_api_client" / "__init__.py").read_bytes()


def test_an_operation_the_generator_cannot_handle_fails_naming_it(repo_copy: Path) -> None:
    spec = json.loads((repo_copy / "openapi.json").read_text())
    path, path_item = next(iter(spec["paths"].items()))
    operation = next(iter(path_item.values()))
    # A dangling $ref is something openapi-python-client skips the operation for, with a warning.
    operation["parameters"] = [{"name": "broken", "in": "query", "schema": {"$ref": "#/components/schemas/Gone"}}]
    (repo_copy / "openapi.json").write_text(json.dumps(spec))
    result = run_generate(repo_copy)
    assert result.returncode == 1
    assert f"no module generated for: {operation_method(path_item, operation)} {path}" in result.stderr


def operation_method(path_item: dict[str, object], operation: object) -> str:
    return next(method.upper() for method, value in path_item.items() if value is operation)


def test_every_generated_module_imports() -> None:
    names = [m.name for m in pkgutil.walk_packages(wassist_api_client.__path__, "wassist_api_client.")]
    assert any(".api." in name for name in names)
    for name in names:
        importlib.import_module(name)


def test_no_generated_name_carries_the_api_prefix() -> None:
    for relative in generate.generated_files(ROOT / "wassist_api_client"):
        assert "api_v1" not in str(relative)
        assert relative.parts[:2] != ("api", "api")
