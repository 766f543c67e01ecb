"""The exceptions this package raises (all derive from WassistError), and how a non-2xx response becomes one."""

from __future__ import annotations

import email.utils
import json
import re
import time
from datetime import timezone
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Sequence

    import httpx2

    from ._issues import Issue

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ClientRateLimitError",
    "ConflictError",
    "InternalServerError",
    "ModelValidationError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitBackendError",
    "RateLimitError",
    "UnprocessableEntityError",
    "WassistError",
    "WebhookVerificationError",
]

_REQUEST_ID_HEADERS = ("x-request-id", "request-id", "x-correlation-id")
_PREVIEW_CHARS = 200
_TAG = re.compile(r"<[^>]*>")
_SCRIPT_OR_STYLE = re.compile(r"<(script|style)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)


class WassistError(Exception):
    """Base class of every error this package raises."""


class APIError(WassistError):
    """An error tied to one HTTP request."""

    def __init__(self, message: str, *, request: httpx2.Request) -> None:
        super().__init__(message)
        self.message = message
        self.request = request


class APIConnectionError(APIError):
    """The API could not be reached, or the connection broke before a response arrived."""

    def __init__(self, *, request: httpx2.Request, message: str = "Connection error.") -> None:
        super().__init__(message, request=request)


class APITimeoutError(APIConnectionError):
    """The request did not complete within the configured timeout."""

    def __init__(self, *, request: httpx2.Request) -> None:
        super().__init__(request=request, message="Request timed out.")


class APIResponseValidationError(APIError):
    """A 2xx response whose body is not what the spec documents (or not JSON at all).

    `issues` lists each mismatch (model, JSON path, expected and received type); it is empty when
    the body could not be used at all (not JSON, an undocumented status).
    """

    def __init__(self, message: str, *, response: httpx2.Response, issues: Sequence[Issue] = ()) -> None:
        super().__init__(message, request=response.request)
        self.response = response
        self.status_code = response.status_code
        self.issues: list[Issue] = list(issues)


class ModelValidationError(WassistError):
    """Data that cannot be parsed at all: a JSON object was expected and something else came.

    Raised by a generated `Model.from_dict(...)` called on something other than an object; inside a
    call, `_response_body.json_body` turns it into an `APIResponseValidationError`.
    """

    def __init__(self, issues: list[Issue]) -> None:
        super().__init__("; ".join(str(issue) for issue in issues))
        self.issues = issues


class APIStatusError(APIError):
    """The API answered with a status outside 2xx (after any retries)."""

    def __init__(self, message: str, *, response: httpx2.Response, body: object) -> None:
        super().__init__(message, request=response.request)
        self.response = response
        self.status_code = response.status_code
        self.body = body
        self.code: str | None = _error_code(body)
        self.request_id: str | None = _request_id(response)

    def __str__(self) -> str:
        suffix = f" (request id {self.request_id})" if self.request_id else ""
        return f"{self.status_code}: {self.message}{suffix}"


class BadRequestError(APIStatusError):
    """400: the request was malformed or failed validation."""


class AuthenticationError(APIStatusError):
    """401: the API key is missing or wrong."""


class PermissionDeniedError(APIStatusError):
    """403: the API key may not do this."""


class NotFoundError(APIStatusError):
    """404: no such resource."""


class ConflictError(APIStatusError):
    """409: the request conflicts with the resource's current state."""


class UnprocessableEntityError(APIStatusError):
    """422: the request was well formed but its content was rejected."""


class RateLimitError(APIStatusError):
    """429: too many requests; `retry_after` says how many seconds to wait, when the API said."""

    def __init__(self, message: str, *, response: httpx2.Response, body: object) -> None:
        super().__init__(message, response=response, body=body)
        self.retry_after: float | None = retry_after_seconds(response, body)


class InternalServerError(APIStatusError):
    """5xx: the API failed."""


class ClientRateLimitError(WassistError):
    """The client's own `RateLimit` had no slot within `max_wait`: the request was not sent.

    `retry_after` is how many seconds the limit expected the next slot to take, when it knew.
    """

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class RateLimitBackendError(WassistError):
    """The shared `RateLimit`'s backend (Redis) could not be used; `url` is its URL without credentials."""

    def __init__(self, message: str, *, url: str) -> None:
        super().__init__(message)
        self.url = url


class WebhookVerificationError(WassistError):
    """A webhook delivery that must not be trusted or used (`wassist_api_client.webhooks.verify`).

    `reason` says which check failed: "missing_header", "malformed_header", "timestamp_mismatch",
    "bad_signature", "expired", "not_yet_valid" (timestamp in the future), "not_json", or
    "invalid_payload" (the JSON does not fit the event's model: strict mode, or not an object);
    `issues` lists the mismatches of "invalid_payload". The message never contains the secret.
    """

    def __init__(self, reason: str, message: str, *, issues: Sequence[Issue] = ()) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message
        self.issues: list[Issue] = list(issues)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(reason={self.reason!r}, message={self.message!r})"


_STATUS_CLASSES: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def status_error(response: httpx2.Response) -> APIStatusError:
    """The typed error for a non-2xx response whose body has been read."""
    body = decoded_body(response)
    message = _error_message(body) or _reason(response)
    error_class = _STATUS_CLASSES.get(response.status_code)
    if error_class is None:
        error_class = InternalServerError if response.status_code >= 500 else APIStatusError
    return error_class(message, response=response, body=body)


def body_preview(response: httpx2.Response) -> str:
    """The first characters of a body, for messages about bodies that could not be used."""
    text = response.content[:_PREVIEW_CHARS].decode("utf-8", errors="replace")
    return repr(text) + ("..." if len(response.content) > _PREVIEW_CHARS else "")


def retry_after_seconds(response: httpx2.Response, body: object) -> float | None:
    """Seconds to wait from `Retry-After` (seconds or an HTTP date) or the body's `retry_after`."""
    header = response.headers.get("retry-after")
    if header:
        try:
            return max(0.0, float(header))
        except ValueError:
            pass
        try:
            when = email.utils.parsedate_to_datetime(header)
        except (TypeError, ValueError):
            when = None
        if when is not None:
            if when.tzinfo is None:
                when = when.replace(tzinfo=timezone.utc)
            return max(0.0, when.timestamp() - time.time())
    value = body.get("retry_after") if isinstance(body, dict) else None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return max(0.0, float(value))
    return None


def decoded_body(response: httpx2.Response) -> object:
    """The JSON of a read body, or its text when it is not JSON, or None when it is empty."""
    try:
        return json.loads(response.content) if response.content else None
    except (ValueError, RecursionError):  # RecursionError: JSON nested deeper than the interpreter allows
        return response.content.decode("utf-8", errors="replace")


def _error_message(body: object) -> str | None:
    """The message of Wassist's `{"error", "code"}` body, or of the shapes other clients read."""
    if isinstance(body, dict):
        for key in ("error", "message", "detail"):
            value = body.get(key)
            if isinstance(value, str) and value:
                return value
            if isinstance(value, dict) and isinstance(value.get("message"), str):
                return str(value["message"])
        field_errors = _field_errors(body)
        if field_errors:
            return field_errors
    if isinstance(body, str) and body.strip():
        # Plain text, or an HTML page from a proxy: its text without the tags, shortened.
        text = _TAG.sub(" ", _SCRIPT_OR_STYLE.sub(" ", body))
        return " ".join(text.split())[:_PREVIEW_CHARS] or None
    return None


def _field_errors(body: dict[str, Any]) -> str:
    """Django REST framework's `{"field": ["message", ...]}` validation maps, as one line."""
    parts = []
    for field, messages in body.items():
        if isinstance(messages, list) and all(isinstance(m, str) for m in messages):
            parts.append(f"{field}: {' '.join(messages)}")
    return "; ".join(parts)


def _error_code(body: object) -> str | None:
    if not isinstance(body, dict):
        return None
    error = body.get("error")
    code = error.get("code") if isinstance(error, dict) and "code" not in body else body.get("code")
    return code if isinstance(code, str) else None


def _request_id(response: httpx2.Response) -> str | None:
    for name in _REQUEST_ID_HEADERS:
        if name in response.headers:
            return response.headers[name]
    return None


def _reason(response: httpx2.Response) -> str:
    return response.reason_phrase or f"HTTP {response.status_code}"
