"""Where generated endpoint functions hand over a 2xx response body for parsing."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, NoReturn

import httpx

from ._exceptions import APIResponseValidationError, body_preview


@contextmanager
def json_body(response: httpx.Response, *, strict: bool) -> Iterator[Any]:
    """Decode a 2xx JSON body for a generated model to parse; a body that isn't JSON is a typed error."""
    try:
        body = response.json()
    except ValueError:  # also covers JSONDecodeError and UnicodeDecodeError
        raise APIResponseValidationError(
            f"{_operation(response)} returned {response.status_code} with a body that is not JSON: "
            f"{body_preview(response)}",
            response=response,
        ) from None
    yield body


def undocumented_status(response: httpx.Response) -> NoReturn:
    raise APIResponseValidationError(
        f"{_operation(response)} returned {response.status_code}, a status its spec does not document",
        response=response,
    )


def _operation(response: httpx.Response) -> str:
    return f"{response.request.method} {response.request.url.path}"
