"""Resource namespaces: the same requests as the module functions, through them, for every corpus operation;
loaded lazily (the same modules for a 1-operation and a 120-operation spec)."""

from __future__ import annotations

import asyncio
import importlib
import inspect
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx2
import pytest

from codegen.generate import load_normalized, operation_modules
from codegen.namespaces import namespace_tree
from tests.client.support import API_KEY, SESSION_JSON
from tests.contract.contractlib.checks import _call_arguments
from tests.contract.contractlib.matcher import Matcher
from tests.contract.contractlib.package import Package
from tests.contract.contractlib.spec import ContractSpec, corpus_specs

pytestmark = pytest.mark.slow  # generates the corpus packages once per session
ROOT = Path(__file__).resolve().parents[2]


class Sent(Exception):
    """Raised by the inner transport once it has recorded a request: nothing is parsed."""


def recorder(seen: list[tuple[str, str, bytes]]) -> Callable[[httpx2.Request], httpx2.Response]:
    def handle(request: httpx2.Request) -> httpx2.Response:
        body = request.read()
        boundary = request.headers.get("content-type", "").partition("boundary=")[2]
        if boundary:  # multipart: a random boundary per request
            body = body.replace(boundary.encode(), b"BOUNDARY")
        seen.append((request.method, str(request.url), body))
        raise Sent

    return handle


def method_of(root: Any, module_parts: tuple[str, ...], spec: dict[str, Any]) -> tuple[Any, str]:
    """The namespace object and method name for an operation module, by the generator's own tree."""
    tree = namespace_tree(operation_modules(spec))
    node: Any = root
    level = tree
    for part in module_parts[:-1]:
        resource = next(r for r in level.values() if r.parts[-1] == part)
        node = getattr(node, resource.attribute)
        level = resource.children
    [name] = [n for n, m in resource.methods.items() if m.module.parts == module_parts]
    return node, name


def requests_and_calls(
    endpoint: ModuleType,
    arguments: Callable[[], dict[str, Any]],
    owners: tuple[Any, Any],
    name: str,
    client: Any,
    seen: list[tuple[str, str, bytes]],
) -> tuple[list[list[tuple[str, str, bytes]]], list[str]]:
    """The request each way of calling one operation sent, and which module functions the namespaces called."""
    sync_owner, async_owner = owners
    calls: list[str] = []
    originals = {f: getattr(endpoint, f) for f in ("sync", "sync_detailed", "asyncio", "asyncio_detailed")}

    def spy(function: str) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Any:
            calls.append(function)
            return originals[function](*args, **kwargs)

        return call

    ways = [
        lambda: originals["sync"](client=client, **arguments()),
        lambda: getattr(sync_owner, name)(**arguments()),
        lambda: getattr(sync_owner, name + "_detailed")(**arguments()),
        lambda: asyncio.run(getattr(async_owner, name)(**arguments())),
        lambda: asyncio.run(getattr(async_owner, name + "_detailed")(**arguments())),
    ]
    requests = []
    try:
        for function in originals:
            setattr(endpoint, function, spy(function))
        for way in ways:
            seen.clear()
            with pytest.raises(Sent):
                way()
            requests.append(seen[:])
    finally:
        for function, original in originals.items():
            setattr(endpoint, function, original)
    return requests, calls


@pytest.mark.parametrize("spec_path", corpus_specs(), ids=lambda p: p.name)
def test_every_method_sends_what_its_module_function_sends(
    spec_path: Path, generated_package: Callable[[Path], ModuleType]
) -> None:
    package = generated_package(spec_path)
    spec = load_normalized(spec_path)
    contract = ContractSpec.from_file(spec_path)
    matcher = Matcher(contract, Package(package))
    operations = {op.module_path: op for op in contract.operations}
    seen: list[tuple[str, str, bytes]] = []
    transport = httpx2.MockTransport(recorder(seen))
    client = package.Wassist(api_key=API_KEY, base_url="http://api.test", transport=transport)
    async_client = package.AsyncWassist(api_key=API_KEY, base_url="http://api.test", transport=transport)
    checked = 0
    for module in operation_modules(spec):
        endpoint = importlib.import_module(f"{package.__name__}.api.{module.dotted}")
        op = operations[module.parts]
        sync_owner, name = method_of(client, module.parts, spec)
        async_owner, _ = method_of(async_client, module.parts, spec)
        assert inspect.iscoroutinefunction(getattr(async_owner, name))

        def arguments(endpoint: ModuleType = endpoint, op: Any = op) -> dict[str, Any]:
            return _call_arguments(matcher, endpoint, op)  # built for each call: a file body is read once

        requests, calls = requests_and_calls(endpoint, arguments, (sync_owner, async_owner), name, client, seen)
        assert all(r == requests[0] and len(r) == 1 for r in requests), module.label
        assert calls == ["sync", "sync_detailed", "asyncio", "asyncio_detailed"], module.label
        checked += 1
    client.close()
    assert checked == len(operations) > 0


LOADED = """
import importlib, json, sys
import httpx2
package, way = sys.argv[1], sys.argv[2]
wassist = importlib.import_module(package)
request = importlib.import_module(package + ".models.whats_app_link_session_request").WhatsAppLinkSessionRequest
reply = httpx2.Response(201, json=json.loads(sys.argv[3]))
client = wassist.Wassist(api_key="k", transport=httpx2.MockTransport(lambda request: reply))
body = request(success_url="https://example.com/ok", return_url="https://example.com/back")
if way == "namespace":
    session = client.whatsapp_link_sessions.create(body=body)
else:
    session = importlib.import_module(package + ".api.whatsapp_link_sessions.create").sync(client=client, body=body)
assert session.status == "PENDING", session
print(json.dumps(sorted(name.replace(package, "PKG", 1) for name in sys.modules if name.split(".")[0] == package)))
"""


def loaded_modules(package_dir: Path, way: str) -> list[str]:
    result = subprocess.run(
        [sys.executable, "-c", LOADED, package_dir.name, way, json.dumps(SESSION_JSON)],
        cwd=package_dir.parent,
        capture_output=True,
        text=True,
        check=True,
    )
    names: list[str] = json.loads(result.stdout)
    return names


@pytest.mark.parametrize("way", ["namespace", "module"])
def test_one_call_loads_the_same_modules_for_1_and_120_operations(
    way: str, generated_package: Callable[[Path], ModuleType]
) -> None:
    large = generated_package(ROOT / "tests" / "specs" / "large.json")
    assert len(operation_modules(load_normalized(ROOT / "tests" / "specs" / "large.json"))) == 120

    small_modules = loaded_modules(ROOT / "wassist_api_client", way)
    large_modules = loaded_modules(Path(large.__file__).parent, way)

    assert small_modules == large_modules
    assert "PKG.api.whatsapp_link_sessions.create" in small_modules
    assert ("PKG.resources.whatsapp_link_sessions" in small_modules) == (way == "namespace")
