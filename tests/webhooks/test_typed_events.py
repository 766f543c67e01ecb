"""Typed webhook events: the spec's webhooks (3.1 `webhooks`, 3.0 `x-webhooks`) -> models -> verify().data.

Today's openapi.json describes no webhook, so the packages here are generated from the synthetic specs
in tests/webhooks/specs/ into temporary directories.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import shutil
import subprocess
import sys
import uuid
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from codegen import generate
from codegen.normalize import NormalizationError, normalize

pytestmark = pytest.mark.slow  # generates packages (once per session)

ROOT = Path(__file__).resolve().parents[2]
SPECS = Path(__file__).parent / "specs"
SPEC_31 = SPECS / "events_31.json"
SPEC_30 = SPECS / "events_30.json"
SECRET = "whsec_typed-events"
CONVERSATION = "3f2b1c9e-8d4a-4e6f-9a1b-2c3d4e5f6a7b"


def load(path: Path) -> dict[str, Any]:
    spec: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return spec


def deliver(package: ModuleType, event: str, data: Any, **options: Any) -> Any:
    """verify() of the generated package on a delivery signed by its sign()."""
    webhooks = importlib_module(package, "webhooks")
    body = json.dumps(data).encode()
    headers = webhooks.sign(body, secret=SECRET, event=event)
    return webhooks.verify(body, headers, SECRET, **options)


def importlib_module(package: ModuleType, name: str) -> ModuleType:
    __import__(f"{package.__name__}.{name}")
    module: ModuleType = sys.modules[f"{package.__name__}.{name}"]
    return module


# --- the normalizer and the generator ------------------------------------------------------------------------------


def test_inline_payloads_are_hoisted_into_components_and_refs_are_kept() -> None:
    out = normalize(load(SPEC_31))
    schemas = out["components"]["schemas"]
    media = out["webhooks"]["message.received"]["post"]["requestBody"]["content"]["application/json"]
    assert media["schema"] == {"$ref": "#/components/schemas/MessageReceivedWebhookPayload"}
    assert set(schemas["MessageReceivedWebhookPayload"]["properties"]) >= {"conversationId", "text", "sentAt"}
    assert "title" not in schemas["MessageReceivedWebhookPayload"]  # repaired like every component
    assert schemas["MessageReceivedWebhookPayload"]["properties"]["text"] == {"type": "string", "nullable": True}
    agent = out["webhooks"]["agent.updated"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert agent == {"$ref": "#/components/schemas/Agent"}
    array = out["webhooks"]["contacts.imported"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert array["type"] == "array"  # not a model: delivered as plain JSON
    assert not [name for name in schemas if name.startswith("ContactsImported")]


def test_the_3_0_extension_x_webhooks_is_read_the_same_way() -> None:
    out = normalize(load(SPEC_30))
    assert "MessageReceivedWebhookPayload" in out["components"]["schemas"]
    assert generate.webhook_event_models(out) == {
        "message.received": "MessageReceivedWebhookPayload",
        "agent.updated": "Agent",
    }


def test_the_event_table_names_the_generated_classes() -> None:
    assert generate.webhook_event_models(normalize(load(SPEC_31))) == {
        "message.received": "MessageReceivedWebhookPayload",
        "conversation.handed_back": "Handback",  # through components/pathItems and components/requestBodies
        "agent.updated": "Agent",
        "contacts.imported": None,
    }


def test_a_payload_name_the_spec_already_uses_is_reported() -> None:
    spec = load(SPEC_31)
    spec["components"]["schemas"]["MessageReceivedWebhookPayload"] = {"type": "string"}
    with pytest.raises(NormalizationError, match=r"webhook 'message.received'.*MessageReceivedWebhookPayload"):
        normalize(spec)


def test_an_event_whose_name_makes_no_model_name_is_reported() -> None:
    spec = load(SPEC_31)
    spec["webhooks"]["..."] = spec["webhooks"]["message.received"]
    with pytest.raises(NormalizationError, match=r"webhook '\.\.\.'"):
        normalize(spec)


# --- verify() in generated packages -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def events_31(generated_package: Callable[[Path], ModuleType]) -> ModuleType:
    return generated_package(SPEC_31)


@pytest.fixture(scope="module")
def events_30(generated_package: Callable[[Path], ModuleType]) -> ModuleType:
    return generated_package(SPEC_30)


def test_the_generated_table_lists_every_event(events_31: ModuleType) -> None:
    table = importlib_module(events_31, "webhook_events")
    assert table.EVENTS == ("message.received", "conversation.handed_back", "agent.updated", "contacts.imported")
    assert table.EVENT_MODELS["message.received"] == "MessageReceivedWebhookPayload"
    assert "contacts.imported" not in table.EVENT_MODELS


def test_a_known_event_is_parsed_into_its_model(events_31: ModuleType) -> None:
    models = importlib_module(events_31, "models")
    payload = {
        "conversationId": CONVERSATION,
        "text": "hi",
        "sentAt": "2026-01-01T10:00:00Z",
        "direction": "inbound",
        "contact": {"phone": "4915112345678"},
    }
    event = deliver(events_31, "message.received", payload)
    assert isinstance(event.data, models.MessageReceivedWebhookPayload)
    assert event.data.conversation_id == uuid.UUID(CONVERSATION)
    assert event.data.sent_at == dt.datetime(2026, 1, 1, 10, tzinfo=dt.timezone.utc)
    assert event.data.direction == "inbound"
    assert event.data.contact.phone == "4915112345678"
    assert event.data.to_dict() == payload
    assert json.loads(event.raw) == payload


def test_events_through_refs_get_their_component_models(events_31: ModuleType) -> None:
    models = importlib_module(events_31, "models")
    handed_back = deliver(events_31, "conversation.handed_back", {"conversationId": CONVERSATION, "reason": "done"})
    assert isinstance(handed_back.data, models.Handback)
    assert handed_back.data.reason == "done"
    agent = deliver(events_31, "agent.updated", {"id": CONVERSATION, "name": "Support"})
    assert isinstance(agent.data, models.Agent)
    assert agent.data.id == uuid.UUID(CONVERSATION)  # a readOnly field: payloads are what the API sends


def test_unknown_events_and_non_object_payloads_stay_plain_json(events_31: ModuleType) -> None:
    assert deliver(events_31, "agent.created_in_a_later_version", {"id": 1}).data == {"id": 1}
    assert deliver(events_31, "contacts.imported", ["a", "b"]).data == ["a", "b"]


def test_a_mismatching_payload_is_kept_with_a_warning_by_default(
    events_31: ModuleType, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="wassist_api_client")
    event = deliver(events_31, "message.received", {"conversationId": 42, "text": None, "sentAt": "x", "new": 1})
    assert event.data.conversation_id == 42  # kept as received
    assert event.data.additional_properties == {"new": 1}
    messages = [record.getMessage() for record in caplog.records]
    assert any("$.conversationId" in m and "string (uuid)" in m and "message.received" in m for m in messages)
    assert any("$.sentAt" in m and "date-time" in m for m in messages)
    assert SECRET not in " ".join(messages)


def test_a_mismatching_payload_is_rejected_in_strict_mode(events_31: ModuleType) -> None:
    with pytest.raises(events_31.WebhookVerificationError) as caught:
        deliver(events_31, "message.received", {"conversationId": 42, "text": None, "sentAt": "x"}, strict=True)
    assert caught.value.reason == "invalid_payload"
    assert [(issue.model, issue.path) for issue in caught.value.issues] == [
        ("MessageReceivedWebhookPayload", "$.conversationId"),
        ("MessageReceivedWebhookPayload", "$.sentAt"),
    ]
    # A payload that fits passes strict mode.
    fitting = {"conversationId": CONVERSATION, "text": None, "sentAt": "2026-01-01T10:00:00+00:00"}
    assert deliver(events_31, "message.received", fitting, strict=True).data.text is None


@pytest.mark.parametrize("strict", [False, True])
def test_a_known_event_whose_payload_is_not_an_object_is_rejected_in_both_modes(
    events_31: ModuleType, strict: bool
) -> None:
    with pytest.raises(events_31.WebhookVerificationError) as caught:
        deliver(events_31, "message.received", ["not", "an", "object"], strict=strict)
    assert caught.value.reason == "invalid_payload"
    assert caught.value.issues[0].expected == "object (MessageReceivedWebhookPayload)"


def test_a_3_0_spec_with_x_webhooks_types_its_events_too(events_30: ModuleType) -> None:
    models = importlib_module(events_30, "models")
    event = deliver(events_30, "message.received", {"conversationId": CONVERSATION, "text": "hello"})
    assert isinstance(event.data, models.MessageReceivedWebhookPayload)
    assert event.data.text == "hello"


# --- make check-generated covers the table --------------------------------------------------------------------------


def test_check_generated_fails_when_the_event_table_is_stale(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    shutil.copy2(ROOT / "generator-config.yaml", repo)
    shutil.copy2(SPEC_31, repo / "openapi.json")
    for folder in ("codegen", "wassist_api_client"):
        shutil.copytree(ROOT / folder, repo / folder, ignore=shutil.ignore_patterns("__pycache__"))

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "codegen.generate", *args]
        return subprocess.run(command, cwd=repo, capture_output=True, text=True, check=False)

    assert run().returncode == 0
    table = repo / "wassist_api_client" / "webhook_events.py"
    assert "MessageReceivedWebhookPayload" in table.read_text()
    assert (repo / "wassist_api_client" / "models" / "message_received_webhook_payload.py").is_file()
    assert run("--check").returncode == 0

    table.write_text(table.read_text().replace('"agent.updated": "Agent",\n', ""))
    stale = run("--check")
    assert stale.returncode == 1
    assert "committed/webhook_events.py" in stale.stdout
    assert '+    "agent.updated": "Agent",' in stale.stdout

    assert run().returncode == 0
    spec = load(repo / "openapi.json")
    del spec["webhooks"]["agent.updated"]
    (repo / "openapi.json").write_text(json.dumps(spec))
    removed = run("--check")
    assert removed.returncode == 1
    assert '-    "agent.updated": "Agent",' in removed.stdout
