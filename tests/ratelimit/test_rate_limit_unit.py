"""RateLimit's settings: validation, what its repr and Redis names show, and nothing imported without it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.client.support import API_KEY
from wassist_api_client import RateLimit
from wassist_api_client._rate_limit import budget_name, redacted_url

ROOT = Path(__file__).resolve().parent.parent.parent


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        ((0, 1.0), {}, "requests must be a whole number"),
        ((2.5, 1.0), {}, "requests must be a whole number"),
        ((True, 1.0), {}, "requests must be a whole number"),
        ((10, 0), {}, "per must be a number of seconds above 0"),
        ((10, float("inf")), {}, "per must be"),
        ((10, 1.0), {"max_wait": -1}, "max_wait must be"),
        ((10, 1.0), {"key": "  "}, "key must be a non-empty string"),
        ((10, 1.0), {"redis_url": "http://user:hunter2@host:6379"}, "redis_url must be a redis://"),
    ],
)
def test_bad_settings_are_value_errors(args: tuple[object, ...], kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message) as info:
        RateLimit(*args, **kwargs)  # type: ignore[arg-type]
    assert "hunter2" not in str(info.value)


def test_repr_and_redis_url_show_no_credentials() -> None:
    limit = RateLimit(100, per=60, redis_url="rediss://me:hunter2@redis.internal:6380/2?password=x", max_wait=5)

    assert repr(limit) == "RateLimit(100, per=60.0, redis_url='rediss://redis.internal:6380/2', max_wait=5.0)"
    assert limit.redis_url == "rediss://redis.internal:6380/2"
    assert redacted_url("unix://:pw@/run/redis.sock?db=1&password=pw") == "unix:///run/redis.sock"
    assert redacted_url("redis://[::1]:6379") == "redis://[::1]:6379"


def test_budget_names_are_one_way_and_per_key() -> None:
    name = budget_name(API_KEY)

    assert API_KEY not in name and "SECRET" not in name
    assert name == budget_name(API_KEY) != budget_name(API_KEY + "x")
    limit = RateLimit(5, per=1.0)
    assert limit.budget(API_KEY) is limit.budget(API_KEY)
    assert limit.budget(API_KEY) is not limit.budget("another-key")
    assert RateLimit(5, 1.0, key="team").budget(API_KEY) is not limit.budget(API_KEY)


def test_nothing_is_imported_for_rate_limits_without_one() -> None:
    code = (
        "import sys\n"
        "from wassist_api_client import Wassist, AsyncWassist\n"
        "Wassist(api_key='k').close()\n"
        "AsyncWassist(api_key='k')\n"
        "names = ('pyrate_limiter', 'redis', 'wassist_api_client._rate')\n"
        "print(sorted(m for m in sys.modules if m.startswith(names)))\n"
        "from wassist_api_client import RateLimit\n"
        "Wassist(api_key='k', rate_limit=RateLimit(5, per=1.0)).close()\n"
        "print('redis' in sys.modules, 'pyrate_limiter' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)

    assert result.stdout.splitlines() == ["[]", "False True"]  # in process: no Redis client either
