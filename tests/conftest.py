"""Fixtures shared by every test folder."""

from __future__ import annotations

import importlib
import re
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest

from tools import generate

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
    """
    root = tmp_path_factory.mktemp("generated")
    sys.path.insert(0, str(root))
    cache: dict[Path, ModuleType] = {}

    def build(spec: Path) -> ModuleType:
        spec = spec.resolve()
        if spec not in cache:
            name = re.sub(r"\W", "_", spec.stem) + "_client"  # `authentik-2023.10.4` -> authentik_2023_10_4_client
            status = generate.main(["--spec", str(spec), "--package-dir", str(root / name)])
            assert status == 0, f"generation of {spec.name} failed (see stderr)"
            cache[spec] = importlib.import_module(name)
        return cache[spec]

    return build
