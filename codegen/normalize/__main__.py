"""``python -m codegen.normalize IN.json OUT.json``."""

from codegen.normalize import main

if __name__ == "__main__":
    raise SystemExit(main())
