"""`make bench`: what the generated client costs next to raw httpx2, measured side by side.

    python -m scripts.bench                      # everything; table on stdout, JSON in build/bench.json
    python -m scripts.bench --only percall,parse --rounds 5 --scale 0.2

Every measure pairs a baseline (raw httpx2, `json.loads`, `import httpx2`) with the candidate
(the package) and runs them interleaved in one process group: each round times the
baseline and the candidate back to back, alternating which goes first, so that machine
noise hits both sides alike. Reported: the median of each side and the median of the
per-round candidate/baseline ratios, with the number of rounds and iterations.

Sections:
  percall   in process: `create.sync` vs `httpx2.Client.post().json()` on one httpx2.MockTransport
  loopback  a fast HTTP server on 127.0.0.1 in its own process: the same pair, and
            100 concurrent `asyncio` calls vs httpx2.AsyncClient
  import    fresh interpreters: the package + one operation module vs `import httpx2`, for the
            vendored spec and a ~120-operation corpus spec, with the modules each one loads
  parse     `Model.from_dict(json.loads(body))` vs `json.loads(body)`, one object and a
            1,000-item list of the most nested model of the large spec
  generate  `python -m codegen.generate` wall and CPU time: vendored spec, large spec, the large spec's
            operations replicated (--replicas), to show how the cost grows with operations
  profile   where the per-call overhead goes (cProfile deltas and timed steps); informational
  fleet     processes x threads on one key against a server enforcing a rate limit: no limiter,
            a RateLimit per process, one shared through Redis (scripts.bench.fleet)

Raw httpx (the library this package ran on before 1.0, still in the dev virtualenv as the generator's)
is timed beside the per-call, loopback and import measures for the record: its column shows the
candidate against it, and how raw httpx compares with raw httpx2.

Nothing here asserts on time: targets are printed and recorded, never enforced.
"""
