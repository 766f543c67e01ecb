"""Errors raised by the generated functions: defined in `wassist_api_client._exceptions`."""

from ._exceptions import APIResponseValidationError, APIStatusError, WassistError

__all__ = ["APIResponseValidationError", "APIStatusError", "WassistError"]
