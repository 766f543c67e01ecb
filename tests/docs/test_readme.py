"""Every Python block of README.md runs, against the Prism mock of the spec it is written for.

A block runs against the vendored openapi.json unless a `<!-- readme-test: spec=PATH -->` line
precedes it; `expect=REGEX` in that line is something its output must contain; `run=pytest` runs the
block as a test file of its own (no conftest) with pytest.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tools import generate
from tools.prism import PrismServer, start_prism

ROOT = Path(__file__).resolve().parents[2]
BLOCK = re.compile(r"(?:<!-- readme-test: (?P<options>[^>]*)-->\n)?```python\n(?P<code>.*?)```", re.S)
API_KEY = "readme-test-key"


def readme_blocks() -> list[tuple[str, dict[str, str]]]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = []
    for match in BLOCK.finditer(text):
        options = dict(option.split("=", 1) for option in (match["options"] or "").split())
        blocks.append((match["code"], options))
    return blocks


BLOCKS = readme_blocks()


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, tuple[PrismServer, Path]]]:
    """Per spec: a Prism mock and a directory whose `wassist_api_client` is generated from that spec."""
    running: dict[str, tuple[PrismServer, Path]] = {}
    try:
        for spec in sorted({options.get("spec", "openapi.json") for _, options in BLOCKS}):
            package_root = ROOT
            if spec != "openapi.json":
                package_root = tmp_path_factory.mktemp("readme")
                status = generate.main(
                    ["--spec", str(ROOT / spec), "--package-dir", str(package_root / "wassist_api_client")]
                )
                assert status == 0
            running[spec] = (start_prism(ROOT / spec), package_root)
        yield running
    finally:
        for prism, _ in running.values():
            prism.stop()


def test_the_readme_has_python_examples() -> None:
    assert len(BLOCKS) >= 4


@pytest.mark.parametrize(("code", "options"), BLOCKS, ids=[f"block{i}" for i in range(len(BLOCKS))])
def test_readme_block_runs(
    code: str, options: dict[str, str], servers: dict[str, tuple[PrismServer, Path]], tmp_path: Path
) -> None:
    prism, package_root = servers[options.get("spec", "openapi.json")]
    env = {
        **os.environ,
        "WASSIST_API_KEY": API_KEY,
        "WASSIST_BASE_URL": prism.base_url,
        "PYTHONPATH": str(package_root),
    }
    command = [sys.executable, "-c", code]
    if options.get("run") == "pytest":
        (tmp_path / "test_readme_example.py").write_text(code, encoding="utf-8")
        command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_readme_example.py"]
    result = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip(), "the example printed nothing"
    assert API_KEY not in result.stdout + result.stderr
    if "expect" in options:
        assert re.search(options["expect"], result.stdout), result.stdout
