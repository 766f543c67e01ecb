"""The fault table: every misbehaviour the suite plays, and the exact outcome the client owes for it.

Each `Fault` scripts one reply per attempt the client must make; `harness.exchange` appends a good
reply for the follow-up call that proves the client (and its single-connection pool) still works.
test_faults.py asserts each outcome; test_fault_secrets.py sweeps every error among them for the key.
"""

from __future__ import annotations

import gzip
import json
from typing import Any

import httpx2

from tests.client.support import SESSION_ID, SESSION_JSON, Reply
from tests.faults.harness import SWEEP_KEY, TIMEOUT, Fault, Outcome
from wassist_api_client import (
    APIConnectionError,
    APIResponseValidationError,
    APITimeoutError,
    InternalServerError,
    RateLimitError,
    WassistError,
)
from wassist_api_client.models import WhatsAppLinkSessionRequest, WhatsAppLinkSessionStatusEnum

CREATE = "POST /api/v1/whatsapp-link-sessions/"
JSON = {"Content-Type": "application/json"}
RETRY_NOW = {"Retry-After": "0"}
SLOW = 1.0  # seconds a slow server waits before its headers: past TIMEOUT, far below the test's patience
# Linux says why; under asyncio (anyio) the ReadError has no text of its own.
RESET = r"Connection error: ReadError: (\[Errno \d+\] Connection reset by peer)?"
NOT_JSON = CREATE + r" returned 201 with a body that is not JSON: "

NGINX_502 = (
    "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.25.3</center>\r\n</body>\r\n</html>\r\n"
)
ELB_503 = (
    "<html>\r\n<head><title>503 Service Temporarily Unavailable</title></head>\r\n<body>\r\n"
    "<center><h1>503 Service Temporarily Unavailable</h1></center>\r\n</body>\r\n</html>\r\n"
)
HEROKU_503 = """<!DOCTYPE html>
<html>
  <head>
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <meta charset="utf-8">
    <title>Application Error</title>
    <style media="screen">
      html,body,iframe { margin: 0; padding: 0; }
      iframe { width: 100%; height: 100%; border: 0; }
    </style>
  </head>
  <body>
    <iframe src="//www.herokucdn.com/error-pages/application-error.html"></iframe>
  </body>
</html>
"""
WELCOME_PAGE = "<!DOCTYPE html><html><head><title>Welcome to nginx!</title></head><body><h1>Welcome</h1></body></html>"

# Every kind of text that breaks naive code: astral emoji, ZWJ sequences, flags, skin tones,
# right-to-left, CJK, combining marks, a BOM-like character, mathematical letters, quotes and backslashes.
UNICODE = (
    "\U0001f469\U0001f3fd\u200d\U0001f4bb \U0001f1e7\U0001f1f7 مرحبا 名前 e\u0301 \ufeff "
    '\U0001d518\U0001d52b\U0001d526 "q" \\ ✓'  # woman technologist (ZWJ), a flag, Fraktur letters
)
UNICODE_SESSION = {
    "id": SESSION_ID,
    "successUrl": f"https://例え.jp/ok?名前={UNICODE}",
    "returnUrl": f"https://example.com/مرحبا/{UNICODE}",
    "status": f"ARCHIVÉ {UNICODE}",  # an open enum keeps a value it does not know
    "linkUrl": f"https://wa.me/link/{UNICODE}",
    f"メモ {UNICODE}": UNICODE,
}
UNICODE_REQUEST = WhatsAppLinkSessionRequest(
    success_url=f"https://例え.jp/ok?名前={UNICODE}", return_url=f"https://example.com/مرحبا/{UNICODE}"
)
BIG = 10 * 1024 * 1024  # characters in the extra field of the 10 MB body


def error(outcome: Outcome) -> Any:
    """The error of the outcome, typed Any so that checks may read any attribute of it."""
    return outcome.error


def caused_by(kind: type[BaseException]) -> Any:
    def check(outcome: Outcome) -> None:
        assert isinstance(error(outcome).__cause__, kind), repr(error(outcome).__cause__)

    return check


def check_post_arrived(outcome: Outcome) -> None:
    """The server read the whole POST (so it may have acted): why a POST is not sent again."""
    caused_by(httpx2.ReadError)(outcome)
    sent = json.loads(outcome.server.seen[0].body)
    assert sent == {"successUrl": "https://example.com/ok", "returnUrl": "https://example.com/back"}
    assert outcome.server.seen[0].header("X-API-Key") == [SWEEP_KEY]


def check_timed_out(outcome: Outcome) -> None:
    fault = outcome.fault
    assert isinstance(error(outcome).__cause__, httpx2.ReadTimeout)
    assert outcome.elapsed >= fault.timeout * fault.attempts  # every attempt waited its full timeout


def retried_value(expected: Any) -> Any:
    def check(outcome: Outcome) -> None:
        assert outcome.value.json() == expected  # the reply of the last attempt, not a stale one

    return check


def rate_limited(retry_after: float, code: str | None) -> Any:
    def check(outcome: Outcome) -> None:
        assert error(outcome).retry_after == retry_after
        assert error(outcome).code == code

    return check


def check_retry_after_from_body(outcome: Outcome) -> None:
    assert outcome.value.link_url == SESSION_JSON["linkUrl"]
    url = f"{outcome.server.url}/api/v1/whatsapp-link-sessions/"
    retries = [r.getMessage() for r in outcome.records if "retry" in r.getMessage()]
    assert retries == [f"POST {url}: retry 1 of 1 in 0.00 s after HTTP 429"]  # the body's 0, not a random backoff


def html_error(page: str, status: int) -> Any:
    def check(outcome: Outcome) -> None:
        assert error(outcome).status_code == status
        assert error(outcome).body == page
        assert "<" not in error(outcome).message and "Traceback" not in str(error(outcome))

    return check


def check_parsed_session(outcome: Outcome) -> None:
    assert str(outcome.value.id) == SESSION_ID
    assert outcome.value.status is WhatsAppLinkSessionStatusEnum.PENDING
    assert outcome.value.to_dict() == SESSION_JSON
    assert outcome.warnings() == []


def check_validation_error(outcome: Outcome) -> None:
    assert error(outcome).status_code == 201
    assert error(outcome).response.status_code == 201
    assert error(outcome).__cause__ is None  # no JSONDecodeError chained in: the message says it all


def check_big_body(outcome: Outcome) -> None:
    session = outcome.value
    assert session.link_url == SESSION_JSON["linkUrl"]
    assert session.additional_keys == ["blob"]
    assert len(session["blob"]) == BIG and session["blob"][:3] == "abc"
    assert session.to_dict()["blob"] is session["blob"]
    assert outcome.warnings() == []


def check_unicode(outcome: Outcome) -> None:
    session = outcome.value
    assert session.success_url == UNICODE_SESSION["successUrl"]
    assert session.return_url == UNICODE_SESSION["returnUrl"]
    assert session.link_url == UNICODE_SESSION["linkUrl"]
    assert session.status == UNICODE_SESSION["status"] and session.status.is_known is False
    assert session[f"メモ {UNICODE}"] == UNICODE
    assert session.to_dict() == UNICODE_SESSION
    assert outcome.warnings() == []
    # The request body arrived intact, as UTF-8 JSON.
    [seen, _] = outcome.server.seen
    assert seen.header("Content-Type") == ["application/json"]
    assert json.loads(seen.body.decode("utf-8")) == {
        "successUrl": UNICODE_REQUEST.success_url,
        "returnUrl": UNICODE_REQUEST.return_url,
    }


def check_unknown_enum(outcome: Outcome) -> None:
    assert outcome.value.status == "ARCHIVED" and outcome.value.status.is_known is False
    assert outcome.value.to_dict()["status"] == "ARCHIVED"
    assert outcome.warnings() == []


def check_wrong_type_kept(outcome: Outcome) -> None:
    assert outcome.value.link_url == WRONG_TYPE["linkUrl"]
    assert outcome.value.to_dict() == WRONG_TYPE
    [warning] = outcome.warnings()
    assert "WhatsAppLinkSession" in warning and "linkUrl" in warning and "object" in warning


def check_wrong_type_error(outcome: Outcome) -> None:
    assert isinstance(error(outcome), WassistError)
    assert outcome.warnings() == []


def gzipped(body: Any) -> bytes:
    return gzip.compress(json.dumps(body).encode() if not isinstance(body, str) else body.encode())


WRONG_TYPE = {**SESSION_JSON, "linkUrl": {"url": "https://wa.me/link/abc", "expires": 600}}

FAULTS = [
    # -- the connection breaks -------------------------------------------------------------------------
    Fault(
        "reset mid-body, POST: not sent again",
        (Reply(201, SESSION_JSON, reset_after=20),),
        APIConnectionError,
        RESET,
        max_retries=2,
        check=check_post_arrived,
    ),
    Fault(
        "reset mid-body, GET: retried, then the good reply",
        (Reply(200, {"attempt": 1}, reset_after=5), Reply(200, {"attempt": 2})),
        method="GET",
        max_retries=1,
        check=retried_value({"attempt": 2}),
    ),
    Fault(
        "reset mid-body, GET: every attempt",
        (Reply(200, {"attempt": 1}, reset_after=5), Reply(200, {"attempt": 2}, reset_after=5)),
        APIConnectionError,
        RESET,
        method="GET",
        max_retries=1,
        check=caused_by(httpx2.ReadError),
    ),
    Fault(
        "closed before replying, POST: not sent again",
        (Reply(close_before_reply=True),),
        APIConnectionError,
        r"Connection error: RemoteProtocolError: Server disconnected without sending a response\.",
        max_retries=2,
        check=caused_by(httpx2.RemoteProtocolError),
    ),
    Fault(
        "closed before replying, GET: retried, then the good reply",
        (Reply(close_before_reply=True), Reply(200, {"attempt": 2})),
        method="GET",
        max_retries=1,
        check=retried_value({"attempt": 2}),
    ),
    # -- too slow ----------------------------------------------------------------------------------------
    Fault(
        "slow headers, POST: timeout, not sent again",
        (Reply(201, SESSION_JSON, delay=SLOW),),
        APITimeoutError,
        r"Request timed out\.",
        max_retries=2,
        check=check_timed_out,
    ),
    Fault(
        "slow headers, GET: timeout on every attempt",
        (Reply(200, {"attempt": 1}, delay=SLOW), Reply(200, {"attempt": 2}, delay=SLOW)),
        APITimeoutError,
        r"Request timed out\.",
        method="GET",
        max_retries=1,
        check=check_timed_out,
    ),
    Fault(
        "slow headers, GET: retried, then the good reply",
        (Reply(200, {"attempt": 1}, delay=SLOW), Reply(200, {"attempt": 2})),
        method="GET",
        max_retries=1,
        check=retried_value({"attempt": 2}),
    ),
    Fault(
        "stalled body, POST: timeout, not sent again",
        (Reply(201, SESSION_JSON, stall_body=True),),
        APITimeoutError,
        r"Request timed out\.",
        max_retries=2,
        check=check_timed_out,
    ),
    Fault(
        "stalled body, GET: timeout on every attempt",
        (Reply(200, {"attempt": 1}, stall_body=True), Reply(200, {"attempt": 2}, stall_body=True)),
        APITimeoutError,
        r"Request timed out\.",
        method="GET",
        max_retries=1,
        check=check_timed_out,
    ),
    Fault(
        "trickled body, pauses longer than the timeout, POST",
        (Reply(201, SESSION_JSON, trickle=2 * TIMEOUT),),
        APITimeoutError,
        r"Request timed out\.",
        check=check_timed_out,
    ),
    Fault(
        "trickled body, pauses and total within the timeout, POST",
        (Reply(201, SESSION_JSON, trickle=TIMEOUT / 6),),
        check=check_parsed_session,
    ),
    # -- rate limits ---------------------------------------------------------------------------------------
    Fault(
        "429 burst with Retry-After 0, then 201",
        (
            *[Reply(429, {"error": "Too many requests", "code": "rate_limited"}, headers=RETRY_NOW)] * 3,
            Reply(201, SESSION_JSON),
        ),
        max_retries=3,
        check=check_parsed_session,
    ),
    Fault(
        "429 burst longer than the retries",
        (
            Reply(
                429,
                {"error": "Too many requests", "code": "rate_limited"},
                headers={**RETRY_NOW, "X-Request-Id": "req-429"},
            ),
        )
        * 3,
        RateLimitError,
        r"429: Too many requests \(request id req-429\)",
        max_retries=2,
        check=rate_limited(0.0, "rate_limited"),
    ),
    Fault(
        "429 with retry_after in the body only, then 201",
        (Reply(429, {"error": "Slow down", "retry_after": 0}), Reply(201, SESSION_JSON)),
        max_retries=1,
        check=check_retry_after_from_body,
    ),
    Fault(
        "429 with retry_after in the body only, no retries left",
        (Reply(429, {"error": "Slow down", "code": "rate_limited", "retry_after": 7}),),
        RateLimitError,
        r"429: Slow down",
        check=rate_limited(7.0, "rate_limited"),
    ),
    # -- a proxy answers instead of the API --------------------------------------------------------------
    Fault(
        "502 HTML page from nginx, GET: retried, then the error",
        (Reply(502, NGINX_502),) * 2,
        InternalServerError,
        r"502: 502 Bad Gateway 502 Bad Gateway nginx/1\.25\.3",
        method="GET",
        max_retries=1,
        check=html_error(NGINX_502, 502),
    ),
    Fault(
        "503 HTML page from a load balancer, POST: retried, then the error",
        (Reply(503, ELB_503),) * 2,
        InternalServerError,
        r"503: 503 Service Temporarily Unavailable 503 Service Temporarily Unavailable",
        max_retries=1,
        check=html_error(ELB_503, 503),
    ),
    Fault(
        "503 HTML page with a stylesheet, POST",
        (Reply(503, HEROKU_503),),
        InternalServerError,
        r"503: Application Error\b.*",  # the title first; what follows is the page's other text
        check=html_error(HEROKU_503, 503),
    ),
    Fault(
        "502 gzip-encoded HTML page, GET",
        (Reply(502, gzipped(NGINX_502), headers={"Content-Type": "text/html", "Content-Encoding": "gzip"}),),
        InternalServerError,
        r"502: 502 Bad Gateway 502 Bad Gateway nginx/1\.25\.3",
        method="GET",
        check=html_error(NGINX_502, 502),
    ),
    # -- Content-Type lies -------------------------------------------------------------------------------------
    Fault(
        "JSON labelled text/html: parsed",
        (Reply(201, json.dumps(SESSION_JSON), headers={"Content-Type": "text/html; charset=utf-8"}),),
        check=check_parsed_session,
    ),
    *[
        Fault(
            f"HTML labelled application/json, {mode}",
            (Reply(201, WELCOME_PAGE, headers=JSON),),
            APIResponseValidationError,
            NOT_JSON + r"'<!DOCTYPE html><html><head><title>Welcome to nginx!</title>.*'",
            strict=mode == "strict",
            check=check_validation_error,
        )
        for mode in ("lenient", "strict")
    ],
    *[
        Fault(
            f"empty 201 body, {mode}",
            (Reply(201, b"", headers=JSON),),
            APIResponseValidationError,
            NOT_JSON + "''",
            strict=mode == "strict",
            check=check_validation_error,
        )
        for mode in ("lenient", "strict")
    ],
    *[
        Fault(
            f"truncated JSON, {mode}",
            (Reply(201, json.dumps(SESSION_JSON).encode()[:60], headers=JSON),),
            APIResponseValidationError,
            NOT_JSON + r"""'\{"id": "3fa85f64-5717-4562-b3fc-2c963f66afa6", "successUrl":'""",
            strict=mode == "strict",
            check=check_validation_error,
        )
        for mode in ("lenient", "strict")
    ],
    # -- encodings, sizes, characters ------------------------------------------------------------------------
    Fault(
        "gzip-encoded JSON",
        (Reply(201, gzipped(SESSION_JSON), headers={**JSON, "Content-Encoding": "gzip"}),),
        check=check_parsed_session,
    ),
    *[
        Fault(
            f"10 MB body with an extra field, {mode}",
            (Reply(201, {**SESSION_JSON, "blob": "abc" + "x" * (BIG - 3)}),),
            timeout=5.0,
            strict=mode == "strict",
            check=check_big_body,
        )
        for mode in ("lenient", "strict")
    ],
    *[
        Fault(
            f"Unicode and emoji in every string, {form}, strict",
            (Reply(201, json.dumps(UNICODE_SESSION, ensure_ascii=form == "escaped").encode(), headers=JSON),),
            strict=True,
            body=UNICODE_REQUEST,
            check=check_unicode,
        )
        for form in ("raw UTF-8", "escaped")
    ],
    # -- the body does not match the spec (tests/models covers every shape; here end to end) ------------
    *[
        Fault(
            f"unknown enum value, {mode}",
            (Reply(201, {**SESSION_JSON, "status": "ARCHIVED"}),),
            strict=mode == "strict",
            check=check_unknown_enum,
        )
        for mode in ("lenient", "strict")
    ],
    Fault(
        "wrong type, lenient: kept, one warning",
        (Reply(201, WRONG_TYPE),),
        check=check_wrong_type_kept,
    ),
    Fault(
        "wrong type, strict",
        (Reply(201, WRONG_TYPE),),
        APIResponseValidationError,
        CREATE + r" returned 201 with a body that does not match the spec: .*WhatsAppLinkSession.*linkUrl.*",
        strict=True,
        check=check_wrong_type_error,
    ),
]

ERRORS = [fault for fault in FAULTS if fault.raises is not None]
assert len({fault.id for fault in FAULTS}) == len(FAULTS), "fault ids must be unique"
