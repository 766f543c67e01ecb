"""Verify and parse Wassist webhook deliveries.

    from wassist_api_client.webhooks import WebhookVerificationError, verify

    event = verify(await request.body(), request.headers)  # the secret from WASSIST_WEBHOOK_SECRET
    event.type, event.delivery_id, event.timestamp, event.data

A delivery is a POST with `X-Wassist-Event` (the event name), `X-Wassist-Delivery` (a UUID, the same for
every retry: dedupe on it), `X-Wassist-Timestamp` (unix seconds) and `X-Wassist-Signature: t=<ts>,v1=<hex>`,
the hex being HMAC-SHA256 with the webhook's secret over `"<ts>.<raw body>"`. `verify` checks all of it
and decodes the JSON; for an event the spec describes, `data` is its generated model (see
`webhook_events.py`), for any other event the plain decoded JSON.

Note that the signature covers the timestamp and the body, not the event name nor the delivery id.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import math
import os
import re
import time
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from importlib import import_module
from typing import Any

from ._exceptions import ModelValidationError, WassistError, WebhookVerificationError

__all__ = ["SECRET_ENV", "WebhookEvent", "WebhookVerificationError", "sign", "verify"]

SECRET_ENV = "WASSIST_WEBHOOK_SECRET"
EVENT_HEADER = "X-Wassist-Event"
DELIVERY_HEADER = "X-Wassist-Delivery"
TIMESTAMP_HEADER = "X-Wassist-Timestamp"
SIGNATURE_HEADER = "X-Wassist-Signature"
_WANTED = {name.lower(): name for name in (EVENT_HEADER, DELIVERY_HEADER, TIMESTAMP_HEADER, SIGNATURE_HEADER)}
_SCHEME = "v1"
_TIMESTAMP = re.compile(r"[0-9]{1,12}")  # unix seconds, ASCII digits only (up to year 33658)
_HEX_SIGNATURE = re.compile(r"[0-9a-fA-F]{64}")
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_RAW_BODY_HINT = (
    "pass the raw request body as bytes, exactly as received (Starlette/FastAPI: `await request.body()`, "
    "Flask: `request.get_data()`, Django: `request.body`): decoded or re-serialised JSON does not have the "
    "bytes that were signed"
)

logger = logging.getLogger("wassist_api_client")


@dataclass(frozen=True)
class WebhookEvent:
    """One verified delivery."""

    type: str  # the event name (X-Wassist-Event)
    delivery_id: uuid.UUID  # X-Wassist-Delivery: stable across retries, the key to dedupe on
    timestamp: datetime  # when it was signed (aware, UTC)
    data: Any  # the event's model for an event the spec describes, else the decoded JSON
    raw: bytes = field(repr=False)  # the body as received


def sign(
    payload: bytes,
    *,
    secret: str,
    event: str,
    delivery_id: str | None = None,
    timestamp: int | None = None,
) -> dict[str, str]:
    """The four headers of a delivery of `payload` that `verify` accepts (for tests of receivers).

    `delivery_id` defaults to a new UUID, `timestamp` to now (unix seconds).
    """
    body = _payload_bytes(payload)
    key = _secret_keys(secret)[0]
    if not isinstance(event, str) or not event.strip() or event != event.strip():
        raise ValueError("event must be a non-empty event name without surrounding whitespace")
    delivery = str(uuid.uuid4()) if delivery_id is None else delivery_id
    if not isinstance(delivery, str) or not _UUID.fullmatch(delivery):
        raise ValueError("delivery_id must be a UUID string such as 3f2b1c9e-8d4a-4e6f-9a1b-2c3d4e5f6a7b")
    when = int(time.time()) if timestamp is None else timestamp
    if not isinstance(when, int) or isinstance(when, bool) or not _TIMESTAMP.fullmatch(str(when)):
        raise ValueError("timestamp must be unix seconds, an int between 0 and 999999999999")
    signed_at = str(when)
    return {
        EVENT_HEADER: event,
        DELIVERY_HEADER: delivery,
        TIMESTAMP_HEADER: signed_at,
        SIGNATURE_HEADER: f"t={signed_at},{_SCHEME}={_digest(key, signed_at, body)}",
    }


def verify(
    payload: bytes,
    headers: Mapping[str, str],
    secret: str | Sequence[str] | None = None,
    *,
    tolerance: float = 300,
    now: float | None = None,
    strict: bool = False,
) -> WebhookEvent:
    """Check a delivery's signature and age, and parse it; raise `WebhookVerificationError` if it fails.

    `payload` is the raw request body; `headers` any mapping of the request's headers (names in any case:
    a dict, Starlette's `Headers`, Werkzeug's `EnvironHeaders`). `secret` is the webhook's secret, or several
    (during a rotation: one matching is enough); by default `WASSIST_WEBHOOK_SECRET`. A timestamp more than
    `tolerance` seconds before or after `now` (default: the clock) is rejected. A payload that does not fit
    its event's model is kept as received with a WARNING, or rejected with `strict=True`.
    """
    body = _payload_bytes(payload)
    keys = _secret_keys(os.environ.get(SECRET_ENV) if secret is None else secret)
    if not isinstance(tolerance, (int, float)) or isinstance(tolerance, bool) or not 0 <= tolerance < math.inf:
        raise ValueError("tolerance must be a finite number of seconds, 0 or more")
    if now is not None and (not isinstance(now, (int, float)) or isinstance(now, bool) or not math.isfinite(now)):
        raise ValueError("now must be unix seconds, a finite number")
    found = _find_headers(headers)
    signed_at, candidates = _parse_signature(found[SIGNATURE_HEADER])
    if found[TIMESTAMP_HEADER].strip() != signed_at:
        raise WebhookVerificationError(
            "timestamp_mismatch", f"{TIMESTAMP_HEADER} differs from the t= of {SIGNATURE_HEADER}"
        )
    if not any(hmac.compare_digest(_digest(key, signed_at, body), c) for key in keys for c in candidates):
        raise WebhookVerificationError(
            "bad_signature", f"no {_SCHEME}= signature of {SIGNATURE_HEADER} matches the payload and the secret"
        )
    age = (time.time() if now is None else now) - int(signed_at)
    if age > tolerance:
        raise WebhookVerificationError("expired", f"the delivery was signed {age:.0f} s ago (tolerance {tolerance} s)")
    if -age > tolerance:
        raise WebhookVerificationError(
            "not_yet_valid", f"the delivery is signed {-age:.0f} s in the future (tolerance {tolerance} s)"
        )
    event_type, delivery_id = _event_type(found[EVENT_HEADER]), _delivery_id(found[DELIVERY_HEADER])
    data = _typed(event_type, _decode(body), strict)
    timestamp = datetime.fromtimestamp(int(signed_at), tz=timezone.utc)
    return WebhookEvent(type=event_type, delivery_id=delivery_id, timestamp=timestamp, data=data, raw=body)


# --- arguments --------------------------------------------------------------------------------------------------


def _payload_bytes(payload: object) -> bytes:
    if isinstance(payload, (bytes, bytearray, memoryview)):
        return bytes(payload)
    if isinstance(payload, str):
        raise TypeError(f"payload is a str: {_RAW_BODY_HINT}")
    if isinstance(payload, Mapping):
        raise TypeError(f"payload is already-parsed JSON ({type(payload).__name__}): {_RAW_BODY_HINT}")
    raise TypeError(f"payload is a {type(payload).__name__}: {_RAW_BODY_HINT}")


def _secret_keys(secret: object) -> list[bytes]:
    """The HMAC keys of one secret or several. Errors name the secret's position, never its text, and are
    raised outside any `except` block so that no exception holding the text is chained to them."""
    if secret is None:
        # A setup problem, not a bad delivery: deliberately not a WebhookVerificationError (no silent 401s).
        raise WassistError(f"No webhook secret: pass secret=... or set the {SECRET_ENV} environment variable.")
    secrets = [secret] if isinstance(secret, str) else secret
    if not isinstance(secrets, Sequence) or isinstance(secrets, (bytes, bytearray)) or not secrets:
        raise TypeError("secret must be a str or a non-empty sequence of str")
    keys: list[bytes] = []
    for position, each in enumerate(secrets):
        if not isinstance(each, str) or not each:
            raise TypeError(f"secret #{position} must be a non-empty str")
        key = _utf8(each)
        if key is None:
            raise ValueError(f"secret #{position} is not valid text (it holds a lone surrogate)")
        keys.append(key)
    return keys


def _utf8(text: str) -> bytes | None:
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:  # its `.object` is the whole text: it must not become anyone's __context__
        return None


# --- headers ----------------------------------------------------------------------------------------------------


def _find_headers(headers: object) -> dict[str, str]:
    """The four headers, found case-insensitively through `items()` (a Werkzeug `Headers` iterates pairs,
    not names; a Starlette `Headers` lists repeated headers, which must then agree)."""
    items = getattr(headers, "items", None)
    if not callable(items):
        raise TypeError(f"headers must be a mapping of header names to values, not {type(headers).__name__}")
    found: dict[str, str] = {}
    for name, value in items():
        wanted = _WANTED.get(name.lower()) if isinstance(name, str) else None
        if wanted is None:
            continue
        if not isinstance(value, str):
            raise WebhookVerificationError("malformed_header", f"{wanted} is a {type(value).__name__}, not text")
        if found.setdefault(wanted, value) != value:
            raise WebhookVerificationError("malformed_header", f"{wanted} appears more than once, with other values")
    missing = [name for name in _WANTED.values() if name not in found]
    if missing:
        raise WebhookVerificationError("missing_header", f"missing header(s): {', '.join(missing)}")
    return found


def _parse_signature(header: str) -> tuple[str, list[str]]:
    """`t=<ts>,v1=<hex>[,v1=<hex>...]` -> (ts, the v1 values in lower case); other schemes are ignored."""
    signed_at: list[str] = []
    candidates: list[str] = []
    for part in header.split(","):
        part = part.strip()
        if not part:
            continue
        scheme, equals, value = part.partition("=")
        scheme, value = scheme.strip(), value.strip()
        if not equals or not scheme:
            raise WebhookVerificationError("malformed_header", f"{SIGNATURE_HEADER} has a part that is not key=value")
        if scheme == "t":
            signed_at.append(value)
        elif scheme == _SCHEME and _HEX_SIGNATURE.fullmatch(value):
            candidates.append(value.lower())
    if len(signed_at) != 1 or not _TIMESTAMP.fullmatch(signed_at[0]):
        raise WebhookVerificationError("malformed_header", f"{SIGNATURE_HEADER} needs exactly one t=<unix seconds>")
    if not candidates:
        raise WebhookVerificationError(
            "malformed_header", f"{SIGNATURE_HEADER} has no {_SCHEME}=<64 hex digits> signature"
        )
    return signed_at[0], candidates


def _event_type(header: str) -> str:
    name = header.strip()
    if not name:
        raise WebhookVerificationError("malformed_header", f"{EVENT_HEADER} is empty")
    return name


def _delivery_id(header: str) -> uuid.UUID:
    text = header.strip()
    if not _UUID.fullmatch(text):
        raise WebhookVerificationError("malformed_header", f"{DELIVERY_HEADER} is not a UUID")
    return uuid.UUID(text)


def _digest(key: bytes, signed_at: str, body: bytes) -> str:
    return hmac.new(key, signed_at.encode("ascii") + b"." + body, hashlib.sha256).hexdigest()


# --- the body ---------------------------------------------------------------------------------------------------


def _decode(body: bytes) -> Any:
    try:
        return json.loads(body)
    except (ValueError, RecursionError):  # JSONDecodeError, UnicodeDecodeError, too many digits, too deep
        pass
    preview = body[:80].decode("utf-8", errors="replace")
    raise WebhookVerificationError("not_json", f"the payload is not JSON: {preview!r}")


def _typed(event_type: str, data: Any, strict: bool) -> Any:
    """The event's generated model for an event the spec describes, else `data` as it is."""
    events = import_module(".webhook_events", __package__)
    class_name: str | None = events.EVENT_MODELS.get(event_type)
    if class_name is None:
        return data
    from . import _issues, _response_body

    model = getattr(import_module(".models", __package__), class_name)
    failure: ModelValidationError | None = None
    with _issues.collect_issues() as issues:
        try:
            parsed = model.from_dict(data)
        except ModelValidationError as error:  # not a JSON object: there is nothing to keep
            failure = error
    if failure is not None or (issues and strict):
        found = failure.issues if failure is not None else issues
        shown = "; ".join(str(issue) for issue in found[:10])
        raise WebhookVerificationError(
            "invalid_payload", f"the {event_type} payload does not match the spec: {shown}", issues=found
        )
    for issue in issues[: _response_body.MAX_WARNINGS_PER_BODY]:
        logger.warning("webhook %s: payload does not match the spec, kept as received: %s", event_type, issue)
    if len(issues) > _response_body.MAX_WARNINGS_PER_BODY:
        more = len(issues) - _response_body.MAX_WARNINGS_PER_BODY
        logger.warning("webhook %s: %d more mismatches in the same payload, kept as received", event_type, more)
    return parsed
