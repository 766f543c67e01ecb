"""Unit tests of codegen/normalize/ on the corpus in tests/specs/: purity, determinism, the CLI, and the plain
generator on the normalized corpus."""

from __future__ import annotations

import copy
import json
import os
import runpy
import subprocess
import sys
from pathlib import Path

import pytest
from openapi_spec_validator import OpenAPIV30SpecValidator, validate
from openapi_spec_validator.validation.exceptions import DuplicateOperationIDError

from codegen.normalize import main, normalize
from tests.unit.normalize_support import (
    AGENT,
    DRF_MEDIA,
    NOT_3_0,
    ROOT,
    SPECS,
    STATUS_ENUM,
    body_schema,
    ok,
    operations,
    ref,
    spec_of,
)

# --- purity, determinism, CLI, corpus -----------------------------------------------------------------------------


@pytest.mark.parametrize("spec_path", SPECS, ids=lambda path: path.name)
def test_pure_deterministic_and_idempotent(spec_path: Path) -> None:
    text = spec_path.read_text()
    spec = json.loads(text)
    first = json.dumps(normalize(spec), indent=2)
    assert spec == json.loads(text)  # the input is untouched
    assert json.dumps(normalize(json.loads(text)), indent=2) == first
    assert json.dumps(normalize(json.loads(first)), indent=2) == first


def test_objects_shared_in_a_hand_built_input_are_edited_independently() -> None:
    shared = {"content": {media: {"schema": ref("Agent")} for media in DRF_MEDIA}}
    spec = spec_of(
        {
            "POST /api/v1/agents/": {"requestBody": shared, "responses": ok()},
            "PATCH /api/v1/agents/{id}/": {"requestBody": shared, "responses": ok()},
        },
        {"Agent": AGENT, "StatusEnum": STATUS_ENUM},
    )
    before = copy.deepcopy(spec)
    out = normalize(spec)
    assert spec == before
    assert body_schema(out, "POST /api/v1/agents/") == ref("AgentRequest")
    assert body_schema(out, "PATCH /api/v1/agents/{id}/") == ref("PatchedAgentRequest")


def test_cli_writes_the_normalized_spec_and_reports_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src, dst = tmp_path / "in.json", tmp_path / "out.json"
    spec = json.loads((ROOT / "openapi.json").read_text())
    src.write_text(json.dumps(spec))
    assert main([str(src), str(dst)]) == 0
    assert dst.read_text() == json.dumps(normalize(spec), indent=2, ensure_ascii=False) + "\n"
    unnamed = spec_of({"GET /{org}/a/": {"responses": ok()}, "GET /a/": {"responses": ok()}})
    src.write_text(json.dumps(unnamed))
    assert main([str(src), str(dst)]) == 1
    assert "/{org}/a/: no resource segment after the API prefix /" in capsys.readouterr().err


def test_cli_runs_as_a_module(tmp_path: Path) -> None:
    dst = tmp_path / "out.json"
    result = subprocess.run(
        [sys.executable, "-m", "codegen.normalize", str(ROOT / "openapi.json"), str(dst)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "WhatsAppLinkSessionRequest" in json.loads(dst.read_text())["components"]["schemas"]


@pytest.mark.parametrize("spec_path", SPECS, ids=lambda path: path.name)
def test_corpus_is_valid_openapi_3_0_and_so_is_its_normalized_form(spec_path: Path) -> None:
    spec = json.loads(spec_path.read_text())
    if spec_path.name in NOT_3_0:
        with pytest.raises(Exception, match=r"is not valid|None is not of type"):
            validate(spec)
    else:
        validate(spec)
    # Actions repeat across resources by design (one module per resource), so operationIds may too.
    errors = [
        e
        for e in OpenAPIV30SpecValidator(normalize(spec)).iter_errors()
        if not isinstance(e, DuplicateOperationIDError)
    ]
    assert errors == []


def test_corpus_has_the_size_the_issue_asks_for() -> None:
    assert {path.name for path in SPECS} >= {"drf_features.json", "quirks.json", "already_split.json", "large.json"}
    large = normalize(json.loads((ROOT / "tests" / "specs" / "large.json").read_text()))
    assert len(list(operations(large))) >= 100
    assert len(large["tags"]) >= 10
    drf = normalize(json.loads((ROOT / "tests" / "specs" / "drf_features.json").read_text()))
    assert len(list(operations(drf))) >= 15


def test_large_json_is_what_make_large_writes() -> None:
    build = runpy.run_path(str(ROOT / "tests" / "specs" / "make_large.py"))["build"]
    expected = json.dumps(build(), indent=2, ensure_ascii=False) + "\n"
    assert (ROOT / "tests" / "specs" / "large.json").read_text() == expected


# --- the real generator -------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, int, str]]:
    """Every corpus spec normalized and generated with plain openapi-python-client, all at once (in parallel)."""
    root = tmp_path_factory.mktemp("plain_generator")
    bin_dir = Path(sys.executable).parent
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}  # its ruff post-hook
    running = {}
    for spec_path in SPECS:
        package = "gen_" + spec_path.stem
        normalized = root / f"{spec_path.stem}.normalized.json"
        normalized.write_text(json.dumps(normalize(json.loads(spec_path.read_text()))))
        command = [str(bin_dir / "openapi-python-client"), "generate", "--path", str(normalized), "--meta", "none"]
        command += ["--output-path", str(root / package)]
        running[spec_path.name] = (
            root,
            subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True),
        )
    results = {}
    for name, (where, process) in running.items():
        output, _ = process.communicate(timeout=240)
        results[name] = (where, process.returncode, output)
    return results


@pytest.mark.slow
@pytest.mark.parametrize("spec_path", SPECS, ids=lambda path: path.name)
def test_plain_generator_generates_every_operation_of_the_normalized_corpus(
    spec_path: Path, generated: dict[str, tuple[Path, int, str]]
) -> None:
    root, status, output = generated[spec_path.name]
    assert status == 0, output
    assert not [word for word in ("Warning", "WARNING", "Skipping", "Unable", "Error") if word in output], output
    package = "gen_" + spec_path.stem
    spec = normalize(json.loads(spec_path.read_text()))
    per_tag: dict[str, int] = {}
    for _, _, op in operations(spec):
        per_tag[op["tags"][0]] = per_tag.get(op["tags"][0], 0) + 1
    modules = {
        tag: len([p for p in (root / package / "api" / tag).glob("*.py") if p.name != "__init__.py"]) for tag in per_tag
    }
    assert modules == per_tag
    importer = (
        "import importlib, pkgutil, sys\n"
        f"sys.path.insert(0, {str(root)!r})\n"
        f"package = importlib.import_module({package!r})\n"
        "names = [m.name for m in pkgutil.walk_packages(package.__path__, package.__name__ + '.')]\n"
        "for name in names: importlib.import_module(name)\n"
        "print(len(names))\n"
    )
    result = subprocess.run([sys.executable, "-c", importer], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) > sum(per_tag.values())  # every endpoint module, the models, the package's own
