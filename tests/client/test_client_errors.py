"""Every non-2xx response becomes a typed error, whatever the body looks like (loopback server)."""

from __future__ import annotations

from typing import Any

import httpx2
import pytest

from tests.client.support import Flavour, Loopback, Reply, link_session_body, raises_clean
from wassist_api_client import (
    APIError,
    APIStatusError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    UnprocessableEntityError,
    WassistError,
)
from wassist_api_client._exceptions import status_error
from wassist_api_client.api.whatsapp_link_sessions import create

STATUS_CLASSES = [
    (400, BadRequestError),
    (401, AuthenticationError),
    (403, PermissionDeniedError),
    (404, NotFoundError),
    (409, ConflictError),
    (422, UnprocessableEntityError),
    (429, RateLimitError),
    (500, InternalServerError),
    (502, InternalServerError),
    (503, InternalServerError),
    (418, APIStatusError),  # undocumented: the base class, still typed
    (599, InternalServerError),
]


def raised(flavour: Flavour, server: Loopback, reply: Reply, expected: type[BaseException]) -> Any:
    server.reply(reply)
    with raises_clean(expected) as info:
        flavour.create(base_url=server.url, max_retries=0)
    assert len(server.seen) == 1
    return info.value


@pytest.mark.parametrize(("status", "error_class"), STATUS_CLASSES)
def test_each_status_raises_its_class_with_fields_from_the_body(
    flavour: Flavour, server: Loopback, status: int, error_class: type[APIStatusError]
) -> None:
    body = {"error": f"went wrong with {status}", "code": f"code_{status}"}
    reply = Reply(status, body, headers={"X-Request-Id": f"req-{status}"})

    error = raised(flavour, server, reply, APIStatusError)

    assert type(error) is error_class
    assert isinstance(error, (APIError, WassistError))
    assert error.status_code == status
    assert error.code == f"code_{status}"
    assert error.message == f"went wrong with {status}"
    assert error.body == body
    assert error.request_id == f"req-{status}"
    assert error.response.status_code == status
    assert error.request.url.path == "/api/v1/whatsapp-link-sessions/"
    assert str(error) == f"{status}: went wrong with {status} (request id req-{status})"


@pytest.mark.parametrize(
    ("status", "body", "message", "code"),
    [
        (400, {"success_url": ["Enter a valid URL."], "return_url": ["This field is required."]},
         "success_url: Enter a valid URL.; return_url: This field is required.", None),
        (422, {"non_field_errors": ["Too late."]}, "non_field_errors: Too late.", None),
        (404, {"detail": "Not found."}, "Not found.", None),
        (403, {"message": "Plan limit reached", "code": "plan_limit"}, "Plan limit reached", "plan_limit"),
        (409, {"error": {"message": "Already linked", "code": "already_linked"}}, "Already linked", "already_linked"),
        (400, {"unexpected": {"shape": 1}}, "Bad Request", None),
        (404, None, "Not Found", None),
        (500, "Internal Server Error", "Internal Server Error", None),
    ],
)  # fmt: skip
def test_other_error_body_shapes_give_a_readable_message(
    flavour: Flavour, server: Loopback, status: int, body: Any, message: str, code: str | None
) -> None:
    error = raised(flavour, server, Reply(status, body), APIStatusError)

    assert (error.status_code, error.message, error.code) == (status, message, code)
    assert error.request_id is None


def test_html_error_page_gives_its_text_not_its_tags(flavour: Flavour, server: Loopback) -> None:
    page = (
        "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
        "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
    )

    error = raised(flavour, server, Reply(502, page), InternalServerError)

    assert error.message == "502 Bad Gateway 502 Bad Gateway nginx"
    assert error.body == page
    assert error.code is None


def test_undecodable_body_still_gives_the_class(flavour: Flavour, server: Loopback) -> None:
    error = raised(flavour, server, Reply(404, b"\xff\xfe{not json"), NotFoundError)

    assert error.status_code == 404
    assert "not json" in error.message


def test_rate_limit_error_carries_retry_after(flavour: Flavour, server: Loopback) -> None:
    reply = Reply(429, {"error": "Slow down", "code": "rate_limited", "retry_after": 12})

    error = raised(flavour, server, reply, RateLimitError)

    assert error.retry_after == 12.0
    assert error.code == "rate_limited"


def test_detailed_variant_never_sees_an_error_status(flavour: Flavour, server: Loopback) -> None:
    server.reply(Reply(404, {"error": "No such thing", "code": "not_found"}))
    body = link_session_body()

    with raises_clean(NotFoundError) as info:
        flavour.run(
            lambda c: create.sync_detailed(client=c, body=body),
            lambda c: create.asyncio_detailed(client=c, body=body),
            base_url=server.url,
            max_retries=0,
        )
    assert info.value.message == "No such thing"


def test_redirect_is_an_error_not_followed(flavour: Flavour, server: Loopback) -> None:
    reply = Reply(301, None, headers={"Location": "http://127.0.0.1:9/elsewhere/"})

    error = raised(flavour, server, reply, APIStatusError)

    assert error.status_code == 301


def test_an_html_error_page_reads_without_its_styles_and_scripts() -> None:
    page = (
        "<html><head><style>\nhtml, body { margin: 0 }\n</style><SCRIPT>track()</SCRIPT></head>"
        "<body><h1>Application Error</h1><p>Try again later.</p></body></html>"
    )
    request = httpx2.Request("POST", "https://api.test/api/v1/things/")
    error = status_error(httpx2.Response(503, text=page, request=request))
    assert str(error) == "503: Application Error Try again later."
