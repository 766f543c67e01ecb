"""How `make test-matrix` finds its interpreters and what it does without one (noxfile.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import tomllib

import noxfile

THIS = f"{sys.version_info.major}.{sys.version_info.minor}"


class Stop(Exception):
    pass


class Session:
    """Stands in for nox.Session: records the log, and stops like nox does on error() and skip()."""

    def __init__(self) -> None:
        self.logged: list[str] = []

    def log(self, message: str) -> None:
        self.logged.append(message)

    def error(self, message: str) -> None:
        raise Stop(f"error: {message}")

    def skip(self, message: str) -> None:
        raise Stop(f"skip: {message}")


def fake_python(path: Path, prints: str) -> Path:
    """An executable named like an interpreter that prints what a probe of `prints` would."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"#!/bin/sh\necho '{prints}'\n", encoding="utf-8")
    path.chmod(0o755)
    return path


@pytest.fixture
def isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """An empty PATH (but for a directory of our own) and an empty pyenv root."""
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    monkeypatch.setenv("PYENV_ROOT", str(tmp_path / "pyenv"))
    monkeypatch.delenv("MATRIX_ALLOW_MISSING", raising=False)
    return tmp_path


def test_an_interpreter_under_the_pyenv_root_is_found_and_named(isolated: Path) -> None:
    real = Path(sys.executable)
    (isolated / "pyenv" / "versions" / f"{THIS}.99" / "bin").mkdir(parents=True)
    (isolated / "pyenv" / "versions" / f"{THIS}.99" / "bin" / f"python{THIS}").symlink_to(real)
    session = Session()

    executable = noxfile.interpreter(session, THIS)  # type: ignore[arg-type]

    assert Path(executable).resolve() == real.resolve()
    assert session.logged == [
        f"CPython {THIS}: {executable} ({sys.version.split()[0]}, found on pyenv root {isolated / 'pyenv'})"
    ]


def test_path_comes_first_and_a_wrong_version_or_broken_shim_is_passed_over(isolated: Path) -> None:
    fake_python(isolated / "bin" / "python3.10", f"CPython 3.12.1 {isolated}/elsewhere")  # says another version
    fake_python(isolated / "pyenv" / "versions" / "3.10.9" / "bin" / "python3.10", "pyenv: no such version")
    assert noxfile.find_python("3.10") is None

    fake_python(isolated / "bin" / "python3.10", "CPython 3.10.13 /opt/py/bin/python3.10")
    assert noxfile.find_python("3.10") == ("/opt/py/bin/python3.10", "3.10.13", "PATH")


def test_a_missing_interpreter_fails_the_run_unless_allowed(isolated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(Stop, match=r"^error: CPython 3\.10 not found on PATH or .*MATRIX_ALLOW_MISSING=1"):
        noxfile.interpreter(Session(), "3.10")  # type: ignore[arg-type]

    monkeypatch.setenv("MATRIX_ALLOW_MISSING", "1")
    with pytest.raises(Stop, match=r"^skip: CPython 3\.10 not found on .*skipped \(MATRIX_ALLOW_MISSING=1\)"):
        noxfile.interpreter(Session(), "3.10")  # type: ignore[arg-type]


def test_the_lowest_session_pins_every_runtime_dependency_to_its_lower_bound() -> None:
    pins = [pin.split("==") for pin in noxfile.lower_bounds()]
    assert [name for name, _ in pins][:3] == ["httpx2", "attrs", "python-dateutil"]
    assert len(pins) == len(tomllib.loads(Path(noxfile.ROOT / "pyproject.toml").read_text())["project"]["dependencies"])
    pyproject = (noxfile.ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert all(f'"{name}>={version}' in pyproject for name, version in pins), pins
