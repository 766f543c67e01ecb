"""The generated command table of each package names what its generated functions take (checked in process)."""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest

import wassist_api_client
from tests.cli.conftest import PAGES_SPEC, SPECS
from tests.conftest import corpus_specs

pytestmark = pytest.mark.slow  # generates packages

SPEC_PATHS = [*corpus_specs(), PAGES_SPEC, SPECS / "cli.json"]


def check(package: ModuleType) -> None:
    table = importlib.import_module(f"{package.__name__}._cli_commands")
    assert table.COMMANDS, f"{package.__name__}: no commands"
    for command in table.COMMANDS:
        module = importlib.import_module(f"{package.__name__}.api.{command.module}")
        taken = set(inspect.signature(module.sync).parameters)
        keys = [p.key for p in command.arguments] + [p.key for p in command.options if p.location == "query"]
        assert set(keys) <= taken, f"{command.operation}: {sorted(set(keys) - taken)} are not arguments of sync"
        assert ("body" in taken) == (command.body is not None), command.operation
        if command.pages:
            assert command.operation.startswith("GET ")


def test_the_vendored_table_matches_its_package() -> None:
    check(wassist_api_client)


@pytest.mark.parametrize("spec", SPEC_PATHS, ids=lambda path: path.name)
def test_each_spec_table_matches_its_package(spec: Path, generated_package: Callable[[Path], ModuleType]) -> None:
    check(generated_package(spec))
