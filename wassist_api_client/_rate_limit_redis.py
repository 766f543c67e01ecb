"""A RateLimit budget kept in Redis, shared by every process and machine that uses the same key.

The log is a sliding-window log, as pyrate-limiter's: a sorted set with one entry per slot. It is
not pyrate-limiter's RedisBucket, whose script takes the time from the caller and counts only the
entries up to that time: a caller that read the clock a moment before another, and runs its
check a moment after, does not see the other's entry and takes one slot too many; with a fleet
waking together at each window's edge that is the common case. Here each check runs in one
script that reads Redis `TIME` itself, so every entry is stamped by one clock, when it is taken,
and counted by every later check. Every key expires (two windows after its last write; a pause
when it ends), and every Redis error is RateLimitBackendError: no fallback to a budget in this
process, which would let a fleet exceed the key's limit.
"""

from __future__ import annotations

import math
import threading
import uuid
from concurrent.futures import Executor, ThreadPoolExecutor
from typing import Any

from ._exceptions import RateLimitBackendError, WassistError

__all__ = ["RedisStore"]

KEY_PREFIX = "wassist-api-client:rate-limit:"
SOCKET_TIMEOUT = 2.0  # seconds; a Redis call takes well under a millisecond when Redis is up
ASYNC_THREADS = 4  # Redis calls of async clients run here, off the event loop

# KEYS: log, pause. ARGV: limit, window (ms), entry name, TTL (ms).
# -> {1, 0} with a slot, or {0, ms until a slot may be free or the pause ends}.
TAKE_SCRIPT = """
local pause = redis.call('PTTL', KEYS[2])
if pause > 0 then return {0, pause} end
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local limit, window = tonumber(ARGV[1]), tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. (now - window))
local count = redis.call('ZCARD', KEYS[1])
if count < limit then
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], ARGV[4])
  return {1, 0}
end
local freeing = redis.call('ZRANGE', KEYS[1], count - limit, count - limit, 'WITHSCORES')
return {0, math.max(1, tonumber(freeing[2]) + window - now + 1)}
"""
# The request of a slot is done: its entry counts from now (when the server may have seen it last).
# KEYS: log. ARGV: entry name, TTL (ms).
RESTAMP_SCRIPT = """
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not score then return 0 end
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
if now > tonumber(score) then redis.call('ZADD', KEYS[1], now, ARGV[1]) end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
"""
# KEYS: pause. ARGV: ms. A longer pause already set stays.
PAUSE_SCRIPT = """
if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('SET', KEYS[1], '1', 'PX', ARGV[1])
end
return 1
"""


class RedisStore:
    def __init__(self, url: str, shown_url: str, name: str, requests: int, interval_ms: int) -> None:
        try:
            import redis
        except ImportError as error:
            raise WassistError(
                "RateLimit(redis_url=...) needs the Redis client: pip install 'wassist-api-client[redis]'"
            ) from error
        self._errors = redis.RedisError
        self._shown_url = shown_url
        client = redis.Redis.from_url(url, socket_timeout=SOCKET_TIMEOUT, socket_connect_timeout=SOCKET_TIMEOUT)
        self._take, self._restamp, self._pause = (
            client.register_script(script) for script in (TAKE_SCRIPT, RESTAMP_SCRIPT, PAUSE_SCRIPT)
        )
        self.log_key, self.pause_key = f"{KEY_PREFIX}{name}:log", f"{KEY_PREFIX}{name}:pause"
        self._requests, self._interval_ms, self._ttl_ms = requests, interval_ms, 2 * interval_ms
        self._lock = threading.Lock()
        self._executor: ThreadPoolExecutor | None = None

    @property
    def executor(self) -> Executor:
        with self._lock:
            if self._executor is None:
                self._executor = ThreadPoolExecutor(ASYNC_THREADS, thread_name_prefix="wassist-rate-limit")
            return self._executor

    def take(self) -> tuple[object | None, float]:
        entry = uuid.uuid4().hex  # random: the entry's name says nothing about the key or the caller
        args = [self._requests, self._interval_ms, entry, self._ttl_ms]
        taken, wait_ms = self._call(self._take, [self.log_key, self.pause_key], args, "The request was not sent")
        return (entry, 0.0) if int(taken) else (None, int(wait_ms) / 1000)

    def restamp(self, slot: object) -> None:
        self._call(self._restamp, [self.log_key], [slot, self._ttl_ms], "Its slot could not be updated")

    def pause(self, seconds: float) -> None:
        ms = max(1, math.ceil(seconds * 1000))
        self._call(self._pause, [self.pause_key], [ms], "The server's Retry-After could not be shared")

    def _call(self, script: Any, keys: list[str], args: list[object], consequence: str) -> Any:
        try:
            return script(keys=keys, args=args)  # redis-py's Script: EVALSHA, loading it again after a restart
        except self._errors as error:
            raise RateLimitBackendError(
                f"RateLimit backend failed: Redis at {self._shown_url}: {type(error).__name__}: {error}. "
                f"{consequence} (no budget in this process replaces the shared one).",
                url=self._shown_url,
            ) from error
