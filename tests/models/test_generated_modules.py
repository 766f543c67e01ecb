"""The generated model modules import in any order (models refer to each other, even in cycles)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest

from tests.models.support import spec_id, spec_paths

# Imports each model module first in a clean slate of the package's modules, then checks that every
# name its from_dict reads (the models imported at the bottom of the module) is there.
SCRIPT = """
import importlib, pkgutil, sys
package = sys.argv[1]
sys.path.insert(0, sys.argv[2])
names = [m.name for m in pkgutil.iter_modules(importlib.import_module(package + ".models").__path__)]
for name in names:
    for loaded in [m for m in sys.modules if m == package or m.startswith(package + ".")]:
        del sys.modules[loaded]
    module = importlib.import_module(f"{package}.models.{name}")
    for value in vars(module).values():
        from_dict = getattr(value, "from_dict", None)
        if from_dict is not None and getattr(value, "__module__", None) == module.__name__:
            missing = [n for n in from_dict.__code__.co_names if n[0].isupper() and n not in vars(module)]
            assert not missing, (module.__name__, missing)
print(len(names))
"""


@pytest.mark.parametrize("spec", spec_paths(), ids=[spec_id(p) for p in spec_paths()])
def test_each_model_module_imports_first(spec: Path, generated_package: Callable[[Path], ModuleType]) -> None:
    if spec.name == "openapi.json":
        package_name, root = "wassist_api_client", Path(__file__).resolve().parents[2]
    else:
        package = generated_package(spec)
        package_name, root = package.__name__, Path(package.__file__ or "").parent.parent
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, package_name, str(root)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) > 0
