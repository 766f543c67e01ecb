"""wassist_api_client.webhooks: each rule of verify() and sign(), against an HMAC computed here."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import subprocess
import sys
import uuid
from collections.abc import Iterator
from datetime import datetime, timezone
from typing import Any

import pytest
from starlette.datastructures import Headers as StarletteHeaders
from werkzeug.datastructures import EnvironHeaders

import wassist_api_client
from wassist_api_client import WassistError, WebhookVerificationError
from wassist_api_client.webhooks import WebhookEvent, sign, verify

SECRET = "whsec_test-Secret-4f1c9a"
OTHER_SECRET = "whsec_other-secret-77"
NOW = 1_767_225_600  # 2026-01-01T00:00:00Z
DELIVERY = "3f2b1c9e-8d4a-4e6f-9a1b-2c3d4e5f6a7b"
BODY = b'{"conversation": "c-1", "text": "hello \\u00e9"}'


def documented_hmac(secret: str, timestamp: str, body: bytes) -> str:
    """The documented formula, written out independently: HMAC-SHA256(secret, "<ts>.<raw body>"), hex."""
    return hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


def delivery(
    body: bytes = BODY,
    *,
    secret: str = SECRET,
    timestamp: int = NOW,
    event: str = "message.received",
    signature: str | None = None,
) -> dict[str, str]:
    """Headers of a delivery built by hand (not by sign()), so that verify() is tested on its own."""
    digest = documented_hmac(secret, str(timestamp), body)
    return {
        "X-Wassist-Event": event,
        "X-Wassist-Delivery": DELIVERY,
        "X-Wassist-Timestamp": str(timestamp),
        "X-Wassist-Signature": signature if signature is not None else f"t={timestamp},v1={digest}",
    }


def rejected(body: bytes, headers: Any, secret: Any = SECRET, **options: Any) -> WebhookVerificationError:
    with pytest.raises(WebhookVerificationError) as caught:
        verify(body, headers, secret, now=options.pop("now", NOW), **options)
    return caught.value


# --- accepted deliveries --------------------------------------------------------------------------------------------


def test_a_valid_delivery_is_verified_and_parsed() -> None:
    event = verify(BODY, delivery(), SECRET, now=NOW)
    assert isinstance(event, WebhookEvent)
    assert event.type == "message.received"
    assert event.delivery_id == uuid.UUID(DELIVERY)
    assert event.timestamp == datetime(2026, 1, 1, tzinfo=timezone.utc)
    assert event.timestamp.tzinfo is not None
    assert event.data == {"conversation": "c-1", "text": "hello é"}
    assert event.raw == BODY


@pytest.mark.parametrize("case", [str.lower, str.upper, lambda name: name])
def test_header_names_are_case_insensitive_in_a_plain_dict(case: Any) -> None:
    headers = {case(name): value for name, value in delivery().items()}
    assert verify(BODY, headers, SECRET, now=NOW).type == "message.received"


def test_starlette_headers_are_accepted() -> None:
    raw = [(name.lower().encode(), value.encode()) for name, value in delivery().items()]
    assert verify(BODY, StarletteHeaders(raw=raw), SECRET, now=NOW).delivery_id == uuid.UUID(DELIVERY)


def test_werkzeug_environ_headers_are_accepted() -> None:
    environ = {"HTTP_" + name.upper().replace("-", "_"): value for name, value in delivery().items()}
    environ["CONTENT_TYPE"] = "application/json"
    assert verify(BODY, EnvironHeaders(environ), SECRET, now=NOW).type == "message.received"


def test_the_secret_defaults_to_the_environment_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WASSIST_WEBHOOK_SECRET", SECRET)
    assert verify(BODY, delivery(), now=NOW).type == "message.received"
    monkeypatch.setenv("WASSIST_WEBHOOK_SECRET", OTHER_SECRET)
    assert rejected(BODY, delivery(), secret=None).reason == "bad_signature"


def test_a_missing_secret_is_a_setup_error_not_a_rejected_delivery(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WASSIST_WEBHOOK_SECRET", raising=False)
    with pytest.raises(WassistError, match="WASSIST_WEBHOOK_SECRET") as caught:
        verify(BODY, delivery(), now=NOW)
    assert not isinstance(caught.value, WebhookVerificationError)


@pytest.mark.parametrize("secrets", [[OTHER_SECRET, SECRET], (SECRET, OTHER_SECRET)])
def test_any_of_several_secrets_may_match(secrets: Any) -> None:
    assert verify(BODY, delivery(), secrets, now=NOW).type == "message.received"
    assert rejected(BODY, delivery(), secret=[OTHER_SECRET, "third"]).reason == "bad_signature"


def test_one_matching_v1_among_several_is_enough_and_unknown_schemes_are_ignored() -> None:
    good = documented_hmac(SECRET, str(NOW), BODY)
    wrong = documented_hmac(OTHER_SECRET, str(NOW), BODY)
    header = f"t={NOW}, v0=deadbeef, v1={wrong}, v2=whatever,v1={good.upper()}"
    assert verify(BODY, delivery(signature=header), SECRET, now=NOW).type == "message.received"
    assert rejected(BODY, delivery(signature=f"t={NOW},v0={good},v1={wrong}")).reason == "bad_signature"


@pytest.mark.parametrize("age", [-300, 0, 300])
def test_timestamps_within_the_tolerance_are_accepted(age: int) -> None:
    assert verify(BODY, delivery(), SECRET, now=NOW + age).type == "message.received"


def test_the_tolerance_is_configurable() -> None:
    assert verify(BODY, delivery(), SECRET, now=NOW + 3600, tolerance=3600).type == "message.received"
    assert rejected(BODY, delivery(), now=NOW + 61, tolerance=60).reason == "expired"


def test_bytearray_and_memoryview_bodies_are_raw_bytes_too() -> None:
    assert verify(bytearray(BODY), delivery(), SECRET, now=NOW).raw == BODY
    assert verify(memoryview(BODY), delivery(), SECRET, now=NOW).raw == BODY


# --- rejected deliveries --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "missing", ["X-Wassist-Event", "X-Wassist-Delivery", "X-Wassist-Timestamp", "X-Wassist-Signature"]
)
def test_each_header_is_required(missing: str) -> None:
    headers = delivery()
    del headers[missing]
    error = rejected(BODY, headers)
    assert error.reason == "missing_header"
    assert missing in str(error)


@pytest.mark.parametrize(
    "signature",
    [
        "",
        "garbage",
        f"v1={'a' * 64}",  # no t=
        f"t=,v1={'a' * 64}",
        f"t=-5,v1={'a' * 64}",
        f"t=\uff11\uff12\uff13,v1={'a' * 64}",  # full-width digits are not unix seconds
        f"t={NOW},t={NOW},v1={'a' * 64}",
        f"t={NOW}",  # no v1=
        f"t={NOW},v1=not-hex",
        f"t={NOW},v1={'a' * 63}",
        f"t={NOW},=x,v1={'a' * 64}",
    ],
)
def test_a_malformed_signature_header_is_rejected(signature: str) -> None:
    headers = delivery(signature=signature)
    headers["X-Wassist-Timestamp"] = str(NOW)
    assert rejected(BODY, headers).reason in {"malformed_header", "timestamp_mismatch"}
    if signature.startswith(f"t={NOW},") or signature == f"t={NOW}":
        assert rejected(BODY, headers).reason == "malformed_header"


def test_a_timestamp_header_that_differs_from_the_signed_one_is_rejected() -> None:
    headers = delivery()
    headers["X-Wassist-Timestamp"] = str(NOW + 1)
    assert rejected(BODY, headers, now=NOW).reason == "timestamp_mismatch"


def test_a_tampered_body_or_another_secret_is_a_bad_signature() -> None:
    assert rejected(BODY + b" ", delivery()).reason == "bad_signature"
    assert rejected(BODY, delivery(secret=OTHER_SECRET)).reason == "bad_signature"
    # The signature binds the timestamp: moving t= (and the header with it) breaks it.
    digest = documented_hmac(SECRET, str(NOW), BODY)
    moved = delivery(timestamp=NOW + 10, signature=f"t={NOW + 10},v1={digest}")
    assert rejected(BODY, moved, now=NOW + 10).reason == "bad_signature"


def test_a_delivery_older_than_the_tolerance_is_expired() -> None:
    error = rejected(BODY, delivery(), now=NOW + 301)
    assert error.reason == "expired"
    assert "301 s ago" in str(error)


def test_a_delivery_from_the_future_is_rejected() -> None:
    assert rejected(BODY, delivery(), now=NOW - 301).reason == "not_yet_valid"


def test_a_body_that_is_not_json_is_rejected_after_its_signature_checks_out() -> None:
    body = b"<html>proxy error</html>"
    error = rejected(body, delivery(body))
    assert error.reason == "not_json"
    assert "proxy error" in str(error)
    assert rejected(b"\xff\xfe\x00", delivery(b"\xff\xfe\x00")).reason == "not_json"
    deep = b"[" * 100_000 + b"]" * 100_000
    assert rejected(deep, delivery(deep)).reason == "not_json"


@pytest.mark.parametrize(("name", "value"), [("X-Wassist-Delivery", "not-a-uuid"), ("X-Wassist-Event", "  ")])
def test_a_malformed_event_or_delivery_header_is_rejected(name: str, value: str) -> None:
    headers = delivery()
    headers[name] = value
    assert rejected(BODY, headers).reason == "malformed_header"


def test_a_header_repeated_with_another_value_is_rejected() -> None:
    headers = delivery()
    headers["x-wassist-event"] = "agent.deleted"  # beside X-Wassist-Event
    assert rejected(BODY, headers).reason == "malformed_header"
    headers["x-wassist-event"] = "message.received"  # the same value twice is no ambiguity
    assert verify(BODY, headers, SECRET, now=NOW).type == "message.received"


def test_a_non_text_header_value_is_rejected() -> None:
    headers: dict[str, Any] = delivery()
    headers["X-Wassist-Delivery"] = DELIVERY.encode()
    assert rejected(BODY, headers).reason == "malformed_header"


# --- wrong arguments: typed errors that say what to do ------------------------------------------------------------


@pytest.mark.parametrize("payload", [BODY.decode(), json.loads(BODY)])
def test_a_str_or_dict_payload_asks_for_the_raw_body(payload: Any) -> None:
    with pytest.raises(TypeError, match="raw request body") as caught:
        verify(payload, delivery(), SECRET, now=NOW)
    assert "bytes" in str(caught.value)
    with pytest.raises(TypeError, match="raw request body"):
        sign(payload, secret=SECRET, event="message.received")


@pytest.mark.parametrize("secret", ["", [], [""], [SECRET, 3], b"bytes-secret"])
def test_an_unusable_secret_is_a_type_error(secret: Any) -> None:
    with pytest.raises(TypeError):
        verify(BODY, delivery(), secret, now=NOW)


@pytest.mark.parametrize("tolerance", [-1, float("nan"), float("inf")])
def test_an_unusable_tolerance_is_a_value_error(tolerance: float) -> None:
    with pytest.raises(ValueError, match="tolerance"):
        verify(BODY, delivery(), SECRET, tolerance=tolerance, now=NOW)


def test_headers_must_be_a_mapping() -> None:
    with pytest.raises(TypeError, match="mapping"):
        verify(BODY, list(delivery().items()), SECRET, now=NOW)  # type: ignore[arg-type]


# --- sign() ---------------------------------------------------------------------------------------------------------


def test_sign_produces_the_documented_signature_and_verify_accepts_it() -> None:
    headers = sign(BODY, secret=SECRET, event="agent.updated", delivery_id=DELIVERY, timestamp=NOW)
    assert headers == {
        "X-Wassist-Event": "agent.updated",
        "X-Wassist-Delivery": DELIVERY,
        "X-Wassist-Timestamp": str(NOW),
        "X-Wassist-Signature": f"t={NOW},v1={documented_hmac(SECRET, str(NOW), BODY)}",
    }
    assert verify(BODY, headers, SECRET, now=NOW).type == "agent.updated"


def test_sign_defaults_to_a_fresh_delivery_id_and_now() -> None:
    first, second = (sign(BODY, secret=SECRET, event="e") for _ in range(2))
    assert first["X-Wassist-Delivery"] != second["X-Wassist-Delivery"]
    event = verify(BODY, first, SECRET)  # the clock: signed just now
    assert event.delivery_id == uuid.UUID(first["X-Wassist-Delivery"])


@pytest.mark.parametrize(
    "options",
    [
        {"event": ""},
        {"event": " x"},
        {"delivery_id": "nope"},
        {"timestamp": -1},
        {"timestamp": 1.5},
        {"timestamp": True},
    ],
)
def test_sign_refuses_what_verify_would_reject(options: dict[str, Any]) -> None:
    arguments: dict[str, Any] = {"secret": SECRET, "event": "message.received", **options}
    with pytest.raises(ValueError):
        sign(BODY, **arguments)


# --- the secret stays secret ----------------------------------------------------------------------------------------


def exception_chain(error: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    pending: list[BaseException | None] = [error]
    while pending:
        current = pending.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        pending += [current.__cause__, current.__context__]


def failures(secret: str) -> Iterator[BaseException]:
    """Every way verify() and sign() can fail with `secret` in hand."""
    cases: list[tuple[bytes, Any, Any]] = [
        (BODY, delivery(secret=OTHER_SECRET), secret),
        (BODY, delivery(secret=secret), [secret, "\ud800"]),  # a secret that cannot be encoded
        (BODY, delivery(secret=secret), "\ud800" + secret),
        (b"not json", delivery(b"not json", secret=secret), secret),
        (BODY, {}, secret),
        (BODY, delivery(secret=secret, signature="t=1"), secret),
        (BODY.decode(), delivery(secret=secret), secret),  # type: ignore[list-item]
        (BODY, delivery(secret=secret), [secret, None]),
    ]
    for body, headers, secrets in cases:
        try:
            verify(body, headers, secrets, now=NOW)
        except Exception as error:
            yield error
        else:
            raise AssertionError("expected a failure")
    for timestamp in (-1, NOW):
        try:
            sign(BODY if timestamp < 0 else "text", secret=secret, event="e", timestamp=timestamp)  # type: ignore[arg-type]
        except Exception as error:
            yield error


def test_the_secret_is_in_no_message_repr_chain_or_log_record(caplog: pytest.LogCaptureFixture) -> None:
    secret = "whsec_do-not-leak-0123456789"
    caplog.set_level(logging.DEBUG)
    errors = list(failures(secret))
    assert len(errors) == 10
    for error in errors:
        for link in exception_chain(error):
            text = " ".join([str(link), repr(link), repr(link.args), repr(vars(link))])
            assert secret not in text
            assert "do-not-leak" not in text
    for record in caplog.records:
        assert "do-not-leak" not in record.getMessage() + repr(record.args)


def test_verification_errors_say_why_in_reason_str_and_repr() -> None:
    error = rejected(BODY, delivery(secret=OTHER_SECRET))
    assert isinstance(error, WassistError)
    assert error.reason == "bad_signature"
    assert "signature" in str(error)
    assert repr(error).startswith("WebhookVerificationError(reason='bad_signature'")


# --- packaging --------------------------------------------------------------------------------------------------------


def test_the_error_class_is_exported_from_the_package() -> None:
    assert wassist_api_client.WebhookVerificationError is WebhookVerificationError
    assert "WebhookVerificationError" in wassist_api_client.__all__


def test_importing_the_package_does_not_import_the_webhooks_module() -> None:
    code = "import sys, wassist_api_client; print('wassist_api_client.webhooks' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
    code = "import sys, wassist_api_client.webhooks; print([m for m in ('httpx2', 'attrs') if m in sys.modules])"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_signatures_are_compared_in_constant_time_by_hmac_compare_digest(monkeypatch: pytest.MonkeyPatch) -> None:
    compared: list[tuple[Any, Any]] = []

    def never_equal(a: Any, b: Any) -> bool:
        compared.append((a, b))
        return False

    monkeypatch.setattr(hmac, "compare_digest", never_equal)
    wrong = documented_hmac(OTHER_SECRET, str(NOW), BODY)
    error = rejected(BODY, delivery(signature=f"t={NOW},v1={wrong},v1={'0' * 64}"), secret=[SECRET, OTHER_SECRET])
    assert error.reason == "bad_signature"  # even the right digest does not match when compare_digest says no
    assert len(compared) == 4  # every secret against every v1= value
    assert (documented_hmac(OTHER_SECRET, str(NOW), BODY), wrong) in compared
