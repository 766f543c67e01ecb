"""The declared return type holds at the top level: a 2xx body of another JSON type raises in both modes."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest

from tests.client.support import SESSION_JSON, Flavour, Loopback, Reply, raises_clean
from wassist_api_client import APIResponseValidationError

PAGES = Path(__file__).parent / "specs" / "pages.json"
JSON = {"Content-Type": "application/json"}


@pytest.mark.parametrize("strict", [False, True], ids=["lenient", "strict"])
@pytest.mark.parametrize(
    "body", [b"null", b"[]", b'"a string"', b"[" + b"{}" + b"]"], ids=["null", "[]", "str", "[{}]"]
)
def test_an_object_operation_never_returns_another_type(
    flavour: Flavour, server: Loopback, strict: bool, body: bytes
) -> None:
    server.reply(Reply(201, body, headers=JSON))

    with raises_clean(APIResponseValidationError) as info:
        flavour.create(base_url=server.url, strict_response_validation=strict)

    assert "WhatsAppLinkSession" in str(info.value)


@pytest.mark.slow
@pytest.mark.parametrize("strict", [False, True], ids=["lenient", "strict"])
@pytest.mark.parametrize("body", [{"results": []}, None], ids=["object", "null"])
def test_an_array_operation_never_returns_another_type(
    flavour: Flavour,
    server: Loopback,
    strict: bool,
    body: object,
    generated_package: Callable[[Path], ModuleType],
) -> None:
    package = generated_package(PAGES)
    tags = importlib.import_module(f"{package.__name__}.api.tags.list_")
    server.reply(Reply(200, body if body is not None else b"null", headers=JSON))

    with raises_clean(package.APIResponseValidationError) as info:
        flavour.run(
            lambda c: tags.sync(client=c),
            lambda c: tags.asyncio(client=c),
            base_url=server.url,
            strict_response_validation=strict,
        )

    assert "array of object (Item)" in str(info.value)


def test_a_body_of_the_right_type_with_a_wrong_field_is_kept_in_lenient_mode(
    flavour: Flavour, server: Loopback
) -> None:
    server.reply(Reply(201, {**SESSION_JSON, "linkUrl": 42}))

    session = flavour.create(base_url=server.url)

    assert session.link_url == 42  # inside the body, lenient mode keeps what came (and logs it)
