"""What users type checks: every Python block of README.md, every file in examples/ and a program that uses
the return types, with no None check, under both `mypy --strict` and pyright (strict), against the package
each block is written for (the committed one, or one generated from the block's `spec=`)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from codegen import generate
from tests.docs.test_readme import BLOCKS

ROOT = Path(__file__).resolve().parents[2]
PYRIGHT = ROOT / "node_modules" / ".bin" / "pyright"
VENDORED = "openapi.json"
pytestmark = pytest.mark.slow  # a package generated, mypy and pyright started per spec

USER_PROGRAM = """
import asyncio

from wassist_api_client import AsyncWassist, Wassist
from wassist_api_client.api.whatsapp_link_sessions import create
from wassist_api_client.models import WhatsAppLinkSessionRequest, WhatsAppLinkSessionStatusEnum
from wassist_api_client.types import Response
from wassist_api_client.models import WhatsAppLinkSession


def statuses(client: Wassist, body: WhatsAppLinkSessionRequest) -> list[WhatsAppLinkSessionStatusEnum]:
    detailed: Response[WhatsAppLinkSession] = create.sync_detailed(client=client, body=body)
    request_id: str | None = detailed.request_id
    print(request_id)
    quick = client.with_options(timeout=5.0, max_retries=0, headers={"X-Trace-Id": "abc"})
    return [
        create.sync(client=client, body=body).status,
        client.whatsapp_link_sessions.create(body=body).status,
        client.whatsapp_link_sessions.create_detailed(body=body).parsed.status,
        detailed.parsed.status,
        quick.whatsapp_link_sessions.create(body=body).status,
    ]


async def async_statuses(client: AsyncWassist, body: WhatsAppLinkSessionRequest) -> list[WhatsAppLinkSessionStatusEnum]:
    quick = client.with_options(max_retries=0)
    first = await create.asyncio(client=quick, body=body)
    second = await client.whatsapp_link_sessions.create(body=body)
    return [first.status, second.status]


def main() -> None:
    body = WhatsAppLinkSessionRequest(success_url="https://example.com/ok", return_url="https://example.com/back")
    with Wassist() as client:
        print(statuses(client, body))
    asyncio.run(async_statuses(AsyncWassist(), body))
"""

# What the checkers must reject (so that a silent checker cannot pass the test).
WRONG_PROGRAM = """
from wassist_api_client import Wassist
from wassist_api_client.api.whatsapp_link_sessions import create
from wassist_api_client.models import WhatsAppLinkSessionRequest

with Wassist() as client:
    session = create.sync(client=client, body=WhatsAppLinkSessionRequest(success_url="a", return_url="b"))
    session.no_such_field
    client.with_options(retries=0)
"""

PAGINATE_TYPES = """
from wassist_api_client import Wassist, paginate
from wassist_api_client.api.agents import list_ as list_agents

with Wassist() as client:
    reveal_type(paginate(client.agents.list, limit=50))
    reveal_type(paginate(list_agents.sync, client=client, limit=50))
"""


def programs() -> dict[str, dict[str, str]]:
    """Per spec: file name -> source."""
    groups: dict[str, dict[str, str]] = {VENDORED: {}}
    for number, (code, options) in enumerate(BLOCKS):
        groups.setdefault(options.get("spec", VENDORED), {})[f"readme_block_{number}.py"] = code
    for example in sorted((ROOT / "examples").glob("*.py")):
        groups[VENDORED][f"example_{example.name}"] = example.read_text(encoding="utf-8")
    groups[VENDORED]["user_program.py"] = USER_PROGRAM
    return groups


def package_root(spec: str, tmp_path: Path) -> Path:
    if spec == VENDORED:
        return ROOT
    root = tmp_path / "package"
    assert generate.main(["--spec", str(ROOT / spec), "--package-dir", str(root / "wassist_api_client")]) == 0
    return root


def write(folder: Path, files: dict[str, str]) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    for name, source in files.items():
        (folder / name).write_text(source, encoding="utf-8")
    return sorted(files)


def run_mypy(folder: Path, root: Path, names: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--python-version", "3.10", *names],
        cwd=folder,
        env={"MYPYPATH": str(root), "PATH": str(Path(sys.executable).parent)},
        capture_output=True,
        text=True,
        check=False,
    )


def run_pyright(folder: Path, root: Path, names: list[str]) -> subprocess.CompletedProcess[str]:
    config = {
        "include": names,
        "extraPaths": [str(root)],
        "typeCheckingMode": "strict",
        "pythonVersion": "3.10",
        "reportMissingModuleSource": False,
    }
    (folder / "pyrightconfig.json").write_text(json.dumps(config), encoding="utf-8")
    return subprocess.run(
        [str(PYRIGHT), "--pythonpath", sys.executable, "--project", str(folder / "pyrightconfig.json")],
        cwd=folder,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture(scope="module")
def pyright() -> Path:
    assert PYRIGHT.exists(), "pyright is missing: run `make node_modules/.installed`"
    return PYRIGHT


@pytest.mark.parametrize("spec", sorted(programs()))
def test_programs_type_check_under_mypy_and_pyright(spec: str, pyright: Path, tmp_path: Path) -> None:
    root = package_root(spec, tmp_path)
    files = programs()[spec]
    names = write(tmp_path / "programs", files)
    assert names

    mypy = run_mypy(tmp_path / "programs", root, names)
    assert mypy.returncode == 0, mypy.stdout + mypy.stderr
    checked = run_pyright(tmp_path / "programs", root, names)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "0 errors" in checked.stdout, checked.stdout


def test_the_checkers_reject_a_wrong_program(pyright: Path, tmp_path: Path) -> None:
    names = write(tmp_path / "programs", {"wrong.py": WRONG_PROGRAM})

    mypy = run_mypy(tmp_path / "programs", ROOT, names)
    checked = run_pyright(tmp_path / "programs", ROOT, names)

    for output in (mypy.stdout, checked.stdout):
        assert "no_such_field" in output and "retries" in output, output
    assert mypy.returncode != 0 and checked.returncode != 0


def test_paginate_yields_the_item_model_from_a_namespace_method(pyright: Path, tmp_path: Path) -> None:
    root = package_root("tests/specs/drf_features.json", tmp_path)
    names = write(tmp_path / "programs", {"reveal.py": PAGINATE_TYPES})

    mypy = run_mypy(tmp_path / "programs", root, names)
    checked = run_pyright(tmp_path / "programs", root, names)

    assert len(re.findall(r'Revealed type is "typing.Iterator\[[\w.]*\.Agent\]"', mypy.stdout)) == 2, mypy.stdout
    assert checked.stdout.count('is "Iterator[Agent]"') == 2, checked.stdout
