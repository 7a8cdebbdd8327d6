"""Reads one of the project's Python files with CPython's parser: syntax errors, constructs that cannot run
under MV3's no-eval CSP, and the imports it makes. Every problem names the file and the line."""
import ast

from .errors import SourceError

# Modules whose import already fails (or whose main use fails) under the CSP: they evaluate generated code.
FORBIDDEN_MODULES = {
    "dataclasses": "dataclasses generates its methods with exec(), which MV3's CSP forbids; write a plain class",
    "traceback": "traceback's formatters evaluate code under Brython; log str(error) instead",
    "typing": ("typing pulls in ~25 stdlib modules and its import fails outside a window (Brython's functools "
               "reads a global `name`); import it under `if TYPE_CHECKING:` with postponed annotations"),
}
FORBIDDEN_CALLS = {
    "exec": "exec() evaluates a string at run time, which MV3's CSP forbids",
    "eval": "eval() evaluates a string at run time, which MV3's CSP forbids",
    "compile": "compile() produces code that can only run through eval, which MV3's CSP forbids",
}
NAMEDTUPLE = "collections.namedtuple builds its class with exec(), which MV3's CSP forbids; write a plain class"
TYPING_SUBSCRIPT = ("a subscripted typing generic ({name}[...]) is built at run time with exec() under Brython; "
                    "use `from __future__ import annotations` or no annotation")


class ImportRef:
    """One import as written: the module it names (absolute), the names taken from it, and where."""
    __slots__ = ("module", "names", "line", "in_function")

    def __init__(self, module, names, line, in_function):
        self.module, self.names, self.line, self.in_function = module, names, line, in_function


class ModuleInfo:
    __slots__ = ("name", "path", "is_package", "imports")

    def __init__(self, name, path, is_package, imports):
        self.name, self.path, self.is_package, self.imports = name, path, is_package, imports


def _absolute(module, level, package):
    if level == 0:
        return module or ""
    parts = package.split(".") if package else []
    if level - 1 > len(parts):
        return None
    base = parts[:len(parts) - (level - 1)]
    return ".".join(base + ([module] if module else []))


class _Checker(ast.NodeVisitor):
    def __init__(self, path, package, future_annotations):
        self.path, self.package, self.future_annotations = path, package, future_annotations
        self.imports = []
        self.typing_names = set()     # names bound to typing generics in this module
        self.typing_aliases = set()   # names bound to the typing module itself
        self.collections_aliases = set()
        self.function_depth = 0
        self.type_checking_depth = 0  # inside `if TYPE_CHECKING:`, which never runs

    def fail(self, node, message):
        raise SourceError(self.path, getattr(node, "lineno", None), message)

    # imports -----------------------------------------------------------------------------------------
    def visit_Import(self, node):
        for alias in node.names:
            self._check_module(node, alias.name)
            bound = alias.asname or alias.name.split(".")[0]
            if alias.name == "typing":
                self.typing_aliases.add(bound)
            if alias.name == "collections":
                self.collections_aliases.add(bound)
            if not self.type_checking_depth:
                self.imports.append(ImportRef(alias.name, (), node.lineno, self.function_depth > 0))

    def visit_ImportFrom(self, node):
        module = _absolute(node.module, node.level, self.package)
        if module is None:
            self.fail(node, "relative import goes beyond the top-level package")
        self._check_module(node, module)
        names = tuple(alias.name for alias in node.names)
        if module == "collections" and "namedtuple" in names:
            self.fail(node, NAMEDTUPLE)
        if module in ("typing", "typing_extensions"):
            self.typing_names.update(alias.asname or alias.name for alias in node.names)
        if not self.type_checking_depth:
            self.imports.append(ImportRef(module, names, node.lineno, self.function_depth > 0))

    def _check_module(self, node, module):
        top = module.split(".")[0]
        if top in FORBIDDEN_MODULES and not self.type_checking_depth:
            self.fail(node, f"import of {top}: {FORBIDDEN_MODULES[top]}")

    def visit_If(self, node):
        test = node.test
        if (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
                isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"):
            self.type_checking_depth += 1
            for statement in node.body:
                self.visit(statement)
            self.type_checking_depth -= 1
            for statement in node.orelse:
                self.visit(statement)
        else:
            self.generic_visit(node)

    # calls and attributes ----------------------------------------------------------------------------
    def visit_Call(self, node):
        if isinstance(node.func, ast.Name) and node.func.id in FORBIDDEN_CALLS:
            self.fail(node, FORBIDDEN_CALLS[node.func.id])
        self.generic_visit(node)

    def visit_Attribute(self, node):
        if (node.attr == "namedtuple" and isinstance(node.value, ast.Name)
                and node.value.id in self.collections_aliases):
            self.fail(node, NAMEDTUPLE)
        self.generic_visit(node)

    def visit_Subscript(self, node):
        target = node.value
        name = None
        if isinstance(target, ast.Name) and target.id in self.typing_names:
            name = target.id
        elif (isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name)
              and target.value.id in self.typing_aliases):
            name = f"{target.value.id}.{target.attr}"
        if name:
            self.fail(node, TYPING_SUBSCRIPT.format(name=name))
        self.generic_visit(node)

    # annotations: evaluated at run time unless postponed ----------------------------------------------
    def _visit_annotation(self, annotation, evaluated):
        if annotation is not None and evaluated:
            self.visit(annotation)

    def _visit_function(self, node):
        for decorator in node.decorator_list:
            self.visit(decorator)
        arguments = node.args
        for arg in arguments.posonlyargs + arguments.args + arguments.kwonlyargs + [arguments.vararg, arguments.kwarg]:
            if arg is not None:
                self._visit_annotation(arg.annotation, not self.future_annotations)
        for default in arguments.defaults + [d for d in arguments.kw_defaults if d is not None]:
            self.visit(default)
        self._visit_annotation(node.returns, not self.future_annotations)
        self.function_depth += 1
        for statement in node.body:
            self.visit(statement)
        self.function_depth -= 1

    visit_FunctionDef = _visit_function
    visit_AsyncFunctionDef = _visit_function

    def visit_AnnAssign(self, node):
        # a local variable's annotation is never evaluated; module- and class-level ones are, unless postponed
        self._visit_annotation(node.annotation, self.function_depth == 0 and not self.future_annotations)
        self.visit(node.target)
        if node.value is not None:
            self.visit(node.value)


def _has_future_annotations(tree):
    return any(isinstance(node, ast.ImportFrom) and node.module == "__future__"
               and any(alias.name == "annotations" for alias in node.names) for node in tree.body)


def analyse(name, path, is_package, display_path=None):
    """Parses and checks one module; returns ModuleInfo or raises SourceError."""
    shown = display_path or path
    try:
        with open(path, encoding="utf-8") as f:
            source = f.read()
    except (OSError, UnicodeDecodeError) as err:
        raise SourceError(shown, None, f"cannot read: {err}") from err
    try:
        tree = ast.parse(source, filename=shown)
    except SyntaxError as err:
        raise SourceError(shown, err.lineno, f"syntax error: {err.msg}") from err
    package = name if is_package else name.rpartition(".")[0]
    checker = _Checker(shown, package, _has_future_annotations(tree))
    checker.visit(tree)
    return ModuleInfo(name, path, is_package, checker.imports)
