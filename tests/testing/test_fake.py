"""WassistFake on the vendored spec (and a corpus spec for lists): checks, answers, scripting, calls."""

from __future__ import annotations

import asyncio
import functools
import importlib
import json
import shutil
import subprocess
import sys
import uuid
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx2
import pytest

import wassist_api_client
from wassist_api_client import (
    APIConnectionError,
    AuthenticationError,
    BadRequestError,
    InternalServerError,
    NotFoundError,
    RateLimitError,
    Wassist,
)
from wassist_api_client.api.whatsapp_link_sessions import create
from wassist_api_client.api.whatsapp_link_sessions import create as create_module
from wassist_api_client.models import WhatsAppLinkSession, WhatsAppLinkSessionRequest
from wassist_api_client.testing import CannedResponseError, UnknownOperationError, WassistFake

ROOT = Path(__file__).resolve().parents[2]
CREATE = "POST /api/v1/whatsapp-link-sessions/"
BODY = WhatsAppLinkSessionRequest(success_url="https://example.com/ok", return_url="https://example.com/back")
VALID_JSON = {"successUrl": "https://example.com/ok", "returnUrl": "https://example.com/back"}


def raw(fake: WassistFake, *, key: bool = True) -> httpx2.Client:
    """A plain httpx2 client on the fake's transport, to send what the generated code never would."""
    return httpx2.Client(
        base_url="http://wassist.fake", transport=fake.transport, headers={"X-API-Key": "k"} if key else {}
    )


# --- answers -------------------------------------------------------------------------------------------------------


def test_create_answers_a_valid_model_echoing_the_request(wassist_fake: WassistFake) -> None:
    with wassist_fake.client() as client:
        session = create.sync(client=client, body=BODY)
    assert isinstance(session, WhatsAppLinkSession)
    assert isinstance(session.id, uuid.UUID)
    assert session.success_url == "https://example.com/ok"  # request fields echoed where the response has them
    assert session.status.value in {"PENDING", "EXPIRED", "SUCCESS", "FAILED"}
    assert session.link_url  # read-only fields filled


def test_answers_are_deterministic_and_seeded() -> None:
    def ids(fake: WassistFake) -> list[str]:
        with fake.client() as client:
            return [str(create.sync(client=client, body=BODY).id) for _ in range(3)]

    first = ids(WassistFake())
    assert first == ids(WassistFake())
    assert len(set(first)) == 3  # each call its own session
    assert first != ids(WassistFake(seed=1))


def test_the_async_client_works(wassist_fake: WassistFake) -> None:
    async def main() -> list[WhatsAppLinkSession]:
        async with wassist_fake.async_client() as client:
            return list(await asyncio.gather(*(create.asyncio(client=client, body=BODY) for _ in range(3))))

    sessions = asyncio.run(main())
    assert len({session.id for session in sessions}) == 3
    assert len(wassist_fake.calls) == 3


# --- request checks ------------------------------------------------------------------------------------------------


def test_a_bad_format_is_a_400_naming_the_field(wassist_fake: WassistFake) -> None:
    bad = WhatsAppLinkSessionRequest(success_url="not a URL", return_url="https://example.com/back")
    with wassist_fake.client() as client, pytest.raises(BadRequestError) as caught:
        create.sync(client=client, body=bad)
    assert caught.value.body == {"successUrl": ["Enter a valid URL."]}
    assert "successUrl" in caught.value.message


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"successUrl": "https://example.com/ok"}, "returnUrl", "This field is required."),
        ({**VALID_JSON, "returnUrl": 12}, "returnUrl", "Not a valid string."),
        ({**VALID_JSON, "returnUrl": None}, "returnUrl", "This field may not be null."),
        ({**VALID_JSON, "successUrl": "no scheme"}, "successUrl", "Enter a valid URL."),
    ],
    ids=["missing", "wrong-type", "null", "bad-format"],
)
def test_invalid_bodies_are_rejected_naming_the_field(
    wassist_fake: WassistFake, body: dict[str, Any], field: str, message: str
) -> None:
    with raw(wassist_fake) as http:
        response = http.post("/api/v1/whatsapp-link-sessions/", json=body)
    assert response.status_code == 400
    assert response.json() == {field: [message]}


def test_a_body_that_is_no_object_or_no_json_is_rejected(wassist_fake: WassistFake) -> None:
    with raw(wassist_fake) as http:
        not_object = http.post("/api/v1/whatsapp-link-sessions/", json=["x"])
        not_json = http.post(
            "/api/v1/whatsapp-link-sessions/", content=b"{oops", headers={"Content-Type": "application/json"}
        )
        empty = http.post("/api/v1/whatsapp-link-sessions/")
    assert not_object.status_code == 400 and "non_field_errors" in not_object.json()
    assert not_json.status_code == 400 and "JSON parse error" in not_json.json()["error"]
    assert empty.status_code == 400


def test_unknown_path_404_wrong_method_405_missing_key_401(wassist_fake: WassistFake) -> None:
    with raw(wassist_fake) as http:
        assert http.post("/api/v1/no-such-thing/", json={}).status_code == 404
        assert http.post("/api/v1/whatsapp-link-sessions", json=VALID_JSON).status_code == 404  # no slash: no route
        wrong = http.get("/api/v1/whatsapp-link-sessions/")
    assert wrong.status_code == 405 and wrong.headers["Allow"] == "POST"
    with raw(wassist_fake, key=False) as http:
        assert http.post("/api/v1/whatsapp-link-sessions/", json=VALID_JSON).status_code == 401
    with wassist_fake.client(base_url="http://wassist.fake/elsewhere") as client, pytest.raises(NotFoundError):
        create.sync(client=client, body=BODY)
    assert [call.status for call in wassist_fake.calls] == [404, 404, 405, 401, 404]


def test_a_client_without_the_key_gets_an_authentication_error(wassist_fake: WassistFake) -> None:
    # A Wassist whose transport strips the key header, as a misconfigured proxy would.
    def strip(request: httpx2.Request) -> httpx2.Response:
        headers = [(k, v) for k, v in request.headers.items() if k.lower() != "x-api-key"]
        copy = httpx2.Request(request.method, request.url, headers=headers, content=request.read())
        return wassist_fake.transport.handle_request(copy)

    client = Wassist(api_key="k", transport=httpx2.MockTransport(strip), max_retries=0)
    with client, pytest.raises(AuthenticationError):
        create.sync(client=client, body=BODY)


# --- respond / fail ------------------------------------------------------------------------------------------------

CANNED = {
    "id": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
    "successUrl": "https://example.com/ok",
    "returnUrl": "https://example.com/back",
    "status": "SUCCESS",
    "linkUrl": "https://wa.me/link/abc",
}


@pytest.mark.parametrize("operation", [create, create.sync, CREATE, "post /api/v1/whatsapp-link-sessions/"])
def test_respond_with_a_canned_body(wassist_fake: WassistFake, operation: object) -> None:
    wassist_fake.respond(operation, json=CANNED)
    with wassist_fake.client() as client:
        session = create.sync(client=client, body=BODY)
        again = create.sync(client=client, body=BODY)
    assert str(session.id) == CANNED["id"] and session.status.value == "SUCCESS" and again == session


def test_respond_accepts_wrappers_and_marked_namespace_methods(wassist_fake: WassistFake) -> None:
    @functools.wraps(create.sync)
    def wrapper(**kwargs: Any) -> Any:
        return create.sync(**kwargs)

    class Namespace:
        def create(self, **kwargs: Any) -> Any:
            return create_module.sync(**kwargs)

    Namespace.create.__wassist_operation__ = create_module  # type: ignore[attr-defined]

    class Generated:  # as codegen/namespaces.py renders a method: its docstring names the module function
        def create(self, **kwargs: Any) -> Any:
            """POST /api/v1/whatsapp-link-sessions/: `api.whatsapp_link_sessions.create.sync_detailed`."""
            return create_module.sync_detailed(**kwargs)

    for operation in (wrapper, Namespace().create, Generated().create):
        wassist_fake.respond(operation, status=201)
        assert wassist_fake.operations.find(operation).key == CREATE


def test_an_invalid_canned_body_raises_at_once_naming_the_field(wassist_fake: WassistFake) -> None:
    with pytest.raises(CannedResponseError, match=r"status: .*not a valid choice") as caught:
        wassist_fake.respond(create, json={**CANNED, "status": "LINKED"})
    assert CREATE in str(caught.value)
    with pytest.raises(CannedResponseError, match="linkUrl: This field is required"):
        wassist_fake.respond(create, json={k: v for k, v in CANNED.items() if k != "linkUrl"})
    with pytest.raises(CannedResponseError, match="not documented"):
        wassist_fake.respond(create, status=200, json=CANNED)


def test_validate_false_lets_user_code_meet_an_api_that_drifts(wassist_fake: WassistFake) -> None:
    wassist_fake.respond(create, json={**CANNED, "status": "LINKED"}, validate=False)
    with wassist_fake.client() as client:
        session = create.sync(client=client, body=BODY)
    assert session.status.value == "LINKED"  # kept, as the client keeps unknown enum values


def test_respond_with_an_error_status_raises_the_typed_error(wassist_fake: WassistFake) -> None:
    wassist_fake.respond(
        create, status=404, json={"error": "gone", "code": "not_found"}, headers={"X-Request-Id": "r1"}
    )
    with wassist_fake.client() as client, pytest.raises(NotFoundError) as caught:
        create.sync(client=client, body=BODY)
    assert caught.value.code == "not_found" and caught.value.request_id == "r1"


def test_fail_429_then_success_shows_two_calls(wassist_fake: WassistFake) -> None:
    wassist_fake.fail(create, 429, headers={"Retry-After": "0"})
    with wassist_fake.client() as client:
        session = create.sync(client=client, body=BODY)
    assert isinstance(session, WhatsAppLinkSession)
    assert [(call.operation, call.status) for call in wassist_fake.calls] == [(CREATE, 429), (CREATE, 201)]
    assert wassist_fake.calls[0].json == VALID_JSON


def test_fail_more_times_than_the_retries_raises_the_typed_error(wassist_fake: WassistFake) -> None:
    wassist_fake.fail(create, 503, times=5)  # no Retry-After: the client's backoff, which does not sleep here
    with wassist_fake.client() as client, pytest.raises(InternalServerError) as caught:
        create.sync(client=client, body=BODY)
    assert caught.value.status_code == 503 and "scripted by WassistFake" in caught.value.message
    assert len(wassist_fake.calls) == 3  # the first try and two retries
    wassist_fake.reset()
    with wassist_fake.client(max_retries=0) as client, pytest.raises(RateLimitError):
        wassist_fake.fail(create, 429, json={"error": "slow down", "retry_after": 0})
        wassist_fake.respond(create, json=CANNED)
        create.sync(client=client, body=BODY)


def test_a_post_that_failed_with_500_is_not_retried(wassist_fake: WassistFake) -> None:
    wassist_fake.fail(create, 500)
    with wassist_fake.client() as client, pytest.raises(InternalServerError):
        create.sync(client=client, body=BODY)
    with wassist_fake.client() as client:
        assert create.sync(client=client, body=BODY) is not None  # then the normal answer
    assert [call.status for call in wassist_fake.calls] == [500, 201]


def test_fail_connection_raises_a_connection_error(wassist_fake: WassistFake) -> None:
    wassist_fake.fail_connection(create, times=3)
    with wassist_fake.client() as client, pytest.raises(APIConnectionError):
        create.sync(client=client, body=BODY)
    assert [call.status for call in wassist_fake.calls] == [0, 0, 0]
    wassist_fake.fail_connection(create)
    with wassist_fake.client() as client:
        assert create.sync(client=client, body=BODY) is not None  # retried: the request never left


def test_bad_scripts_and_unknown_operations_are_clear_errors(wassist_fake: WassistFake) -> None:
    with pytest.raises(ValueError, match="error status"):
        wassist_fake.fail(create, 200)
    with pytest.raises(ValueError, match="times"):
        wassist_fake.fail(create, 500, times=0)
    with pytest.raises(UnknownOperationError, match="no such operation"):
        wassist_fake.respond("GET /api/v1/whatsapp-link-sessions/")
    with pytest.raises(UnknownOperationError, match="not an operation"):
        wassist_fake.respond(json)


def test_reset_forgets_everything(wassist_fake: WassistFake) -> None:
    wassist_fake.respond(create, json=CANNED)
    wassist_fake.fail(create, 500)
    with raw(wassist_fake) as http:
        http.post("/api/v1/whatsapp-link-sessions/", json=VALID_JSON)
    wassist_fake.reset()
    assert wassist_fake.calls == []
    with wassist_fake.client() as client:
        assert str(create.sync(client=client, body=BODY).id) != CANNED["id"]


def test_the_key_is_in_no_call_and_no_repr(wassist_fake: WassistFake) -> None:
    with wassist_fake.client(api_key="secret-key-123") as client:
        create.sync(client=client, body=BODY)
        assert "secret-key-123" not in repr(client)
    assert "secret-key-123" not in repr(wassist_fake.calls) + repr(wassist_fake)


# --- lists on a corpus spec ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def drf_package(generated_package: Callable[[Path], ModuleType]) -> ModuleType:
    return generated_package(ROOT / "tests" / "specs" / "drf_features.json")


def fake_of(package: ModuleType) -> Any:
    """The WassistFake class of a generated package (each carries the hand-written testing/ sub-package)."""
    return importlib.import_module(f"{package.__name__}.testing").WassistFake


def test_paginate_walks_every_page_of_a_corpus_list(drf_package: ModuleType) -> None:
    list_agents = importlib.import_module(f"{drf_package.__name__}.api.agents.list_")
    retrieve = importlib.import_module(f"{drf_package.__name__}.api.agents.retrieve")
    fake = fake_of(drf_package)(list_size=7)
    with fake.client() as client:
        agents = list(drf_package.paginate(list_agents.sync, client=client, limit=3))
        first_page = list_agents.sync(client=client, limit=3)
        one = retrieve.sync(client=client, id=agents[0].id)
    assert len(agents) == 7 and len({agent.id for agent in agents}) == 7
    assert [call.query for call in fake.calls[:3]] == [
        {"limit": "3"},
        {"limit": "3", "offset": "3"},
        {"limit": "3", "offset": "6"},
    ]
    assert first_page.count == 7 and first_page.next_ == "http://wassist.fake/api/v1/agents/?limit=3&offset=3"
    assert one.id == agents[0].id  # the path parameter echoed


def test_paginate_follows_next_links_of_the_served_page(drf_package: ModuleType) -> None:
    list_agents = importlib.import_module(f"{drf_package.__name__}.api.agents.list_")
    fake = fake_of(drf_package)(list_size=4)
    with fake.client() as client:
        page = list_agents.sync(client=client, limit=2, offset=2)
    assert page.previous == "http://wassist.fake/api/v1/agents/?limit=2&offset=0" and page.next_ is None
    assert len(page.results) == 2


def test_query_and_path_parameters_are_checked(drf_package: ModuleType) -> None:
    fake = fake_of(drf_package)()
    with raw(fake) as http:
        bad_limit = http.get("/api/v1/agents/", params={"limit": "many"})
        bad_id = http.get("/api/v1/agents/not-a-uuid/")
        bad_enum = http.get("/api/v1/agents/", params={"status": "no-such-status"})
    assert bad_limit.status_code == 400 and list(bad_limit.json()) == ["limit"]
    assert bad_id.status_code == 400 and list(bad_id.json()) == ["id"]
    assert bad_enum.status_code == 400 and list(bad_enum.json()) == ["status"]


def test_multipart_bodies_need_their_required_parts(drf_package: ModuleType) -> None:
    fake = fake_of(drf_package)()
    with raw(fake) as http:
        missing = http.post("/api/v1/uploads/", files={"other": ("a.txt", b"x")})
    assert missing.status_code == 400 and "This field is required." in json.dumps(missing.json())


# --- packaging -----------------------------------------------------------------------------------------------------


def test_importing_the_package_imports_neither_the_fake_nor_jsonschema() -> None:
    code = (
        "import sys, wassist_api_client\n"
        "from wassist_api_client.api.whatsapp_link_sessions import create\n"
        "c = wassist_api_client.Wassist(api_key='k')\n"
        "print(sorted(m for m in sys.modules if m.startswith(('jsonschema', 'wassist_api_client.testing'))))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert result.stdout.strip() == "[]"


def test_the_webhook_signer_is_re_exported_and_its_deliveries_verify() -> None:
    import wassist_api_client.testing as testing
    from wassist_api_client.webhooks import sign, verify

    assert testing.sign is sign
    payload = b'{"conversation": "c-1"}'
    delivery = str(uuid.uuid4())
    headers = testing.sign(payload, secret="whsec-test", event="message.received", delivery_id=delivery)
    assert headers["X-Wassist-Event"] == "message.received" and headers["X-Wassist-Delivery"] == delivery
    assert str(verify(payload, headers, "whsec-test").delivery_id) == delivery


def test_the_shipped_spec_is_the_normalized_spec_with_its_module_table() -> None:
    from codegen.generate import OPERATION_MODULES_KEY, SHIPPED_SPEC, load_normalized, operation_modules

    shipped = json.loads((Path(wassist_api_client.__file__).parent / SHIPPED_SPEC).read_text())
    normalized = load_normalized(ROOT / "openapi.json")
    assert {k: v for k, v in shipped.items() if k != OPERATION_MODULES_KEY} == normalized
    assert shipped[OPERATION_MODULES_KEY] == {
        f"{m.method.upper()} {m.path}": m.dotted for m in operation_modules(normalized)
    }


def test_check_generated_covers_the_shipped_spec(tmp_path: Path) -> None:
    """A stale or hand-edited shipped spec fails `make check-generated` with a diff, as any generated file."""
    repo = tmp_path / "repo"
    repo.mkdir()
    for name in ("openapi.json", "generator-config.yaml", "pyproject.toml"):
        (repo / name).write_bytes((ROOT / name).read_bytes())
    for folder in ("codegen", "wassist_api_client"):
        shutil.copytree(ROOT / folder, repo / folder, ignore=shutil.ignore_patterns("__pycache__"))
    shipped = repo / "wassist_api_client" / "openapi.normalized.json"
    shipped.write_text(shipped.read_text().replace('"create"', '"create_edited"', 1))
    result = subprocess.run(
        [sys.executable, "-m", "codegen.generate", "--check"], cwd=repo, capture_output=True, text=True, check=False
    )
    assert result.returncode == 1
    assert "committed/openapi.normalized.json" in result.stdout and "create_edited" in result.stdout
