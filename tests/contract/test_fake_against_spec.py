"""wassist_api_client.testing.WassistFake against the contract, for the vendored spec and every corpus spec.

- Its default answers are schema-valid for every operation, checked with the contract's own validator
  (jsonschema over contractlib's JSON Schema view, formats checked), and parse strictly into the documented type.
- A differential test: every request test_wire sends to Prism (required arguments only, every argument) goes to
  the fake too, and both accept it; the same request made invalid (a required body field dropped, a field of the
  wrong type, a bad format, no key, an unknown path, a wrong method) is rejected by both.
"""

from __future__ import annotations

import contextlib
import copy
import json
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx2
import jsonschema
import pytest
from conftest import spec_id
from contractlib.checks import Matcher, parameter_mapping
from contractlib.package import Package
from contractlib.schemas import to_json_schema
from contractlib.spec import ContractSpec, Json, Operation
from test_wire import API_KEY, CASES, _arguments, _check_response, _reply

from scripts.prism import PrismServer


def _fake_for(module: ModuleType) -> Any:
    """The package's own fake (every generated package carries the hand-written testing/ sub-package)."""
    testing = __import__(f"{module.__name__}.testing", fromlist=["WassistFake"])
    return testing.WassistFake()


def _validator(spec: ContractSpec, schema: Json) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(
        to_json_schema(spec, schema, "response"), format_checker=jsonschema.FormatChecker()
    )


@pytest.mark.parametrize(("spec_path", "index", "name"), CASES, ids=[f"{spec_id(p)}:{n}" for p, _, n in CASES])
def test_default_answers_are_schema_valid(
    spec_path: Path,
    index: int,
    name: str,
    package_for: Callable[[Path], ModuleType],
    contract_spec_for: Callable[[Path], ContractSpec],
) -> None:
    spec = contract_spec_for(spec_path)
    op = spec.operations[index]
    module = package_for(spec_path)
    package = Package(module)
    endpoint = package.endpoint_modules()[op.module_path]
    matcher = Matcher(spec, package)
    mapping, problems = parameter_mapping(matcher, endpoint, op)
    assert not problems, problems
    fake = _fake_for(module)
    with fake.client(strict_response_validation=True, max_retries=0) as client:
        for full in (False, True):
            response = endpoint.sync_detailed(client=client, **_arguments(matcher, endpoint, op, mapping, full=full))
            reply = _reply(op, response.status_code)
            assert reply is not None and 200 <= response.status_code < 300, (op.label, response.content[:300])
            if reply.schema is not None and "json" in (reply.media_type or ""):
                errors = [e.message for e in _validator(spec, reply.schema).iter_errors(json.loads(response.content))]
                assert not errors, f"{op.label}: the fake's default answer does not fit the spec: {errors}"
            _check_response(matcher, op, response, "the fake's default answer")
    assert [call.operation for call in fake.calls] == [f"{op.method.upper()} {op.path}"] * 2


# --- the differential test ----------------------------------------------------------------------------------------


def _sent_requests(module: ModuleType, spec: ContractSpec, op: Operation) -> list[httpx2.Request]:
    """The requests test_wire sends for an operation (required arguments only, then every argument), as sent."""
    package = Package(module)
    endpoint = package.endpoint_modules()[op.module_path]
    matcher = Matcher(spec, package)
    mapping, _ = parameter_mapping(matcher, endpoint, op)
    sent: list[httpx2.Request] = []

    def record(request: httpx2.Request) -> httpx2.Response:
        request.read()
        sent.append(request)
        return httpx2.Response(204)  # never looked at: only the request matters here

    headers = spec.security_headers(API_KEY)  # as test_wire sends them
    http = httpx2.Client(base_url="http://recorded", headers=headers, transport=httpx2.MockTransport(record))
    client = _Recorder(http)
    for full in (False, True):
        with contextlib.suppress(Exception):  # parsing the empty answer may fail: only the request matters
            endpoint.sync_detailed(client=client, **_arguments(matcher, endpoint, op, mapping, full=full))
    assert len(sent) == 2, f"{op.label}: {len(sent)} requests recorded"
    return sent


class _Recorder:
    strict_response_validation = False

    def __init__(self, http: httpx2.Client) -> None:
        self.http = http

    def get_httpx_client(self) -> httpx2.Client:
        return self.http


def _json_body(request: httpx2.Request) -> Any:
    media = request.headers.get("content-type", "")
    return json.loads(request.content) if request.content and "json" in media else None


def _invalid_variants(spec: ContractSpec, op: Operation, request: httpx2.Request) -> list[tuple[str, dict[str, Any]]]:
    """Ways to make a valid request invalid, picked from the spec: (what, arguments for httpx2.Client.request)."""
    base: dict[str, Any] = {
        "method": request.method,
        "url": request.url.raw_path.decode(),
        "headers": {k: v for k, v in request.headers.items() if k.lower() not in ("host", "content-length")},
        "content": request.content,
    }
    variants: list[tuple[str, dict[str, Any]]] = []
    key_header = next(iter(spec.security_headers(API_KEY)), None)
    if key_header is not None and op.node.get("security"):
        headers = {k: v for k, v in base["headers"].items() if k.lower() != key_header.lower()}
        variants.append(("no key", {**base, "headers": headers}))
    variants.append(("unknown path", {**base, "url": "/api/v1/no-such-resource-anywhere/"}))
    path = request.url.path
    for other in ("delete", "patch", "put", "post", "get"):
        # A method no operation takes at this URL (GET /labels/stats/ is no DELETE, but DELETE /labels/{id}/ is).
        if not any(o.method == other and o.path_pattern().match(path) for o in spec.operations):
            variants.append(("wrong method", {**base, "method": other.upper()}))
            break
    body = _json_body(request)
    body_spec = op.body
    if isinstance(body, dict) and body_spec is not None:
        view = spec.object_view(body_spec.schema, "request")
        for name in sorted(view.required & body.keys())[:1]:
            dropped = {k: v for k, v in body.items() if k != name}
            variants.append((f"body: required {name} missing", {**base, "content": json.dumps(dropped).encode()}))
        for name in sorted(body):
            shape = spec.shape(view.properties.get(name, {}))
            if shape.nullable or shape.kind not in ("string", "integer", "number", "boolean", "enum"):
                continue
            wrong = copy.deepcopy(body)
            wrong[name] = {"not": "a scalar"}
            variants.append((f"body: {name} of the wrong type", {**base, "content": json.dumps(wrong).encode()}))
            break
        for name in sorted(body):
            shape = spec.shape(view.properties.get(name, {}))
            if shape.kind == "string" and shape.node.get("format") in ("uuid", "date-time", "email", "date"):
                bad = {**body, name: "not-a-formatted-value"}
                variants.append((f"body: {name} in a bad format", {**base, "content": json.dumps(bad).encode()}))
                break
    return variants


def _status(http: httpx2.Client, arguments: dict[str, Any]) -> int:
    return http.request(**arguments).status_code


def _prism_accepts(response: httpx2.Response) -> bool:
    """Prism accepted the request: 2xx, or its own static answer failed its response check (a 500 listing only
    response violations: the request passed validation)."""
    if response.status_code < 400:
        return True
    try:
        body = response.json()
    except ValueError:
        return False
    violations = body.get("validation") or [] if isinstance(body, dict) else []
    return (
        response.status_code == 500
        and bool(violations)
        and all((v.get("location") or [""])[0] == "response" for v in violations)
    )


_BODY_CHECKS: dict[str, int] = {}  # operation -> how many invalid bodies Prism rejected


@pytest.mark.parametrize(("spec_path", "index", "name"), CASES, ids=[f"{spec_id(p)}:{n}" for p, _, n in CASES])
def test_the_fake_and_prism_agree_on_valid_and_invalid(
    spec_path: Path,
    index: int,
    name: str,
    package_for: Callable[[Path], ModuleType],
    contract_spec_for: Callable[[Path], ContractSpec],
    prism_for: Callable[[Path], PrismServer],
) -> None:
    spec = contract_spec_for(spec_path)
    op = spec.operations[index]
    module = package_for(spec_path)
    fake = _fake_for(module)
    prism = prism_for(spec_path)
    with (
        httpx2.Client(base_url=prism.base_url) as to_prism,
        httpx2.Client(base_url="http://wassist.fake", transport=fake.transport) as to_fake,
    ):
        disagreements = []
        body_checks: list[tuple[str, int, int]] = []
        for request in _sent_requests(module, spec, op):
            url = request.url.raw_path.decode()
            arguments = {"method": request.method, "url": url, "headers": dict(request.headers.items())}
            arguments["headers"].pop("host", None)
            arguments["content"] = request.content
            prism_answer = to_prism.request(**arguments)
            fake_answer = to_fake.request(**arguments)
            if not _prism_accepts(prism_answer) or fake_answer.status_code >= 400:
                disagreements.append(
                    f"valid {request.method} {url}: Prism {prism_answer.status_code} {prism_answer.text[:300]}, "
                    f"fake {fake_answer.status_code} {fake_answer.text[:300]}"
                )
            for what, invalid in _invalid_variants(spec, op, request):
                prism_status, fake_status = _status(to_prism, invalid), _status(to_fake, invalid)
                if what.startswith("body:"):
                    body_checks.append((what, prism_status, fake_status))
                elif not (400 <= prism_status < 500 and 400 <= fake_status < 500):
                    disagreements.append(f"{what}: Prism {prism_status}, fake {fake_status}")
        disagreements += [f"{what}: the fake answered {fake}" for what, _, fake in body_checks if not 400 <= fake < 500]
        prism_rejected = [what for what, prism, _ in body_checks if 400 <= prism < 500]
        if prism_rejected and len(prism_rejected) < len(body_checks):
            # Prism validates this body, yet let an invalid one through: a disagreement to look at.
            disagreements += [f"{what}: Prism {prism}" for what, prism, _ in body_checks if not 400 <= prism < 500]
        # Else Prism validates no body of this operation at all (it accepts every invalid one: it gives up on schemas
        # with `nullable` oneOf members such as DRF's NullEnum); the fake still rejects each, asserted above.
        assert not disagreements, f"{op.label}:\n" + "\n".join(disagreements)
        _BODY_CHECKS[f"{spec_id(spec_path)} {op.label}"] = len(prism_rejected)


def test_prism_rejects_invalid_bodies_of_most_operations() -> None:
    """The body comparison above is not vacuous: Prism validated (and rejected) bodies of most operations."""
    if not _BODY_CHECKS:
        pytest.fail("run with the differential test (it fills the record this test reads)")
    validated = [op for op, rejected in _BODY_CHECKS.items() if rejected]
    assert len(validated) >= 10, _BODY_CHECKS
