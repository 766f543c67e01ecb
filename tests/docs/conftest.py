from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from scripts.prism import PrismServer, start_prism

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def vendored_prism() -> Iterator[PrismServer]:
    """The Prism mock of the vendored openapi.json, as `make demo` runs it."""
    with start_prism(ROOT / "openapi.json") as prism:
        yield prism
