"""Quirks of real public specs, on tests/specs/real_world_quirks.json (a small spec of our own): generated, imported
and called. The contract suite also runs on it (it is part of the synthetic corpus)."""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import httpx2
import pytest

from codegen import generate
from tests.contract.contractlib import checks

ROOT = Path(__file__).resolve().parents[2]
QUIRKS = ROOT / "tests" / "specs" / "real_world_quirks.json"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def quirks(generated_package: Callable[[Path], ModuleType]) -> ModuleType:
    return generated_package(QUIRKS)


def test_an_inline_object_named_like_a_component_loses_no_schema(quirks: ModuleType) -> None:
    models = importlib.import_module(f"{quirks.__name__}.models")
    body = {"id": "i1", "credentials": {"password": {"type": "password", "identifiers": ["a@b.c"]}}}
    identity = models.Identity.from_dict(body)
    assert isinstance(identity.credentials, models.IdentityCredentialsProperty)
    assert isinstance(identity.credentials["password"], models.IdentityCredentials)
    assert identity.credentials["password"].identifiers == ["a@b.c"]
    assert identity.to_dict() == body


def test_a_default_response_that_is_the_only_success_is_a_success(quirks: ModuleType) -> None:
    logout = importlib.import_module(f"{quirks.__name__}.api.sessions.logout")
    request = httpx2.Request("GET", "https://backend.wassist.app/api/v1/sessions/logout/")
    response = logout._build_response(response=httpx2.Response(200, request=request), strict=True)
    assert response.status_code == 200 and response.parsed is None


def test_a_boolean_query_parameter_defaulting_to_false_is_sent_as_false(quirks: ModuleType) -> None:
    list_identities = importlib.import_module(f"{quirks.__name__}.api.identities.list_")
    client = httpx2.Client(base_url="https://backend.wassist.app")
    for value, sent in ((False, "false"), (True, "true")):
        request = client.build_request(**list_identities._get_kwargs(include_credentials=value))
        assert request.url.params["include_credentials"] == sent
    document = json.loads(QUIRKS.read_text(encoding="utf-8"))
    assert checks.check_parameters(document, quirks) == []


def test_the_generation_output_says_when_the_spec_has_no_api_key_header(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = json.loads(QUIRKS.read_text(encoding="utf-8"))
    spec["components"]["securitySchemes"] = {"cookie": {"type": "apiKey", "in": "cookie", "name": "sessionid"}}
    del spec["servers"]
    path = tmp_path / "no_header.json"
    path.write_text(json.dumps(spec), encoding="utf-8")
    package = tmp_path / "no_header_client"
    assert generate.main(["--spec", str(path), "--package-dir", str(package)]) == 0
    out = capsys.readouterr().out
    assert "no apiKey-in-header security scheme: the client sends the key as X-API-Key" in out
    assert "no absolute base URL (it has no servers): the client defaults to https://backend.wassist.app" in out
    defaults = (package / "_spec_defaults.py").read_text(encoding="utf-8")
    assert 'API_KEY_HEADER = "X-API-Key"' in defaults
