"""The static contract: check functions (spec document, imported package) -> problems.

Each problem is one line naming the operation (`operation POST /path (resource.action)`) or the schema
(`schema Name`, or `... .property (inline)`) and the field or parameter it is about. An empty list means
the package agrees with the spec on that point. Nothing is compared by re-deriving the generator's
naming rules except through the generator's own functions (module and class names); fields are matched
to JSON properties by behaviour (which attribute changes when one property of a valid instance changes;
which keys `to_dict()` writes), parameters by which query key, path segment, header or cookie changes
when one argument changes.
"""

from __future__ import annotations

import copy
import datetime as dt
import inspect
import io
import json
import typing
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import attrs
import httpx2

from .instances import InstanceError, build
from .package import NoneType, Package
from .schemas import canonical, first_difference, json_equal, payload_bytes
from .spec import ContractSpec, Direction, Json, Operation, Shape, class_name, identifier

Problems = list[str]
FUNCTIONS = ("sync", "sync_detailed", "asyncio", "asyncio_detailed")
SCALARS: dict[str, Any] = {"integer": int, "number": float, "boolean": bool}
STRING_FORMATS: dict[str, Any] = {"uuid": uuid.UUID, "date-time": dt.datetime, "date": dt.date}

_SPECS: dict[str, ContractSpec] = {}


def contract_spec(document: Json) -> ContractSpec:
    """The ContractSpec of a document (normalized once per distinct document)."""
    key = json.dumps(document, sort_keys=True)
    if key not in _SPECS:
        _SPECS[key] = ContractSpec(document, str(document.get("info", {}).get("title", "spec")))
    return _SPECS[key]


def _unique(problems: Problems) -> Problems:
    return list(dict.fromkeys(problems))


def _endpoints(spec: ContractSpec, package: Package, function: str) -> Iterator[tuple[Operation, ModuleType]]:
    """Each operation with its endpoint module, where the module exists and has `function`
    (a missing module is check_modules' finding, not every check's)."""
    modules = package.endpoint_modules()
    for op in spec.operations:
        endpoint = modules.get(op.module_path)
        if endpoint is not None and hasattr(endpoint, function):
            yield op, endpoint


# --- type matching ----------------------------------------------------------------------------------------------


@dataclass
class Mapped:
    fields: dict[str, str]  # JSON property -> attrs field
    problems: Problems
    parsed: Any  # from_dict of `full`
    full: Any  # a valid instance with every property
    fatal: bool = False  # nothing could be mapped


class Matcher:
    """Compares annotations with schemas, and attrs classes with object schemas (each class once per view)."""

    def __init__(self, spec: ContractSpec, package: Package) -> None:
        self.spec = spec
        self.package = package
        self.problems: Problems = []
        self._checked: set[tuple[type, int, str, bool]] = set()
        self._mappings: dict[tuple[type, int, str], Mapped] = {}

    def annotation(
        self, annotation: Any, node: Json, *, required: bool | None, direction: Direction, where: str
    ) -> None:
        """`required=None` for slots that are never absent (list items, additionalProperties values)."""
        members = self.package.flatten(annotation)
        shape = self.spec.shape(node)
        shown = self.package.describe(annotation)
        unset = self.package.Unset in members
        if required is not None and unset == required:
            state = (
                "required in the spec but optional (`| Unset`) in the code"
                if required
                else "optional in the spec but required (no `| Unset`) in the code"
            )
            self.problems.append(f"{where}: {state}: {shown}")
        if required is None and unset:
            self.problems.append(f"{where}: can never be absent, but the code allows Unset: {shown}")
        if shape.nullable != (NoneType in members) and not (shape.kind == "any" and Any in members):  # Any has None
            state = (
                "nullable in the spec but the code does not allow None"
                if shape.nullable
                else ("not nullable in the spec but the code allows None")
            )
            self.problems.append(f"{where}: {state}: {shown}")
        core = [m for m in members if m is not self.package.Unset and m is not NoneType]
        self.core(core, shape, direction=direction, where=where, shown=shown)

    def core(self, core: list[Any], shape: Shape, *, direction: Direction, where: str, shown: str) -> None:
        if shape.kind == "null":
            if core:
                self.problems.append(f"{where}: the spec allows only null, the code says {shown}")
            return
        if shape.kind == "union":
            left = list(core)
            for member in shape.members:
                member_shape = self.spec.shape(member)
                hit = next((a for a in left if not self.single(a, member_shape, direction, where, dry=True)), None)
                if hit is None:
                    self.problems.append(
                        f"{where}: the code ({shown}) has no type for the spec's {self.explain(member_shape)}"
                    )
                else:
                    left.remove(hit)
                    self.problems.extend(self.single(hit, member_shape, direction, where))
            for extra in left:
                self.problems.append(f"{where}: {self.package.describe(extra)} in the code matches no type of the spec")
            return
        if len(core) != 1:
            self.problems.append(f"{where}: the spec says {self.explain(shape)}, the code {shown}")
            return
        self.problems.extend(self.single(core[0], shape, direction, where))

    def explain(self, shape: Shape) -> str:
        node = shape.node
        if shape.kind == "enum":
            return f"enum {self.spec.enum_values(node)!r}" + (f" ({shape.ref})" if shape.ref else "")
        if shape.kind == "object":
            return f"object {shape.ref}" if shape.ref else "an inline object"
        if shape.kind == "string" and node.get("format"):
            return f"string (format {node['format']})"
        return shape.kind

    def expected_scalar(self, shape: Shape, direction: Direction) -> Any:
        if shape.kind == "string":
            fmt = shape.node.get("format")
            if fmt == "binary":
                # Bytes travel in requests (multipart, octet-stream); a JSON response can only hold text there.
                return self.package.File if direction == "request" else str
            return STRING_FORMATS.get(str(fmt), str)
        return SCALARS[shape.kind]

    def single(self, annotation: Any, shape: Shape, direction: Direction, where: str, *, dry: bool = False) -> Problems:
        """Problems of one non-None, non-Unset member of an annotation against one shape."""
        shown = self.package.describe(annotation)
        kind = shape.kind
        if kind == "enum":
            if not self.package.is_enum(annotation):
                return [f"{where}: the spec says {self.explain(shape)}, the code {shown}"]
            problems = []
            if shape.ref and annotation.__name__ != class_name(shape.ref):
                problems.append(f"{where}: enum class {shown}, but the spec's {shape.ref} is {class_name(shape.ref)}")
            code = [member.value for member in annotation]
            spec_values = self.spec.enum_values(shape.node)
            if sorted(map(repr, code)) != sorted(map(repr, spec_values)):
                missing = [v for v in spec_values if v not in code]
                extra = [v for v in code if v not in spec_values]
                code_values, wanted = sorted(code, key=repr), sorted(spec_values, key=repr)
                problems.append(
                    f"{where}: enum {shown} has values {code_values!r}, the spec {wanted!r}"
                    + (f"; missing in the code: {missing!r}" if missing else "")
                    + (f"; not in the spec: {extra!r}" if extra else "")
                )
            return problems
        if kind in ("string", "integer", "number", "boolean"):
            expected = self.expected_scalar(shape, direction)
            if annotation is not expected:
                python = self.package.describe(expected)
                return [f"{where}: the spec says {self.explain(shape)} ({python}), the code {shown}"]
            return []
        if kind == "array":
            if typing.get_origin(annotation) is not list:
                return [f"{where}: the spec says array, the code {shown}"]
            if dry:
                return []
            (item,) = typing.get_args(annotation) or (Any,)
            self.annotation(item, shape.node.get("items") or {}, required=None, direction=direction, where=f"{where}[]")
            return []
        if kind == "object":
            if not self.package.is_model(annotation):
                return [f"{where}: the spec says {self.explain(shape)}, the code {shown} (not a model class)"]
            if shape.ref and annotation.__name__ != class_name(shape.ref):
                return [f"{where}: the spec's {shape.ref} is class {class_name(shape.ref)}, the code uses {shown}"]
            if not dry:
                label = f"schema {shape.ref}" if shape.ref else f"{where} (inline object)"
                self.model(annotation, shape.node, direction=direction, label=label)
            return []
        if kind == "any":
            return [] if annotation is Any else [f"{where}: the spec says any JSON value ({{}}), the code {shown}"]
        return [f"{where}: cannot compare {shown} with a {kind} schema"]

    # --- models -----------------------------------------------------------------------------------------------

    def model(self, cls: type, node: Json, *, direction: Direction, label: str, all_optional: bool = False) -> None:
        key = (cls, id(node), direction, all_optional)
        if key in self._checked:
            return
        self._checked.add(key)
        self.problems.extend(self._model(cls, node, direction, label, all_optional))

    def _model(self, cls: type, node: Json, direction: Direction, label: str, all_optional: bool) -> Problems:
        package, spec = self.package, self.spec
        view = spec.object_view(node, direction)
        name = cls.__name__
        problems: Problems = []
        if all_optional and view.required:
            problems.append(
                f"{label}: a PATCH body has every field optional, but the spec requires {sorted(view.required)}"
            )
        try:
            hints = package.hints(cls)
        except Exception as error:
            return [*problems, f"{label}: the annotations of {name} do not resolve: {error!r}"]
        # additionalProperties: kept whatever the spec says (the live API sends more than its spec documents)
        if not package.has_additional(cls):
            problems.append(f"{label}: {name} has no additional_properties, so extra properties are lost")
        else:
            extra = hints["additional_properties"]
            if typing.get_origin(extra) is not dict:
                problems.append(f"{label}: additional_properties of {name} is {package.describe(extra)}, not a dict")
            elif isinstance(view.additional, dict) and view.additional:
                self.annotation(
                    typing.get_args(extra)[1],
                    view.additional,
                    required=None,
                    direction=direction,
                    where=f"{label}: additionalProperties",
                )
        # which field holds which property
        mapped = self.mapping(cls, node, direction, label)
        if mapped.fatal:
            return [*problems, *mapped.problems]
        problems.extend(mapped.problems)
        mapping, parsed, full = mapped.fields, mapped.parsed, mapped.full
        for prop, field in mapping.items():
            required = prop in view.required and not all_optional
            self.annotation(
                hints[field],
                view.properties[prop],
                required=required,
                direction=direction,
                where=f"{label}: property {prop!r} (field {name}.{field})",
            )
        # what to_dict() writes
        try:
            written = parsed.to_dict()  # type: ignore[attr-defined]
        except Exception as error:
            return [*problems, f"{label}: {name}.to_dict() failed: {error!r}"]
        if set(written) != set(full):
            missing, extra = sorted(set(full) - set(written)), sorted(set(written) - set(full))
            problems.append(
                f"{label}: {name}.to_dict() keys differ from the properties: missing {missing}, extra {extra}"
            )
        else:
            difference = first_difference(canonical(spec, node, full), canonical(spec, node, written))
            if difference:
                problems.append(f"{label}: {name}.from_dict -> to_dict changed a valid instance at {difference}")
        return problems

    def mapping(self, cls: type, node: Json, direction: Direction, label: str) -> Mapped:
        """Which field of `cls` holds which property: change one property of a valid instance, see which field
        of `from_dict`'s result changes (cached per class, schema and direction)."""
        key = (cls, id(node), direction)
        if key not in self._mappings:
            self._mappings[key] = self._find_mapping(cls, node, direction, label)
        return self._mappings[key]

    def _find_mapping(self, cls: type, node: Json, direction: Direction, label: str) -> Mapped:
        package, spec = self.package, self.spec
        view = spec.object_view(node, direction)
        name = cls.__name__
        fields = package.fields(cls)
        try:
            hints = package.hints(cls)
            full = build(spec, node, 0, direction=direction, full=True, where=label)
        except InstanceError as error:
            return Mapped({}, [f"{label}: no valid instance to probe {name} with: {error}"], None, None, fatal=True)
        except Exception as error:
            return Mapped({}, [f"{label}: the annotations of {name} do not resolve: {error!r}"], None, None, fatal=True)
        # Lenient models keep what does not fit their annotations (and record it): go on mapping with what they
        # kept, so that a field whose type changed is still named, then report what they recorded.
        issues: list[str] = []
        parsed, error = self._from_dict(cls, full, issues)
        if error:
            problem = f"{label}: {name}.from_dict(a valid instance with every property) failed: {error}"
            return Mapped({}, [problem], None, full, fatal=True)
        problems: Problems = []
        base = {f: package.plain(getattr(parsed, f)) for f in [*fields, "additional_properties"] if hasattr(parsed, f)}
        mapping: dict[str, str] = {}
        unresolved: list[str] = []
        for prop, prop_schema in view.properties.items():
            alternative = copy.deepcopy(full)
            other = build(spec, prop_schema, 1, direction=direction, full=True, where=f"{label}.{prop}")
            if not json_equal(other, full[prop]):
                alternative[prop] = other
            elif prop not in view.required:
                del alternative[prop]
            elif spec.shape(prop_schema).nullable:
                alternative[prop] = None
            else:
                unresolved.append(prop)
                continue
            changed_obj, error = self._from_dict(cls, alternative, issues)
            if error:
                problems.append(f"{label}: property {prop!r}: {name}.from_dict failed on a valid instance: {error}")
                continue
            changed = [f for f in base if package.plain(getattr(changed_obj, f)) != base[f]]
            if changed == ["additional_properties"]:
                problems.append(
                    f"{label}: property {prop!r} has no field in {name} (from_dict keeps it in additional_properties)"
                )
            elif len(changed) == 1:
                mapping[prop] = changed[0]
            else:
                problems.append(f"{label}: property {prop!r}: changing it changes fields {changed} of {name}")
        left = [f for f in fields if f not in mapping.values()]
        if len(unresolved) == 1 and len(left) == 1:
            mapping[unresolved.pop()] = left.pop()
        for prop in unresolved:
            problems.append(f"{label}: property {prop!r}: cannot tell which field of {name} holds it")
        for field in left:
            key = self._json_key(parsed, field, hints[field])
            problems.append(f"{label}: field {field!r} of {name}{key} is no property of the spec's schema")
        for issue in dict.fromkeys(issues):
            problems.append(f"{label}: {name}.from_dict recorded a mismatch on a valid instance: {issue}")
        return Mapped(mapping, problems, parsed, full)

    # --- building arguments -----------------------------------------------------------------------------------

    def construct(self, annotation: Any, node: Json, value: Any, direction: Direction = "request") -> Any:
        """The Python value a caller passes for a JSON value: models through their constructor (fields found by
        `mapping`, the rest as additional properties), files as File, enums, UUIDs and dates parsed."""
        package = self.package
        members = [m for m in package.flatten(annotation) if m is not package.Unset and m is not NoneType]
        if value is None and NoneType in package.flatten(annotation):
            return None
        shape = self.spec.shape(node)
        candidates = list(shape.members) if shape.kind == "union" else [node]
        errors = []
        for candidate in candidates:
            for member in members:
                try:
                    return self._construct_one(member, candidate, value, direction)
                except (TypeError, ValueError, KeyError, AttributeError) as error:
                    errors.append(f"{package.describe(member)}: {error!r}")
        raise TypeError(f"{value!r:.200} fits none of {package.describe(annotation)} ({'; '.join(errors)})")

    def _construct_one(self, member: Any, node: Json, value: Any, direction: Direction) -> Any:
        package = self.package
        shape = self.spec.shape(node)
        if package.is_model(member):
            if not isinstance(value, dict) or shape.kind != "object":
                raise TypeError("not an object")
            mapped = self.mapping(member, shape.node, direction, f"{member.__name__} (building an argument)")
            if mapped.fatal:
                raise TypeError("; ".join(mapped.problems))
            hints = package.hints(member)
            properties = self.spec.object_view(shape.node, direction).properties
            arguments = {}
            extras = {}
            for key, item in value.items():
                field = mapped.fields.get(key)
                if field is None:
                    extras[key] = item
                else:
                    arguments[field] = self.construct(hints[field], properties[key], item, direction)
            instance = member(**arguments)
            if extras:
                instance.additional_properties.update(extras)
            return instance
        if typing.get_origin(member) is list:
            if not isinstance(value, list) or shape.kind != "array":
                raise TypeError("not a list")
            (item,) = typing.get_args(member) or (Any,)
            return [self.construct(item, shape.node.get("items") or {}, entry, direction) for entry in value]
        if member is package.File:
            data = value.encode() if isinstance(value, str) else value
            if not isinstance(data, bytes):
                raise TypeError("not a file's content")
            return package.File(payload=io.BytesIO(data), file_name="contract-test.txt", mime_type="text/plain")
        return package.python_value(member, value)

    def _json_key(self, parsed: Any, field: str, annotation: Any) -> str:
        """` (JSON key 'x')`: the key to_dict() writes for a field once it holds a value, for messages."""
        try:
            before = set(parsed.to_dict())
            changed = attrs.evolve(parsed, **{field: self.package.sample(annotation, 0)})
            keys = set(changed.to_dict()) - before
        except Exception:
            return ""
        return f" (JSON key {sorted(keys)[0]!r})" if len(keys) == 1 else ""

    def _from_dict(self, cls: type, instance: Any, issues: list[str] | None = None) -> tuple[Any, str | None]:
        """Parse a valid instance; a crash is an error, recorded mismatches go to `issues` (or are an error)."""
        try:
            parsed, recorded = self.package.parse(cls, copy.deepcopy(instance))
            if recorded and issues is None:
                return None, "the model recorded mismatches: " + "; ".join(recorded)
            if issues is not None:
                issues.extend(recorded)
            return parsed, None
        except KeyError as error:
            return None, f"KeyError: the code requires the key {error.args[0]!r}, absent from the instance"
        except Exception as error:
            return None, repr(error)

    def value(self, value: Any, node: Json, *, direction: Direction, where: str) -> None:
        """Check a parsed value (what `_parse_response` returned) against a schema."""
        shape = self.spec.shape(node)
        if value is None:
            if not shape.nullable:
                self.problems.append(f"{where}: parsed as None, the spec says {self.explain(shape)}")
            return
        if shape.kind == "union":
            if not any(
                not self._value_problems(value, self.spec.shape(member), direction, where) for member in shape.members
            ):
                self.problems.append(f"{where}: parsed as {type(value).__name__}, fits no member of the spec's union")
            return
        self.problems.extend(self._value_problems(value, shape, direction, where))

    def _value_problems(self, value: Any, shape: Shape, direction: Direction, where: str) -> Problems:
        if shape.kind == "array":
            if not isinstance(value, list):
                return [f"{where}: parsed as {type(value).__name__}, the spec says array"]
            for item in value:
                self.value(item, shape.node.get("items") or {}, direction=direction, where=f"{where}[]")
            return []
        if shape.kind in ("object", "enum") or (shape.kind == "string" and shape.node.get("format") == "binary"):
            return self.single(type(value), shape, direction, where)
        if shape.kind == "any":
            return []
        if shape.kind in ("string", "integer", "number", "boolean"):
            expected = self.expected_scalar(shape, direction)
            ok = isinstance(value, expected) and not (expected is not bool and isinstance(value, bool))
            if expected is float:
                ok = isinstance(value, (int, float)) and not isinstance(value, bool)
            return [] if ok else [f"{where}: parsed as {type(value).__name__}, the spec says {self.explain(shape)}"]
        return [f"{where}: parsed as {type(value).__name__}, the spec says {shape.kind}"]


# --- operations: modules, functions, routes -----------------------------------------------------------------------


def check_modules(document: Json, module: ModuleType) -> Problems:
    """Every operation has api/<resource>/<action>.py with the four functions; no module lacks an operation."""
    spec, package = contract_spec(document), Package(module)
    problems: Problems = []
    found = package.endpoint_modules()
    expected = {op.module_path: op for op in spec.operations}
    for path, op in expected.items():
        endpoint = found.get(path)
        if endpoint is None:
            problems.append(f"{op.label}: no module api/{path[0]}/{path[1]}.py")
            continue
        for name in FUNCTIONS:
            function = getattr(endpoint, name, None)
            if not callable(function):
                problems.append(f"{op.label}: api/{path[0]}/{path[1]}.py has no function {name}()")
            elif name.startswith("asyncio") != inspect.iscoroutinefunction(function):
                problems.append(f"{op.label}: {name}() should {'' if name.startswith('asyncio') else 'not '}be async")
    for path in sorted(found.keys() - expected.keys()):
        problems.append(f"module api/{path[0]}/{path[1]}.py: no operation of the spec generates it")
    return problems


def _call_arguments(matcher: Matcher, endpoint: ModuleType, op: Operation, variant: int = 0) -> dict[str, Any]:
    """Arguments for `_get_kwargs`: every required one (by annotation), and a body built from the spec."""
    package = matcher.package
    signature = inspect.signature(endpoint._get_kwargs)
    hints = package.hints(endpoint._get_kwargs)
    arguments: dict[str, Any] = {}
    for name, parameter in signature.parameters.items():
        if name == "body" and op.body is not None:
            continue
        if parameter.default is inspect.Parameter.empty:
            arguments[name] = package.sample(hints[name], variant)
    body = op.body
    if "body" in signature.parameters and body is not None:
        instance = build(op.spec, body.schema, variant, direction="request", full=True, where=f"{op.label} body")
        arguments["body"] = matcher.construct(hints["body"], body.schema, instance)
    return arguments


def _route(op: Operation, kwargs: dict[str, Any]) -> dict[tuple[str, str], Any]:
    """Where each argument ended up: (in, name) -> value, for path segments, query keys, headers, cookies."""
    out: dict[tuple[str, str], Any] = {}
    match = op.path_pattern().match(str(kwargs.get("url")))
    if match:
        for index, name in enumerate(op.path_names()):
            out["path", name] = match.group(f"g{index}")
    for key, value in (kwargs.get("params") or {}).items():
        out["query", key] = value
    for key, value in (kwargs.get("headers") or {}).items():
        if key.lower() != "content-type":
            out["header", key] = value
    for key, value in (kwargs.get("cookies") or {}).items():
        out["cookie", key] = value
    return out


def parameter_mapping(
    matcher: Matcher, endpoint: ModuleType, op: Operation
) -> tuple[dict[tuple[str, str], str], Problems]:
    """(in, JSON name) -> Python argument of `_get_kwargs`, found by changing one argument at a time."""
    package = matcher.package
    problems: Problems = []
    signature = inspect.signature(endpoint._get_kwargs)
    hints = package.hints(endpoint._get_kwargs)
    base = _call_arguments(matcher, endpoint, op)
    before = _route(op, endpoint._get_kwargs(**base))
    mapping: dict[tuple[str, str], str] = {}
    for name, parameter in signature.parameters.items():
        if name == "body" and op.body is not None:  # else `body` is a parameter so named
            continue
        arguments = dict(base)
        required = parameter.default is inspect.Parameter.empty
        arguments[name] = package.sample(hints[name], 1 if required else 0)
        if not required and package.plain(arguments[name]) == package.plain(parameter.default):
            # The sample is the argument's default (`flag: bool = False`): the request would not change.
            arguments[name] = package.sample(hints[name], 1)
        if required and package.plain(arguments[name]) == package.plain(base[name]):
            arguments[name] = None if NoneType in package.flatten(hints[name]) else arguments[name]
        try:
            after = _route(op, endpoint._get_kwargs(**arguments))
        except Exception as error:
            problems.append(f"{op.label}: argument {name!r}: _get_kwargs failed with {error!r}")
            continue
        changed = [key for key in before.keys() | after.keys() if before.get(key) != after.get(key)]
        if len(changed) == 1:
            mapping[changed[0]] = name
        else:
            problems.append(f"{op.label}: argument {name!r} reaches {sorted(changed) or 'nothing'} of the request")
    return mapping, problems


def check_routes(document: Json, module: ModuleType) -> Problems:
    """`_get_kwargs` sends the spec's method to the spec's path (every path parameter in its place)."""
    spec, package = contract_spec(document), Package(module)
    matcher = Matcher(spec, package)
    problems: Problems = []
    for op, endpoint in _endpoints(spec, package, "_get_kwargs"):
        try:
            arguments = _call_arguments(matcher, endpoint, op)
            kwargs = endpoint._get_kwargs(**arguments)
        except Exception as error:
            problems.append(f"{op.label}: _get_kwargs(valid arguments) failed: {error!r}")
            continue
        if str(kwargs.get("method", "")).lower() != op.method:
            problems.append(f"{op.label}: method: the code sends {kwargs.get('method')!r}, the spec {op.method!r}")
        url = str(kwargs.get("url"))
        match = op.path_pattern().match(url)
        if not match:
            problems.append(f"{op.label}: path: the code sends {url!r}, which does not fit the spec's {op.path!r}")
            continue
        values = [match.group(f"g{index}") for index in range(len(op.path_names()))]
        if any(value == "" or "/" in value for value in values):
            problems.append(f"{op.label}: path: a path parameter is empty in {url!r}")
        for name in ("sync", "sync_detailed", "asyncio", "asyncio_detailed"):
            function = getattr(endpoint, name, None)
            if function is None:
                continue
            taken = [p for p in inspect.signature(function).parameters if p != "client"]
            given = list(inspect.signature(endpoint._get_kwargs).parameters)
            if sorted(taken) != sorted(given):
                problems.append(f"{op.label}: {name}() takes {taken}, _get_kwargs {given}")
    return problems


def check_parameters(document: Json, module: ModuleType) -> Problems:
    """Path, query, header and cookie parameters: one argument each, required/optional and typed as the spec."""
    spec, package = contract_spec(document), Package(module)
    matcher = Matcher(spec, package)
    problems: Problems = []
    for op, endpoint in _endpoints(spec, package, "_get_kwargs"):
        try:
            mapping, found = parameter_mapping(matcher, endpoint, op)
        except Exception as error:
            problems.append(f"{op.label}: cannot call _get_kwargs: {error!r}")
            continue
        problems.extend(found)
        hints = package.hints(endpoint._get_kwargs)
        declared = {(param["in"], param["name"]): param for param in op.parameters}
        for key, param in declared.items():
            where = f"{op.label}: {key[0]} parameter {key[1]!r}"
            argument = mapping.get(key)
            if argument is None:
                problems.append(f"{where}: no argument of the code sends it")
                continue
            required = param.get("required") is True or key[0] == "path"
            matcher.annotation(
                hints[argument],
                param.get("schema") or {},
                required=required,
                direction="request",
                where=f"{where} (argument {argument})",
            )
        for key, argument in mapping.items():
            if key not in declared:
                problems.append(
                    f"{op.label}: argument {argument!r} sends {key[0]} {key[1]!r}, no parameter of the spec"
                )
    return _unique(problems + matcher.problems)


# --- bodies and responses -----------------------------------------------------------------------------------------


def check_request_bodies(document: Json, module: ModuleType) -> Problems:
    """Request bodies: the model has exactly the writable properties (PATCH: all optional), typed as the spec;
    `_get_kwargs` sends it in the spec's media type, unchanged."""
    spec, package = contract_spec(document), Package(module)
    matcher = Matcher(spec, package)
    problems: Problems = []
    for op, endpoint in _endpoints(spec, package, "_get_kwargs"):
        parameters = inspect.signature(endpoint._get_kwargs).parameters
        body = op.body
        if body is None:
            if "body" in parameters and "body" not in {identifier(param["name"]) for param in op.parameters}:
                problems.append(f"{op.label}: the code takes a body, the spec documents none")
            continue
        where = f"{op.label}: request body ({body.media_type})"
        if "body" not in parameters:
            problems.append(f"{where}: the code takes no body argument")
            continue
        annotation = package.hints(endpoint._get_kwargs)["body"]
        shape = spec.shape(body.schema)
        patch = op.method == "patch" and shape.kind == "object"
        if patch:
            core = [m for m in package.flatten(annotation) if m not in (package.Unset, NoneType)]
            if len(core) == 1 and package.is_model(core[0]):
                label = f"schema {shape.ref}" if shape.ref else f"{where} (inline object)"
                matcher.model(core[0], shape.node, direction="request", label=label, all_optional=True)
        matcher.annotation(annotation, body.schema, required=body.required, direction="request", where=where)
        problems.extend(_original_body_properties(spec, op, where))
        problems.extend(_body_sent(matcher, endpoint, op, annotation, where))
    return _unique(problems + matcher.problems)


def _original_body_properties(spec: ContractSpec, op: Operation, where: str) -> Problems:
    """The body schema's properties are those of the ORIGINAL spec's body minus readOnly ones (the split rule)."""
    body = op.body
    original_op = spec.original["paths"][op.path][op.method]
    original_body = original_op.get("requestBody") or {}
    original_content = original_body.get("content") or {}
    media = original_content.get(body.media_type if body else "") or next(iter(original_content.values()), {})
    original_schema = media.get("schema") if isinstance(media, dict) else None
    if body is None or not isinstance(original_schema, dict):
        return []
    original = ContractSpec.__new__(ContractSpec)
    original.schemas = spec.original.get("components", {}).get("schemas", {})
    if original.shape(original_schema).kind != "object" or spec.shape(body.schema).kind != "object":
        return []
    writable = set(original.object_view(original_schema, "request").properties)
    generated = set(spec.object_view(body.schema, "neutral").properties)
    problems = []
    if writable != generated:
        problems.append(
            f"{where}: the normalized body has properties {sorted(generated)}, the original's writable ones are "
            f"{sorted(writable)} (missing {sorted(writable - generated)}, extra {sorted(generated - writable)})"
        )
    return problems


def _body_sent(matcher: Matcher, endpoint: ModuleType, op: Operation, annotation: Any, where: str) -> Problems:
    spec = matcher.spec
    body = op.body
    assert body is not None
    try:
        instance = build(spec, body.schema, 0, direction="request", full=True, where=where)
        value = matcher.construct(annotation, body.schema, instance)
        arguments = _call_arguments(matcher, endpoint, op)
        arguments["body"] = value
        kwargs = endpoint._get_kwargs(**arguments)
    except Exception as error:
        return [f"{where}: cannot send a valid body: {error!r}"]
    media = body.media_type.split(";")[0].strip().lower()
    # What goes on the wire: httpx2 adds the Content-Type of json=, data= and files= itself.
    content_type = httpx2.Client(base_url="http://contract.test").build_request(**kwargs).headers.get("content-type")
    if media == "multipart/form-data":
        files = kwargs.get("files")
        if files is None:
            return [f"{where}: the code does not send multipart files (kwargs {sorted(kwargs)})"]
        names = {name for name, _ in files}
        if names != set(instance):
            return [f"{where}: multipart parts {sorted(names)}, the instance has {sorted(instance)}"]
        return []
    if media == "application/octet-stream" or spec.shape(body.schema).node.get("format") == "binary":
        sent = payload_bytes(kwargs.get("content"))
        return (
            [] if sent == payload_bytes(instance) else [f"{where}: the code sends {sent!r:.80}, not the file's bytes"]
        )
    key = "data" if media == "application/x-www-form-urlencoded" else "json"
    problems = []
    if key not in kwargs:
        return [f"{where}: the code sends no {key}= (kwargs {sorted(kwargs)})"]
    if content_type is None or content_type.split(";")[0].strip().lower() != media:
        problems.append(f"{where}: Content-Type {content_type!r}, the spec {body.media_type!r}")
    difference = first_difference(canonical(spec, body.schema, instance), canonical(spec, body.schema, kwargs[key]))
    if difference:
        problems.append(f"{where}: the body sent differs from the instance given at {difference}")
    return problems


def _is_json(media_type: str) -> bool:
    base = media_type.split(";")[0].strip().lower()
    return base == "application/json" or base.endswith("+json")


def _status_code(status: str, documented: set[str]) -> int:
    if status.isdigit():
        return int(status)
    if status.upper().endswith("XX") and status[0].isdigit():
        return next(int(status[0]) * 100 + n for n in range(100) if str(int(status[0]) * 100 + n) not in documented)
    return next(code for code in (599, 598, 597, 418) if str(code) not in documented)  # "default"


def check_responses(document: Json, module: ModuleType) -> Problems:
    """Every documented status is handled by `_parse_response`, into the documented model (all readable
    properties, typed as the spec), losing nothing of a valid body."""
    spec, package = contract_spec(document), Package(module)
    matcher = Matcher(spec, package)
    problems: Problems = []
    for op, endpoint in _endpoints(spec, package, "_parse_response"):
        documented = {reply.status for reply in op.replies}
        for reply in op.replies:
            code = _status_code(reply.status, documented)
            where = f"{op.label}: response {reply.status}"
            instance: Any = None
            content = b""
            headers = {}
            raw = reply.media_type is not None and not _is_json(reply.media_type)
            if reply.schema is not None:
                try:
                    if raw:  # bytes (or text) as they come, not JSON
                        instance = build(spec, reply.schema, 0, direction="neutral", full=True, where=where)
                        instance = instance if isinstance(instance, bytes) else str(instance).encode()
                    else:
                        instance = build(spec, reply.schema, 0, direction="response", full=True, where=where)
                except InstanceError as error:
                    problems.append(f"{where}: {error}")
                    continue
                content = instance if raw else json.dumps(instance).encode()
                headers = {"content-type": reply.media_type or "application/json"}
            request = httpx2.Request(op.method.upper(), "http://contract.test" + op.path)
            response = httpx2.Response(code, content=content, headers=headers, request=request)
            parse: Callable[..., Any] = endpoint._parse_response
            options = {"strict": True} if "strict" in inspect.signature(parse).parameters else {}
            try:
                parsed = parse(response=response, **options)
            except Exception as error:
                problems.append(f"{where}: _parse_response({code}) raised {error!r}")
                continue
            if reply.schema is None:
                if parsed is not None:
                    problems.append(f"{where}: no body documented, but parsed as {type(parsed).__name__}")
                continue
            if raw:
                received = package.to_json(parsed)
                received = received.encode() if isinstance(received, str) else received
                if received != instance:
                    problems.append(
                        f"{where}: a {reply.media_type} body of {len(instance)} bytes parsed as "
                        f"{type(parsed).__name__} holding {received!r:.60}, not those bytes"
                    )
                continue
            before = len(matcher.problems)
            matcher.value(parsed, reply.schema, direction="response", where=where)
            if len(matcher.problems) == before:
                difference = first_difference(
                    canonical(spec, reply.schema, instance), canonical(spec, reply.schema, package.to_json(parsed))
                )
                if difference:
                    problems.append(f"{where}: parsing lost or changed part of a valid body at {difference}")
    return _unique(problems + matcher.problems)


# --- schemas ------------------------------------------------------------------------------------------------------


def check_models(document: Json, module: ModuleType) -> Problems:
    """Every object schema has its class in models/, with its properties as fields (by direction: request
    schemas without readOnly ones, response schemas without writeOnly ones), typed as the spec."""
    spec, package = contract_spec(document), Package(module)
    matcher = Matcher(spec, package)
    problems: Problems = []
    requests, responses = spec.request_components(), spec.response_components()
    for name, node in spec.model_components().items():
        if spec.shape(node).kind != "object":
            continue
        cls = package.model_class(class_name(name))
        if cls is None:
            problems.append(f"schema {name}: no class {class_name(name)} in {package.name}.models")
            continue
        if not package.is_model(cls):
            problems.append(f"schema {name}: {class_name(name)} is not an attrs model with from_dict")
            continue
        directions: list[Direction] = [
            d for d, used in (("request", requests), ("response", responses)) if name in used
        ]
        for direction in directions or ["neutral"]:
            matcher.model(cls, node, direction=direction, label=f"schema {name}")
    return _unique(problems + matcher.problems)


def check_enums(document: Json, module: ModuleType) -> Problems:
    """Every enum schema has its enum class, with exactly the spec's values."""
    spec, package = contract_spec(document), Package(module)
    problems: Problems = []
    for name, node in spec.model_components().items():
        shape = spec.shape(node)
        if shape.kind != "enum":
            continue
        cls = package.model_class(class_name(name))
        if cls is None or not package.is_enum(cls):
            problems.append(f"schema {name}: no enum class {class_name(name)} in {package.name}.models")
            continue
        code = sorted((member.value for member in cls), key=repr)
        values = sorted(spec.enum_values(shape.node), key=repr)
        if code != values:
            missing = [v for v in values if v not in code]
            extra = [v for v in code if v not in values]
            problems.append(
                f"schema {name}: enum {cls.__name__} has values {code!r}, the spec {values!r}"
                + (f"; missing in the code: {missing!r}" if missing else "")
                + (f"; not in the spec: {extra!r}" if extra else "")
            )
    return problems


CHECKS: dict[str, Callable[[Json, ModuleType], Problems]] = {
    "modules": check_modules,
    "routes": check_routes,
    "parameters": check_parameters,
    "request_bodies": check_request_bodies,
    "responses": check_responses,
    "models": check_models,
    "enums": check_enums,
}


def check_all(document: Json, module: ModuleType) -> Problems:
    problems: Problems = []
    for check in CHECKS.values():
        try:
            problems.extend(check(document, module))
        except Exception as error:
            problems.append(f"{check.__name__} crashed: {error!r}")
    return problems


__all__ = [
    "CHECKS",
    "Matcher",
    "Problems",
    "check_all",
    "check_enums",
    "check_models",
    "check_modules",
    "check_parameters",
    "check_request_bodies",
    "check_responses",
    "check_routes",
    "contract_spec",
    "parameter_mapping",
]
