"""`python -m wassist_api_client`: the `wassist` command line."""

from ._cli import main

if __name__ == "__main__":  # importing the module (as walk_packages does) runs nothing
    raise SystemExit(main())
