"""`python -m codegen.spec_diff OLD NEW [--markdown]`: print the report; exit 1 if breaking, 2 on unreadable input."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from codegen.spec_diff._differ import diff_specs
from codegen.spec_diff._parse import SpecParseError, parse_spec_text


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m codegen.spec_diff", description="Compare two OpenAPI specs.")
    parser.add_argument("old", type=Path, help="the previous spec (JSON or YAML)")
    parser.add_argument("new", type=Path, help="the new spec (JSON or YAML)")
    parser.add_argument("--markdown", action="store_true", help="print Markdown instead of plain text")
    args = parser.parse_args(argv)
    try:
        old, new = (parse_spec_text(path.read_text(encoding="utf-8")) for path in (args.old, args.new))
    except (OSError, UnicodeDecodeError, SpecParseError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    report = diff_specs(old, new)
    print(report.to_markdown() if args.markdown else report.to_text(), end="")
    return 1 if report.breaking else 0
