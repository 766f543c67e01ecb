"""The webhook events the spec describes (`make generate` writes this file from its `webhooks`).

`EVENT_MODELS` maps an event name to the class in `models` that `webhooks.verify` parses its payload
into; an event not in it (a payload that is not an object, or an event newer than the spec) is plain JSON.
"""

EVENTS: tuple[str, ...] = ()

EVENT_MODELS: dict[str, str] = {}
