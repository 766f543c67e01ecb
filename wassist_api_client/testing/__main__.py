"""`python -m wassist_api_client.testing serve --port 8050`: the fake over HTTP on a loopback port."""

from __future__ import annotations

import sys

from ._serve import main

if __name__ == "__main__":
    sys.exit(main())
