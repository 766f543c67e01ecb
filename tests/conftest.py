"""Fixtures shared by every test folder."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest

from tests import pregenerated

ROOT = Path(__file__).resolve().parent.parent
SPECS_DIR = ROOT / "tests" / "specs"


def corpus_specs() -> list[Path]:
    """Every spec of the synthetic corpus (a glob, so new specs join the parametrised tests)."""
    return sorted(SPECS_DIR.glob("*.json"))


@pytest.fixture(scope="session")
def generated_package(tmp_path_factory: pytest.TempPathFactory) -> Callable[[Path], ModuleType]:
    """Generate a whole client package from a spec into a temp dir and import it.

    The package is named `<spec stem>_client` so that it can live beside the real
    `wassist_api_client` in one interpreter (generated and hand-written code import relatively).
    With WASSIST_TEST_PREGENERATED set, the package generated earlier is imported (tests/pregenerated.py).
    """
    root = tmp_path_factory.mktemp("generated")
    sys.path.insert(0, str(root))
    cache: dict[Path, ModuleType] = {}

    def build(spec: Path) -> ModuleType:
        spec = spec.resolve()
        if spec not in cache:
            name = pregenerated.package_name(spec)
            path = str(pregenerated.package_root(spec, name, root))
            if path not in sys.path:
                sys.path.insert(0, path)
            cache[spec] = importlib.import_module(name)
        return cache[spec]

    return build
