"""`python -m wassist_api_client`: the `wassist` command line."""

from ._cli import main

raise SystemExit(main())
