"""The `wassist` command line (the `cli` extra): `wassist <resource> [<sub-resource>] <action> [args] [options]`.

The commands come from the generated table `_cli_commands.py`; each calls its generated operation module.
"""

from __future__ import annotations

import sys

INSTALL_COMMAND = 'pip install "wassist-api-client[cli]"'


def main(argv: list[str] | None = None) -> int:
    """The console script `wassist` and `python -m wassist_api_client`; returns the exit status."""
    try:
        import click  # noqa: F401
    except ImportError:
        print(f"wassist: the command line needs the `cli` extra: {INSTALL_COMMAND}", file=sys.stderr)
        return 1
    from ._app import run

    return run(sys.argv[1:] if argv is None else argv)
