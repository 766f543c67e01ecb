"""Every fault of the table against a real loopback server, through Wassist and AsyncWassist.

Each case asserts the exact outcome (the parsed value, or the error class and its message), the
number of attempts, a bounded time, and that the same client then makes a successful call over its
single-connection pool (see harness.exchange).
"""

from __future__ import annotations

import pytest

from tests.client.support import Flavour, Loopback
from tests.faults.cases import FAULTS
from tests.faults.harness import Fault, assert_outcome, exchange


@pytest.mark.parametrize("fault", FAULTS, ids=[fault.id for fault in FAULTS])
def test_fault_has_its_exact_outcome_and_the_client_still_works(
    flavour: Flavour, server: Loopback, fault: Fault
) -> None:
    outcome = exchange(flavour, server, fault)

    assert_outcome(outcome)
