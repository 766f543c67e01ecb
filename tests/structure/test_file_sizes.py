"""No hand-written Python file outside tests/ is 600 lines or longer (issue 18: one concern per file).

Hand-written: every Python file git tracks outside `tests/`, except what `make generate` owns
(`codegen.generate.is_generated`). Not yet collected: tests/structure/conftest.py lists this file in
`collect_ignore` until codegen/ and scripts/ are split (issue 18, part B); deleting that line turns it on.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from codegen.generate import is_generated

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = "wassist_api_client"
MAX_LINES = 600


def hand_written_python_files() -> list[Path]:
    listed = subprocess.run(["git", "ls-files", "*.py"], cwd=ROOT, capture_output=True, text=True, check=True)
    paths = [Path(line) for line in listed.stdout.splitlines()]
    return [
        path
        for path in paths
        if path.parts[0] != "tests" and not (path.parts[0] == PACKAGE and is_generated(path.relative_to(PACKAGE)))
    ]


def line_count(path: Path) -> int:
    return len((ROOT / path).read_text(encoding="utf-8").splitlines())


def test_the_longest_hand_written_python_file_is_under_600_lines() -> None:
    files = hand_written_python_files()
    assert Path(PACKAGE, "_client.py") in files and Path("codegen", "generate.py") in files  # git did answer
    assert Path(PACKAGE, "types.py") not in files  # generated
    longest = max(files, key=line_count)
    too_long = sorted(f"{path} ({line_count(path)} lines)" for path in files if line_count(path) >= MAX_LINES)
    assert too_long == [], f"longest: {longest} ({line_count(longest)} lines)"
