"""The runtime's import structure: no import cycle, and one runtime module for generated code.

Hand-written and generated modules are told apart by `codegen.generate.is_generated`, the rule
`make generate` itself follows, so that new hand-written modules and subpackages (a CLI, `testing/`)
are covered as soon as they exist.
"""

from __future__ import annotations

import ast
import importlib
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType

import pytest

from codegen.generate import is_generated
from tests.conftest import corpus_specs
from tests.structure.imports import cycles, import_graph, imports_of, package_modules

ROOT = Path(__file__).resolve().parents[2]
PACKAGE_DIR = ROOT / "wassist_api_client"

# The one hand-written module generated code calls at parse time; `errors.py` (generated) is where
# users find the exception classes, so it re-exports them from `_exceptions` instead.
PARSING_MODULE = "_parsing"
# errors re-exports the exception classes; the `wassist` command table is made of the CLI's own data classes.
ALLOWED_RUNTIME_IMPORTS = {"errors": {"_exceptions"}, "_cli_commands": {"_cli._table"}}


def _relative(package_dir: Path, name: str) -> Path:
    return package_modules(package_dir)[name].relative_to(package_dir)


def hand_written(package_dir: Path) -> set[str]:
    return {name for name in package_modules(package_dir) if not is_generated(_relative(package_dir, name))}


def runtime_imports(package_dir: Path) -> Iterator[tuple[str, str, int]]:
    """(generated module, hand-written module it imports, line) over every generated module."""
    modules = package_modules(package_dir)
    runtime = hand_written(package_dir) - {package_dir.name}
    for name, path in modules.items():
        if is_generated(path.relative_to(package_dir)):
            for found in imports_of(path, name, set(modules)):
                if found.target in runtime:
                    yield name, found.target, found.line


def check_runtime_imports(package_dir: Path) -> list[str]:
    """What breaks the rule: a generated module importing a hand-written module other than `_parsing`."""
    wrong = []
    for module, target, line in runtime_imports(package_dir):
        short = module.removeprefix(package_dir.name + ".")
        allowed = ALLOWED_RUNTIME_IMPORTS.get(short, {PARSING_MODULE})
        if target.removeprefix(package_dir.name + ".") not in allowed:
            wrong.append(f"{short} (line {line}) imports {target}")
    return wrong


def parsing_names_used(package_dir: Path) -> Iterator[tuple[str, str]]:
    """(generated module, name) for each `_parsing.<name>` and `from .._parsing import <name>` in generated code."""
    for name, path in package_modules(package_dir).items():
        if not is_generated(path.relative_to(package_dir)):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == PARSING_MODULE:
                yield name, node.attr
            elif isinstance(node, ast.ImportFrom) and (node.module or "").endswith(PARSING_MODULE):
                yield from ((name, alias.name) for alias in node.names)


# ---------------------------------------------------------------------------------------------
# The checker finds what it should (on small packages written here)


def _write_package(root: Path, files: dict[str, str]) -> Path:
    package_dir = root / "pkg"
    for relative, text in files.items():
        (package_dir / relative).parent.mkdir(parents=True, exist_ok=True)
        (package_dir / relative).write_text(text)
    return package_dir


def test_a_cycle_through_a_type_checking_import_is_found(tmp_path: Path) -> None:
    package_dir = _write_package(
        tmp_path,
        {
            "__init__.py": "",
            "_a.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from ._b import B\n",
            "_b.py": "from ._a import A\n",
            "_c.py": "from . import _a\n",
        },
    )
    assert cycles(import_graph(package_dir)) == [["pkg._a", "pkg._b"]]


def test_lazy_and_subpackage_imports_are_resolved(tmp_path: Path) -> None:
    package_dir = _write_package(
        tmp_path,
        {
            "__init__.py": "from ._core import thing\n",
            "_core.py": "def thing():\n    from .testing import _fake\n",
            "testing/__init__.py": "from ._fake import Fake\n",
            "testing/_fake.py": "from .. import _core\nfrom ..types import UNSET\n",
            "types.py": "",
        },
    )
    graph = import_graph(package_dir)
    assert graph["pkg._core"] == {"pkg.testing._fake"}
    assert graph["pkg.testing"] == {"pkg.testing._fake"}
    assert graph["pkg.testing._fake"] == {"pkg._core", "pkg.types"}
    assert cycles(graph) == [["pkg._core", "pkg.testing._fake"]]


def test_a_generated_module_importing_another_runtime_module_is_reported(tmp_path: Path) -> None:
    package_dir = _write_package(
        tmp_path,
        {
            "__init__.py": "",
            "_parsing.py": "",
            "_issues.py": "",
            "errors.py": "from ._exceptions import WassistError\n",
            "_exceptions.py": "",
            "models/__init__.py": "",
            "models/pet.py": "from .. import _parsing\nfrom .._issues import invalid\nfrom ..types import UNSET\n",
            "types.py": "",
        },
    )
    assert check_runtime_imports(package_dir) == ["models.pet (line 2) imports pkg._issues"]


# ---------------------------------------------------------------------------------------------
# The rules hold for the package


def test_the_runtime_has_no_import_cycle() -> None:
    """No cycle through a hand-written module, type-only imports included (generated models may
    refer to each other: their cycles are the spec's, and stay among generated modules)."""
    runtime = hand_written(PACKAGE_DIR)
    assert f"{PACKAGE_DIR.name}._parsing" in runtime and f"{PACKAGE_DIR.name}.webhooks" in runtime
    through_runtime = [cycle for cycle in cycles(import_graph(PACKAGE_DIR)) if runtime.intersection(cycle)]
    assert through_runtime == []


def test_generated_modules_import_only_the_parsing_module() -> None:
    assert check_runtime_imports(PACKAGE_DIR) == []
    imported = {target for _, target, _ in runtime_imports(PACKAGE_DIR)}
    assert f"{PACKAGE_DIR.name}.{PARSING_MODULE}" in imported  # the walk did see generated code


def test_generated_code_uses_only_names_parsing_exports() -> None:
    parsing = importlib.import_module(f"{PACKAGE_DIR.name}.{PARSING_MODULE}")
    assert all(hasattr(parsing, name) for name in parsing.__all__)
    used = set(parsing_names_used(PACKAGE_DIR))
    assert {name for _, name in used} >= {"json_body", "Model", "OpenStrEnum"}
    assert sorted((module, name) for module, name in used if name not in parsing.__all__) == []


@pytest.mark.slow
@pytest.mark.parametrize("spec", corpus_specs(), ids=lambda path: path.stem)
def test_packages_generated_from_the_corpus_follow_the_rules(
    spec: Path, generated_package: Callable[[Path], ModuleType]
) -> None:
    """The templates, not only today's one-operation spec: enums (string and integer), unions, files, nested models."""
    package = generated_package(spec)
    package_dir = Path(package.__file__ or "").parent
    assert check_runtime_imports(package_dir) == []
    runtime = hand_written(package_dir)
    assert [cycle for cycle in cycles(import_graph(package_dir)) if runtime.intersection(cycle)] == []
    parsing = importlib.import_module(f"{package.__name__}.{PARSING_MODULE}")
    assert sorted({name for _, name in parsing_names_used(package_dir)} - set(parsing.__all__)) == []
