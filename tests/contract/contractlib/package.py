"""Introspection of a generated package: endpoint modules, attrs models, annotations, values."""

from __future__ import annotations

import contextlib
import datetime as dt
import enum
import functools
import importlib
import io
import operator
import pkgutil
import types
import typing
import uuid
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import attrs

NoneType = type(None)


class Package:
    """One imported generated package (wassist_api_client, or `<stem>_client` generated from a corpus spec)."""

    def __init__(self, module: ModuleType) -> None:
        self.module = module
        self.name = module.__name__
        self.types = importlib.import_module(f"{self.name}.types")
        self.models = importlib.import_module(f"{self.name}.models")
        self.Unset: type = self.types.Unset
        self.UNSET: Any = self.types.UNSET
        self.File: type = self.types.File

    def __repr__(self) -> str:
        return f"<Package {self.name}>"

    @functools.cached_property
    def namespace(self) -> dict[str, Any]:
        """Names annotations may use: every model (some are imported only under TYPE_CHECKING) and the types."""
        names: dict[str, Any] = {"datetime": dt, "UUID": uuid.UUID, "Any": Any}
        names.update({name: getattr(self.types, name) for name in ("Unset", "UNSET", "File", "FileTypes")})
        for name in getattr(self.models, "__all__", ()):
            names[name] = getattr(self.models, name)
        return names

    def model_class(self, name: str) -> type | None:
        try:
            found = getattr(self.models, name)
        except AttributeError:
            return None
        return found if isinstance(found, type) else None

    def endpoint_modules(self) -> dict[tuple[str, ...], ModuleType]:
        """Every endpoint module under api/ (packages nest: api/<resource>/<sub>/...), by its names below api."""
        api = importlib.import_module(f"{self.name}.api")
        found: dict[tuple[str, ...], ModuleType] = {}
        for module in pkgutil.walk_packages(api.__path__, f"{api.__name__}."):
            if not module.ispkg:
                parts = tuple(module.name[len(api.__name__) + 1 :].split("."))
                found[parts] = importlib.import_module(module.name)
        return found

    def hints(self, obj: Any) -> dict[str, Any]:
        """Annotations, with the type parameters of generic bases (`Model["str"]`) filled in."""
        hints = typing.get_type_hints(obj, localns=self.namespace)
        for base in getattr(obj, "__orig_bases__", ()):
            parameters = getattr(typing.get_origin(base), "__parameters__", ())
            arguments = [self.evaluate(argument) for argument in typing.get_args(base)]
            if parameters:
                bound = dict(zip(parameters, arguments, strict=True))
                hints = {name: self.substitute(hint, bound) for name, hint in hints.items()}
        return hints

    def evaluate(self, annotation: Any) -> Any:
        if isinstance(annotation, typing.ForwardRef):
            return typing.get_type_hints(
                types.SimpleNamespace(__annotations__={"x": annotation.__forward_arg__}), localns=self.namespace
            )["x"]
        return annotation

    @staticmethod
    def substitute(annotation: Any, bound: dict[Any, Any]) -> Any:
        if annotation in bound:
            return bound[annotation]
        arguments = typing.get_args(annotation)
        if not arguments:
            return annotation
        substituted = tuple(Package.substitute(argument, bound) for argument in arguments)
        origin = typing.get_origin(annotation)
        if origin in (typing.Union, types.UnionType):
            return functools.reduce(operator.or_, substituted)
        return origin[substituted] if origin is not typing.ClassVar else annotation

    # --- annotations ------------------------------------------------------------------------------------------

    @staticmethod
    def flatten(annotation: Any) -> list[Any]:
        if typing.get_origin(annotation) in (typing.Union, types.UnionType):
            return [member for arg in typing.get_args(annotation) for member in Package.flatten(arg)]
        return [annotation]

    @staticmethod
    def is_model(annotation: Any) -> bool:
        return isinstance(annotation, type) and attrs.has(annotation) and hasattr(annotation, "from_dict")

    @staticmethod
    def is_enum(annotation: Any) -> bool:
        return isinstance(annotation, type) and issubclass(annotation, enum.Enum)

    @staticmethod
    def fields(cls: type) -> list[str]:
        """The fields that stand for properties: the constructor's (not additional_properties, not private state)."""
        return [field.name for field in attrs.fields(cls) if field.init and field.name != "additional_properties"]

    @contextlib.contextmanager
    def collect_issues(self) -> Iterator[list[Any]]:
        """Schema mismatches the models record while parsing in the block (packages whose models record
        them: `_issues.collect_issues`); an empty list for packages whose models only raise."""
        try:
            validation = importlib.import_module(f"{self.name}._issues")
        except ImportError:
            validation = None
        collect = getattr(validation, "collect_issues", None)
        if collect is None:
            yield []
            return
        with collect() as issues:
            yield issues

    def parse(self, cls: type, instance: Any) -> tuple[Any, list[str]]:
        """`cls.from_dict(instance)` and the mismatches the models recorded meanwhile (lenient models keep
        data that does not fit and record it; on a valid instance there must be nothing to record)."""
        with self.collect_issues() as issues:
            parsed = cls.from_dict(instance)  # type: ignore[attr-defined]
        return parsed, [str(issue) for issue in issues]

    def from_dict(self, cls: type, instance: Any) -> Any:
        """`cls.from_dict(instance)`, raising ValueError when the models record a mismatch."""
        parsed, issues = self.parse(cls, instance)
        if issues:
            raise ValueError("the model recorded mismatches: " + "; ".join(issues))
        return parsed

    @staticmethod
    def has_additional(cls: type) -> bool:
        """Whether instances keep unknown properties (an attrs field, or a slot of a base class)."""
        return hasattr(cls, "additional_properties")

    def describe(self, annotation: Any) -> str:
        if annotation is NoneType:
            return "None"
        if annotation is Any:
            return "Any"
        origin = typing.get_origin(annotation)
        if origin in (typing.Union, types.UnionType):
            return " | ".join(self.describe(arg) for arg in typing.get_args(annotation))
        if origin is not None:
            return f"{origin.__name__}[{', '.join(self.describe(arg) for arg in typing.get_args(annotation))}]"
        if isinstance(annotation, type):
            return annotation.__qualname__ if annotation.__module__ != "datetime" else f"datetime.{annotation.__name__}"
        return repr(annotation)

    # --- values -----------------------------------------------------------------------------------------------

    def plain(self, value: Any) -> Any:
        """A comparable form of a parsed value (File payloads by content, models by their fields)."""
        if isinstance(value, self.File):
            return ("File", self.plain(value.payload), value.file_name, value.mime_type)
        if isinstance(value, io.BytesIO):
            return value.getvalue()
        if attrs.has(type(value)):
            fields = attrs.fields(type(value))
            plain = {f.name: self.plain(getattr(value, f.name)) for f in fields if f.eq}
            plain["additional_properties"] = self.plain(getattr(value, "additional_properties", None))
            return (type(value).__name__, plain)
        if isinstance(value, enum.Enum):
            return (type(value).__name__, value.value)
        if isinstance(value, dict):
            return {key: self.plain(item) for key, item in value.items()}
        if isinstance(value, (list, tuple)):
            return [self.plain(item) for item in value]
        if isinstance(value, bool):
            return ("bool", value)
        return value

    def to_json(self, value: Any) -> Any:
        """What a parsed value stands for in JSON: models by to_dict(), enums by value, Files by their bytes."""
        if isinstance(value, self.File):
            payload = value.payload
            return payload.getvalue() if hasattr(payload, "getvalue") else payload.read()
        if hasattr(value, "to_dict") and attrs.has(type(value)):
            return value.to_dict()
        if isinstance(value, enum.Enum):
            return value.value
        if isinstance(value, list):
            return [self.to_json(item) for item in value]
        if isinstance(value, (dt.datetime, dt.date)):
            return value.isoformat()
        if isinstance(value, uuid.UUID):
            return str(value)
        return value

    def python_value(self, annotation: Any, value: Any) -> Any:
        """The argument that stands for a JSON value, by annotation (models by from_dict, enums by value, ...)."""
        members = [m for m in self.flatten(annotation) if m is not self.Unset]
        if value is None and NoneType in members:
            return None
        errors = []
        for member in members:
            if member is NoneType:
                continue
            try:
                return self._python_value(member, value)
            except (TypeError, ValueError, KeyError, AttributeError) as error:
                errors.append(f"{self.describe(member)}: {error!r}")
        raise TypeError(f"{value!r} fits none of {self.describe(annotation)} ({'; '.join(errors)})")

    def _python_value(self, member: Any, value: Any) -> Any:
        origin = typing.get_origin(member)
        if member is Any:
            return value
        if origin is list:
            if not isinstance(value, list):
                raise TypeError("not a list")
            (item,) = typing.get_args(member) or (Any,)
            return [self.python_value(item, entry) for entry in value]
        if member is self.File:
            if not isinstance(value, bytes):
                raise TypeError("not bytes")
            return self.File(payload=io.BytesIO(value), file_name="contract.txt", mime_type="text/plain")
        if self.is_model(member):
            if not isinstance(value, dict):
                raise TypeError("not an object")
            return self.from_dict(member, value)
        if self.is_enum(member):
            return member(value)
        if member is uuid.UUID:
            return uuid.UUID(value)
        if member is dt.datetime:
            return dt.datetime.fromisoformat(value)
        if member is dt.date:
            if not isinstance(value, str):
                raise TypeError("not a string")
            return dt.date.fromisoformat(value)
        if member is bool:
            if not isinstance(value, bool):
                raise TypeError("not a bool")
            return value
        if member is float:
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise TypeError("not a number")
            return value
        if member in (int, str):
            if not isinstance(value, member) or isinstance(value, bool):
                raise TypeError(f"not {member.__name__}")
            return value
        if origin is dict or member is dict:
            if not isinstance(value, dict):
                raise TypeError("not a dict")
            return value
        raise TypeError(f"no rule for {self.describe(member)}")

    def sample(self, annotation: Any, variant: int) -> Any:
        """A value of an annotation alone (for telling arguments apart); variants differ where the type allows."""
        members = [m for m in self.flatten(annotation) if m not in (self.Unset, NoneType)]
        if not members:
            return None
        member = members[0]
        origin = typing.get_origin(member)
        if origin is list:
            (item,) = typing.get_args(member) or (Any,)
            return [self.sample(item, variant)]
        if self.is_enum(member):
            values = list(member)
            return values[variant % len(values)]
        if member is bool:
            return variant % 2 == 1
        if member is int:
            return 1 + variant
        if member is float:
            return 1.5 + variant
        if member is uuid.UUID:
            return uuid.UUID(int=0x3FA85F6457174562B3FC2C963F66AF00 + variant)
        if member is dt.datetime:
            return dt.datetime(2024, 1, 1 + variant, tzinfo=dt.timezone.utc)
        if member is dt.date:
            return dt.date(2024, 1, 1 + variant)
        if member is self.File:
            return self.File(payload=io.BytesIO(b"file %d" % variant), file_name="f.txt", mime_type="text/plain")
        return f"value{variant}"
