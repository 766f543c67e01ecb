"""What an operation answers by default: its documented success status with a schema-valid body.

The body comes from the documented example when there is one, else from the schema (seeded, so the same
requests get the same answers in every run); path parameters and request fields are echoed where the
response has a property of that name; a list answers the page `limit`/`offset` ask for, with a `next` link.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from typing import Any

import httpx2

from ._instances import Instances
from ._operations import Json, Operation
from ._schemas import Schemas


@dataclass
class Answer:
    status: int
    body: Any = None  # JSON, or None for no body
    headers: dict[str, str] = field(default_factory=dict)
    content: bytes | None = None  # a non-JSON body, as is

    def encode(self) -> tuple[dict[str, str], bytes]:
        headers = dict(self.headers)
        if self.content is not None:
            return headers, self.content
        if self.body is None and self.status == 204:
            return headers, b""
        headers.setdefault("Content-Type", "application/json")
        return headers, json.dumps(self.body).encode()


def success_status(op: Operation) -> str:
    """The documented 2xx status (the lowest), or 200 when only `default` is documented."""
    statuses = sorted(status for status in (op.node.get("responses") or {}) if str(status).startswith("2"))
    return str(statuses[0]) if statuses else "200"


def response_media(op: Operation, status: str) -> tuple[str | None, Json | None, Json]:
    """(media type, schema, media object) documented for a status (its NXX or default as fallbacks)."""
    responses: Json = op.node.get("responses") or {}
    response = responses.get(status) or responses.get(f"{status[0]}XX") or responses.get("default") or {}
    for media_type, media in (response.get("content") or {}).items():
        return media_type, (media or {}).get("schema") or {}, media or {}
    return None, None, {}


def is_json(media_type: str | None) -> bool:
    media = (media_type or "").split(";")[0].strip().lower()
    return media == "application/json" or media.endswith("+json")


class DefaultAnswers:
    def __init__(self, spec: Json, schemas: Schemas, *, seed: int, list_size: int) -> None:
        self._instances = Instances(spec)
        self._schemas = schemas
        self._seed = seed
        self.list_size = list_size
        self._examples_fit: dict[int, bool] = {}

    def answer(
        self, op: Operation, path_params: dict[str, str], request: httpx2.Request, body: Any, count: int
    ) -> Answer:
        """The answer to the `count`-th (0-based) call of `op`."""
        status = success_status(op)
        media_type, schema, media = response_media(op, status)
        code = int(status) if status.isdigit() else 200
        if media_type is None or schema is None:
            return Answer(code)
        if not is_json(media_type):
            return Answer(code, headers={"Content-Type": media_type}, content=b"fake content from WassistFake\n")
        rand = random.Random(f"{self._seed}:{op.key}:{count}")
        page = self._page(op, schema, request)
        if page is not None:
            return Answer(code, page)
        built = self._valid(schema, rand, media)
        if isinstance(built, dict):
            built = self._echo(schema, built, path_params, body)
        return Answer(code, built)

    def _valid(self, schema: Json, rand: random.Random, media: Json) -> Any:
        if "example" in media and self._schemas.is_valid(schema, media["example"], "response"):
            return media["example"]
        # Whether the schema's own examples fit is learnt once per schema: the values drawn around them always
        # fit their type, format, enum, bounds and pattern, so one valid build vouches for the next ones.
        use_examples = self._examples_fit.get(id(schema))
        built = self._instances.build(schema, rand, use_examples=use_examples is not False)
        if use_examples is None:
            use_examples = self._schemas.is_valid(schema, built, "response")
            self._examples_fit[id(schema)] = use_examples
            if not use_examples:
                built = self._instances.build(schema, rand, use_examples=False)  # an example that does not fit
        return built

    def _echo(self, schema: Json, built: Json, path_params: dict[str, str], body: Any) -> Json:
        """Path parameters and request fields copied into the properties of the same name, where they fit."""
        properties = self._instances.properties(schema)
        candidates: dict[str, Any] = dict(body) if isinstance(body, dict) else {}
        candidates.update(path_params)
        echoed = dict(built)
        for name, value in candidates.items():
            if name not in properties or properties[name].get("writeOnly") is True:
                continue
            typed = _typed(value, self._schemas.resolve(properties[name]))
            if self._schemas.is_valid(properties[name], typed, "response"):
                echoed[name] = typed
        return echoed

    def _page(self, op: Operation, schema: Json, request: httpx2.Request) -> Any:
        """A page of a list operation (DRF's envelope or a bare array), or None for any other operation."""
        resolved = self._schemas.resolve(schema)
        properties = self._instances.properties(resolved)
        envelope = "results" in properties and self._schemas.resolve(properties["results"]).get("type") == "array"
        if not envelope and resolved.get("type") != "array":
            return None
        item_schema = (self._schemas.resolve(properties["results"]) if envelope else resolved).get("items") or {}
        names = {param.get("name") for param in op.parameters if param.get("in") == "query"}
        limit = _int(request.url.params.get("limit")) if "limit" in names else None
        offset = (_int(request.url.params.get("offset")) or 0) if "offset" in names else 0
        total = self.list_size
        end = total if limit is None else min(total, offset + limit)
        items = [self._item(op, item_schema, index) for index in range(offset, end)]
        if not envelope:
            return items
        page: Json = {
            "count": total,
            "next": _link(request, end, limit) if end < total else None,
            "previous": _link(request, max(0, offset - (limit or total)), limit) if offset > 0 else None,
            "results": items,
        }
        extra = {name: prop for name, prop in properties.items() if name not in page}
        rand = random.Random(f"{self._seed}:{op.key}:page")
        for name, prop in extra.items():
            page[name] = self._instances.build(prop, rand)
        return {name: value for name, value in page.items() if name in properties}

    def _item(self, op: Operation, schema: Json, index: int) -> Any:
        return self._valid(schema, random.Random(f"{self._seed}:{op.key}:item:{index}"), {})


def _int(raw: str | None) -> int | None:
    try:
        return max(0, int(raw)) if raw is not None else None
    except ValueError:
        return None


def _link(request: httpx2.Request, offset: int, limit: int | None) -> str:
    params = request.url.params.set("offset", str(offset))
    if limit is not None:
        params = params.set("limit", str(limit))
    return str(request.url.copy_with(params=params))


def _typed(value: Any, schema: Json) -> Any:
    if isinstance(value, str) and schema.get("type") == "integer" and value.lstrip("-").isdigit():
        return int(value)
    return value
