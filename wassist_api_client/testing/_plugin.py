"""The pytest plugin (entry point `pytest11`): the `wassist_fake` fixture, a fresh WassistFake per test.

Loading it imports neither the fake nor jsonschema, so pytest starts without the [testing] extra; only a test
that asks for the fixture fails then, naming the extra.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from ._fake import WassistFake


@pytest.fixture
def wassist_fake() -> WassistFake:
    """A fresh fake of the Wassist API: `wassist_fake.client()` is a `Wassist` wired to it."""
    try:
        from ._fake import WassistFake
    except ModuleNotFoundError as error:
        from . import EXTRA_HINT

        pytest.fail(f"the wassist_fake fixture: {EXTRA_HINT} (missing: {error.name})", pytrace=False)
    return WassistFake()
