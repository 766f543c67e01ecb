"""WASSIST_LOG: the package logger writes to stderr by itself when asked (the request itself: tests/docs)."""

from __future__ import annotations

import logging
import os
import subprocess
import sys

import pytest

from wassist_api_client import _logs

PROGRAM = """
import logging
from wassist_api_client import Wassist
Wassist(api_key="k")
logging.getLogger("wassist_api_client").debug("a debug line")
logging.getLogger("wassist_api_client").info("an info line")
"""


def run(value: str | None) -> str:
    env = {k: v for k, v in os.environ.items() if k != "WASSIST_LOG"}
    if value is not None:
        env["WASSIST_LOG"] = value
    result = subprocess.run([sys.executable, "-c", PROGRAM], env=env, capture_output=True, text=True, check=True)
    return result.stderr


def test_levels() -> None:
    assert run(None) == ""
    assert "a debug line" in run("debug") and "an info line" in run("DEBUG")
    info = run("info")
    assert "an info line" in info and "a debug line" not in info


def test_an_unknown_value_says_so_and_changes_nothing() -> None:
    stderr = run("verbose")
    assert "WASSIST_LOG='verbose' is not one of debug, info" in stderr
    assert "an info line" not in stderr


def test_the_handler_is_added_once(monkeypatch: pytest.MonkeyPatch) -> None:
    logger = logging.getLogger("wassist_api_client")
    monkeypatch.setenv("WASSIST_LOG", "debug")
    monkeypatch.setattr(logger, "handlers", [])
    monkeypatch.setattr(logger, "level", logger.level)
    _logs.setup_from_environment()
    _logs.setup_from_environment()
    assert len(logger.handlers) == 1
    assert logger.level == logging.DEBUG
