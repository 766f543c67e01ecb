"""Generated packages, and what the tests ask the generator, made once on a Python that runs the generator.

The generator (openapi-python-client) needs Python >= 3.11, the runtime suites run on 3.10 to 3.13
(`make test-matrix`). On 3.11,

    python -m tests.pregenerated build/matrix/pregenerated

generates every package the runtime suites import and records what they ask the generator (the
normalized spec, the names it gives classes and attributes). With `WASSIST_TEST_PREGENERATED` set to
that directory the suites import those packages and read those records, and never import the
generator; without it they generate and ask the generator themselves, as `make test` does.
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import json
import os
import re
import shutil
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
ENV = "WASSIST_TEST_PREGENERATED"
MANIFEST = "manifest.json"
FIELD_PREFIX = "field_"  # openapi-python-client's default, generator-config.yaml keeps it


class NotPregenerated(LookupError):
    """The pregenerated directory lacks what a test asked for, or was made from another version of the spec."""


def package_name(spec: Path) -> str:
    """`<spec stem>_client`: lives beside the real `wassist_api_client` in one interpreter."""
    return re.sub(r"\W", "_", spec.stem) + "_client"  # `authentik-2023.10.4` -> authentik_2023_10_4_client


def runtime_packages() -> list[tuple[Path, str]]:
    """(spec, package name) of every package the runtime suites generate (globbed: new specs join in)."""
    specs = [
        *sorted((ROOT / "tests" / "specs").glob("*.json")),
        *sorted((ROOT / "tests" / "models" / "specs").glob("*.json")),
        *sorted((ROOT / "tests" / "client" / "specs").glob("*.json")),
        *sorted((ROOT / "tests" / "faults" / "specs").glob("*.json")),
    ]
    packages = [(spec, package_name(spec)) for spec in specs]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for spec in sorted(set(re.findall(r"<!-- readme-test:[^>]*\bspec=(\S+)", readme))):
        packages.append((ROOT / spec, "wassist_api_client"))  # README blocks import the real package's name
    return packages


def runtime_specs() -> list[Path]:
    """Every spec whose normalized form and generator names the runtime suites read."""
    return sorted({ROOT / "openapi.json", *(spec for spec, _ in runtime_packages())})


def _key(spec: Path) -> str:
    spec = spec.resolve()
    return str(spec.relative_to(ROOT)) if spec.is_relative_to(ROOT) else str(spec)


@functools.cache
def _digest(spec: Path) -> str:
    return hashlib.sha256(spec.read_bytes()).hexdigest()


def _generator_names(document: dict[str, Any]) -> tuple[dict[str, str], dict[str, str]]:
    """What openapi-python-client names the class of each component schema and each property's attribute."""
    from openapi_python_client.strings import ClassName, PythonIdentifier

    schemas = document.get("components", {}).get("schemas", {})
    raw_names = {raw for name, schema in schemas.items() for raw in (schema.get("title"), name) if raw}
    classes = {raw: str(ClassName(raw, FIELD_PREFIX)) for raw in raw_names}
    properties = {prop for s in schemas.values() for prop in s.get("properties", {})}
    return classes, {prop: str(PythonIdentifier(prop, FIELD_PREFIX)) for prop in properties}


def pregenerate(out: Path, packages: Iterable[tuple[Path, str]] | None = None) -> None:
    """Generate the packages into `out` (replaced whole) and record the specs' generator facts."""
    from codegen import generate

    packages = runtime_packages() if packages is None else list(packages)
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    manifest: dict[str, Any] = {"python": sys.version.split()[0], "specs": {}, "packages": {}}
    for index, spec in enumerate(sorted({ROOT / "openapi.json", *(spec for spec, _ in packages)})):
        document = generate.load_normalized(spec)
        normalized = f"normalized/{index}-{spec.stem}.json"
        (out / normalized).parent.mkdir(exist_ok=True)
        (out / normalized).write_text(json.dumps(document), encoding="utf-8")
        classes, attributes = _generator_names(document)
        manifest["specs"][_key(spec)] = {
            "sha256": _digest(spec),
            "normalized": normalized,
            "class_names": classes,
            "attribute_names": attributes,
        }
    for index, (spec, package) in enumerate(packages):
        root = f"packages/{index}-{spec.stem}"
        status = generate.main(["--spec", str(spec), "--package-dir", str(out / root / package)])
        if status != 0:
            raise RuntimeError(f"generating {package} from {spec} failed (see stderr)")
        manifest["packages"][f"{_key(spec)}:{package}"] = root
    (out / MANIFEST).write_text(json.dumps(manifest, indent=1), encoding="utf-8")


def _pregenerated() -> Path | None:
    value = os.environ.get(ENV)
    return Path(value) if value else None


@functools.cache
def _manifest(directory: Path) -> dict[str, Any]:
    try:
        manifest: dict[str, Any] = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
    except OSError as error:
        message = f"{ENV}={directory}: no {MANIFEST} ({error}); run `python -m tests.pregenerated`"
        raise NotPregenerated(message) from None
    return manifest


def _spec_record(directory: Path, spec: Path) -> dict[str, Any]:
    record: dict[str, Any] | None = _manifest(directory)["specs"].get(_key(spec))
    if record is None:
        raise NotPregenerated(f"{_key(spec)} is not in {directory}; add it to tests/pregenerated.runtime_packages()")
    if record["sha256"] != _digest(spec):
        raise NotPregenerated(f"{_key(spec)} changed since {directory} was made; run `python -m tests.pregenerated`")
    return record


def package_root(spec: Path, package: str, scratch: Path) -> Path:
    """The directory to put on sys.path to import `package` generated from `spec`.

    Pregenerated, or generated now into `scratch/<package>` (on a Python that runs the generator).
    """
    directory = _pregenerated()
    if directory is None:
        from codegen import generate

        status = generate.main(["--spec", str(spec), "--package-dir", str(scratch / package)])
        assert status == 0, f"generation of {spec.name} failed (see stderr)"
        return scratch
    _spec_record(directory, spec)  # the spec it was made from is this one
    root: str | None = _manifest(directory)["packages"].get(f"{_key(spec)}:{package}")
    if root is None:
        raise NotPregenerated(f"{package} from {_key(spec)} is not in {directory}; add it to runtime_packages()")
    return directory / root


def normalized(spec: Path) -> dict[str, Any]:
    """The spec as the generator sees it (codegen.normalize applied)."""
    directory = _pregenerated()
    if directory is None:
        from codegen.generate import load_normalized

        return load_normalized(spec)
    document: dict[str, Any] = json.loads(
        (directory / _spec_record(directory, spec)["normalized"]).read_text(encoding="utf-8")
    )
    return document


def class_name(spec: Path, raw: str) -> str:
    """What openapi-python-client names the class of a component schema titled or named `raw`."""
    directory = _pregenerated()
    if directory is None:
        from openapi_python_client.strings import ClassName

        return str(ClassName(raw, FIELD_PREFIX))
    return str(_spec_record(directory, spec)["class_names"][raw])


def attribute_name(spec: Path, raw: str) -> str:
    """What openapi-python-client names the attribute of a property whose JSON name is `raw`."""
    directory = _pregenerated()
    if directory is None:
        from openapi_python_client.strings import PythonIdentifier

        return str(PythonIdentifier(raw, FIELD_PREFIX))
    return str(_spec_record(directory, spec)["attribute_names"][raw])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path, help="the directory to (re)create")
    args = parser.parse_args(argv)
    pregenerate(args.out)
    print(f"pregenerated {len(runtime_packages())} packages into {args.out} on Python {sys.version.split()[0]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
