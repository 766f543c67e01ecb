"""Where generated endpoint functions hand over a 2xx response body for parsing.

`json_body(response, strict=...)` decodes the body and opens an issue-collecting scope (see
`_issues`) around the generated parsing code (`Model.from_dict(body)`); on leaving it, the schema
mismatches the models recorded are raised as one `APIResponseValidationError` (strict) or logged as
one WARNING each on the `wassist_api_client` logger (lenient, the default). `undocumented_status`
raises the same error for a 2xx status the spec does not document.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, NoReturn

from ._exceptions import APIResponseValidationError, ModelValidationError, body_preview
from ._issues import Issue, start_collecting, stop_collecting

if TYPE_CHECKING:
    from types import TracebackType

    import httpx2

__all__ = ["MAX_WARNINGS_PER_BODY", "json_body", "undocumented_status"]

logger = logging.getLogger("wassist_api_client")

# A response with thousands of mismatching items would flood the log: past this many, the rest
# of one body's mismatches are summed up in one more WARNING (strict mode lists them all).
MAX_WARNINGS_PER_BODY = 20
_MAX_ISSUES_IN_MESSAGE = 10


class _JSONBody:
    """The context manager `json_body` returns (a class: a generator frame costs more per call)."""

    __slots__ = ("_issues", "_token", "response", "strict")

    def __init__(self, response: httpx2.Response, strict: bool) -> None:
        self.response = response
        self.strict = strict

    def __enter__(self) -> Any:
        try:
            body = self.response.json()
        except (ValueError, RecursionError):  # JSONDecodeError, UnicodeDecodeError, JSON nested too deep
            raise APIResponseValidationError(
                f"{_operation(self.response)} returned {self.response.status_code} with a body that is not JSON: "
                f"{body_preview(self.response)}",
                response=self.response,
            ) from None
        self._issues, self._token = start_collecting()
        return body

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        stop_collecting(self._token)
        if isinstance(exc, ModelValidationError):
            raise APIResponseValidationError(
                _mismatch_message(self.response, exc.issues), response=self.response, issues=exc.issues
            ) from exc
        if exc_type is not None or not self._issues:
            return
        if self.strict:
            raise APIResponseValidationError(
                _mismatch_message(self.response, self._issues), response=self.response, issues=self._issues
            ) from ModelValidationError(self._issues)
        _log(self.response, self._issues)


def json_body(response: httpx2.Response, *, strict: bool) -> _JSONBody:
    """`with json_body(response, strict=...) as body:` parse `body`; see the module docstring."""
    return _JSONBody(response, strict)


def undocumented_status(response: httpx2.Response) -> NoReturn:
    raise APIResponseValidationError(
        f"{_operation(response)} returned {response.status_code}, a status its spec does not document",
        response=response,
    )


def _operation(response: httpx2.Response) -> str:
    return f"{response.request.method} {response.request.url.path}"


def _mismatch_message(response: httpx2.Response, issues: list[Issue]) -> str:
    shown = "; ".join(str(issue) for issue in issues[:_MAX_ISSUES_IN_MESSAGE])
    more = len(issues) - _MAX_ISSUES_IN_MESSAGE
    return (
        f"{_operation(response)} returned {response.status_code} with a body that does not match the spec: {shown}"
        + (f" (and {more} more)" if more > 0 else "")
    )


def _log(response: httpx2.Response, issues: list[Issue]) -> None:
    operation = _operation(response)
    for issue in issues[:MAX_WARNINGS_PER_BODY]:
        logger.warning("%s: body does not match the spec, kept as received: %s", operation, issue)
    if len(issues) > MAX_WARNINGS_PER_BODY:
        logger.warning(
            "%s: %d more mismatches in the same body, kept as received (not logged one by one)",
            operation,
            len(issues) - MAX_WARNINGS_PER_BODY,
        )
