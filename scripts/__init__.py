"""Development aids: the Prism mock server, `make demo`, `make bench`, a throwaway redis-server."""
