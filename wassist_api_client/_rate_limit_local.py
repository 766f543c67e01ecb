"""A RateLimit budget kept in this process: pyrate-limiter's in-memory sliding-window log."""

from __future__ import annotations

import threading
import time
from concurrent.futures import Executor

from pyrate_limiter import InMemoryBucket, Rate, RateItem

__all__ = ["LocalStore"]


class LocalStore:
    """One lock guards the log and the pause, so that a slot is never given while a pause is set."""

    executor: Executor | None = None  # every operation is a few list operations under a lock

    def __init__(self, requests: int, interval_ms: int) -> None:
        self._bucket = InMemoryBucket([Rate(requests, interval_ms)])
        self._requests = requests
        self._lock = threading.Lock()
        self._paused_until = 0.0  # time.monotonic()

    def take(self) -> float:
        with self._lock:
            now = time.monotonic()
            if now < self._paused_until:
                return self._paused_until - now
            now_ms = int(now * 1000)
            item = RateItem("slot", now_ms)
            if self._bucket.put(item):
                if len(self._bucket.items) > 2 * self._requests:  # drop what no window counts any more
                    self._bucket.leak(now_ms)
                return 0.0
            # The bucket records why it refused (the entry whose expiry makes room): read it under the lock.
            wait_ms = self._bucket.waiting(item)
            assert isinstance(wait_ms, int)
            return max(wait_ms, 1) / 1000

    def pause(self, seconds: float) -> None:
        with self._lock:
            self._paused_until = max(self._paused_until, time.monotonic() + seconds)
