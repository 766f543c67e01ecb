"""Fixtures of the contract tests: the specs (vendored + corpus), their packages, one Prism per spec."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType

import pytest
from contractlib.spec import VENDORED_SPEC, ContractSpec, contract_spec_paths

import wassist_api_client
from scripts.prism import PrismServer, start_prism

SPEC_PATHS = contract_spec_paths()


def spec_id(path: Path) -> str:
    return path.name if path == VENDORED_SPEC else f"corpus/{path.name}"


@pytest.fixture(scope="session")
def package_for(generated_package: Callable[[Path], ModuleType]) -> Callable[[Path], ModuleType]:
    """The package a spec stands for: the committed wassist_api_client for openapi.json (what users get),
    a package generated into a temp dir for a corpus spec."""

    def get(spec_path: Path) -> ModuleType:
        if spec_path.resolve() == VENDORED_SPEC.resolve():
            return wassist_api_client
        return generated_package(spec_path)

    return get


@pytest.fixture(scope="session")
def contract_spec_for() -> Callable[[Path], ContractSpec]:
    cache: dict[Path, ContractSpec] = {}

    def get(spec_path: Path) -> ContractSpec:
        if spec_path not in cache:
            cache[spec_path] = ContractSpec.from_file(spec_path)
        return cache[spec_path]

    return get


def _processes_mentioning(marker: str) -> list[str]:
    """Command lines of live processes that mention a marker (Linux /proc; zombies are not alive)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if marker in command and state != "Z":
            found.append(f"{entry.name}: {command.strip()}")
    return found


@pytest.fixture(scope="session")
def prism_for(
    tmp_path_factory: pytest.TempPathFactory, contract_spec_for: Callable[[Path], ContractSpec]
) -> Iterator[Callable[[Path], PrismServer]]:
    """One `prism mock --errors` per spec, started on first use from the NORMALIZED spec (what the generator
    saw), on a free port; all stopped at the end of the session, and no Prism process may be left."""
    folder = tmp_path_factory.mktemp("prism-specs")
    servers: dict[Path, PrismServer] = {}

    def get(spec_path: Path) -> PrismServer:
        if spec_path not in servers:
            normalized = folder / f"{spec_path.stem}.normalized.json"
            normalized.write_text(json.dumps(contract_spec_for(spec_path).normalized, indent=2), encoding="utf-8")
            servers[spec_path] = start_prism(normalized, seed="contract")
        return servers[spec_path]

    yield get
    for server in servers.values():
        server.stop()
    leftovers = [server for server in servers.values() if server.group_alive()]
    assert not leftovers, f"Prism still running after stop(): {leftovers}"
    stray = _processes_mentioning(str(folder))
    assert not stray, "Prism processes left after the session:\n" + "\n".join(stray)
