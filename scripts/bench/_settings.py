"""`make bench`'s constants (paths, the operation, targets) and the settings every section reads."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = "wassist_api_client"
SPEC = ROOT / "openapi.json"
CORPUS = ROOT / "tests" / "specs"
DEFAULT_OPERATION = f"{PACKAGE}.api.whatsapp_link_sessions.create"
DEFAULT_OUTPUT = ROOT / "build" / "bench.json"
BASE_URL = "https://bench.invalid"
API_KEY = "bench-key-not-a-secret"
SECTIONS = ("generate", "import", "parse", "percall", "loopback", "profile", "fleet")
LIST_ITEMS = 1000

TARGETS = {
    "percall_mock": 1.05,
    "percall_fake": 3.0,
    "percall_loopback": 1.03,
    "import": 1.20,
    "import_large": 1.20,
    "parse_one": 2.0,
    "parse_list": 2.0,
}


@dataclass
class Settings:
    rounds: int
    async_rounds: int
    import_runs: int
    generate_rounds: int
    scale: float
    concurrency: int
    replicas: int
    clock: str
    operation: str
    large_spec: Path | None
    work: Path

    def sample_ns(self, base_ms: float) -> float:
        return base_ms * 1e6 * self.scale
