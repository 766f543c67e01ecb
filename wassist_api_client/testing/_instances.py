"""Deterministic, seeded JSON instances of OpenAPI schemas: what the fake answers when nobody said otherwise.

Every property a response may carry is filled (read-only ones included, write-only ones never), with the
schema's `example` where it has one, else a value of its type, format, enum, bounds or pattern drawn from a
`random.Random` the caller seeds.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import string
import uuid
from importlib import import_module
from typing import Any

from ._schemas import SCHEMA_REF, Json

# The regex parser of the standard library (re._parser since 3.11, sre_parse before), to draw from patterns.
try:
    sre_parse: Any = import_module("re._parser")
    sre_constants: Any = import_module("re._constants")
except ImportError:  # pragma: no cover - Python 3.10
    sre_parse = import_module("sre_parse")
    sre_constants = import_module("sre_constants")

MAX_DEPTH = 5
_EPOCH = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
_WORDS = ("alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel")


class Instances:
    def __init__(self, spec: Json) -> None:
        self._components: Json = (spec.get("components") or {}).get("schemas") or {}

    def build(self, node: Json, rand: random.Random, *, depth: int = 0, use_examples: bool = True) -> Any:
        node = self._deref(node)
        if "example" in node and use_examples and not _is_container(node):
            return node["example"]
        for key in ("allOf",):
            if isinstance(node.get(key), list) and node[key]:
                return self._all_of(node, rand, depth, use_examples)
        for key in ("oneOf", "anyOf"):
            members = [m for m in node.get(key) or [] if self._deref(m).get("type") != "null"]
            if members:
                return self.build(members[0], rand, depth=depth + 1, use_examples=use_examples)
        enum = [value for value in node.get("enum") or [] if value is not None]
        if enum:
            return enum[rand.randrange(len(enum))]
        kind = node.get("type")
        if kind == "object" or "properties" in node:
            return self._object(node, rand, depth, use_examples)
        if kind == "array":
            return self._array(node, rand, depth, use_examples)
        if kind == "string":
            return _string(node, rand)
        if kind in ("integer", "number"):
            return _number(node, rand, integer=kind == "integer")
        if kind == "boolean":
            return rand.random() < 0.5
        if node.get("enum") == [None] or kind == "null":
            return None
        return _WORDS[rand.randrange(len(_WORDS))]  # an untyped schema: any JSON

    def _deref(self, node: Json) -> Json:
        for _ in range(20):
            ref = node.get("$ref")
            if not (isinstance(ref, str) and ref.startswith(SCHEMA_REF)):
                break
            node = self._components.get(ref[len(SCHEMA_REF) :], {})
        return node

    def properties(self, node: Json) -> dict[str, Json]:
        """The properties of an object schema, allOf members merged."""
        node = self._deref(node)
        merged: dict[str, Json] = {}
        for member in node.get("allOf") or []:
            merged.update(self.properties(member))
        merged.update(node.get("properties") or {})
        return merged

    def _all_of(self, node: Json, rand: random.Random, depth: int, use_examples: bool) -> Any:
        members = [self._deref(member) for member in node["allOf"]]
        if len(members) == 1 and not node.get("properties"):
            return self.build(members[0], rand, depth=depth + 1, use_examples=use_examples)
        return self._object(node, rand, depth, use_examples)

    def _object(self, node: Json, rand: random.Random, depth: int, use_examples: bool) -> Any:
        out: Json = {}
        if depth > MAX_DEPTH:
            return out
        required = set(node.get("required") or [])
        for member in node.get("allOf") or []:
            required |= set(self._deref(member).get("required") or [])
        for name, prop in self.properties(node).items():
            if prop.get("writeOnly") is True:
                continue
            resolved = self._deref(prop)
            if depth >= MAX_DEPTH - 1 and name not in required and _is_container(resolved):
                continue  # deep optional objects stop here, so recursive schemas end
            out[name] = self.build(prop, rand, depth=depth + 1, use_examples=use_examples)
        return out

    def _array(self, node: Json, rand: random.Random, depth: int, use_examples: bool) -> list[Any]:
        low = int(node.get("minItems", 0))
        count = max(low, 1 if depth <= MAX_DEPTH else 0)
        count = min(count, int(node.get("maxItems", count)))
        items: Json = node["items"] if isinstance(node.get("items"), dict) else {}
        built = [self.build(items, rand, depth=depth + 1, use_examples=use_examples) for _ in range(count)]
        if node.get("uniqueItems") and len({repr(item) for item in built}) < len(built):
            built = built[:1]
        return built


def _is_container(node: Json) -> bool:
    return node.get("type") in ("object", "array") or "properties" in node or "allOf" in node


def _string(node: Json, rand: random.Random) -> str:
    fmt = node.get("format")
    if fmt == "uuid":
        return str(uuid.UUID(int=rand.getrandbits(128), version=4))
    if fmt == "date-time":
        return (_EPOCH + dt.timedelta(seconds=rand.randrange(86400 * 365))).isoformat().replace("+00:00", "Z")
    if fmt == "date":
        return (_EPOCH + dt.timedelta(days=rand.randrange(365))).date().isoformat()
    if fmt == "uri":
        return f"https://example.com/{_WORDS[rand.randrange(len(_WORDS))]}/{rand.randrange(1000)}"
    if fmt == "email":
        return f"{_WORDS[rand.randrange(len(_WORDS))]}{rand.randrange(100)}@example.com"
    if fmt in ("byte", "binary"):
        return "ZmFrZQ=="
    if isinstance(node.get("pattern"), str):
        found = _from_pattern(node["pattern"], rand)
        if found is not None:
            return found
    low, high = int(node.get("minLength", 1)), int(node.get("maxLength", 0)) or None
    text = f"{_WORDS[rand.randrange(len(_WORDS))]} {rand.randrange(1000)}"
    while len(text) < low:
        text += " " + _WORDS[rand.randrange(len(_WORDS))]
    return text[:high] if high is not None else text


def _number(node: Json, rand: random.Random, *, integer: bool) -> float:
    low = node.get("minimum", 0 if integer else 0.0)
    high = node.get("maximum", low + 1000)
    if node.get("exclusiveMinimum") is True or isinstance(node.get("exclusiveMinimum"), (int, float)):
        bound = node["exclusiveMinimum"] if not isinstance(node["exclusiveMinimum"], bool) else low
        low = bound + (1 if integer else 0.5)
    if node.get("exclusiveMaximum") is True or isinstance(node.get("exclusiveMaximum"), (int, float)):
        bound = node["exclusiveMaximum"] if not isinstance(node["exclusiveMaximum"], bool) else high
        high = bound - (1 if integer else 0.5)
    if integer:
        value: float = rand.randint(int(low), max(int(low), int(high)))
        step = node.get("multipleOf")
        if isinstance(step, int) and step > 0:
            value = (int(value) // step) * step if int(value) // step * step >= low else -(-int(low) // step) * step
        return int(value)
    return float(round(low + (max(high, low) - low) * rand.random(), 2))


def _from_pattern(pattern: str, rand: random.Random) -> str | None:
    """A string matching a (simple) regex, or None when it uses something not drawn here."""
    try:
        parsed = sre_parse.parse(pattern)
        drawn = _emit(list(parsed), rand)
    except (re.error, ValueError, TypeError):
        return None
    return drawn if re.search(pattern, drawn) else None


def _emit(items: list[tuple[Any, Any]], rand: random.Random) -> str:
    out = []
    for op, arg in items:
        if op is sre_constants.LITERAL:
            out.append(chr(arg))
        elif op is sre_constants.IN:
            out.append(_one_of_class(arg, rand))
        elif op is sre_constants.ANY:
            out.append(rand.choice(string.ascii_lowercase))
        elif op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT):
            low, high, sub = arg
            high = low + 3 if high is sre_constants.MAXREPEAT else high
            out.extend(_emit(list(sub), rand) for _ in range(rand.randint(low, max(low, min(high, low + 3)))))
        elif op is sre_constants.SUBPATTERN:
            out.append(_emit(list(arg[-1]), rand))
        elif op is sre_constants.BRANCH:
            out.append(_emit(list(arg[1][0]), rand))
        elif op is sre_constants.AT:
            continue
        else:
            raise ValueError(f"regex element {op} not drawn")
    return "".join(out)


def _one_of_class(items: list[tuple[Any, Any]], rand: random.Random) -> str:
    choices: list[str] = []
    for op, arg in items:
        if op is sre_constants.LITERAL:
            choices.append(chr(arg))
        elif op is sre_constants.RANGE:
            choices.extend(chr(code) for code in range(arg[0], min(arg[1], arg[0] + 25) + 1))
        elif op is sre_constants.CATEGORY:
            choices.extend(string.digits if "DIGIT" in str(arg) else string.ascii_lowercase)
        else:
            raise ValueError(f"class element {op} not drawn")
    if not choices:
        raise ValueError("empty class")
    return rand.choice(choices)
