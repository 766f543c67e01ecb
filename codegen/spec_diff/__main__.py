"""`python -m codegen.spec_diff`: see `codegen.spec_diff._cli`."""

import sys

from codegen.spec_diff._cli import main

if __name__ == "__main__":
    sys.exit(main())
