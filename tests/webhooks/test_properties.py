"""Property: whatever bytes and str -> str headers arrive, verify() fails only with WebhookVerificationError."""

from __future__ import annotations

import hashlib
import hmac

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wassist_api_client import WebhookVerificationError
from wassist_api_client.webhooks import WebhookEvent, verify

SECRET = "whsec_property-secret"
NOW = 1_767_225_600
NAMES = ["X-Wassist-Event", "X-Wassist-Delivery", "X-Wassist-Timestamp", "X-Wassist-Signature"]
SETTINGS = settings(max_examples=250, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Header names: mostly the four that matter (in any case), sometimes anything.
header_names = st.one_of(
    st.sampled_from(NAMES).flatmap(lambda name: st.sampled_from([name, name.lower(), name.upper()])),
    st.text(max_size=20),
)
# Values: arbitrary text, and pieces that get past the first checks (numbers, UUIDs, signature-like lists).
HEXISH = st.one_of(st.text("0123456789abcdefABCDEF", min_size=60, max_size=66), st.text())
signature_parts = st.lists(
    st.one_of(
        st.builds(lambda t: f"t={t}", st.one_of(st.integers(-10, 10**13), st.just(NOW), st.text(max_size=5))),
        st.builds(
            lambda v: f"v1={v}", st.one_of(st.text("0123456789abcdefABCDEF", min_size=60, max_size=66), st.text())
        ),
        st.text(max_size=10),
    ),
    max_size=5,
).map(",".join)
header_values = st.one_of(
    st.text(),
    signature_parts,
    st.integers(-(10**14), 10**14).map(str),
    st.uuids().map(str),
)
header_maps = st.dictionaries(header_names, header_values, max_size=8)


@SETTINGS
@given(payload=st.binary(max_size=300), headers=header_maps, now=st.floats(0, 2e12))
def test_arbitrary_input_raises_only_webhook_verification_error(
    payload: bytes, headers: dict[str, str], now: float
) -> None:
    try:
        event = verify(payload, headers, SECRET, now=now)
    except WebhookVerificationError as error:
        assert error.reason in {
            "missing_header",
            "malformed_header",
            "timestamp_mismatch",
            "bad_signature",
            "expired",
            "not_yet_valid",
            "not_json",
        }
    else:  # only possible by chance, with a correct signature (never drawn in practice)
        assert isinstance(event, WebhookEvent)


@SETTINGS
@given(
    payload=st.binary(max_size=300),
    timestamp=st.integers(0, 10**12 - 1),
    extra=st.dictionaries(st.text(max_size=10), st.text(max_size=10), max_size=3),
    event=st.text(min_size=1, max_size=20),
    delivery=st.one_of(st.uuids().map(str), st.text(max_size=40)),
)
def test_correctly_signed_arbitrary_input_is_accepted_or_rejected_with_a_reason(
    payload: bytes, timestamp: int, extra: dict[str, str], event: str, delivery: str
) -> None:
    """The deeper checks (event, delivery id, JSON) on arbitrary data: signed with the documented formula."""
    digest = hmac.new(SECRET.encode(), f"{timestamp}.".encode() + payload, hashlib.sha256).hexdigest()
    headers = {
        **extra,
        "x-wassist-event": event,
        "x-wassist-delivery": delivery,
        "x-wassist-timestamp": str(timestamp),
        "x-wassist-signature": f"t={timestamp},v1={digest}",
    }
    try:
        verified = verify(payload, headers, SECRET, now=timestamp)
    except WebhookVerificationError as error:
        assert error.reason in {"malformed_header", "not_json"}
    else:
        assert verified.raw == payload
        assert verified.type == event.strip()
