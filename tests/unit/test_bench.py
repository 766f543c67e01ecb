"""`make bench` runs end to end with tiny round counts; nothing here looks at how long anything took."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from scripts.bench import data as bench_data
from scripts.bench.__main__ import main

ROOT = Path(__file__).resolve().parent.parent.parent
PAIR_KEYS = {
    "baseline_median_ns",
    "candidate_median_ns",
    "ratio",
    "ratio_of_medians",
    "rounds",
    "inner",
    "target",
    "met",
    "baseline",
    "candidate",
}

TINY = [
    "--rounds",
    "2",
    "--async-rounds",
    "2",
    "--scale",
    "0.002",
    "--import-runs",
    "2",
    "--generate-rounds",
    "1",
    "--concurrency",
    "5",
]


def run_bench(tmp_path: Path, *args: str) -> dict[str, Any]:
    output = tmp_path / "bench.json"
    status = main([*TINY, "--output", str(output), *args])
    report: dict[str, Any] = json.loads(output.read_text(encoding="utf-8"))
    assert report["errors"] == {}
    assert status == 0
    return report


def test_in_process_sections_report_every_ratio(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = run_bench(tmp_path, "--only", "import,parse,percall,loopback,profile", "--no-large")

    results = report["results"]
    for key in (
        "import",
        "parse_one",
        "parse_list",
        "percall_mock",
        "percall_mock_stack",
        "percall_mock_generated",
        "percall_mock_with_options",
        "percall_fake",
        "percall_loopback",
        "async_loopback",
    ):
        assert results[key].keys() >= PAIR_KEYS, key
        assert results[key]["rounds"] == 2
    # Against raw httpx2; raw httpx timed in the same rounds, for the record.
    for key in ("import", "percall_mock", "percall_loopback", "async_loopback"):
        assert results[key]["baseline"].startswith(("httpx2.", "import httpx2")), key
        assert results[key]["reference"] in ("raw httpx", "import httpx"), key
        assert results[key]["reference_median_ns"] > 0
        assert results[key]["ratio_vs_reference"] > 0 and results[key]["reference_vs_baseline"] > 0
    for key in ("parse_one", "percall_mock_stack"):
        assert "reference" not in results[key], key
    assert report["machine"]["httpx2"] and report["machine"]["httpx"]
    assert results["import_modules"]["import"]["operation_modules_imported"] == 1
    assert results["profile"]["top_extra_calls"]
    assert results["profile"]["steps_us"]
    assert [row["ratio"] > 0 for row in results["profile"]["ladder"]] == [True, True, True]
    assert {"cpus", "cpu_model", "python"} <= report["machine"].keys()
    table = capsys.readouterr().out
    assert "per call, in process" in table
    assert "rounds x iters" in table
    header, mock_row = table.splitlines()[1], next(line for line in table.splitlines() if "in process" in line)
    assert header.split()[:2] == ["measure", "httpx2"] and "vs httpx" in header
    assert len(re.findall(r"\d\.\d{3}x", mock_row)) == 3  # the ratio, and the record's two


@pytest.mark.slow
def test_generation_and_large_spec_sections(tmp_path: Path) -> None:
    # The vendored spec stands in for the large one: the same code path, a fraction of the time.
    report = run_bench(
        tmp_path, "--only", "generate,import,parse", "--large-spec", str(ROOT / "openapi.json"), "--replicas", "2"
    )

    generation = report["results"]["generate"]
    assert [row["operations"] for row in generation["specs"]] == [1, 1, 2]
    assert "growth" in generation
    assert "import_large" in report["results"]
    assert report["results"]["parse_list"]["model"]["package"] == "bench_openapi_client.models"


SPEC: dict[str, Any] = {
    "openapi": "3.0.3",
    "paths": {
        "/a/": {"get": {"responses": {"200": {"description": ""}}}},
        "/b/{id}/": {
            "post": {
                "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Outer"}}}},
                "responses": {
                    "201": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Outer"}}}}
                },
            }
        },
    },
    "components": {
        "schemas": {
            "Outer": {
                "type": "object",
                "required": ["id", "inner"],
                "properties": {
                    "id": {"type": "string", "format": "uuid", "readOnly": True},
                    "secret": {"type": "string", "writeOnly": True},
                    "inner": {"$ref": "#/components/schemas/Inner"},
                    "items": {"type": "array", "items": {"$ref": "#/components/schemas/Inner"}},
                    "kind": {"allOf": [{"$ref": "#/components/schemas/Kind"}]},
                    "count": {"type": "integer", "minimum": 5, "maximum": 9},
                    "parent": {"$ref": "#/components/schemas/Outer"},
                },
            },
            "Inner": {"type": "object", "properties": {"at": {"type": "string", "format": "date-time"}}},
            "Kind": {"type": "string", "enum": ["x", "y"]},
            "Unused": {"type": "object", "properties": {}},
        }
    },
}


def test_examples_follow_read_and_write_only() -> None:
    outer = {"$ref": "#/components/schemas/Outer"}

    request = bench_data.example(SPEC, outer, request=True)
    response = bench_data.example(SPEC, outer, request=False)

    assert "id" not in request and "secret" in request
    assert "id" in response and "secret" not in response
    assert response["kind"] == "x" and response["count"] == 5
    assert response["items"] == [{"at": "2024-05-06T07:08:09.123456Z"}]
    assert "parent" not in response  # a recursive reference is left out, not expanded forever


def test_operation_lookup_replication_and_model_choice() -> None:
    operation = bench_data.find_operation(SPEC, "POST", "/b/42/")
    assert bench_data.success_response(operation)[0] == 201

    replicated = bench_data.replicate_spec(
        {**SPEC, "paths": {"/api/v1/agents/{id}/": {"get": {"operationId": "api_v1_agents_retrieve"}}}}, 3
    )
    assert [op["operationId"] for _, _, op in bench_data.operations(replicated)] == [
        "api_v1_agents_retrieve",
        "api_v1_agents_2_retrieve",
        "api_v1_agents_3_retrieve",
    ]
    assert list(replicated["paths"])[1:] == ["/api/v1/agents-2/{id}/", "/api/v1/agents-3/{id}/"]

    assert bench_data.most_nested_model(SPEC) == ("Outer", 3)


@pytest.mark.parametrize("spec_path", [ROOT / "openapi.json", *sorted((ROOT / "tests" / "specs").glob("*.json"))])
def test_examples_fit_every_schema_of_the_corpus(spec_path: Path) -> None:
    from jsonschema.exceptions import UnknownType  # type: ignore[import-untyped]
    from openapi_schema_validator import OAS30ReadValidator, OAS30WriteValidator
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT4

    spec = json.loads(spec_path.read_text(encoding="utf-8"))
    registry: Registry[Any] = Registry().with_resource(
        "spec.json", Resource.from_contents(spec, default_specification=DRAFT4)
    )
    for name in spec.get("components", {}).get("schemas", {}):
        for request, validator in ((False, OAS30ReadValidator), (True, OAS30WriteValidator)):
            value = bench_data.example(spec, {"$ref": f"#/components/schemas/{name}"}, request=request)
            check = validator(
                {"$ref": f"spec.json#/components/schemas/{name}"},
                registry=registry,
                format_checker=validator.FORMAT_CHECKER,
            )
            try:
                errors = [error.message for error in check.iter_errors(value)]
            except (UnknownType, TypeError):  # 3.1-style `type` in a 3.0 document: the validator can't read it
                continue
            assert not errors, (name, "request" if request else "response", errors)


def test_fleet_section_at_a_small_scale(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # 2 processes x 2 threads, 30 requests, a server allowing 20 per second (a real redis-server for "shared").
    report = run_bench(tmp_path, "--only", "fleet", "--no-large", "--fleet", "30,2,2,20")

    rows = {row["mode"]: row for row in report["results"]["fleet"]["rows"]}
    assert list(rows) == ["none", "per-process", "shared"]
    shared = rows["shared"]
    assert shared["responses_429"] == 0 and shared["calls"]["ok"] == 30
    assert shared["max_in_window"] <= 20
    assert all(row["responses_201"] + row["responses_429"] >= 30 for row in rows.values())
    assert "fleet: 2 processes x 2 threads" in capsys.readouterr().out
