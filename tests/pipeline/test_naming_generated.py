"""`make generate` on a small spec of the naming patterns: the exact import paths the issue asks for, nested
sub-packages that import, reserved words, separated names said in the output, and PEP 702 deprecations."""

from __future__ import annotations

import importlib
import json
import pkgutil
import subprocess
import sys
import tempfile
import warnings
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import HealthCheck, example, given, settings

from codegen import generate
from codegen.naming import api_prefix
from codegen.normalize import normalize
from tests.pipeline.adversarial import WORST_CASE, SpecShape, spec_shapes
from tests.pipeline.naming_specs import WASSIST_LISTS, WASSIST_NAMES, spec_of

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = "naming_client"
MORE_NAMES = {
    "GET /api/lambda/functions/": "lambda_.functions",  # a keyword resource keeps its operations
    "GET /api/type/": "type_.list_",  # a soft keyword and builtin
    "POST /api/type/": "type_.create",
    "GET /api/v1/2fa/": "n2fa.retrieve",
    "GET /api/v1/user-groups/": "user_groups.retrieve",
    "GET /api/v1/User_Groups/": "user_groups_2.retrieve",  # separated, and the output says so
    "GET /api/v1/café/": "cafe.retrieve",
    "GET /api/v1/agents/{id}/old/": "agents.old",  # deprecated
}
EXPECTED = {**WASSIST_NAMES, **MORE_NAMES}
SPEC = spec_of(EXPECTED, lists={*WASSIST_LISTS, "GET /api/type/"}, deprecated={"GET /api/v1/agents/{id}/old/"})


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    root = tmp_path_factory.mktemp("naming")
    spec_file = root / "naming.json"
    spec_file.write_text(json.dumps(SPEC, ensure_ascii=False), encoding="utf-8")
    command = [sys.executable, "-m", "codegen.generate", "--spec", str(spec_file), "--package-dir", str(root / PACKAGE)]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    return root, result.stdout


@pytest.fixture(scope="module")
def package(generated: tuple[Path, str]) -> ModuleType:
    sys.path.insert(0, str(generated[0]))
    try:
        return importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(generated[0]))


@pytest.mark.slow
def test_generation_gives_exactly_the_import_paths_asked_for(generated: tuple[Path, str], package: ModuleType) -> None:
    root, _ = generated
    modules = sorted(
        name[len(f"{PACKAGE}.api.") :]
        for name in (m.name for m in pkgutil.walk_packages(package.__path__, f"{PACKAGE}."))
        if name.startswith(f"{PACKAGE}.api.") and not (root / name.replace(".", "/")).is_dir()
    )
    assert modules == sorted(EXPECTED.values())
    # the one map other tools read agrees, file by file
    assert {f"{m.method.upper()} {m.path}": m.dotted for m in generate.operation_modules(normalize(SPEC))} == EXPECTED
    for dotted in EXPECTED.values():
        module = importlib.import_module(f"{PACKAGE}.api.{dotted}")
        assert all(callable(getattr(module, name)) for name in ("sync", "sync_detailed", "asyncio", "asyncio_detailed"))


@pytest.mark.slow
def test_nested_modules_import_the_package_s_own_models(package: ModuleType) -> None:
    messages = importlib.import_module(f"{PACKAGE}.api.conversations.messages.create")
    assert messages.Thing is importlib.import_module(f"{PACKAGE}.models").Thing
    assert messages.Client.__module__ == f"{PACKAGE}.client"


@pytest.mark.slow
def test_the_output_says_which_names_were_separated(generated: tuple[Path, str]) -> None:
    _, output = generated
    separated = [line for line in output.splitlines() if "separated" in line]
    assert separated == [
        "GET /api/v1/User_Groups/ -> api.user_groups_2.retrieve: separated, "
        "user_groups_2 (segment 'User_Groups': user_groups was taken)"
    ]


@pytest.mark.slow
def test_a_deprecated_operation_warns_at_runtime_and_only_it(package: ModuleType) -> None:
    old = importlib.import_module(f"{PACKAGE}.api.agents.old")
    message = "GET /api/v1/agents/{id}/old/ is deprecated by the API"
    for name in ("sync", "sync_detailed", "asyncio", "asyncio_detailed"):
        assert getattr(old, name).__deprecated__ == message
    warns = pytest.warns(DeprecationWarning, match=r"^GET /api/v1/agents/\{id\}/old/ is deprecated by the API$")
    with warns, pytest.raises(AttributeError):  # the warning comes first; no client, no request
        old.sync("1", client=None)
    fresh = importlib.import_module(f"{PACKAGE}.api.agents.duplicate")
    assert not hasattr(fresh.sync, "__deprecated__")
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)
        with pytest.raises(AttributeError):
            fresh.sync("1", client=None, body=None)


@pytest.mark.slow
def test_a_type_checker_reports_the_use_of_a_deprecated_operation(generated: tuple[Path, str]) -> None:
    root, _ = generated
    user = root / "uses_deprecated.py"
    user.write_text(
        f"from {PACKAGE}.api.agents import duplicate, old\n\n\n"
        "def call(client: object) -> None:\n"
        "    old.sync('1', client=client)  # type: ignore[arg-type]\n"
        "    duplicate.sync('1', client=client, body=None)  # type: ignore[arg-type]\n"
    )
    mypy = [sys.executable, "-m", "mypy", "--enable-error-code", "deprecated", "--no-incremental", str(user)]
    result = subprocess.run(mypy, cwd=root, capture_output=True, text=True, check=False)
    reported = [line for line in result.stdout.splitlines() if "[deprecated]" in line]
    assert len(reported) == 1, result.stdout
    assert "uses_deprecated.py:5:" in reported[0] and "is deprecated by the API" in reported[0]


IMPORT_ALL = (
    "import importlib, pkgutil, sys\n"
    "sys.path.insert(0, sys.argv[1])\n"
    f"package = importlib.import_module({PACKAGE!r})\n"
    "for module in pkgutil.walk_packages(package.__path__, package.__name__ + '.'):\n"
    "    importlib.import_module(module.name)\n"
)


@pytest.mark.slow
@settings(max_examples=2, derandomize=True, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(shape=spec_shapes())
@example(shape=WORST_CASE)
def test_adversarial_specs_generate_import_and_keep_their_names_when_a_path_is_added(shape: SpecShape) -> None:
    spec = spec_of(shape.keys(), lists=shape.lists())
    prefix = api_prefix(path for _, path, _ in shape.operations)
    unrelated = "/" + "/".join([*prefix, shape.unrelated_resource(), "{p0}"]) + "/"
    extended = spec_of([*shape.keys(), f"GET {unrelated}", f"DELETE {unrelated}"], lists=shape.lists())
    with tempfile.TemporaryDirectory(prefix="naming-") as work:
        roots = {"spec": Path(work) / "spec", "extended": Path(work) / "extended"}
        running = {}
        for name, document in (("spec", spec), ("extended", extended)):
            roots[name].mkdir()
            (roots[name] / "spec.json").write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
            command = [sys.executable, "-m", "codegen.generate", "--spec", str(roots[name] / "spec.json")]
            command += ["--package-dir", str(roots[name] / PACKAGE)]
            running[name] = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        for name, process in running.items():
            output, _ = process.communicate(timeout=240)
            assert process.returncode == 0, output.decode()
            imported = subprocess.run(
                [sys.executable, "-c", IMPORT_ALL, str(roots[name])], capture_output=True, text=True, check=False
            )
            assert imported.returncode == 0, imported.stderr
        before = {(m.method, m.path): m for m in generate.operation_modules(normalize(spec))}
        after = {(m.method, m.path): m for m in generate.operation_modules(normalize(extended))}
        assert {key: after[key].parts for key in before} == {key: m.parts for key, m in before.items()}
        for module in after.values():
            assert (roots["extended"] / PACKAGE / module.file).is_file(), module.label
        for module in before.values():
            assert (roots["spec"] / PACKAGE / module.file).is_file(), module.label
