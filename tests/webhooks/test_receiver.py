"""examples/webhook_receiver.py as a real uvicorn server on a loopback port, fed signed deliveries over httpx2."""

from __future__ import annotations

import importlib.util
import json
import threading
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType

import httpx2
import pytest
import uvicorn

from wassist_api_client.webhooks import WebhookEvent, sign

ROOT = Path(__file__).resolve().parents[2]
SECRET = "whsec_receiver-test"
WAIT = 10.0  # generous bounds for a shared machine; nothing here asserts on how long things take


def load_example() -> ModuleType:
    spec = importlib.util.spec_from_file_location("webhook_receiver", ROOT / "examples" / "webhook_receiver.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class BlockingWork:
    """The handed-off work: it records that it started, then waits until the test releases it."""

    def __init__(self) -> None:
        self.started = threading.Event()
        self.release = threading.Event()
        self.done: list[tuple[str, uuid.UUID]] = []

    def __call__(self, event: WebhookEvent) -> None:
        self.started.set()
        assert self.release.wait(WAIT), "the test never released the work"
        self.done.append((event.type, event.delivery_id))


@pytest.fixture
def work() -> BlockingWork:
    return BlockingWork()


@pytest.fixture
def receiver(work: BlockingWork) -> Iterator[tuple[str, Callable[[], None]]]:
    """The example app under uvicorn in a thread, on a port the OS picked; yields its URL and a stop()."""
    app = load_example().create_app(work, secret=SECRET)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, name="uvicorn", daemon=True)
    thread.start()

    def stop() -> None:
        work.release.set()  # never leave the worker (and so the shutdown) blocked
        server.should_exit = True
        thread.join(WAIT)
        assert not thread.is_alive(), "the server did not stop"

    try:
        for _ in range(int(WAIT * 100)):
            if server.started:
                break
            threading.Event().wait(0.01)
        assert server.started, "uvicorn did not start"
        port = server.servers[0].sockets[0].getsockname()[1]
        yield f"http://127.0.0.1:{port}/webhooks/wassist", stop
    finally:
        if thread.is_alive():
            stop()


def post(client: httpx2.Client, url: str, body: bytes, headers: dict[str, str]) -> httpx2.Response:
    return client.post(url, content=body, headers={**headers, "Content-Type": "application/json"})


def test_the_receiver_answers_at_once_hands_off_dedupes_and_rejects(
    receiver: tuple[str, Callable[[], None]], work: BlockingWork
) -> None:
    url, stop = receiver
    body = json.dumps({"conversation": "c-1", "text": "hello"}).encode()
    delivery_id = str(uuid.uuid4())
    with httpx2.Client(timeout=WAIT) as client:
        first = post(client, url, body, sign(body, secret=SECRET, event="message.received", delivery_id=delivery_id))
        # The answer came while the work is still blocked: it was handed off, not done in the request.
        assert first.status_code == 204
        assert work.started.wait(WAIT), "the work never started"
        assert work.done == []

        # Wassist's retry of the same delivery: signed afresh, same delivery id -> 2xx, and no second run.
        retry_headers = sign(body, secret=SECRET, event="message.received", delivery_id=delivery_id)
        assert 200 <= post(client, url, body, retry_headers).status_code < 300

        forged = sign(body, secret="not-the-secret", event="message.received")
        assert post(client, url, body, forged).status_code == 401
        tampered = sign(body, secret=SECRET, event="message.received")
        assert post(client, url, body + b" ", tampered).status_code == 401
        assert post(client, url, body, {}).status_code == 401

        other_body = b'{"agent": "a-1"}'
        other_id = str(uuid.uuid4())
        other = post(
            client, url, other_body, sign(other_body, secret=SECRET, event="agent.updated", delivery_id=other_id)
        )
        assert other.status_code == 204
        assert work.done == []

    work.release.set()
    stop()  # shutdown drains the queue before the worker stops
    assert work.done == [("message.received", uuid.UUID(delivery_id)), ("agent.updated", uuid.UUID(other_id))]


def test_the_dedupe_window_forgets_old_deliveries() -> None:
    example = load_example()
    clock = [1000.0]
    seen = example.SeenDeliveries(clock=lambda: clock[0])
    first, second = uuid.uuid4(), uuid.uuid4()
    assert seen.first_time(first) and seen.first_time(second)
    assert not seen.first_time(first)
    clock[0] += example.REMEMBER_SECONDS + 1
    assert seen.first_time(first)  # an hour later it is new again, and the memory stays bounded
    assert seen._seen.keys() == {first}
