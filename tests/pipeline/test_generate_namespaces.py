"""codegen/namespaces.py: the namespace tree from operation_modules(), names, clashes, and nested parts end to end."""

from __future__ import annotations

import importlib
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx2
import pytest

from codegen.generate import GenerationError, OperationModule
from codegen.namespaces import CLIENT_ATTRIBUTES, method_name, namespace_tree, render_namespaces
from wassist_api_client import AsyncWassist, Wassist
from wassist_api_client.resources import AsyncResources, SyncResources

ROOT = Path(__file__).resolve().parents[2]
SESSION = {"id": "3fa85f64-5717-4562-b3fc-2c963f66afa6", "successUrl": "a", "returnUrl": "b", "status": "PENDING"}


def module(*parts: str, method: str = "get", path: str = "/api/v1/x/") -> OperationModule:
    return OperationModule(method, path, parts, {"operationId": "_".join(parts)})


@pytest.mark.parametrize(
    ("module_name", "expected"),
    [("list_", "list"), ("type_", "type"), ("import_", "import_"), ("class_", "class_"), ("create", "create")],
)
def test_method_names_drop_the_underscore_where_python_allows(module_name: str, expected: str) -> None:
    assert method_name(module_name) == expected


def test_nested_parts_make_nested_resources() -> None:
    tree = namespace_tree(
        [
            module("conversations", "list_"),
            module("conversations", "takeover"),
            module("conversations", "messages", "list_"),
            module("conversations", "messages", "create"),
            module("whatsapp_link_sessions", "create"),
        ]
    )
    assert list(tree) == ["conversations", "whatsapp_link_sessions"]
    conversations = tree["conversations"]
    assert list(conversations.methods) == ["list", "takeover"]
    assert list(conversations.children) == ["messages"]
    assert list(conversations.children["messages"].methods) == ["list", "create"]
    assert conversations.children["messages"].class_name == "ConversationsMessagesResource"


def test_a_resource_named_like_a_client_attribute_gets_a_trailing_underscore() -> None:
    tree = namespace_tree([module("headers", "list_"), module("close", "create"), module("agents", "headers", "list_")])
    assert list(tree) == ["headers_", "close_", "agents"]
    assert list(tree["agents"].children) == ["headers"]  # a sub-resource clashes with nothing on the client


def test_reserved_names_cover_every_public_attribute_of_both_clients() -> None:
    for client_class, mixin in ((Wassist, SyncResources), (AsyncWassist, AsyncResources)):
        resources = {name for name in vars(mixin) if not name.startswith("_")}
        public = {name for name in dir(client_class) if not name.startswith("_")} - resources
        assert public <= CLIENT_ATTRIBUTES, public - CLIENT_ATTRIBUTES


@pytest.mark.parametrize(
    "modules",
    [
        [module("agents", "list_"), module("agents", "list")],  # both become `list`
        [module("agents", "create"), module("agents", "create_detailed")],  # the detailed twin's name
        [module("agents", "messages"), module("agents", "messages", "list_")],  # a method and a sub-resource
        [module("agents")],  # no resource package
    ],
)
def test_clashes_are_generation_errors(modules: list[OperationModule]) -> None:
    with pytest.raises(GenerationError):
        namespace_tree(modules)


@pytest.fixture
def nested_package(tmp_path: Path) -> Path:
    """A copy of the package with a nested operation module api/whatsapp_link_sessions/attempts/create.py
    (the link-session create, one package deeper, as the naming rules lay out sub-resources)."""
    package = tmp_path / "nested_client"
    shutil.copytree(ROOT / "wassist_api_client", package, ignore=shutil.ignore_patterns("__pycache__"))
    source = (package / "api" / "whatsapp_link_sessions" / "create.py").read_text(encoding="utf-8")
    nested = package / "api" / "whatsapp_link_sessions" / "attempts"
    nested.mkdir()
    (nested / "__init__.py").write_text("", encoding="utf-8")
    (nested / "create.py").write_text(source.replace("from ...", "from ...."), encoding="utf-8")
    shutil.rmtree(package / "resources")
    render_namespaces(
        [
            module("whatsapp_link_sessions", "create", method="post"),
            module("whatsapp_link_sessions", "attempts", "create", method="post"),
        ],
        package,
    )
    return package


def test_nested_resources_render_import_and_call(nested_package: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(nested_package.parent))
    package: Any = importlib.import_module("nested_client")
    models: Any = importlib.import_module("nested_client.models")
    paths: list[str] = []

    def handle(request: httpx2.Request) -> httpx2.Response:
        paths.append(request.url.path)
        return httpx2.Response(201, json={**SESSION, "linkUrl": "c"})

    with package.Wassist(api_key="k", transport=httpx2.MockTransport(handle)) as client:
        body = models.WhatsAppLinkSessionRequest(success_url="a", return_url="b")
        nested = client.whatsapp_link_sessions.attempts
        assert type(nested).__name__ == "WhatsappLinkSessionsAttemptsResource"
        assert nested.create(body=body).status == "PENDING"
        assert nested.create_detailed(body=body).status_code == 201
    assert paths == ["/api/v1/whatsapp-link-sessions/"] * 2


def test_nested_resources_type_check(nested_package: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--no-incremental", "nested_client/resources"],
        cwd=nested_package.parent,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
