"""Bodies that cannot be decoded at all: a corrupt gzip stream, JSON nested past the recursion limit.

Each once reached the user as a bare httpx2.DecodingError or RecursionError.
"""

from __future__ import annotations

import httpx2
import pytest

from tests.client.support import Flavour, Loopback, Reply
from tests.faults.cases import CREATE, JSON, caused_by
from tests.faults.harness import Fault, assert_outcome, exchange
from wassist_api_client import (
    APIConnectionError,
    APIResponseValidationError,
    BadRequestError,
    RateLimitError,
)

CORRUPT_GZIP = b"\x1f\x8b\x08\x00" + b"garbage" * 10_000  # a gzip header, then no valid deflate stream
DEEP = b"[" * 100_000 + b"]" * 100_000  # valid JSON, nested past the interpreter's recursion limit
GZIP = {**JSON, "Content-Encoding": "gzip"}

UNDECODABLE = [
    Fault(
        "corrupt gzip body, POST",
        (Reply(201, CORRUPT_GZIP, headers=GZIP),),
        APIConnectionError,
        r"Connection error: DecodingError: Error -3 while decompressing data: .+",
        max_retries=2,
        check=caused_by(httpx2.DecodingError),
    ),
    Fault(
        "corrupt gzip body on a 503, GET",
        (Reply(503, CORRUPT_GZIP, headers=GZIP),),
        APIConnectionError,
        r"Connection error: DecodingError: Error -3 while decompressing data: .+",
        method="GET",
        check=caused_by(httpx2.DecodingError),
    ),
    *[
        Fault(
            f"JSON nested 100000 deep on a 201, {mode}",
            (Reply(201, DEEP, headers=JSON),),
            APIResponseValidationError,
            CREATE + r" returned 201 with a body .*'\[\[\[\[.*",
            strict=mode == "strict",
        )
        for mode in ("lenient", "strict")
    ],
    Fault(
        "JSON nested 100000 deep on a 400",
        (Reply(400, DEEP, headers=JSON),),
        BadRequestError,
        r"400: \[\[\[\[.*",
    ),
    Fault(
        "JSON nested 100000 deep on a 429",
        (Reply(429, DEEP, headers=JSON),),
        RateLimitError,
        r"429: \[\[\[\[.*",
    ),
]


@pytest.mark.parametrize("fault", UNDECODABLE, ids=[fault.id for fault in UNDECODABLE])
def test_undecodable_body(flavour: Flavour, server: Loopback, fault: Fault) -> None:
    assert_outcome(exchange(flavour, server, fault))
