"""Receive Wassist webhooks with Starlette: verify, dedupe on the delivery id, answer at once, work in a thread.

    pip install starlette uvicorn
    WASSIST_WEBHOOK_SECRET=... python examples/webhook_receiver.py --port 8000   # POST /webhooks/wassist

Wassist wants a 2xx within 10 s and retries a failed delivery (same X-Wassist-Delivery) after 10, 30 and 90 s:
the request only verifies and queues, and one worker thread does the work, once per delivery id.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import queue
import threading
import time
from collections.abc import AsyncGenerator, Callable
from uuid import UUID

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from wassist_api_client.webhooks import WebhookEvent, WebhookVerificationError, verify

logger = logging.getLogger("webhook_receiver")
REMEMBER_SECONDS = 3600.0  # far longer than Wassist's retries take


class SeenDeliveries:
    """Delivery ids of the last hour, in memory: with several processes, use a shared store (Redis SET NX EX)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._seen: dict[UUID, float] = {}  # in arrival order, so the oldest come first

    def first_time(self, delivery_id: UUID) -> bool:
        now = self._clock()
        while self._seen and next(iter(self._seen.values())) < now - REMEMBER_SECONDS:
            del self._seen[next(iter(self._seen))]
        if delivery_id in self._seen:
            return False
        self._seen[delivery_id] = now
        return True


def create_app(handle: Callable[[WebhookEvent], None], secret: str | None = None) -> Starlette:
    """POST /webhooks/wassist verifies and queues each new delivery; a worker thread calls `handle` on it."""
    work: queue.Queue[WebhookEvent | None] = queue.Queue()
    seen = SeenDeliveries()  # touched only on the event loop: no lock needed

    def worker() -> None:
        while (event := work.get()) is not None:
            try:
                handle(event)
            except Exception:  # the delivery was answered already: log it, keep the worker alive
                logger.exception("delivery %s (%s) failed", event.delivery_id, event.type)

    async def receive(request: Request) -> Response:
        try:
            event = verify(await request.body(), request.headers, secret)  # secret: WASSIST_WEBHOOK_SECRET
        except WebhookVerificationError as error:
            logger.warning("rejected a delivery: %s", error)
            return Response(status_code=400 if error.reason in ("not_json", "invalid_payload") else 401)
        if seen.first_time(event.delivery_id):
            work.put(event)
        return Response(status_code=204)  # a retry of a delivery already queued gets a 2xx too

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncGenerator[None, None]:
        thread = threading.Thread(target=worker, name="wassist-webhooks", daemon=True)
        thread.start()
        yield
        work.put(None)  # on shutdown: finish what is queued, then stop
        await asyncio.to_thread(thread.join)

    return Starlette(routes=[Route("/webhooks/wassist", receive, methods=["POST"])], lifespan=lifespan)


def print_event(event: WebhookEvent) -> None:
    print(f"handled {event.type} {event.delivery_id}: {event.data}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO)
    uvicorn.run(create_app(print_event), host=args.host, port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
