"""The parse section: `Model.from_dict(json.loads(body))` vs `json.loads(body)`, one object and a list."""

from __future__ import annotations

import importlib
import json
import sys
import types
from pathlib import Path
from typing import Any

from scripts.bench import data as bench_data
from scripts.bench._measure import Pair, calibrate, interleave
from scripts.bench._operation import (
    Operation,
)
from scripts.bench._settings import (
    LIST_ITEMS,
    PACKAGE,
    SPEC,
    TARGETS,
    Settings,
)


def _parse_pair(key: str, title: str, model: Any, body: bytes, one: bool, settings: Settings) -> Pair:
    loads, from_dict = json.loads, model.from_dict

    def baseline() -> object:
        return loads(body)

    if one:

        def candidate() -> object:
            return from_dict(loads(body))

    else:

        def candidate() -> object:
            return [from_dict(item) for item in loads(body)]

    parsed = candidate()
    first = parsed if one else parsed[0]  # type: ignore[index]
    if type(first) is not model:
        raise TypeError(f"{model.__name__}.from_dict returned {type(first).__name__}")
    pair = Pair(
        key,
        title,
        "json.loads(body)",
        f"{model.__name__}.from_dict(json.loads(body))" if one else f"[{model.__name__}.from_dict(x) for x in ...]",
        unit=f"body of {len(body):,} bytes",
        inner=calibrate([baseline, candidate], settings.sample_ns(20)),
        target=TARGETS[key],
        clock=settings.clock,
    )
    return interleave(pair, baseline, candidate, settings.rounds)


def bench_parse(op: Operation, settings: Settings, large: tuple[str, Path] | None) -> list[Pair]:
    pairs = [_parse_pair("parse_one", "parse one response", op.response_model, op.response_body, True, settings)]
    # The list: the most nested model of the large spec (else of the vendored one).
    if large is None or settings.large_spec is None:
        spec = json.loads(SPEC.read_text(encoding="utf-8"))
        pairs.append(_parse_list(spec, importlib.import_module(f"{PACKAGE}.models"), settings))
        return pairs
    package, path = large
    spec = json.loads(settings.large_spec.read_text(encoding="utf-8"))
    sys.path.insert(0, str(path))
    try:
        pairs.append(_parse_list(spec, importlib.import_module(f"{package}.models"), settings))
    finally:  # leave no trace of the temporary package in this interpreter
        sys.path.remove(str(path))
        for name in [m for m in sys.modules if m == package or m.startswith(package + ".")]:
            del sys.modules[name]
    return pairs


def _parse_list(spec: dict[str, Any], models: types.ModuleType, settings: Settings) -> Pair:
    picked = bench_data.most_nested_model(spec)
    if picked is None:
        raise LookupError("no object model in the spec")
    name, nested = picked
    by_squashed = {bench_data.squash(n): n for n in models.__all__}
    model = getattr(models, by_squashed[bench_data.squash(name)])
    item = bench_data.example(spec, spec["components"]["schemas"][name], request=False)
    body = json.dumps([item] * LIST_ITEMS, separators=(",", ":")).encode()
    pair = _parse_pair("parse_list", f"parse {LIST_ITEMS:,} x {model.__name__}", model, body, False, settings)
    pair.extra["model"] = {"name": model.__name__, "nested_model_fields": nested, "package": models.__name__}
    return pair
