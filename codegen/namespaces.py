"""The resource namespaces of the generated package: `client.conversations.messages.create(...)`.

    render_namespaces(operation_modules(spec), package_dir)   # writes package_dir/resources/

The tree comes only from `operation_modules()` (one resource per package of `parts`, nested ones
nested, one method per operation module). Each method's arguments and return type are read from
the endpoint module the generator has just written (its `sync`/`asyncio` functions, through `ast`),
so a method has exactly its module function's signature minus `client=`, and calls that function:
one code path. Jinja renders the files (codegen/templates/namespaces/); ruff formats them with the rest.

Layout: `resources/__init__.py` holds the two mixins Wassist/AsyncWassist inherit (one lazy
attribute per top-level resource); `resources/<resource>.py` holds the classes of one top-level
resource and its sub-resources. Nothing is imported before it is used: the resource module on
first attribute access, the endpoint module on the method's first call.
"""

from __future__ import annotations

import ast
import builtins
import keyword
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from codegen.generate import GenerationError, OperationModule

TEMPLATES = Path(__file__).resolve().parent / "templates" / "namespaces"
PACKAGE = "resources"
# Public attributes of Wassist/AsyncWassist, present and planned (constructor options): a top-level resource
# with one of these names gets a trailing underscore (`client.headers_`). tests/client checks this covers both.
CLIENT_ATTRIBUTES = frozenset(
    {
        "aclose",
        "api_key",
        "base_url",
        "close",
        "get_async_httpx_client",
        "get_httpx_client",
        "headers",
        "max_retries",
        "rate_limit",
        "strict_response_validation",
        "timeout",
        "transport",
        "verify",
        "with_options",
    }
)
DETAILED_SUFFIX = "_detailed"
FUNCTIONS = {"sync": ("sync", "sync_detailed"), "async": ("asyncio", "asyncio_detailed")}


@dataclass
class Signature:
    parameters: list[str]  # "name: annotation = default" or "*"
    arguments: list[str]  # "name=name"
    returns: str


@dataclass
class Method:
    name: str  # the attribute on the resource: the module name without the trailing underscore where allowed
    module: OperationModule
    signatures: dict[str, Signature] = field(default_factory=dict)  # function name -> its signature

    @property
    def import_from(self) -> str:
        return "..api." + ".".join(self.module.parts[:-1])


@dataclass
class Resource:
    parts: tuple[str, ...]  # the api package: ("conversations", "messages")
    attribute: str  # its name on the parent (client or resource)
    methods: dict[str, Method] = field(default_factory=dict)
    children: dict[str, Resource] = field(default_factory=dict)

    @property
    def class_name(self) -> str:
        return "".join(part.title().replace("_", "") for part in self.parts) + "Resource"

    @property
    def dotted(self) -> str:
        return ".".join(self.parts)

    def walk(self) -> Iterable[Resource]:
        yield self
        for child in self.children.values():
            yield from child.walk()


def method_name(module_name: str) -> str:
    """`list_` -> `list` (a builtin is a fine attribute name); `import_` stays (a keyword is not)."""
    if module_name.endswith("_") and not module_name.endswith("__"):
        stripped = module_name[:-1]
        if stripped.isidentifier() and not keyword.iskeyword(stripped):
            return stripped
    return module_name


def resource_attribute(name: str, top_level: bool) -> str:
    return f"{name}_" if top_level and name in CLIENT_ATTRIBUTES else name


def namespace_tree(modules: Iterable[OperationModule]) -> dict[str, Resource]:
    """Top-level resources by attribute name, each with its methods and sub-resources."""
    roots: dict[str, Resource] = {}
    for module in modules:
        if len(module.parts) < 2:
            raise GenerationError(f"{module.label}: an operation module outside a resource package ({module.dotted})")
        level: dict[str, Resource] = roots
        parent_parts: tuple[str, ...] = ()
        resource: Resource | None = None
        for part in module.parts[:-1]:
            parent_parts = (*parent_parts, part)
            attribute = resource_attribute(part, top_level=resource is None)
            resource = level.setdefault(attribute, Resource(parent_parts, attribute))
            level = resource.children
        assert resource is not None
        name = method_name(module.parts[-1])
        if name in resource.methods:
            raise GenerationError(f"{module.label}: `{resource.dotted}.{name}` is taken by another operation")
        resource.methods[name] = Method(name, module)
    for root in roots.values():
        _check_names(root)
    return roots


def _check_names(root: Resource) -> None:
    classes: dict[str, str] = {}
    for resource in root.walk():
        if classes.setdefault(resource.class_name, resource.dotted) != resource.dotted:
            raise GenerationError(f"resources {classes[resource.class_name]} and {resource.dotted}: one class name")
        members = [*resource.children, *resource.methods, *(name + DETAILED_SUFFIX for name in resource.methods)]
        taken = {name for name in members if members.count(name) > 1}
        if taken:
            raise GenerationError(f"resource {resource.dotted}: more than one member named {', '.join(sorted(taken))}")


# --- signatures from the generated endpoint module -------------------------------------------------------------


class _Imports:
    """The names an endpoint module imports, re-expressed for a module of `resources/`."""

    def __init__(self, tree: ast.Module, module: OperationModule) -> None:
        self.of: dict[str, str] = {}  # local name -> import statement
        package = ["api", *module.parts[:-1]]
        for node in tree.body:
            if isinstance(node, ast.ImportFrom):
                source = node.module or ""
                if node.level:
                    base = package[: len(package) - (node.level - 1)]
                    source = ".." + ".".join([*base, *([source] if source else [])])
                for alias in node.names:
                    local = alias.asname or alias.name
                    rename = f" as {alias.asname}" if alias.asname else ""
                    self.of[local] = f"from {source} import {alias.name}{rename}"
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    local = alias.asname or alias.name.split(".")[0]
                    self.of[local] = f"import {alias.name}" + (f" as {alias.asname}" if alias.asname else "")


def _names(node: ast.AST) -> set[str]:
    return {child.id for child in ast.walk(node) if isinstance(child, ast.Name)}


class _Qualify(ast.NodeTransformer):
    """`list[X]` -> `builtins.list[X]` where the class defines a member named `list` (it would shadow it)."""

    def __init__(self, shadowed: set[str]) -> None:
        self.shadowed = shadowed

    def visit_Name(self, node: ast.Name) -> ast.AST:
        if node.id in self.shadowed:
            return ast.Attribute(ast.Name("builtins", ast.Load()), node.id, ast.Load())
        return node


@dataclass
class _ModuleImports:
    typing_only: set[str] = field(default_factory=set)
    runtime: set[str] = field(default_factory=set)
    builtins: bool = False


def _read_signatures(method: Method, source: str, shadowed: set[str], imports: _ModuleImports) -> None:
    tree = ast.parse(source)
    known = _Imports(tree, method.module)
    functions = {node.name: node for node in tree.body if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)}
    qualify = _Qualify(shadowed & set(dir(builtins)))
    for names in FUNCTIONS.values():
        for name in names:
            function = functions.get(name)
            if function is None:
                raise GenerationError(f"{method.module.file}: no function {name}()")
            method.signatures[name] = _signature(function, known, qualify, imports, method.module)


def _signature(
    function: ast.FunctionDef | ast.AsyncFunctionDef,
    known: _Imports,
    qualify: _Qualify,
    imports: _ModuleImports,
    module: OperationModule,
) -> Signature:
    args = function.args
    if args.posonlyargs or args.vararg or args.kwarg:
        raise GenerationError(f"{module.file}: {function.name}() has a signature the namespaces do not handle")

    def need(node: ast.AST, runtime: bool) -> None:
        for name in _names(node):
            if name in known.of:
                (imports.runtime if runtime else imports.typing_only).add(known.of[name])
            elif name == "builtins":
                imports.builtins = True
            elif not hasattr(builtins, name):
                raise GenerationError(f"{module.file}: {function.name}() uses {name}, which it does not import")

    def annotation(arg: ast.arg) -> str:
        if arg.annotation is None:
            raise GenerationError(f"{module.file}: {function.name}({arg.arg}) has no annotation")
        node = qualify.visit(arg.annotation)
        need(node, runtime=False)
        return ast.unparse(node)

    def parameter(arg: ast.arg, default: ast.expr | None) -> str:
        text = f"{arg.arg}: {annotation(arg)}"
        if default is not None:
            need(default, runtime=True)
            text += f" = {ast.unparse(default)}"
        return text

    parameters: list[str] = []
    arguments: list[str] = []
    positional_defaults = [None] * (len(args.args) - len(args.defaults)) + list(args.defaults)
    for arg, default in zip(args.args, positional_defaults, strict=True):
        parameters.append(parameter(arg, default))
        arguments.append(f"{arg.arg}={arg.arg}")
    keyword_only = [(a, d) for a, d in zip(args.kwonlyargs, args.kw_defaults, strict=True) if a.arg != "client"]
    if keyword_only:
        parameters.append("*")
    for arg, kw_default in keyword_only:
        parameters.append(parameter(arg, kw_default))
        arguments.append(f"{arg.arg}={arg.arg}")
    if function.returns is None:
        raise GenerationError(f"{module.file}: {function.name}() has no return annotation")
    returns = qualify.visit(function.returns)
    need(returns, runtime=False)
    return Signature(parameters, arguments, ast.unparse(returns))


# --- rendering -------------------------------------------------------------------------------------------------


def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_namespaces(modules: Iterable[OperationModule], package_dir: Path) -> dict[Path, str]:
    """Write resources/ into a freshly generated package; return {relative path: text}."""
    roots = namespace_tree(modules)
    environment = _environment()
    files: dict[Path, str] = {}
    for root in roots.values():
        imports = _ModuleImports()
        for resource in root.walk():
            shadowed = {*resource.children, *resource.methods, *(m + DETAILED_SUFFIX for m in resource.methods)}
            for method in resource.methods.values():
                source = (package_dir / method.module.file).read_text(encoding="utf-8")
                _read_signatures(method, source, shadowed, imports)
        files[Path(PACKAGE, f"{root.parts[0]}.py")] = environment.get_template("resource.py.jinja").render(
            root=root,
            resources=list(root.walk()),
            typing_imports=sorted(imports.typing_only - imports.runtime),
            runtime_imports=sorted(imports.runtime),
            import_builtins=imports.builtins,
            any_deprecated=any(
                method.module.deprecation for resource in root.walk() for method in resource.methods.values()
            ),
            functions=FUNCTIONS,
            detailed_suffix=DETAILED_SUFFIX,
        )
    files[Path(PACKAGE, "__init__.py")] = environment.get_template("resources_init.py.jinja").render(
        roots=list(roots.values())
    )
    for relative, text in files.items():
        target = package_dir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return files
