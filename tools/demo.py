"""`make demo`: run examples/create_link_session.py against the Prism mock of the vendored spec."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tools.prism import PrismError, start_prism

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "create_link_session.py"
# Prism checks that the X-API-Key header is present, not what it says.
MOCK_API_KEY = "demo-key-for-the-local-mock"


def main() -> int:
    try:
        with start_prism(ROOT / "openapi.json") as prism:
            print(f"Prism mock of openapi.json is serving on {prism.base_url}\n", flush=True)
            env = {**os.environ, "WASSIST_API_KEY": MOCK_API_KEY}
            command = [sys.executable, str(EXAMPLE), "--base-url", prism.base_url]
            print("$ python examples/create_link_session.py --base-url", prism.base_url, flush=True)
            return subprocess.run(command, env=env, check=False).returncode
    except PrismError as error:
        print(f"make demo: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
