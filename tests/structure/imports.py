"""The static import graph of a package, read with `ast` (nothing is imported or executed).

Every `import` and `from ... import` statement counts, wherever it is: at the top, inside a
function (a lazy import) or under `if TYPE_CHECKING:`. Dynamic imports (`importlib.import_module`
with a computed name) are not seen.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Import:
    target: str  # dotted module name, e.g. "wassist_api_client._parsing"
    names: tuple[str, ...]  # the names of `from target import a, b`; () for `import target` / `from . import target`
    line: int


def module_name(package_dir: Path, path: Path) -> str:
    """`<package_dir>/testing/_fake.py` -> `<package>.testing._fake`; `__init__.py` names its package."""
    parts = [package_dir.name, *path.relative_to(package_dir).with_suffix("").parts]
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def package_modules(package_dir: Path) -> dict[str, Path]:
    """Every module of the package (subpackages included), by dotted name."""
    files = (p for p in package_dir.rglob("*.py") if "__pycache__" not in p.parts)
    return {module_name(package_dir, path): path for path in sorted(files)}


def imports_of(path: Path, name: str, known: set[str]) -> Iterator[Import]:
    """The imports of module `name` (at `path`), relative ones resolved to dotted names.

    `from . import x` names the module `<package>.x` when that is a module of `known`, else the package.
    """
    is_package = path.name == "__init__.py"
    package = name if is_package else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(alias.name, (), node.lineno)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base_parts = package.split(".")
                base_parts = base_parts[: len(base_parts) - (node.level - 1)]
                base = ".".join(base_parts + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            submodules = [alias.name for alias in node.names if f"{base}.{alias.name}" in known]
            for submodule in submodules:
                yield Import(f"{base}.{submodule}", (), node.lineno)
            names = tuple(alias.name for alias in node.names if alias.name not in submodules)
            if names:
                yield Import(base, names, node.lineno)


def import_graph(package_dir: Path) -> dict[str, set[str]]:
    """Module -> the modules of the same package it imports."""
    modules = package_modules(package_dir)
    known = set(modules)
    return {
        name: {i.target for i in imports_of(path, name, known) if i.target in known} for name, path in modules.items()
    }


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module, or a module importing itself (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for successor in sorted(graph.get(node, ())):
            if successor not in index:
                visit(successor)
                low[node] = min(low[node], low[successor])
            elif successor in on_stack:
                low[node] = min(low[node], index[successor])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1 or node in graph.get(node, ()):
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found
