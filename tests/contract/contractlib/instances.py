"""Deterministic valid JSON instances of OpenAPI schemas, without hypothesis.

`build(spec, node, variant=0)` returns an instance with every property (optional ones too) for
`full=True`, or only the required ones; `variant` 0 and 1 give different values wherever the schema
allows two, so that a property can be told apart from its neighbours. Binary strings are text (the
content of a file part; a JSON document cannot hold bytes).
"""

from __future__ import annotations

import base64
import datetime as dt
import math
import re
import uuid
from typing import Any

from .spec import ContractSpec, Direction, Json

try:  # Python 3.11+
    from re import _constants as sre_constants
    from re import _parser as sre_parse
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants  # type: ignore[no-redef]
    import sre_parse  # type: ignore[no-redef]

MAX_DEPTH = 6


class InstanceError(ValueError):
    """No valid instance can be built for a schema (the message says where and why)."""


def build(
    spec: ContractSpec,
    node: Json,
    variant: int = 0,
    *,
    direction: Direction = "neutral",
    full: bool = True,
    where: str = "",
    depth: int = 0,
) -> Any:
    shape = spec.shape(node)
    core = shape.node
    if depth > MAX_DEPTH * 3:
        raise InstanceError(f"{where}: schema nests too deep to build an instance")
    if shape.kind == "null":
        return None
    if shape.kind == "enum":
        values = spec.enum_values(core)
        return values[variant % len(values)]
    if shape.kind == "union":
        member = shape.members[0]
        return build(spec, member, variant, direction=direction, full=full, where=where, depth=depth + 1)
    if shape.kind == "object":
        return _object(spec, core, variant, direction, full, where, depth)
    if shape.kind == "array":
        return _array(spec, core, variant, direction, full, where, depth)
    if shape.kind == "string":
        return string(core, variant, where)
    if shape.kind == "integer":
        return int(_number(core, variant, integer=True, where=where))
    if shape.kind == "number":
        return _number(core, variant, integer=False, where=where)
    if shape.kind == "boolean":
        return variant % 2 == 1
    return {"anything": [variant, f"value {variant}"]}  # an untyped `{}` schema: any JSON


def _object(
    spec: ContractSpec, node: Json, variant: int, direction: Direction, full: bool, where: str, depth: int
) -> dict[str, Any]:
    view = spec.object_view(node, direction)
    out: dict[str, Any] = {}
    for name, prop in view.properties.items():
        optional = name not in view.required
        if optional and (not full or depth >= MAX_DEPTH):
            continue
        if depth >= MAX_DEPTH and spec.shape(prop).nullable:
            out[name] = None  # a required self-reference ends in null
            continue
        out[name] = build(spec, prop, variant, direction=direction, full=full, where=f"{where}.{name}", depth=depth + 1)
    if not view.properties and view.additional is not False:
        # A free-form object: one entry, of the additionalProperties schema when there is one.
        value_schema = view.additional if isinstance(view.additional, dict) else {}
        out[f"key{variant}"] = build(
            spec, value_schema, variant, direction=direction, full=full, where=f"{where}.*", depth=depth + 1
        )
    return out


def _array(
    spec: ContractSpec, node: Json, variant: int, direction: Direction, full: bool, where: str, depth: int
) -> list[Any]:
    low = int(node.get("minItems", 0))
    high = node.get("maxItems")
    count = max(low, 1 if depth < MAX_DEPTH else 0)
    if high is not None:
        count = min(count, int(high))
    items = node.get("items") or {}
    unique = node.get("uniqueItems") is True
    return [
        build(
            spec,
            items,
            variant + index if unique else variant,
            direction=direction,
            full=full,
            where=f"{where}[]",
            depth=depth + 1,
        )
        for index in range(count)
    ]


def _number(node: Json, variant: int, *, integer: bool, where: str) -> float:
    low = node.get("minimum")
    high = node.get("maximum")
    exclusive_low = node.get("exclusiveMinimum")
    exclusive_high = node.get("exclusiveMaximum")
    if isinstance(exclusive_low, (int, float)) and not isinstance(exclusive_low, bool):
        low = exclusive_low
        exclusive_low = True
    if isinstance(exclusive_high, (int, float)) and not isinstance(exclusive_high, bool):
        high = exclusive_high
        exclusive_high = True
    step = node.get("multipleOf")
    if integer:
        start = 1 if low is None else math.floor(low) + 1 if exclusive_low or low != math.floor(low) else int(low)
        candidates: list[float] = [start + variant, start]
    else:
        start_f = 1.5 if low is None else float(low) + (0.5 if exclusive_low else 0.0)
        candidates = [start_f + variant, start_f]
    for value in candidates:
        if step:
            value = math.ceil(value / step) * step
            if integer:
                value = int(value)
        if high is not None and (value > high or (exclusive_high and value >= high)):
            continue
        return value
    if high is not None and low is None:
        value = math.floor(high) - 1 if exclusive_high else math.floor(high)
        return value - variant
    raise InstanceError(f"{where}: no number fits minimum {low!r} maximum {high!r} multipleOf {step!r}")


_FORMATS = {
    "uuid": lambda v: str(uuid.UUID(int=0x3FA85F6457174562B3FC2C963F66AF00 + v)),
    "date-time": lambda v: dt.datetime(2024, 1, 1 + v, 12, 30, tzinfo=dt.timezone.utc).isoformat(),
    "date": lambda v: dt.date(2024, 1, 1 + v).isoformat(),
    "time": lambda v: f"12:30:{v:02d}",
    "email": lambda v: f"user{v}@example.com",
    "idn-email": lambda v: f"user{v}@example.com",
    "uri": lambda v: f"https://example.com/{v}",
    "url": lambda v: f"https://example.com/{v}",
    "uri-reference": lambda v: f"https://example.com/{v}",
    "iri": lambda v: f"https://example.com/{v}",
    "hostname": lambda v: f"host{v}.example.com",
    "ipv4": lambda v: f"192.0.2.{v + 1}",
    "ipv6": lambda v: f"2001:db8::{v + 1}",
    "byte": lambda v: base64.b64encode(f"bytes {v}".encode()).decode(),
    "duration": lambda v: f"P{v + 1}D",
}


def string(node: Json, variant: int = 0, where: str = "") -> Any:
    fmt = node.get("format")
    if fmt == "binary":
        # Text: what a JSON document can hold (and what a file part's content is made of, as bytes).
        return f"contract test file {variant}\n"
    low = int(node.get("minLength", 0))
    high = node.get("maxLength")
    pattern = node.get("pattern")
    if isinstance(pattern, str):
        for attempt in (variant, variant + 2, variant + 4, 0):
            candidate = from_pattern(pattern, attempt)
            if candidate is not None and low <= len(candidate) <= (high if high is not None else math.inf):
                return candidate
        raise InstanceError(f"{where}: no string built for pattern {pattern!r} within length {low}..{high}")
    if fmt in _FORMATS:
        return _FORMATS[fmt](variant)
    text = f"value{variant}"
    if len(text) < low:
        text += "x" * (low - len(text))
    if high is not None and len(text) > int(high):
        text = "ab"[variant % 2] * int(high) if int(high) else ""
    return text


# --- strings for regex patterns ---------------------------------------------------------------------------------

_CATEGORY_CHARS = {
    sre_constants.CATEGORY_DIGIT: "0123456789",
    sre_constants.CATEGORY_NOT_DIGIT: "ab",
    sre_constants.CATEGORY_WORD: "ab0_",
    sre_constants.CATEGORY_NOT_WORD: "-.",
    sre_constants.CATEGORY_SPACE: " ",
    sre_constants.CATEGORY_NOT_SPACE: "ab",
}


def from_pattern(pattern: str, variant: int = 0) -> str | None:
    """A short string that `re.search(pattern, ...)` accepts, or None when the simple walk below fails."""
    try:
        parsed = sre_parse.parse(pattern)
    except re.error:
        return None
    groups: dict[int, str] = {}
    try:
        text = _emit(parsed, variant, groups)
    except (ValueError, IndexError):
        return None
    return text if re.search(pattern, text) else None


def _class_chars(items: list[tuple[Any, Any]]) -> list[str]:
    chars: list[str] = []
    negate = False
    for op, arg in items:
        if op is sre_constants.NEGATE:
            negate = True
        elif op is sre_constants.LITERAL:
            chars.append(chr(arg))
        elif op is sre_constants.RANGE:
            chars.extend(chr(code) for code in range(arg[0], min(arg[1], arg[0] + 10) + 1))
        elif op is sre_constants.CATEGORY:
            chars.extend(_CATEGORY_CHARS.get(arg, "a"))
    if negate:
        excluded = set(chars)
        return [c for c in "abcxyz019_-" if c not in excluded]
    return chars


def _emit(parsed: Any, variant: int, groups: dict[int, str]) -> str:
    out: list[str] = []
    for op, arg in parsed:
        if op is sre_constants.LITERAL:
            out.append(chr(arg))
        elif op is sre_constants.NOT_LITERAL:
            out.append("a" if chr(arg) != "a" else "b")
        elif op is sre_constants.ANY:
            out.append("ab"[variant % 2])
        elif op is sre_constants.IN:
            chars = _class_chars(arg)
            out.append(chars[variant % len(chars)])
        elif op is sre_constants.CATEGORY:
            out.append(_CATEGORY_CHARS.get(arg, "a")[0])
        elif op in (
            sre_constants.MAX_REPEAT,
            sre_constants.MIN_REPEAT,
            getattr(sre_constants, "POSSESSIVE_REPEAT", None),
        ):
            low, high, sub = arg
            count = max(low, 1)
            if variant % 2 == 1 and count + 1 <= high:
                count += 1
            count = min(count, high)
            out.extend(_emit(sub, variant, groups) for _ in range(count))
        elif op is sre_constants.SUBPATTERN:
            group, _, _, sub = arg
            text = _emit(sub, variant, groups)
            if group is not None:
                groups[group] = text
            out.append(text)
        elif op is sre_constants.BRANCH:
            alternatives = arg[1]
            out.append(_emit(alternatives[variant % len(alternatives)], variant, groups))
        elif op is sre_constants.GROUPREF:
            out.append(groups.get(arg, ""))
        elif op in (sre_constants.AT, sre_constants.ASSERT, sre_constants.ASSERT_NOT):
            continue
        else:
            raise ValueError(f"unsupported regex construct {op}")
    return "".join(out)
