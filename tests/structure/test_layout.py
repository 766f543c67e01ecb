"""README's "Repository layout" table tells the truth: its paths exist, and it lists every top-level folder."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
SECTION = "## Repository layout"


def layout_paths(readme: str) -> list[list[str]]:
    """The backquoted paths of the first column, one list per row.

    In a row like "`wassist_api_client/api/`, `models/`, `client.py`", a bare name after the first path is
    in the folder that holds the first path (`wassist_api_client/models/`); a path with a `/` inside starts
    from the top.
    """
    section = readme.split(SECTION, 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("|")][2:]  # after the header and |---|
    return [re.findall(r"`([^`]+)`", row.split("|")[1]) for row in rows]


def resolve(row: list[str], path: str) -> Path:
    if path == row[0] or "/" in path.rstrip("/"):
        return ROOT / path
    return (ROOT / row[0].rstrip("/")).parent / path


def _exists(path: Path) -> bool:
    if any(character in path.name for character in "*?["):
        return any(path.parent.glob(path.name))
    return path.exists()


def tracked_top_level_folders() -> set[str]:
    files = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return {line.split("/", 1)[0] for line in files.splitlines() if "/" in line}


def test_the_table_is_found_and_lists_paths() -> None:
    rows = layout_paths(README.read_text(encoding="utf-8"))
    assert len(rows) >= 5 and all(rows), rows


def test_every_path_in_the_layout_table_exists() -> None:
    rows = layout_paths(README.read_text(encoding="utf-8"))
    missing = [path for row in rows for path in row if not _exists(resolve(row, path))]
    assert missing == []


def test_every_top_level_folder_is_in_the_layout_table() -> None:
    rows = layout_paths(README.read_text(encoding="utf-8"))
    listed = {resolve(row, path).relative_to(ROOT).parts[0] for row in rows for path in row}
    folders = tracked_top_level_folders()
    assert "wassist_api_client" in folders and "tests" in folders  # git did answer
    assert sorted(folders - listed) == []


def test_a_missing_path_is_caught() -> None:
    """The parser reads relative paths against the row's first folder, so a wrong one cannot slip through."""
    readme = f"{SECTION}\n\n| path | what |\n|---|---|\n| `wassist_api_client/api/`, `models/`, `nowhere.py` | x |\n"
    (row,) = layout_paths(readme)
    assert [_exists(resolve(row, path)) for path in row] == [True, True, False]
    assert resolve(row, "models/") == ROOT / "wassist_api_client" / "models"
