"""The `wassist` command line, run as a subprocess: one test per behaviour, against Prism or a loopback server."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from scripts.prism import PrismServer
from tests.cli.conftest import PAGES_SPEC, SPECS, Cli, assert_clean
from tests.client.support import API_KEY, SESSION_JSON, Loopback, Reply, Seen

pytestmark = pytest.mark.slow  # subprocesses, Prism, and packages generated from other specs

DRF_SPEC = Path(__file__).resolve().parents[1] / "specs" / "drf_features.json"
CLI_SPEC = SPECS / "cli.json"
CREATE = ("whatsapp-link-sessions", "create")
URLS = ("--success-url", "https://example.com/ok", "--return-url", "https://example.com/back")
ITEMS = [{"id": n, "name": f"item {n}"} for n in range(1, 8)]  # pages of 3, 3 and 1


def query(seen: Seen) -> dict[str, list[str]]:
    return parse_qs(urlsplit(seen.path).query)


def sent_json(seen: Seen) -> object:
    return json.loads(seen.body)


# --- help and usage -------------------------------------------------------------------------------------------


def test_help_lists_resources_without_importing_an_operation_module(cli_for: Callable[[Path], Cli]) -> None:
    drf = cli_for(DRF_SPEC)
    program = (
        "import runpy, sys\n"
        "sys.argv = ['wassist', '--help']\n"
        "try:\n"
        f"    runpy.run_module({drf.package!r}, run_name='__main__')\n"
        "except SystemExit as exit:\n"
        "    print('status', exit.code)\n"
        f"print('loaded', sorted(m for m in sys.modules if m.startswith({drf.package + '.api.'!r})))\n"
    )
    result = drf.python(program)

    assert result.status == 0, result.stderr
    commands = result.stdout.split("Commands:")[1]
    assert re.findall(r"^  (\S+)", commands, re.MULTILINE) == ["agents", "contacts", "uploads"]
    assert "status 0" in result.stdout
    # The generated `api` package itself may be imported (it is empty); no operation module is.
    assert "loaded []" in result.stdout


def test_command_help_shows_parameters_with_the_spec_descriptions(cli_for: Callable[[Path], Cli]) -> None:
    drf = cli_for(DRF_SPEC)

    listing = drf.run("agents", "list", "--help")
    retrieve = drf.run("agents", "retrieve", "--help")

    assert listing.status == 0 and retrieve.status == 0
    assert "List the agents of the account." in listing.stdout
    assert re.search(r"--search TEXT +A search term\.", listing.stdout)
    assert re.search(r"--limit INTEGER +Number of results to return per page\.", listing.stdout)
    assert "--is-published / --no-is-published" in listing.stdout
    assert "--status [archived|draft|published]" in listing.stdout
    assert "--all" in listing.stdout
    assert "Usage: wassist agents retrieve [OPTIONS] ID" in retrieve.stdout
    assert re.search(r"ID +A UUID string identifying this agent\.", retrieve.stdout)
    assert "GET /api/v1/agents/{id}/" in retrieve.stdout


def test_fields_that_clash_with_global_options_get_prefixed_names(cli_for: Callable[[Path], Cli]) -> None:
    messages = cli_for(CLI_SPEC)

    create = messages.run("messages", "create", "--help").stdout
    listing = messages.run("messages", "list", "--help").stdout

    assert re.search(r"--body-timeout INTEGER +Seconds to keep trying to deliver it\.", create)
    assert re.search(r"--body-json JSON +Extra data for the agent\.", create)
    assert re.search(r"--query-timeout INTEGER +Seconds the server may spend searching\.", listing)
    assert re.search(r"--timeout FLOAT", create) and re.search(r"--json JSON\|@FILE\|-", create)


def test_unknown_command_and_bad_options_exit_2_with_the_usage_line(cli: Cli, cli_for: Callable[[Path], Cli]) -> None:
    unknown = cli.run("whatsapp-link-sessions", "explode")
    no_such_resource = cli.run("agents", "list")
    not_an_int = cli_for(DRF_SPEC).run("agents", "list", "--limit", "many")
    not_a_choice = cli_for(DRF_SPEC).run("agents", "list", "--status", "deleted")
    missing_field = cli.run(*CREATE, "--success-url", "https://example.com/ok")
    bad_json = cli.run(*CREATE, "--json", "{not json")

    for result in (unknown, no_such_resource, not_an_int, not_a_choice, missing_field, bad_json):
        assert result.status == 2, result.stderr
        assert result.stderr.startswith("Usage: wassist "), result.stderr
        assert result.stdout == ""
    assert "No such command 'explode'" in unknown.stderr
    assert "No such command 'agents'" in no_such_resource.stderr
    assert "'many' is not a valid integer" in not_an_int.stderr
    assert "--return-url" in missing_field.stderr and "--json" in missing_field.stderr
    assert "not valid JSON" in bad_json.stderr


def test_without_the_cli_extra_the_command_says_how_to_install_it() -> None:
    program = (
        "import runpy, sys\n"
        "sys.modules['click'] = None  # as if the `cli` extra were not installed\n"
        "sys.argv = ['wassist', '--help']\n"
        "runpy.run_module('wassist_api_client', run_name='__main__')\n"
    )
    result = Cli().python(program)

    assert result.status == 1
    assert 'pip install "wassist-api-client[cli]"' in result.stderr
    assert result.stdout == ""


def test_the_console_script_is_the_same_command_line() -> None:
    (script,) = [e for e in metadata.entry_points(group="console_scripts") if e.name == "wassist"]
    assert script.value == "wassist_api_client._cli:main"
    wassist = Path(sys.executable).parent / "wassist"

    completed = subprocess.run([str(wassist), "--help"], capture_output=True, text=True, timeout=60, check=False)

    assert completed.returncode == 0, completed.stderr
    assert "whatsapp-link-sessions" in completed.stdout
    assert_clean(completed.stdout, completed.stderr)


def test_importing_the_package_imports_no_cli_dependency() -> None:
    program = "import sys, wassist_api_client; print(sorted({'click', 'wassist_api_client._cli'} & set(sys.modules)))"
    result = Cli().python(program)

    assert result.stdout == "[]\n"


# --- against Prism ----------------------------------------------------------------------------------------------


def test_create_with_options_against_prism(cli: Cli, prism: PrismServer) -> None:
    result = cli.run(*CREATE, *URLS, "--base-url", prism.base_url)

    assert result.status == 0, result.stderr
    assert result.stdout.count("\n") == 1  # compact: not a terminal
    session = result.json()
    assert isinstance(session, dict) and {"id", "linkUrl", "status"} <= session.keys()


def test_body_from_stdin_against_prism(cli: Cli, prism: PrismServer) -> None:
    body = json.dumps({"successUrl": "https://example.com/ok", "returnUrl": "https://example.com/back"})

    result = cli.run(*CREATE, "--json", "-", env={"WASSIST_BASE_URL": prism.base_url}, stdin=body)

    assert result.status == 0, result.stderr
    assert isinstance(result.json(), dict)


def test_a_body_prism_rejects_is_an_api_error(cli: Cli, prism: PrismServer) -> None:
    result = cli.run(*CREATE, "--json", '{"successUrl": 12}', "--base-url", prism.base_url, "--max-retries", "0")

    assert result.status == 1
    *warnings, error = result.stderr.splitlines()
    assert warnings == [
        "wassist: Data does not match the spec, kept as received: WhatsAppLinkSessionRequest at $.successUrl:"
        " expected string, received integer",
        "wassist: Data does not match the spec, kept as received: WhatsAppLinkSessionRequest at $.returnUrl:"
        " expected string, received nothing (field missing)",
    ]
    assert re.match(r"wassist: (BadRequestError: 400|UnprocessableEntityError: 422) ", error), error
    assert error.endswith("from POST /api/v1/whatsapp-link-sessions/")
    assert result.stdout == ""


# --- against a loopback server ----------------------------------------------------------------------------------


def test_body_from_a_file_with_options_overriding_its_fields(cli: Cli, server: Loopback, tmp_path: Path) -> None:
    body = tmp_path / "body.json"
    body.write_text(json.dumps({"successUrl": "https://example.com/from-file", "returnUrl": "https://x.example"}))
    server.reply(Reply(201, SESSION_JSON))

    override = ("--return-url", "https://example.com/back")
    result = cli.run(*CREATE, "--json", f"@{body}", *override, "--base-url", server.url)

    assert result.status == 0, result.stderr
    assert result.json() == SESSION_JSON
    (seen,) = server.seen
    assert (seen.method, seen.path) == ("POST", "/api/v1/whatsapp-link-sessions/")
    assert sent_json(seen) == {"successUrl": "https://example.com/from-file", "returnUrl": "https://example.com/back"}
    assert seen.header("X-API-Key") == [API_KEY]


def test_typed_options_reach_the_wire(cli_for: Callable[[Path], Cli], server: Loopback) -> None:
    messages = cli_for(CLI_SPEC)
    server.reply(Reply(201, {"id": 1, "text": "hi"}), Reply(200, {"count": 0, "next": None, "results": []}))

    created = messages.run(
        "messages", "create", "--text", "hi", "--kind", "audio", "--body-kind", "image",
        "--send-at", "2026-01-31T12:00:00Z", "--body-timeout", "30", "--body-json", '{"a": [1]}',
        "--tags", "x", "--tags", "y", "--no-urgent", "--timeout", "10", "--base-url", server.url,
    )  # fmt: skip
    listed = messages.run(
        "messages", "list", "--since", "2026-01-31T12:00:00+01:00", "--query-timeout", "5", "--kind", "text",
        "--kind", "audio", "--unread", "--limit", "2", "--base-url", server.url,
    )  # fmt: skip

    assert created.status == 0 and listed.status == 0, created.stderr + listed.stderr
    assert sent_json(server.seen[0]) == {
        "text": "hi",
        "kind": "image",
        "sendAt": "2026-01-31T12:00:00+00:00",
        "timeout": 30,
        "json": {"a": [1]},
        "tags": ["x", "y"],
        "urgent": False,
    }
    assert query(server.seen[0]) == {"kind": ["audio"]}  # the query parameter; the body field is --body-kind
    assert query(server.seen[1]) == {
        "since": ["2026-01-31T12:00:00+01:00"],
        "timeout": ["5"],
        "kind": ["text", "audio"],
        "unread": ["true"],
        "limit": ["2"],
    }


def test_a_bad_date_time_is_bad_usage(cli_for: Callable[[Path], Cli]) -> None:
    result = cli_for(CLI_SPEC).run("messages", "list", "--since", "yesterday")

    assert result.status == 2
    assert "is not an ISO 8601 date-time" in result.stderr


def test_path_arguments_are_passed_as_given(cli_for: Callable[[Path], Cli], server: Loopback) -> None:
    contact = {"phone_number": "34600000000", "name": "Ana"}
    server.reply(Reply(200, contact), Reply(200, contact))
    drf = cli_for(DRF_SPEC)

    e164 = drf.run("contacts", "retrieve", "34600000000", "--base-url", server.url)
    leading_zeros = drf.run("contacts", "retrieve", "0034600000000", "--base-url", server.url)

    assert e164.status == 0 and leading_zeros.status == 0, e164.stderr + leading_zeros.stderr
    assert [seen.path for seen in server.seen] == ["/api/v1/contacts/34600000000/", "/api/v1/contacts/0034600000000/"]


def offset_pages(seen: Seen) -> Reply:
    params = {key: values[-1] for key, values in query(seen).items()}
    limit, offset = int(params.get("limit", 100)), int(params.get("offset", 0))
    more = offset + limit < len(ITEMS)
    next_link = f"http://internal.invalid/api/v1/items/?limit={limit}&offset={offset + limit}" if more else None
    return Reply(200, {"count": len(ITEMS), "next": next_link, "previous": None, "results": ITEMS[offset:][:limit]})


def test_all_follows_every_page_and_prints_json_lines(cli_for: Callable[[Path], Cli], server: Loopback) -> None:
    server.route = offset_pages

    result = cli_for(PAGES_SPEC).run("items", "list", "--all", "--limit", "3", "--base-url", server.url)

    assert result.status == 0, result.stderr
    assert [json.loads(line) for line in result.stdout.splitlines()] == ITEMS
    assert [query(seen) for seen in server.seen] == [
        {"limit": ["3"]},
        {"limit": ["3"], "offset": ["3"]},
        {"limit": ["3"], "offset": ["6"]},
    ]
    assert result.stderr == ""  # no progress line when stderr is not a terminal


def test_all_shows_progress_on_a_terminal(cli_for: Callable[[Path], Cli], server: Loopback) -> None:
    server.route = offset_pages

    result, terminal = cli_for(PAGES_SPEC).run_on_terminal(
        "items", "list", "--all", "--limit", "3", "--base-url", server.url, terminal=("stderr",)
    )

    assert result.status == 0
    assert len(result.stdout.splitlines()) == len(ITEMS)
    assert "wassist: 7 items, every page" in terminal


def test_without_all_a_list_prints_its_first_page(cli_for: Callable[[Path], Cli], server: Loopback) -> None:
    server.route = offset_pages

    result = cli_for(PAGES_SPEC).run("items", "list", "--limit", "3", "--base-url", server.url)

    assert result.status == 0
    page = result.json()
    assert isinstance(page, dict) and page["results"] == ITEMS[:3] and page["count"] == len(ITEMS)
    assert len(server.seen) == 1


def test_output_is_pretty_on_a_terminal(cli: Cli, server: Loopback) -> None:
    server.reply(Reply(201, SESSION_JSON))

    result, terminal = cli.run_on_terminal(*CREATE, *URLS, "--base-url", server.url, terminal=("stdout",))

    assert result.status == 0
    assert terminal == json.dumps(SESSION_JSON, indent=2) + "\n"


def test_an_api_error_prints_class_status_message_and_request_id(cli: Cli, server: Loopback) -> None:
    server.reply(Reply(409, {"error": "A session is already pending", "code": "conflict"}, {"X-Request-Id": "req_42"}))

    result = cli.run(*CREATE, *URLS, "--base-url", server.url)

    assert result.status == 1
    assert result.stderr == (
        "wassist: ConflictError: 409 A session is already pending [conflict] (request id req_42)"
        " from POST /api/v1/whatsapp-link-sessions/\n"
    )
    assert result.stdout == ""


def test_an_html_502_is_an_internal_server_error(cli: Cli, server: Loopback) -> None:
    page = "<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1> nginx</body></html>"
    server.reply(*[Reply(502, page)] * 2)

    result = cli.run(*CREATE, *URLS, "--base-url", server.url, "--max-retries", "1")

    assert result.status == 1
    assert result.stderr.startswith("wassist: InternalServerError: 502 502 Bad Gateway Bad Gateway nginx")
    assert "<" not in result.stderr
    assert len(server.seen) == 2  # --max-retries 1: the 502 was retried once


def test_a_connection_error_says_what_failed(cli: Cli, server: Loopback) -> None:
    url = server.url
    server.stop()  # nothing listens there any more

    result = cli.run(*CREATE, *URLS, "--base-url", url, "--max-retries", "0")

    assert result.status == 1
    assert result.stderr.startswith(f"wassist: APIConnectionError: POST {url}/api/v1/whatsapp-link-sessions/: ")
    assert "refused" in result.stderr.lower()


def test_timeout_option_applies(cli: Cli, server: Loopback) -> None:
    server.reply(Reply(hang=True))

    result = cli.run(*CREATE, *URLS, "--base-url", server.url, "--timeout", "0.3", "--max-retries", "0")

    assert result.status == 1
    assert result.stderr.startswith("wassist: APITimeoutError: POST ")


def test_a_missing_key_is_named(cli: Cli, server: Loopback) -> None:
    result = cli.run(*CREATE, *URLS, "--base-url", server.url, with_key=False)

    assert result.status == 1
    assert "WASSIST_API_KEY" in result.stderr
    assert server.seen == []


def test_verbose_logs_requests_but_never_the_key(cli: Cli, server: Loopback) -> None:
    server.reply(Reply(503, {"error": "busy"}), Reply(201, SESSION_JSON))

    result = cli.run("-v", *CREATE, *URLS, env={"WASSIST_BASE_URL": server.url})

    assert result.status == 0, result.stderr
    assert f"wassist: POST {server.url}/api/v1/whatsapp-link-sessions/ -> 503" in result.stderr
    assert f"wassist: POST {server.url}/api/v1/whatsapp-link-sessions/ -> 201" in result.stderr
    assert_clean(result.stderr)  # (run() checked it already; the point of this test)
    assert len(server.seen) == 2


def test_a_multipart_file_field(cli_for: Callable[[Path], Cli], server: Loopback, tmp_path: Path) -> None:
    picture = tmp_path / "picture.png"
    picture.write_bytes(b"\x89PNG not really")
    server.reply(Reply(201, {"id": 1, "file": "https://cdn.example/picture.png", "kind": "image"}))

    drf = cli_for(DRF_SPEC)
    result = drf.run("uploads", "create", "--file", str(picture), "--kind", "image", "--base-url", server.url)

    assert result.status == 0, result.stderr
    (seen,) = server.seen
    assert seen.header("Content-Type")[0].startswith("multipart/form-data")
    assert b"\x89PNG not really" in seen.body and b'name="kind"' in seen.body
