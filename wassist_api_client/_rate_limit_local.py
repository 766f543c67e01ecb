"""A RateLimit budget kept in this process: pyrate-limiter's in-memory sliding-window log."""

from __future__ import annotations

import bisect
import threading
import time
from concurrent.futures import Executor
from operator import attrgetter

from pyrate_limiter import InMemoryBucket, Rate, RateItem

__all__ = ["LocalStore"]

_timestamp = attrgetter("timestamp")


class LocalStore:
    """One lock guards the log and the pause, so that no slot is given while a pause is set."""

    executor: Executor | None = None  # every operation is a few list operations under a lock

    def __init__(self, requests: int, interval_ms: int) -> None:
        self._bucket = InMemoryBucket([Rate(requests, interval_ms)])
        self._requests = requests
        self._lock = threading.Lock()
        self._paused_until = 0.0  # time.monotonic()

    def take(self) -> tuple[object | None, float]:
        with self._lock:
            now = time.monotonic()
            if now < self._paused_until:
                return None, self._paused_until - now
            now_ms = _ms(now)
            item = RateItem("slot", now_ms)
            if self._bucket.put(item):
                if len(self._bucket.items) > 2 * self._requests:  # drop what no window counts any more
                    self._bucket.leak(now_ms)
                return item, 0.0
            # The bucket keeps why it refused (the entry whose expiry makes room): read it under the lock.
            wait_ms = self._bucket.waiting(item)
            assert isinstance(wait_ms, int)
            return None, max(wait_ms, 1) / 1000

    def restamp(self, slot: object) -> None:
        assert isinstance(slot, RateItem)
        with self._lock:
            items = self._bucket.items  # sorted by timestamp; the bucket bisects it
            for index in range(len(items) - 1, -1, -1):  # the newest first: that is where it usually is
                if items[index] is slot:
                    del items[index]
                    break
            else:
                return  # already leaked
            slot.timestamp = max(slot.timestamp, _ms(time.monotonic()))
            bisect.insort(items, slot, key=_timestamp)

    def pause(self, seconds: float) -> None:
        with self._lock:
            self._paused_until = max(self._paused_until, time.monotonic() + seconds)


def _ms(seconds: float) -> int:
    return int(seconds * 1000)
