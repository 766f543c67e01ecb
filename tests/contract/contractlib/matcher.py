"""Type matching for the static contract: annotations against schemas, attrs classes against object schemas.

`Matcher` answers, for one spec and one generated package, whether a Python annotation accepts what a
schema allows (by direction: what is sent, what is received), and maps a model's fields to JSON
properties by behaviour (which attribute changes when one property of a valid instance changes; which
keys `to_dict()` writes). The checks in `checks.py` use it.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import typing
import uuid
from dataclasses import dataclass
from typing import Any

import attrs

from .instances import InstanceError, build
from .package import NoneType, Package
from .schemas import canonical, first_difference, json_equal
from .spec import ContractSpec, Direction, Json, Shape, class_name

Problems = list[str]
SCALARS: dict[str, Any] = {"integer": int, "number": float, "boolean": bool}
STRING_FORMATS: dict[str, Any] = {"uuid": uuid.UUID, "date-time": dt.datetime, "date": dt.date}


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
        if shape.nullable != (NoneType in members):
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


__all__ = ["Mapped", "Matcher", "Problems"]
