"""`WASSIST_LOG=debug` (or `info`): the `wassist_api_client` logger writes to stderr by itself.

As OPENAI_LOG does for the OpenAI SDK: a way to see the requests of a program without changing
it. Only what the package logs anyway is written (method, URL, status, time, retries; never a
header or the API key). An application that configures logging itself needs none of this.
"""

from __future__ import annotations

import logging
import os
import sys

__all__ = ["ENV_VARIABLE", "setup_from_environment"]

ENV_VARIABLE = "WASSIST_LOG"
_LEVELS = {"debug": logging.DEBUG, "info": logging.INFO}
_FORMAT = "[%(asctime)s %(name)s %(levelname)s] %(message)s"


class _EnvironmentHandler(logging.StreamHandler):  # type: ignore[type-arg]  # generic only in typeshed
    """Marks the handler this module added, so that it is added once."""


def setup_from_environment() -> None:
    """Add a stderr handler to the package logger when WASSIST_LOG asks for one (once)."""
    value = os.environ.get(ENV_VARIABLE)
    if not value:
        return
    logger = logging.getLogger("wassist_api_client")
    level = _LEVELS.get(value.strip().lower())
    if level is None:
        logger.warning("%s=%r is not one of %s: ignored", ENV_VARIABLE, value, ", ".join(_LEVELS))
        return
    if any(isinstance(handler, _EnvironmentHandler) for handler in logger.handlers):
        return
    handler = _EnvironmentHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(_FORMAT))
    logger.addHandler(handler)
    logger.setLevel(level)
