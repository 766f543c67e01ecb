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

import inspect
import json
from collections.abc import Callable, Iterator
from types import ModuleType
from typing import Any

import httpx2

from .instances import InstanceError, build
from .matcher import Matcher, Problems
from .package import NoneType, Package
from .schemas import canonical, first_difference, payload_bytes
from .spec import ContractSpec, Direction, Json, Operation, class_name, identifier

FUNCTIONS = ("sync", "sync_detailed", "asyncio", "asyncio_detailed")

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
            problems.append(f"{op.label}: no module api/{'/'.join(path)}.py")
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
    """Every documented 2xx status is handled by `_parse_response`, into the documented model (all readable
    properties, typed as the spec), losing nothing of a valid body."""
    spec, package = contract_spec(document), Package(module)
    matcher = Matcher(spec, package)
    problems: Problems = []
    for op, endpoint in _endpoints(spec, package, "_parse_response"):
        documented = {reply.status for reply in op.replies}
        for reply in op.replies:
            code = _status_code(reply.status, documented)
            if not 200 <= code < 300:  # never reaches _parse_response: the client raises a typed status error
                continue
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
