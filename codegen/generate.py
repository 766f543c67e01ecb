"""Regenerate the package's generated code from an OpenAPI spec.

    python -m codegen.generate                 # openapi.json -> wassist_api_client/
    python -m codegen.generate --check         # fail with a diff if the committed code is stale
    python -m codegen.generate --spec S --package-dir D/wassist_api_client   # another spec, elsewhere

Flow: spec -> codegen.normalize -> openapi-python-client (generator-config.yaml, codegen/templates/) ->
ruff -> the generated files of the package. Hand-written files (`__init__.py`, `_*.py`,
`py.typed`) are never touched; generated files (`api/`, `models/`, the other top-level
modules) are replaced as a whole, so whatever left the spec leaves the package.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openapi_python_client.strings import ClassName, PythonIdentifier

from codegen import cli_table
from codegen.normalize import SCHEMA_REF, normalize, webhook_payloads
from codegen.repair import RepairError, repair_spec
from codegen.spec_diff import parse_spec_text

ROOT = Path(__file__).resolve().parent.parent
PACKAGE_DIR = ROOT / "wassist_api_client"
CONFIG = ROOT / "generator-config.yaml"
TEMPLATES = Path(__file__).resolve().parent / "templates"
NORMALIZED_SPEC = ROOT / "build" / "openapi.normalized.json"
GENERATED_DIRS = ("api", "models", "resources")  # resources/: codegen/namespaces.py, from operation_modules()
# Top-level generated modules; every other top-level file (`__init__.py`, `_*.py`, public hand-written
# modules such as `webhooks.py`, `py.typed`) is hand-written and never touched. `_cli_commands.py` is the
# `wassist` command table (codegen/cli_table.py).
GENERATED_FILES = (
    "client.py",
    "errors.py",
    "types.py",
    "webhook_events.py",
    "_spec_defaults.py",
    "openapi.normalized.json",
    "_cli_commands.py",
)
# The normalized spec shipped as package data (for wassist_api_client.testing), with each operation's module.
SHIPPED_SPEC = "openapi.normalized.json"
OPERATION_MODULES_KEY = "x-operation-modules"
RUFF_SETTINGS = ["--isolated", "--line-length", "120", "--target-version", "py310"]


class GenerationError(Exception):
    pass


def is_generated(relative: Path) -> bool:
    """Generated: everything under GENERATED_DIRS, and the GENERATED_FILES at the top."""
    if relative.parts[0] in GENERATED_DIRS:
        return True
    return len(relative.parts) == 1 and relative.name in GENERATED_FILES


def generated_files(package_dir: Path) -> dict[Path, bytes]:
    files = (p for p in package_dir.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    return {p.relative_to(package_dir): p.read_bytes() for p in files if is_generated(p.relative_to(package_dir))}


def dump_json(document: Any) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def load_normalized(spec_path: Path) -> dict[str, Any]:
    document = parse_spec_text(spec_path.read_text(encoding="utf-8"))
    try:
        document, repairs = repair_spec(document)
    except RepairError:
        repairs = []  # not valid OpenAPI, and not repairable: generated as it is (`make update-spec` refuses it)
    for repaired in repairs:
        print(f"repaired {repaired}")
    spec: dict[str, Any] = normalize(document)
    for path, path_item in spec.get("paths", {}).items():
        for method, operation in path_item.items():
            media_types = operation.get("requestBody", {}).get("content", {}) if isinstance(operation, dict) else {}
            if len(media_types) > 1:
                raise GenerationError(f"{method.upper()} {path}: more than one request media type after normalizing")
    return spec


@dataclass(frozen=True)
class OperationModule:
    """Where one operation of a normalized spec lives in the package: `api.<parts>`."""

    method: str  # lower case, as in the spec
    path: str
    parts: tuple[str, ...]  # ("conversations", "messages", "list_"): package(s), then the module
    operation: dict[str, Any]

    @property
    def dotted(self) -> str:
        return ".".join(self.parts)

    @property
    def file(self) -> Path:
        return Path("api", *self.parts[:-1], f"{self.parts[-1]}.py")

    @property
    def deprecation(self) -> str:
        """The `@deprecated` message of its functions (and namespace methods); empty unless the spec deprecates it."""
        if self.operation.get("deprecated") is not True:
            return ""
        return f"{self.method.upper()} {self.path} is deprecated by the API"

    @property
    def label(self) -> str:
        original = self.operation.get("x-original-operation-id", self.operation["operationId"])
        return f"{self.method.upper()} {self.path} ({original})"

    @property
    def generator_file(self) -> Path:
        """Where openapi-python-client writes it: api/<tag>/<operationId>.py, as it turns both into identifiers."""
        tag = PythonIdentifier(self.operation["tags"][0], prefix="tag")
        return Path("api", tag, f"{PythonIdentifier(self.operation['operationId'], prefix='field_')}.py")


def operation_modules(spec: dict[str, Any]) -> list[OperationModule]:
    """Every operation of a normalized spec with its module: the one place that maps operations to import paths
    (namespaces, the CLI and the change report read it; nothing else derives module names).

    The import path is the one codegen/normalize/ chose (codegen/naming.py, `x-module`).
    """
    modules: list[OperationModule] = []
    for path, path_item in spec.get("paths", {}).items():
        for method, operation in path_item.items():
            if isinstance(operation, dict) and "x-module" in operation:
                parts = tuple(operation["x-module"].split("."))
                modules.append(OperationModule(method, path, parts, operation))
    return modules


def separation_notes(spec: dict[str, Any]) -> list[str]:
    """One line per operation whose name had to be separated from another one's."""
    return [
        f"{module.method.upper()} {module.path} -> api.{module.dotted}: separated, {note}"
        for module in operation_modules(spec)
        if (note := module.operation.get("x-module-separated"))
    ]


def expected_endpoint_modules(spec: dict[str, Any]) -> dict[Path, str]:
    """api/<...>/<module>.py for every operation of a normalized spec, with a label for messages."""
    return {module.file: module.label for module in operation_modules(spec)}


FALLBACK_API_KEY_HEADER = "X-API-Key"  # Wassist's, for a spec that declares no apiKey-in-header scheme
FALLBACK_BASE_URL = "https://backend.wassist.app"  # Wassist's, for a spec without an absolute first server
SPEC_DEFAULTS = """\"\"\"What the client takes from the spec. Generated by `make generate`: never edit.\"\"\"

API_KEY_HEADER = {header!r}  # {header_source}
DEFAULT_BASE_URL = {base_url!r}  # {base_url_source}
"""


def spec_defaults(spec: dict[str, Any]) -> tuple[str, list[str]]:
    """The `_spec_defaults.py` module for a spec (the API-key header, the default base URL), and a note for each
    default the spec does not give."""
    notes: list[str] = []
    schemes = (spec.get("components") or {}).get("securitySchemes") or {}
    header_scheme = next(
        (
            (name, scheme["name"])
            for name, scheme in schemes.items()
            if isinstance(scheme, dict)
            and scheme.get("type") == "apiKey"
            and scheme.get("in") == "header"
            and isinstance(scheme.get("name"), str)
            and scheme["name"]
        ),
        None,
    )
    if header_scheme is None:
        header, header_source = FALLBACK_API_KEY_HEADER, "the spec has no apiKey-in-header scheme: Wassist's header"
        notes.append(f"the spec declares no apiKey-in-header security scheme: the client sends the key as {header}")
    else:
        header, header_source = header_scheme[1], f"securitySchemes {header_scheme[0]!r}"
    servers = spec.get("servers") or []
    first = servers[0] if servers and isinstance(servers[0], dict) else {}
    url = str(first.get("url") or "")
    for variable, definition in (first.get("variables") or {}).items():
        if isinstance(definition, dict) and "default" in definition:
            url = url.replace("{" + variable + "}", str(definition["default"]))
    if url.startswith(("http://", "https://")) and "{" not in url:
        base_url, base_url_source = url.rstrip("/"), "servers[0].url"
    else:
        base_url, base_url_source = FALLBACK_BASE_URL, "the spec has no absolute first server: Wassist's URL"
        found = f"its first server is {url!r}" if url else "it has no servers"
        notes.append(f"the spec gives no absolute base URL ({found}): the client defaults to {base_url}")
    text = SPEC_DEFAULTS.format(
        header=header, header_source=header_source, base_url=base_url, base_url_source=base_url_source
    )
    return text, notes


def operations_template(modules: list[OperationModule]) -> str:
    """What templates/endpoint_module.py.jinja needs to know of each operation beyond what the generator gives it:
    how deep its module sits once placed (for its relative imports) and its deprecation message, if any."""
    facts = {
        module.generator_file.with_suffix("").relative_to("api").as_posix(): {
            "depth": len(module.parts) - 1,
            "deprecated": module.deprecation,
        }
        for module in modules
    }
    return (
        "{# written by codegen/generate.py from the normalized spec #}\n{% set modules = " + json.dumps(facts) + " %}\n"
    )


def webhook_event_models(spec: dict[str, Any]) -> dict[str, str | None]:
    """Every webhook event of a normalized spec -> the class in `models` its payload parses into, or None for
    a payload that is not an object model (delivered as plain JSON). The class is named by the generator's
    own function, as it names the component's model."""
    schemas = spec.get("components", {}).get("schemas", {})
    events: dict[str, str | None] = {}
    for event, media in webhook_payloads(spec).items():
        schema = media["schema"]
        members = schema.get("allOf")
        if isinstance(members, list) and len(members) == 1 and "properties" not in schema:
            schema = members[0]  # a wrapper that only annotates the component
        ref = schema.get("$ref")
        name = ref[len(SCHEMA_REF) :] if isinstance(ref, str) and ref.startswith(SCHEMA_REF) else None
        target = schemas.get(name) if name is not None else None
        events[event] = str(ClassName(str(name), "field_")) if _is_object_model(target) else None
    return events


def _is_object_model(schema: Any) -> bool:
    """A component the generator makes an attrs model of (not an enum, a union or a plain value)."""
    if not isinstance(schema, dict) or {"enum", "oneOf", "anyOf"} & schema.keys():
        return False
    return schema.get("type") == "object" or bool({"properties", "allOf"} & schema.keys())


def webhook_events_module(spec: dict[str, Any]) -> str:
    """The source of `webhook_events.py`: the table `webhooks.verify` reads to type each event's `data`."""
    events = webhook_event_models(spec)
    names = "".join(f"    {event!r},\n" for event in events)
    models = "".join(f"    {event!r}: {model!r},\n" for event, model in events.items() if model is not None)
    return (
        '"""The webhook events the spec describes (`make generate` writes this file from its `webhooks`).\n\n'
        "`EVENT_MODELS` maps an event name to the class in `models` that `webhooks.verify` parses its payload\n"
        "into; an event not in it (a payload that is not an object, or an event newer than the spec) is plain JSON.\n"
        '"""\n\n'
        f"EVENTS: tuple[str, ...] = (\n{names})\n\n"
        f"EVENT_MODELS: dict[str, str] = {{\n{models}}}\n"
    )


def run(command: list[str], cwd: Path | None = None) -> str:
    # A fixed hash seed, so that nothing the tools iterate in set order can vary between runs.
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    output = result.stdout + result.stderr
    if result.returncode != 0:
        raise GenerationError(f"{' '.join(command[:4])} ... failed:\n{output}")
    return output


def generate_into(spec: dict[str, Any], work_dir: Path) -> Path:
    """Run the generator and the formatter; return the freshly generated package directory."""
    spec_file = work_dir / "openapi.normalized.json"
    spec_file.write_text(dump_json(spec), encoding="utf-8")
    templates = work_dir / "templates"
    shutil.copytree(TEMPLATES, templates)
    (templates / "_operations.jinja").write_text(operations_template(operation_modules(spec)), encoding="utf-8")
    output_dir = work_dir / "wassist_api_client"
    bin_dir = Path(sys.executable).parent
    output = run(
        [
            str(bin_dir / "openapi-python-client"),
            "generate",
            "--path",
            str(spec_file),
            "--meta",
            "none",
            "--output-path",
            str(output_dir),
            "--config",
            str(CONFIG),
            "--custom-template-path",
            str(templates),
        ]
    )
    # The generator reports dropped operations and models as warnings but still exits 0.
    modules = operation_modules(spec)
    missing = sorted(module.label for module in modules if not (output_dir / module.generator_file).is_file())
    if missing or any(word in output for word in ("Warning", "Skipping", "Unable")):
        dropped = "no module generated for: " + ", ".join(missing) + "\n" if missing else ""
        raise GenerationError(f"openapi-python-client could not generate everything.\n{dropped}{output}")
    (output_dir / "_spec_defaults.py").write_text(spec_defaults(spec)[0], encoding="utf-8")
    place_endpoint_modules(modules, output_dir)
    from codegen.namespaces import render_namespaces  # here: codegen.namespaces imports this module

    render_namespaces(modules, output_dir)
    (output_dir / "webhook_events.py").write_text(webhook_events_module(spec), encoding="utf-8")
    try:
        table = cli_table.commands(spec, operation_modules(spec))
    except cli_table.CommandTableError as error:
        raise GenerationError(f"the `wassist` command table: {error}") from error
    (output_dir / "_cli_commands.py").write_text(cli_table.render(table), encoding="utf-8")
    ruff = str(bin_dir / "ruff")
    run([ruff, "check", *RUFF_SETTINGS, "--fix-only", "--select", "F401,I,UP", "--quiet", str(output_dir)])
    run([ruff, "format", *RUFF_SETTINGS, "--quiet", str(output_dir)])
    (output_dir / SHIPPED_SPEC).write_text(dump_json(shipped_spec(spec)), encoding="utf-8")
    return output_dir


def place_endpoint_modules(modules: list[OperationModule], output_dir: Path) -> None:
    """Move each endpoint module from the generator's api/<tag>/ to its package, api/<resource>/<sub>/..., each
    package with the generator's package docstring (the same for every tag)."""
    api = output_dir / "api"
    placed = output_dir / "api.placed"
    placed.mkdir()
    shutil.move(api / "__init__.py", placed / "__init__.py")
    sources = [module.generator_file for module in modules]
    if len(set(sources)) != len(sources):
        raise GenerationError("two operations would share one generated module: " + ", ".join(map(str, sources)))
    package_init = (api / sources[0].parts[1] / "__init__.py").read_bytes() if sources else b""
    for module, source in zip(modules, sources, strict=True):
        target = placed.joinpath(*module.file.parts[1:])
        for depth in range(1, len(module.parts)):
            package = placed.joinpath(*module.parts[:depth])
            package.mkdir(exist_ok=True)
            (package / "__init__.py").write_bytes(package_init)
        shutil.move(output_dir / source, target)
    shutil.rmtree(api)
    placed.rename(api)


def shipped_spec(spec: dict[str, Any]) -> dict[str, Any]:
    """The normalized spec with a top-level extension mapping "METHOD /path" to the operation's module
    under api/ (dotted), so that code in the package finds an operation from its module without re-deriving names."""
    table = {f"{module.method.upper()} {module.path}": module.dotted for module in operation_modules(spec)}
    return {**spec, OPERATION_MODULES_KEY: table}


def install(fresh_dir: Path, package_dir: Path) -> None:
    """Replace the generated files of package_dir with those of fresh_dir; keep hand-written ones."""
    package_dir.mkdir(parents=True, exist_ok=True)
    for name in GENERATED_DIRS:
        shutil.rmtree(package_dir / name, ignore_errors=True)
    for name in GENERATED_FILES:
        (package_dir / name).unlink(missing_ok=True)
    for relative, content in generated_files(fresh_dir).items():
        target = package_dir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    if package_dir.resolve() != PACKAGE_DIR:
        # A package generated elsewhere (tests, other specs) needs the hand-written runtime too.
        for hand_written in PACKAGE_DIR.iterdir():
            if is_generated(Path(hand_written.name)) or hand_written.name == "__pycache__":
                continue
            if hand_written.is_dir():
                shutil.copytree(
                    hand_written,
                    package_dir / hand_written.name,
                    dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("__pycache__"),
                )
            else:
                shutil.copy2(hand_written, package_dir / hand_written.name)


def diff(committed: dict[Path, bytes], fresh: dict[Path, bytes]) -> Iterator[str]:
    for relative in sorted(committed.keys() | fresh.keys()):
        old, new = committed.get(relative), fresh.get(relative)
        if old != new:
            yield from difflib.unified_diff(
                (old or b"").decode().splitlines(keepends=True),
                (new or b"").decode().splitlines(keepends=True),
                f"committed/{relative}" if old is not None else "/dev/null",
                f"generated/{relative}" if new is not None else "/dev/null",
            )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--spec", type=Path, default=ROOT / "openapi.json")
    parser.add_argument("--package-dir", type=Path, default=PACKAGE_DIR)
    parser.add_argument("--check", action="store_true", help="compare with the committed code instead of writing")
    args = parser.parse_args(argv)
    try:
        spec = load_normalized(args.spec)
        for note in spec_defaults(spec)[1]:
            print(f"note: {note}")
        with tempfile.TemporaryDirectory(prefix="wassist-generate-") as work:
            fresh_dir = generate_into(spec, Path(work))
            for note in separation_notes(spec):
                print(note)
            if args.check:
                lines = list(diff(generated_files(args.package_dir), generated_files(fresh_dir)))
                if lines:
                    sys.stdout.writelines(lines)
                    print(f"\n{args.package_dir} differs from what {args.spec} generates: run `make generate`.")
                    return 1
                print(f"{args.package_dir} is up to date with {args.spec}.")
                return 0
            install(fresh_dir, args.package_dir)
        if args.package_dir.resolve() == PACKAGE_DIR:
            NORMALIZED_SPEC.parent.mkdir(exist_ok=True)
            NORMALIZED_SPEC.write_text(dump_json(spec), encoding="utf-8")
    except (GenerationError, ValueError, OSError) as error:
        print(f"make generate failed: {error}", file=sys.stderr)
        return 1
    print(f"Generated {args.package_dir} from {args.spec}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
