"""Static contract: the package agrees with its spec (vendored openapi.json, and every corpus spec).

For openapi.json the package is the committed wassist_api_client; for a corpus spec, a package generated
into a temp dir by the pipeline. Each check (contractlib.checks) reads the spec and the normalization
rules (codegen.normalize) and introspects the package; a failure lists every problem found.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest
from conftest import SPEC_PATHS, spec_id
from contractlib import checks
from contractlib.spec import load_document


@pytest.mark.parametrize("check", list(checks.CHECKS), ids=str)
@pytest.mark.parametrize("spec_path", SPEC_PATHS, ids=spec_id)
def test_static_contract(spec_path: Path, check: str, package_for: Callable[[Path], ModuleType]) -> None:
    document = load_document(spec_path)
    problems = checks.CHECKS[check](document, package_for(spec_path))
    assert not problems, f"{spec_id(spec_path)}: {len(problems)} problem(s):\n" + "\n".join(problems)
