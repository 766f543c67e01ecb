"""Take a new upstream spec: validate it, report the changes, regenerate, bump the version.

    python -m codegen.update_spec [--spec PATH_OR_URL] [--repo-root DIR]   (--repo-root: for tests)

`make update-spec [SPEC=...]` runs this. Exit codes:

* 0 - updated (or already up to date);
* 1 - the new spec has breaking changes and `ALLOW_BREAKING=1` is not set; nothing changed;
* 2 - the spec could not be loaded or is not valid OpenAPI 3.x (or the repo is not in a
  state to update); nothing changed;
* 3 - generation failed; the previous spec and generated code were restored.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import re
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx2

from codegen.repair import Repair, RepairError, repair_spec
from codegen.spec_diff import JSONDict, Report, SpecParseError, diff_specs, parse_spec_text

DEFAULT_SPEC_URL = "https://docs.wassist.app/api-reference/openapi.json"
REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_GENERATE_COMMAND = (sys.executable, "-m", "codegen.generate")
SPEC_FILE = "openapi.json"
VERSION_FILE = Path("wassist_api_client") / "_version.py"
CHANGELOG_FILE = "CHANGELOG.md"
REPORT_FILE = Path("build") / "spec-change-report.md"
VERSION_LINE_RE = re.compile(r'^__version__ = "(\d+\.\d+\.\d+)"\n?$')
DOWNLOAD_TIMEOUT_SECONDS = 30.0
OUTPUT_TAIL_LINES = 40
CHANGELOG_HEADER = "# Changelog\n\nNew entries are written by `make update-spec`, each with its spec change report.\n"

EXIT_OK, EXIT_BREAKING, EXIT_INVALID, EXIT_GENERATION_FAILED = 0, 1, 2, 3


class UpdateError(Exception):
    """A failure to report; the repository is left as it was (restored if need be)."""


@dataclass(frozen=True)
class Repo:
    """The files an update reads and writes, under one root (a temp copy in tests)."""

    root: Path

    @property
    def spec(self) -> Path:
        return self.root / SPEC_FILE

    @property
    def version_file(self) -> Path:
        return self.root / VERSION_FILE

    @property
    def changelog(self) -> Path:
        return self.root / CHANGELOG_FILE

    @property
    def report(self) -> Path:
        return self.root / REPORT_FILE


def is_url(source: str) -> bool:
    return source.startswith(("http://", "https://"))


def read_source(source: str) -> str:
    """The text of a local file or of an http(s) URL."""
    if is_url(source):
        return _download(source)
    try:
        return Path(source).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise UpdateError(f"cannot read {source}: {error}") from error


def _download(url: str) -> str:
    try:
        response = httpx2.get(url, timeout=DOWNLOAD_TIMEOUT_SECONDS, follow_redirects=True)
    except httpx2.HTTPError as error:
        raise UpdateError(f"cannot download {url}: {type(error).__name__}: {error}") from error
    if response.status_code != httpx2.codes.OK:
        raise UpdateError(f"cannot download {url}: the server answered {response.status_code} {response.reason_phrase}")
    return response.text


def load_spec(source: str) -> JSONDict:
    text = read_source(source)
    try:
        return parse_spec_text(text)
    except SpecParseError as error:
        raise UpdateError(f"{source} is not a spec document: {error}") from error


def validate_openapi3(spec: JSONDict, source: str) -> None:
    """Raise UpdateError unless the spec is valid OpenAPI 3.x (Swagger 2.0 is not accepted)."""
    version = spec.get("openapi")
    if not isinstance(version, str) or not version.startswith("3."):
        found = f"`openapi: {version}`" if version is not None else "no `openapi` version field"
        if "swagger" in spec:
            found = f"Swagger {spec['swagger']}"
        raise UpdateError(f"{source} is not an OpenAPI 3.x document ({found})")
    # Checked first: the validator would either miss a dangling `$ref` or fail on it obscurely.
    dangling = sorted(_dangling_refs(spec))
    if dangling:
        raise UpdateError(f"{source} has $ref(s) to nothing: {', '.join(dangling)}")
    _run_validator(spec, f"{source} is not valid OpenAPI {version}")


def validate_or_repair(spec: JSONDict, source: str) -> list[Repair]:
    """Validate the spec (see validate_openapi3); an invalid one whose defects codegen.repair can repair passes, with
    the repairs that `make generate` will make (each named by its JSON pointer). Raises UpdateError otherwise."""
    try:
        validate_openapi3(spec, source)
        return []
    except UpdateError as invalid:
        version = spec.get("openapi")
        if not isinstance(version, str) or not version.startswith("3.") or _dangling_refs(spec):
            raise
        try:
            repaired, repairs = repair_spec(spec)
            _run_validator(repaired, f"{source} is not valid OpenAPI {version}, even repaired")
        except RepairError as error:
            raise UpdateError(f"{source} is not valid OpenAPI {version}: {error}") from invalid
        return repairs


def repairs_text(repairs: Sequence[Repair], markdown: bool = False) -> str:
    if not repairs:
        return ""
    head = "Repairs" if not markdown else "### Repairs"
    lines = [f"- `{r.pointer}`: {r.what}" if markdown else f"  - {r}" for r in repairs]
    intro = "the published spec is not valid OpenAPI; `make generate` repairs it so:"
    return f"\n{head} ({intro})\n" + "\n".join(lines) + "\n"


def _run_validator(spec: JSONDict, prefix: str) -> None:
    from openapi_spec_validator import validate
    from openapi_spec_validator.validation.exceptions import OpenAPIValidationError, ValidatorDetectError

    try:
        validate(spec)
    except (OpenAPIValidationError, ValidatorDetectError) as error:
        where = " > ".join(str(part) for part in getattr(error, "absolute_path", ()))
        detail = getattr(error, "message", str(error))
        raise UpdateError(f"{prefix}: {detail}" + (f" (at {where})" if where else "")) from error
    except Exception as error:
        # The validator's dependencies raise their own errors on documents they can't walk;
        # whatever it is, the spec is unusable and the promise is "exit 2, nothing changed".
        raise UpdateError(f"{prefix}: {type(error).__name__}: {error}") from error


def _dangling_refs(spec: JSONDict) -> set[str]:
    """Local `$ref`s (`#/...`) that point at nothing in the document."""
    dangling: set[str] = set()
    stack: list[Any] = [spec]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/") and not _pointer_exists(spec, ref):
                dangling.add(ref)
            stack.extend(node.values())
    return dangling


def _pointer_exists(spec: JSONDict, ref: str) -> bool:
    target: Any = spec
    for part in ref[2:].split("/"):
        key = part.replace("~1", "/").replace("~0", "~")
        if not isinstance(target, dict) or key not in target:
            return False
        target = target[key]
    return True


def read_version(repo: Repo) -> str:
    try:
        match = VERSION_LINE_RE.match(repo.version_file.read_text(encoding="utf-8"))
    except OSError as error:
        raise UpdateError(f"cannot read the package version: {error}") from error
    if match is None:
        raise UpdateError(f'{repo.version_file} is not of the form __version__ = "X.Y.Z"')
    return match.group(1)


def read_current_spec(repo: Repo) -> tuple[bytes, JSONDict]:
    """The current spec file's exact bytes (to restore them) and its content."""
    try:
        raw = repo.spec.read_bytes()
        return raw, parse_spec_text(raw.decode("utf-8"))
    except (OSError, UnicodeDecodeError, SpecParseError) as error:
        raise UpdateError(f"cannot read the current {SPEC_FILE}: {error}") from error


def spec_text(spec: JSONDict) -> str:
    return json.dumps(spec, indent=2, ensure_ascii=False) + "\n"


def run_generator(command: Sequence[str], repo: Repo) -> tuple[int, str]:
    """Run the generator in the repo root; its exit status and its combined output."""
    try:
        done = subprocess.run(command, cwd=repo.root, capture_output=True, text=True, check=False)
    except OSError as error:
        return 127, f"cannot run {' '.join(command)}: {error}"
    return done.returncode, done.stdout + done.stderr


def _tail(output: str) -> str:
    return "\n".join(output.rstrip().splitlines()[-OUTPUT_TAIL_LINES:])


def regenerate_or_restore(command: Sequence[str], repo: Repo, new_spec: JSONDict, old_raw: bytes) -> None:
    """Write the new spec and regenerate; on failure put the old spec and its code back."""
    repo.spec.write_text(spec_text(new_spec), encoding="utf-8")
    try:
        status, output = run_generator(command, repo)
    except KeyboardInterrupt:
        repo.spec.write_bytes(old_raw)
        print(f"\nInterrupted: {SPEC_FILE} restored; run `make generate` to restore the code.", file=sys.stderr)
        raise
    if output.strip():
        print(output.rstrip())
    if status == 0:
        return
    repo.spec.write_bytes(old_raw)
    restore_status, restore_output = run_generator(command, repo)
    reason = f"generation failed (exit {status}):\n{_tail(output)}"
    if restore_status != 0:
        raise UpdateError(
            f"{reason}\n{SPEC_FILE} was restored, but regenerating the previous code failed too "
            f"(exit {restore_status}); check `git status`:\n{_tail(restore_output)}"
        )
    raise UpdateError(f"{reason}\n{SPEC_FILE} and the generated code were restored to the previous version.")


def changelog_entry(
    version: str,
    day: datetime.date,
    report: Report,
    source: str,
    old: JSONDict,
    new: JSONDict,
    repairs: Sequence[Repair] = (),
) -> str:
    old_api, new_api = _api_version(old), _api_version(new)
    api_line = f"API spec {old_api} -> {new_api}" if old_api != new_api else f"API spec {new_api}"
    entry = f"## {version} — {day.isoformat()}\n\n{api_line}, from {source}.\n\n{report.to_markdown()}"
    return entry + repairs_text(repairs, markdown=True)


def _api_version(spec: JSONDict) -> str:
    info: Any = spec.get("info")
    return str(info.get("version")) if isinstance(info, dict) else "?"


def prepend_changelog(repo: Repo, entry: str) -> None:
    """Insert the entry above the newest one, keeping the file's header."""
    text = repo.changelog.read_text(encoding="utf-8") if repo.changelog.exists() else CHANGELOG_HEADER
    match = re.search(r"^## ", text, flags=re.MULTILINE)
    head, rest = (text[: match.start()], text[match.start() :]) if match else (text.rstrip() + "\n\n", "")
    repo.changelog.write_text(head + entry.rstrip() + "\n" + ("\n" + rest if rest else ""), encoding="utf-8")


def update_spec(
    source: str,
    *,
    repo_root: Path = REPO_ROOT,
    generate_command: Sequence[str] = DEFAULT_GENERATE_COMMAND,
    allow_breaking: bool = False,
    today: datetime.date | None = None,
) -> int:
    """The whole update; returns the exit status. Nothing is written before every check passed."""
    repo = Repo(repo_root)
    try:
        new_spec = load_spec(source)
        repairs = validate_or_repair(new_spec, source)
        old_raw, old_spec = read_current_spec(repo)
        old_version = read_version(repo)
    except UpdateError as error:
        print(f"error: {error}\nNothing was changed.", file=sys.stderr)
        return EXIT_INVALID

    report = diff_specs(old_spec, new_spec)
    print(f"Changes from the current {SPEC_FILE} to {source}:\n\n{report.to_text()}{repairs_text(repairs)}")
    if report.level == "none":
        print(f"{SPEC_FILE} is already up to date; nothing to do.")
        return EXIT_OK
    if report.breaking and not allow_breaking:
        print(_refusal(report, source), file=sys.stderr)
        return EXIT_BREAKING
    try:
        regenerate_or_restore(generate_command, repo, new_spec, old_raw)
    except UpdateError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_GENERATION_FAILED

    new_version = report.bump(old_version)
    entry = changelog_entry(new_version, today or datetime.date.today(), report, source, old_spec, new_spec, repairs)
    record_release(repo, new_version, entry)
    print(
        f"Updated {SPEC_FILE} and regenerated the client.\n"
        f"Version: {old_version} -> {new_version} ({report.level})\n"
        f"Change report: {repo.report}\n"
        f"{CHANGELOG_FILE}: new entry for {new_version}"
    )
    return EXIT_OK


def _refusal(report: Report, source: str) -> str:
    spec_arg = "" if source == DEFAULT_SPEC_URL else f" SPEC={source}"
    return (
        f"Refusing to update: {len(report.breaking_changes)} breaking change(s), listed above.\n"
        "To accept them and bump the major version, run again with ALLOW_BREAKING=1:\n"
        f"  ALLOW_BREAKING=1 make update-spec{spec_arg}\n"
        "Nothing was changed."
    )


def record_release(repo: Repo, version: str, entry: str) -> None:
    """The new version, the report file and the CHANGELOG entry."""
    repo.version_file.write_text(f'__version__ = "{version}"\n', encoding="utf-8")
    repo.report.parent.mkdir(parents=True, exist_ok=True)
    repo.report.write_text(entry, encoding="utf-8")
    prepend_changelog(repo, entry)


def main(argv: Sequence[str] | None = None, *, generate_command: Sequence[str] = DEFAULT_GENERATE_COMMAND) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m codegen.update_spec", description="Update openapi.json from upstream."
    )
    parser.add_argument("--spec", default=DEFAULT_SPEC_URL, help="local path or http(s) URL, JSON or YAML")
    parser.add_argument("--repo-root", type=Path, default=REPO_ROOT, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    return update_spec(
        args.spec,
        repo_root=args.repo_root,
        generate_command=generate_command,
        allow_breaking=os.environ.get("ALLOW_BREAKING") == "1",
    )


if __name__ == "__main__":
    sys.exit(main())
