"""The README's command-line block runs, as a bash script, against the Prism mock of openapi.json."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from scripts.prism import PrismServer
from tests.cli.conftest import ROOT, assert_clean
from tests.client.support import API_KEY

pytestmark = pytest.mark.slow

BLOCK = re.compile(r"<!-- readme-test: cli[^>]*-->\n```bash\n(?P<script>.*?)```", re.S)


def test_the_readme_command_line_block_runs(prism: PrismServer, tmp_path: Path) -> None:
    (script,) = BLOCK.findall((ROOT / "README.md").read_text(encoding="utf-8"))
    bin_dir = str(Path(sys.executable).parent)  # `wassist` and `python` of this environment
    env = {**os.environ, "PATH": bin_dir + os.pathsep + os.environ["PATH"], "PYTHONPATH": str(ROOT)}
    env.update(WASSIST_API_KEY=API_KEY, WASSIST_BASE_URL=prism.base_url)

    completed = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
    )

    assert completed.returncode == 0, completed.stderr
    assert_clean(completed.stdout, completed.stderr)
    assert completed.stdout.count('"linkUrl"') == 4  # the four creates
    assert f"POST {prism.base_url}/api/v1/whatsapp-link-sessions/ -> 201" in completed.stderr  # -v
    assert not (tmp_path / "body.json").exists()
