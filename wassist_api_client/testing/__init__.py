"""A fake Wassist API for testing code that calls it: no network, no key, no Node.

    from wassist_api_client.testing import WassistFake

    fake = WassistFake()
    with fake.client() as client:
        session = create.sync(client=client, body=...)   # checked against the spec, answered from it

In pytest, the `wassist_fake` fixture gives a fresh fake per test. `python -m wassist_api_client.testing serve`
serves the same fake over HTTP on a loopback port. Needs the extra: `pip install "wassist-api-client[testing]"`.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._fake import Call, CannedResponseError, WassistFake
    from ._operations import UnknownOperationError

EXTRA_HINT = 'wassist_api_client.testing needs the [testing] extra: pip install "wassist-api-client[testing]"'

# Loaded on first use: the fake needs jsonschema (the [testing] extra), which importing this package does not.
_MODULE_OF = {
    "WassistFake": "._fake",
    "Call": "._fake",
    "CannedResponseError": "._fake",
    "UnknownOperationError": "._operations",
    "sign": "..webhooks",  # the webhook signer (wassist_api_client.webhooks), to fake deliveries too
}


def __getattr__(name: str) -> Any:
    module_name = _MODULE_OF.get(name)
    if module_name is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    try:
        module = import_module(module_name, __name__)
    except ModuleNotFoundError as error:
        if error.name in ("jsonschema", "referencing", "rpds"):
            raise ImportError(f"{EXTRA_HINT} (missing: {error.name})") from error
        raise
    value = getattr(module, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


__all__ = ["Call", "CannedResponseError", "UnknownOperationError", "WassistFake", "sign"]
