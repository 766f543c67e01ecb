"""codegen.update_spec on a temporary repository, with a stand-in generator and loopback HTTP servers."""

from __future__ import annotations

import datetime
import functools
import json
import socket
import sys
import threading
from collections.abc import Callable, Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from codegen.update_spec import CHANGELOG_HEADER, main, spec_text, update_spec

TODAY = datetime.date(2026, 1, 2)
# The stand-in generator records the spec it generated from, as the real one turns it into code.
FAKE_GENERATE = (
    sys.executable,
    "-c",
    "import pathlib; pathlib.Path('generated.txt').write_text(pathlib.Path('openapi.json').read_text())",
)
# Fails for any spec that mentions "explode", like a generator choking on something new.
FAILING_GENERATE = (
    sys.executable,
    "-c",
    "import pathlib, sys; spec = pathlib.Path('openapi.json').read_text(); "
    "pathlib.Path('generated.txt').write_text(spec); "
    "sys.exit('generator: cannot handle explode' if 'explode' in spec else 0)",
)
OLD_CHANGELOG = CHANGELOG_HEADER + "\n## 0.1.0 — 2025-12-01\n\nFirst release.\n"


def small_spec() -> dict[str, Any]:
    return {
        "openapi": "3.0.3",
        "info": {"title": "Notes", "version": "1.0.0"},
        "paths": {
            "/notes/": {
                "get": {
                    "operationId": "notes_list",
                    "responses": {
                        "200": {
                            "description": "",
                            "content": {
                                "application/json": {
                                    "schema": {"type": "array", "items": {"$ref": "#/components/schemas/Note"}}
                                }
                            },
                        }
                    },
                }
            }
        },
        "components": {
            "schemas": {
                "Note": {
                    "type": "object",
                    "properties": {"id": {"type": "integer"}, "text": {"type": "string"}},
                    "required": ["id", "text"],
                }
            }
        },
    }


def with_added_operation() -> dict[str, Any]:
    spec = small_spec()
    spec["paths"]["/notes/{id}/"] = {
        "get": {
            "operationId": "notes_retrieve",
            "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
            "responses": {"200": {"description": ""}},
        }
    }
    return spec


def with_removed_field() -> dict[str, Any]:
    spec = small_spec()
    note = spec["components"]["schemas"]["Note"]
    note["properties"].pop("text")
    note["required"].remove("text")
    return spec


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    (root / "wassist_api_client").mkdir(parents=True)
    (root / "openapi.json").write_text(spec_text(small_spec()), encoding="utf-8")
    (root / "wassist_api_client" / "_version.py").write_text('__version__ = "0.1.0"\n', encoding="utf-8")
    (root / "CHANGELOG.md").write_text(OLD_CHANGELOG, encoding="utf-8")
    return root


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(path.relative_to(root)): path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()}


def write_spec(tmp_path: Path, spec: dict[str, Any], name: str = "new.json") -> str:
    path = tmp_path / name
    path.write_text(json.dumps(spec), encoding="utf-8")
    return str(path)


def run(source: str, repo: Path, **options: Any) -> int:
    return update_spec(source, repo_root=repo, generate_command=FAKE_GENERATE, today=TODAY, **options)


def version(repo: Path) -> str:
    return (repo / "wassist_api_client" / "_version.py").read_text()


# --- successful updates ------------------------------------------------------------------


def test_added_operation_bumps_minor_and_records_the_report(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    new = with_added_operation()
    assert run(write_spec(tmp_path, new), repo) == 0

    assert (repo / "openapi.json").read_text() == json.dumps(new, indent=2, ensure_ascii=False) + "\n"
    assert (repo / "generated.txt").read_text() == spec_text(new), "the generator ran on the new spec"
    assert version(repo) == '__version__ = "0.2.0"\n'
    changelog = (repo / "CHANGELOG.md").read_text()
    entry = "## 0.2.0 — 2026-01-02\n"
    assert changelog.startswith(CHANGELOG_HEADER + "\n" + entry)
    assert changelog.index(entry) < changelog.index("## 0.1.0 — 2025-12-01")
    assert "- `GET /notes/{id}/` — operation added -> wassist_api_client.api.notes.retrieve\n" in changelog
    report = (repo / "build" / "spec-change-report.md").read_text()
    assert report.startswith(entry) and report.rstrip() in changelog
    out = capsys.readouterr().out
    assert "  - GET /notes/{id}/: operation added -> wassist_api_client.api.notes.retrieve" in out
    assert "0.1.0 -> 0.2.0" in out and "spec-change-report.md" in out


def test_text_only_change_bumps_patch(repo: Path, tmp_path: Path) -> None:
    new = small_spec()
    new["info"]["description"] = "Now documented."
    assert run(write_spec(tmp_path, new), repo) == 0
    assert version(repo) == '__version__ = "0.1.1"\n'
    assert "only the spec's text" in (repo / "CHANGELOG.md").read_text()


def test_identical_spec_changes_nothing(repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = snapshot(repo)
    assert run(write_spec(tmp_path, small_spec()), repo) == 0
    assert snapshot(repo) == before
    assert "already up to date" in capsys.readouterr().out


def test_yaml_spec_is_accepted_and_stored_as_json(repo: Path, tmp_path: Path) -> None:
    from ruamel.yaml import YAML

    source = tmp_path / "new.yaml"
    with source.open("w", encoding="utf-8") as stream:
        YAML().dump(with_added_operation(), stream)  # round-trip dumper: keeps key order
    assert not source.read_text().lstrip().startswith("{"), "block-style YAML, not JSON"
    assert run(str(source), repo) == 0
    assert (repo / "openapi.json").read_text() == spec_text(with_added_operation())
    assert version(repo) == '__version__ = "0.2.0"\n'


def test_missing_changelog_is_created(repo: Path, tmp_path: Path) -> None:
    (repo / "CHANGELOG.md").unlink()
    assert run(write_spec(tmp_path, with_added_operation()), repo) == 0
    assert (repo / "CHANGELOG.md").read_text().startswith(CHANGELOG_HEADER + "\n## 0.2.0 — 2026-01-02\n")


# --- breaking changes ----------------------------------------------------------------------


def test_removed_field_is_refused_and_nothing_changes(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = snapshot(repo)
    source = write_spec(tmp_path, with_removed_field())
    assert run(source, repo) == 1
    assert snapshot(repo) == before  # also: the generator never ran (no generated.txt)
    captured = capsys.readouterr()
    assert "Breaking:\n  - Note.text: field removed" in captured.out
    assert f"ALLOW_BREAKING=1 make update-spec SPEC={source}\n" in captured.err
    assert captured.err.rstrip().endswith("Nothing was changed.")


def test_a_module_rename_is_refused_as_breaking_naming_both_import_paths(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def tags(*methods: str) -> dict[str, Any]:
        spec = small_spec()
        ok = spec["paths"]["/notes/"]["get"]["responses"]
        id_param = [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}]
        spec["paths"]["/notes/{id}/tags/"] = {m: {"parameters": id_param, "responses": ok} for m in methods}
        return spec

    (repo / "openapi.json").write_text(spec_text(tags("post")), encoding="utf-8")
    before = snapshot(repo)
    # POST /notes/{id}/tags/ was the action notes.tags; a GET list there makes tags a collection
    assert run(write_spec(tmp_path, tags("get", "post")), repo) == 1
    assert snapshot(repo) == before
    out = capsys.readouterr().out
    assert (
        "Breaking:\n  - POST /notes/{id}/tags/: renamed: wassist_api_client.api.notes.tags -> "
        "wassist_api_client.api.notes.tags.create (the generated module moves)\n"
    ) in out
    assert "  - GET /notes/{id}/tags/: operation added -> wassist_api_client.api.notes.tags.list_\n" in out


def test_allow_breaking_bumps_major(repo: Path, tmp_path: Path) -> None:
    assert run(write_spec(tmp_path, with_removed_field()), repo, allow_breaking=True) == 0
    assert version(repo) == '__version__ = "1.0.0"\n'
    assert "### Breaking\n\n- `Note.text` — field removed" in (repo / "CHANGELOG.md").read_text()


@pytest.mark.parametrize(
    ("env", "status", "expected_version"), [("1", 0, "1.0.0"), ("0", 1, "0.1.0"), (None, 1, "0.1.0")]
)
def test_main_reads_allow_breaking_from_the_environment(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, env: str | None, status: int, expected_version: str
) -> None:
    if env is None:
        monkeypatch.delenv("ALLOW_BREAKING", raising=False)
    else:
        monkeypatch.setenv("ALLOW_BREAKING", env)
    argv = ["--spec", write_spec(tmp_path, with_removed_field()), "--repo-root", str(repo)]
    assert main(argv, generate_command=FAKE_GENERATE) == status
    assert version(repo) == f'__version__ = "{expected_version}"\n'


# --- invalid input: exit 2, nothing changed ------------------------------------------------


def swagger_2() -> dict[str, Any]:
    return {"swagger": "2.0", "info": {"title": "x", "version": "1"}, "paths": {}}


def without_info() -> dict[str, Any]:
    spec = small_spec()
    del spec["info"]
    return spec


def with_dangling_ref() -> dict[str, Any]:
    spec = small_spec()
    spec["components"]["schemas"]["Note"]["properties"]["tag"] = {"$ref": "#/components/schemas/Tag"}
    return spec


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"openapi": "3.0.3", "info": ', "not valid JSON"),
        ("- just\n- a list\n", "not a JSON/YAML object"),
        (json.dumps({"hello": "world"}), "not an OpenAPI 3.x document (no `openapi` version field)"),
        (json.dumps(swagger_2()), "not an OpenAPI 3.x document (Swagger 2.0)"),
        (json.dumps(without_info()), "'info' is a required property"),
        (json.dumps(with_dangling_ref()), "$ref(s) to nothing: #/components/schemas/Tag"),
    ],
)
def test_invalid_file_exits_2_and_changes_nothing(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, message: str
) -> None:
    source = tmp_path / "bad.json"
    source.write_text(content, encoding="utf-8")
    before = snapshot(repo)
    assert run(str(source), repo, allow_breaking=True) == 2
    assert snapshot(repo) == before
    err = capsys.readouterr().err
    assert message in err and err.rstrip().endswith("Nothing was changed.")


def test_missing_file_exits_2(repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = snapshot(repo)
    assert run(str(tmp_path / "nope.json"), repo) == 2
    assert snapshot(repo) == before
    assert "cannot read" in capsys.readouterr().err


def closed_port() -> int:
    """A loopback port nobody listens on: bound to get a free number, then released."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def test_unreachable_url_exits_2(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = snapshot(repo)
    url = f"http://127.0.0.1:{closed_port()}/openapi.json"
    assert run(url, repo) == 2
    assert snapshot(repo) == before
    err = capsys.readouterr().err
    assert f"cannot download {url}: ConnectError" in err and "Nothing was changed." in err


# --- URLs served over loopback -------------------------------------------------------------


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def publish(tmp_path: Path) -> Iterator[Callable[[str, str], str]]:
    """Serve files from a temp dir on a loopback port; returns a function that publishes one."""
    directory = tmp_path / "www"
    directory.mkdir()
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(directory)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def put(name: str, text: str) -> str:
        (directory / name).write_text(text, encoding="utf-8")
        return f"http://127.0.0.1:{server.server_address[1]}/{name}"

    yield put
    server.shutdown()
    server.server_close()
    thread.join()


def test_spec_from_a_url(repo: Path, publish: Callable[[str, str], str]) -> None:
    url = publish("openapi.json", json.dumps(with_added_operation()))
    assert run(url, repo) == 0
    assert json.loads((repo / "openapi.json").read_text()) == with_added_operation()
    assert version(repo) == '__version__ = "0.2.0"\n'
    assert f"from {url}." in (repo / "CHANGELOG.md").read_text()


def test_http_error_exits_2(repo: Path, publish: Callable[[str, str], str], capsys: pytest.CaptureFixture[str]) -> None:
    url = publish("other.json", "{}").replace("other.json", "missing.json")
    before = snapshot(repo)
    assert run(url, repo) == 2
    assert snapshot(repo) == before
    assert "the server answered 404" in capsys.readouterr().err


# --- generation failure --------------------------------------------------------------------


def test_generation_failure_restores_spec_and_code(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    new = with_added_operation()
    new["info"]["description"] = "explode"
    old_spec_bytes = (repo / "openapi.json").read_bytes()
    before = snapshot(repo)

    status = update_spec(write_spec(tmp_path, new), repo_root=repo, generate_command=FAILING_GENERATE, today=TODAY)

    assert status == 3
    assert (repo / "openapi.json").read_bytes() == old_spec_bytes
    # The generator ran again on the old spec, so the code matches it again.
    assert (repo / "generated.txt").read_bytes() == old_spec_bytes
    assert snapshot(repo) == {**before, "generated.txt": old_spec_bytes}
    err = capsys.readouterr().err
    assert "generation failed (exit 1)" in err and "generator: cannot handle explode" in err
    assert "restored to the previous version" in err


# --- invalid specs that can be repaired ------------------------------------------------------------------------------


def with_invalid_security_scheme() -> dict[str, Any]:
    """authentik's defect: an apiKey scheme that also says `scheme: bearer` (openapi-spec-validator refuses it)."""
    spec = with_added_operation()
    scheme = {"type": "apiKey", "in": "header", "name": "Authorization", "scheme": "bearer"}
    spec.setdefault("components", {})["securitySchemes"] = {"token": scheme}
    return spec


def test_a_repairable_invalid_spec_is_taken_and_each_repair_named_in_the_report(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(write_spec(tmp_path, with_invalid_security_scheme()), repo) == 0
    out = capsys.readouterr().out
    assert "/components/securitySchemes/token/scheme: removed scheme" in out
    report = (repo / "build" / "spec-change-report.md").read_text(encoding="utf-8")
    assert "`/components/securitySchemes/token/scheme`: removed scheme" in report
    assert "### Repairs" in (repo / "CHANGELOG.md").read_text(encoding="utf-8")
    # openapi.json stays as published; `make generate` repairs it each time.
    assert json.loads((repo / "openapi.json").read_text())["components"]["securitySchemes"]["token"]["scheme"]


def test_an_invalid_spec_no_rule_repairs_is_refused_naming_the_defect(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = with_invalid_security_scheme()
    del spec["paths"]["/notes/{id}/"]["get"]["responses"]
    before = snapshot(repo)
    assert run(write_spec(tmp_path, spec), repo) == 2
    assert snapshot(repo) == before
    err = capsys.readouterr().err
    assert "no repair applies" in err and "/paths/~1notes~1{id}~1/get: 'responses' is a required property" in err
    assert err.rstrip().endswith("Nothing was changed.")


# --- webhook events ----------------------------------------------------------------------


def with_webhook() -> dict[str, Any]:
    spec = small_spec()
    body = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Note"}}}}
    spec["x-webhooks"] = {"note.created": {"post": {"requestBody": body, "responses": {"200": {"description": ""}}}}}
    return spec


def test_an_added_webhook_event_is_reported_and_bumps_minor(repo: Path, tmp_path: Path) -> None:
    assert run(write_spec(tmp_path, with_webhook()), repo) == 0
    assert version(repo) == '__version__ = "0.2.0"\n'
    assert "- `webhook note.created` — webhook event added\n" in (repo / "CHANGELOG.md").read_text()


def test_a_removed_webhook_event_is_breaking_and_refused_without_allow_breaking(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("ALLOW_BREAKING", raising=False)
    (repo / "openapi.json").write_text(spec_text(with_webhook()), encoding="utf-8")
    before = snapshot(repo)
    assert run(write_spec(tmp_path, small_spec()), repo) != 0
    assert snapshot(repo) == before
    assert "webhook note.created: webhook event removed" in capsys.readouterr().out
