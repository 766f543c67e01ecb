"""Operations and webhook events of a spec: their nodes, parameters, request schemas and main media type."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from codegen.spec_diff._nodes import JSONDict, _dict, _list, _resolve

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def _operation_nodes(spec: JSONDict) -> dict[str, tuple[JSONDict, JSONDict]]:
    """`METHOD /path` -> (operation, its path item), in path then method order."""
    found: dict[str, tuple[JSONDict, JSONDict]] = {}
    for path, raw_item in sorted(_dict(spec.get("paths")).items()):
        item = _resolve(spec, raw_item)
        for method in HTTP_METHODS:
            if isinstance(item.get(method), dict):
                found[f"{method.upper()} {path}"] = (item[method], item)
    return found


def webhook_payloads(spec: JSONDict) -> dict[str, Any]:
    """Webhook event (3.1 `webhooks`, else 3.0 `x-webhooks`) -> the schema of its payload: the body of its POST
    (or of its first operation with a body) in its main media type; None when it has none."""
    payloads: dict[str, Any] = {}
    for section in ("webhooks", "x-webhooks"):
        for event, raw_item in _dict(spec.get(section)).items():
            if event in payloads:
                continue
            item = _resolve(spec, raw_item)
            payloads[event] = None
            for method in ("post", *(method for method in HTTP_METHODS if method != "post")):
                content = _dict(_resolve(spec, _dict(item.get(method)).get("requestBody")).get("content"))
                media_type = _main_media_type(content)
                if media_type is not None:
                    payloads[event] = _dict(content[media_type]).get("schema")
                    break
    return payloads


def _parameters(spec: JSONDict, operation: JSONDict, path_item: JSONDict) -> dict[tuple[str, str], JSONDict]:
    """(location, name) -> parameter; operation-level parameters override path-level ones."""
    params: dict[tuple[str, str], JSONDict] = {}
    for raw in _list(path_item.get("parameters")) + _list(operation.get("parameters")):
        param = _resolve(spec, raw)
        params[(str(param.get("in")), str(param.get("name")))] = param
    return params


def _parameter_schema(param: JSONDict) -> Any:
    if "schema" in param:
        return param["schema"]
    for media in _dict(param.get("content")).values():
        return _dict(media).get("schema")
    return None


def _request_schemas(spec: JSONDict, operation: JSONDict, path_item: JSONDict) -> Iterator[Any]:
    for param in _parameters(spec, operation, path_item).values():
        yield _parameter_schema(param)
    for media in _dict(_resolve(spec, operation.get("requestBody")).get("content")).values():
        yield _dict(media).get("schema")


def _main_media_type(content: JSONDict) -> str | None:
    """The media type the generated client uses: JSON when offered, else the first one."""
    for media_type in content:
        if media_type.split(";")[0].strip() == "application/json":
            return media_type
    for media_type in content:
        if "json" in media_type:
            return media_type
    return next(iter(content), None)
