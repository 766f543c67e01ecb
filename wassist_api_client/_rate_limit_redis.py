"""A RateLimit budget kept in Redis, shared by every process and machine that uses the same key.

The log is pyrate-limiter's RedisBucket (a sorted set and its Lua check-and-insert). Three things
it does not do are bridged here:
- time: RedisBucket stamps items with this machine's clock; here every item is stamped with
  Redis `TIME`, read in the same round trip as the pause, so a fleet shares one clock;
- expiry: RedisBucket's keys never expire and its log is only trimmed by a background thread;
  here its script runs in one MULTI with a trim of the log and a PEXPIRE of its key;
- server feedback: a 429's Retry-After is a second key whose TTL is the pause, set by a short
  script that never shortens a longer pause.
Every Redis error becomes RateLimitBackendError: no fallback to a budget in this process.
"""

from __future__ import annotations

import math
import threading
from concurrent.futures import Executor, ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from pyrate_limiter import Rate, RateItem, RedisBucket

from ._exceptions import RateLimitBackendError, WassistError

if TYPE_CHECKING:
    import redis

__all__ = ["RedisStore"]

KEY_PREFIX = "wassist-api-client:rate-limit:"
SOCKET_TIMEOUT = 2.0  # seconds; a Redis call takes well under a millisecond when Redis is up
ASYNC_THREADS = 4  # Redis calls of async clients run here, off the event loop
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
        self._no_script = redis.exceptions.NoScriptError
        self._shown_url = shown_url
        self._redis = redis.Redis.from_url(url, socket_timeout=SOCKET_TIMEOUT, socket_connect_timeout=SOCKET_TIMEOUT)
        self._log_key, self._pause_key = f"{KEY_PREFIX}{name}:log", f"{KEY_PREFIX}{name}:pause"
        self._rates = [Rate(requests, interval_ms)]
        self._log = _ExpiringLog(self._redis, interval_ms)
        self._pause_script = self._redis.register_script(PAUSE_SCRIPT)
        self._script_hash: str | None = None
        self._lock = threading.Lock()
        self._executor: ThreadPoolExecutor | None = None

    @property
    def executor(self) -> Executor:
        with self._lock:
            if self._executor is None:
                self._executor = ThreadPoolExecutor(ASYNC_THREADS, thread_name_prefix="wassist-rate-limit")
            return self._executor

    def take(self) -> float:
        try:
            try:
                return self._take()
            except self._no_script:  # Redis restarted and forgot the script: load it again, once
                self._script_hash = None
                return self._take()
        except self._errors as error:
            raise self._backend_error(error) from error

    def pause(self, seconds: float) -> None:
        try:
            self._pause_script(keys=[self._pause_key], args=[max(1, math.ceil(seconds * 1000))])
        except self._errors as error:
            raise self._backend_error(error) from error

    def _take(self) -> float:
        pipe = self._redis.pipeline(transaction=False)
        pipe.time()
        pipe.pttl(self._pause_key)
        (seconds, micros), pause_ms = pipe.execute()
        if pause_ms > 0:
            return float(pause_ms) / 1000
        # A bucket per call: RedisBucket keeps its last verdict on itself, which threads must not share.
        bucket = RedisBucket(self._rates, self._log, self._log_key, self._loaded_script())  # type: ignore[arg-type]
        item = RateItem("slot", int(seconds) * 1000 + int(micros) // 1000)
        if bucket.put(item):
            return 0.0
        wait_ms = bucket.waiting(item)
        assert isinstance(wait_ms, int)
        return max(wait_ms, 1) / 1000

    def _loaded_script(self) -> str:
        if self._script_hash is None:
            bucket = RedisBucket.init(self._rates, self._log, self._log_key)  # type: ignore[arg-type]
            assert isinstance(bucket, RedisBucket)
            self._script_hash = bucket.script_hash
        return self._script_hash

    def _backend_error(self, error: Exception) -> RateLimitBackendError:
        return RateLimitBackendError(
            f"RateLimit backend failed: Redis at {self._shown_url}: {type(error).__name__}: {error}. "
            "The request was not sent (no budget in this process replaces the shared one).",
            url=self._shown_url,
        )


class _ExpiringLog:
    """The Redis client RedisBucket is given: its check-and-insert runs with the trim and expiry of its key."""

    def __init__(self, client: redis.Redis, interval_ms: int) -> None:
        self._client = client
        # Entries older than two windows count in no window, even of a caller whose TIME is a little behind.
        self._keep_ms = 2 * interval_ms
        self._ttl_ms = 2 * interval_ms

    def script_load(self, script: str) -> Any:
        return self._client.script_load(script)

    def evalsha(self, sha: str, numkeys: int, key: str, now: int, *args: Any) -> Any:
        pipe = self._client.pipeline(transaction=True)
        pipe.zremrangebyscore(key, "-inf", f"({int(now) - self._keep_ms}")
        pipe.evalsha(sha, numkeys, key, now, *args)
        pipe.pexpire(key, self._ttl_ms)
        return pipe.execute()[1]
