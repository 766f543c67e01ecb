"""Import paths for the operations of a spec: `api.<resource>[.<collection>...].<action>` (README "Naming").

A pure function of the spec's paths, their methods and whether each GET answers with a list:

- the API prefix is what comes before the version segment (`v1`, `v1.0`, `v2`) in every path that has one, or,
  without versions, the run of leading static segments every path shares; version segments before a path's first
  parameter are dropped, so they are never a resource;
- the first segment after the prefix is the resource (a package); a later literal segment is a collection (a
  sub-package) when a path parameter follows it in some path or its own path answers GET with a list, otherwise it
  names an action;
- an operation on a collection or its item is named by its method (`list_`, `create`, `retrieve`, `update`,
  `partial_update`, `destroy`); an action by its segment(s), with that method suffix only when its path has
  several methods;
- every name is a valid ASCII identifier (`identifier()`); names that still clash are separated by `_2`, `_3`,
  ... (`separate()`), and each separated operation says so in its note.

A name depends only on the paths below its own resource (and the prefix), so adding a path elsewhere never renames it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

VERSION = re.compile(r"[vV]\d+(?:\.\d+)*")
METHOD_ORDER = ("get", "post", "put", "patch", "delete", "head", "options", "trace")
METHOD_VERBS = {"post": "create", "put": "update", "patch": "partial_update", "delete": "destroy"}
# Fixed lists rather than `keyword`/`builtins` of the running Python, so that names do not depend on its version:
# the keywords, soft keywords and lower-case builtins of Python 3.10-3.13.
# fmt: off
KEYWORDS = frozenset({
    "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del", "elif", "else", "except",
    "finally", "for", "from", "global", "if", "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass",
    "raise", "return", "try", "while", "with", "yield",
})
SOFT_KEYWORDS = frozenset({"match", "case", "type"})
BUILTINS = frozenset({
    "abs", "aiter", "all", "anext", "any", "ascii", "bin", "bool", "breakpoint", "bytearray", "bytes", "callable",
    "chr", "classmethod", "compile", "complex", "copyright", "credits", "delattr", "dict", "dir", "divmod",
    "enumerate", "eval", "exec", "exit", "filter", "float", "format", "frozenset", "getattr", "globals", "hasattr",
    "hash", "help", "hex", "id", "input", "int", "isinstance", "issubclass", "iter", "len", "license", "list",
    "locals", "map", "max", "memoryview", "min", "next", "object", "oct", "open", "ord", "pow", "print", "property",
    "quit", "range", "repr", "reversed", "round", "set", "setattr", "slice", "sorted", "staticmethod", "str", "sum",
    "super", "tuple", "type", "vars", "zip",
})
# fmt: on
RESERVED = KEYWORDS | SOFT_KEYWORDS | BUILTINS


class NamingError(ValueError):
    """A path the rules cannot name (no literal segment after the API prefix)."""


@dataclass(frozen=True)
class Operation:
    method: str  # lower case
    path: str
    is_list: bool = False  # a GET that answers with many (a JSON array or a paginated envelope)


@dataclass(frozen=True)
class Named:
    parts: tuple[str, ...]  # ("conversations", "messages", "list_")
    note: str = ""  # why the name was separated from another one, if it was


def identifier(raw: str) -> str:
    """A valid, lower-case ASCII Python identifier for a path segment (or several joined by `_`).

    camelCase and `-`, `.`, spaces become `_` words; accents are dropped (`café` -> `cafe`); any other non-ASCII
    character becomes `u` + its code point in hex (`日本` -> `u65e5_u672c`); a leading digit gets an `n`
    (`2fa` -> `n2fa`); keywords, soft keywords and builtins get a trailing `_` (`import_`, `list_`, `type_`).
    """
    chars = []
    for char in unicodedata.normalize("NFKD", raw):
        if unicodedata.combining(char):
            continue
        chars.append(char if char.isascii() else f"_u{ord(char):04x}_")
    text = "".join(chars)
    text = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", text)
    text = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", text)
    name = re.sub(r"[^0-9A-Za-z]+", "_", text).strip("_").lower()
    if not name:  # only punctuation: its code points
        name = "_".join(f"u{ord(char):04x}" for char in raw) or "root"
    if name[0].isdigit():
        name = "n" + name
    return name + "_" if name in RESERVED else name


def api_prefix(paths: Iterable[str]) -> list[str]:
    """The segments before the version, shared by every path that has one (`/api/v1/...` -> `api`); in a spec
    without versions, the longest run of leading static segments shared by every path, shortened until each path
    has a static segment (its resource) right after it."""
    split = [_segments(path) for path in paths]
    heads = [segments[: _version_at(segments)] for segments in split if _version_at(segments) is not None]
    if heads:
        return _common(heads)
    prefix = _common(split)
    while prefix and any(len(s) <= len(prefix) or _is_param(s[len(prefix)]) for s in split):
        prefix.pop()
    return prefix


def resource_path(path: str, prefix: list[str]) -> list[str]:
    """A path's segments from its resource on: without the prefix (where it has it) and without version segments
    before its first parameter."""
    segments = _segments(path)
    if segments[: len(prefix)] == prefix:
        segments = segments[len(prefix) :]
    first_param = next((i for i, s in enumerate(segments) if _is_param(s)), len(segments))
    return [s for i, s in enumerate(segments) if i >= first_param or not VERSION.fullmatch(s)]


def name_operations(operations: Iterable[Operation]) -> dict[tuple[str, str], Named]:
    """(method, path) -> its import path below `api`, for every operation; NamingError names each path it cannot."""
    ops = list(operations)
    prefix = api_prefix(op.path for op in ops)
    rests = {op.path: resource_path(op.path, prefix) for op in ops}
    bad = sorted({path for path, rest in rests.items() if not rest or _is_param(rest[0])})
    if bad:
        where = "/" + "/".join(prefix)
        raise NamingError("\n".join(f"{path}: no resource segment after the API prefix {where}" for path in bad))
    shapes = {tuple(_shape(s) for s in rest) for rest in rests.values()}
    lists = {tuple(_shape(s) for s in rests[op.path]) for op in ops if op.method == "get" and op.is_list}
    methods: dict[str, set[str]] = {}
    for op in ops:
        methods.setdefault(op.path, set()).add(op.method)

    def is_collection(shape: tuple[str, ...]) -> bool:
        return shape in lists or any(s[: len(shape) + 1] == (*shape, "{}") for s in shapes)

    tree = _Tree()
    for op in ops:
        rest = rests[op.path]
        package: list[str] = [rest[0]]  # raw segments; `identifier` runs per package below
        pending: list[str] = []
        for index in range(1, len(rest)):
            segment = rest[index]
            if _is_param(segment):
                continue
            if is_collection(tuple(_shape(s) for s in rest[: index + 1])):
                package.append("_".join([*pending, segment]))
                pending = []
            else:
                pending.append(segment)
        on_item = _is_param(rest[-1])
        if pending:
            action = identifier("_".join(pending))
            if len(methods[op.path]) > 1:
                action = f"{action.rstrip('_')}_{_verb(op.method, is_list=False)}"
        else:
            action = identifier(_verb(op.method, is_list=op.is_list and not on_item))
        tree.add(tuple(package), action, op)
    return tree.resolve()


def separate(names: list[str], taken: set[str]) -> list[str]:
    """The names, in order, with every clash (with an earlier one or with `taken`) made unique by `_2`, `_3`, ..."""
    used = set(taken)
    out = []
    for name in names:
        unique, number = name, 1
        while unique in used:
            number += 1
            unique = f"{name.rstrip('_')}_{number}"
        used.add(unique)
        out.append(unique)
    return out


def _verb(method: str, *, is_list: bool) -> str:
    if method == "get":
        return "list" if is_list else "retrieve"
    return METHOD_VERBS.get(method, method)


def _is_param(segment: str) -> bool:
    return "{" in segment


def _shape(segment: str) -> str:
    return "{}" if _is_param(segment) else segment


def _segments(path: str) -> list[str]:
    return [segment for segment in path.split("/") if segment]


def _version_at(segments: list[str]) -> int | None:
    """The index of the first version segment among the leading static ones, if there is one."""
    for index, segment in enumerate(segments):
        if _is_param(segment):
            return None
        if VERSION.fullmatch(segment):
            return index
    return None


def _common(split: list[list[str]]) -> list[str]:
    prefix: list[str] = []
    for column in zip(*split, strict=False):  # stops at the shortest
        if len(set(column)) != 1 or _is_param(column[0]):
            break
        prefix.append(column[0])
    return prefix


def _rank(raw: str) -> tuple[int, str]:
    """Which of several segments with one identifier keeps it: the one already spelled as the identifier, then a
    lower-case kebab-case one, then the rest; ties in code point order."""
    name = identifier(raw)
    if raw == name:
        return 0, raw
    return (1 if raw == raw.lower() and identifier(raw.replace("-", "_")) == name else 2), raw


class _Tree:
    """Packages keyed by their raw segments; identifiers are chosen per package among its siblings only."""

    def __init__(self) -> None:
        self.modules: dict[tuple[str, ...], list[tuple[str, Operation]]] = {}

    def add(self, package: tuple[str, ...], action: str, op: Operation) -> None:
        self.modules.setdefault(package, []).append((action, op))

    def resolve(self) -> dict[tuple[str, str], Named]:
        raw_packages = set(self.modules)
        for package in list(raw_packages):
            raw_packages.update(package[:depth] for depth in range(1, len(package)))
        names: dict[tuple[str, ...], tuple[str, ...]] = {(): ()}
        notes: dict[tuple[str, ...], str] = {}
        for depth in range(1, max(map(len, raw_packages), default=0) + 1):
            by_parent: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
            for package in raw_packages:
                if len(package) == depth:
                    by_parent.setdefault(package[:-1], []).append(package)
            for parent, children in by_parent.items():
                children.sort(key=lambda child: _rank(child[-1]))
                chosen = separate([identifier(child[-1]) for child in children], set())
                for child, name in zip(children, chosen, strict=True):
                    names[child] = (*names[parent], name)
                    if name != identifier(child[-1]):
                        notes[child] = f"{name} (segment {child[-1]!r}: {identifier(child[-1])} was taken)"
        result: dict[tuple[str, str], Named] = {}
        for package, entries in self.modules.items():
            subpackages = {names[other][-1] for other in raw_packages if other[:-1] == package and other != package}
            entries.sort(key=lambda entry: (entry[0], entry[1].path, METHOD_ORDER.index(entry[1].method)))
            chosen = separate([action for action, _ in entries], subpackages)
            for (action, op), name in zip(entries, chosen, strict=True):
                note = notes.get(package, "") or next((notes[p] for p in _ancestors(package) if p in notes), "")
                if name != action:
                    note = f"{name} ({action} was taken)"
                result[op.method, op.path] = Named((*names[package], name), note)
        return result


def _ancestors(package: tuple[str, ...]) -> list[tuple[str, ...]]:
    return [package[:depth] for depth in range(len(package) - 1, 0, -1)]
