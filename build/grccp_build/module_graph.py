"""Which modules an entry point needs: the project's own modules it imports (at any depth, since the project
wrote those imports on purpose) and the stdlib modules they name, which the compiler then closes over."""
import os

from . import py_analysis
from .errors import BuildError, SourceError


class UserModule:
    __slots__ = ("name", "path", "is_package")

    def __init__(self, name, path, is_package):
        self.name, self.path, self.is_package = name, path, is_package

    @property
    def file(self):
        """The module's path as Brython reports it in tracebacks: relative to py_src."""
        return self.name.replace(".", "/") + ("/__init__.py" if self.is_package else ".py")


class EntryClosure:
    __slots__ = ("entry", "user_modules", "stdlib_roots")

    def __init__(self, entry, user_modules, stdlib_roots):
        self.entry, self.user_modules, self.stdlib_roots = entry, user_modules, stdlib_roots


def find_user_module(source_root, name):
    base = os.path.join(source_root, *name.split("."))
    if os.path.isfile(os.path.join(base, "__init__.py")):
        return UserModule(name, os.path.join(base, "__init__.py"), True)
    if os.path.isfile(base + ".py"):
        return UserModule(name, base + ".py", False)
    return None


class Resolver:
    """Resolves import names against py_src, the stdlib shipped with the pinned Brython, and the modules
    brython.js implements itself."""

    def __init__(self, source_root, stdlib_names, js_builtins):
        self.source_root = source_root
        self.stdlib_names = stdlib_names
        self.js_builtins = js_builtins
        self._analysed = {}

    def _display(self, path):
        return os.path.relpath(path, os.path.dirname(self.source_root))

    def analyse(self, module):
        if module.name not in self._analysed:
            self._analysed[module.name] = py_analysis.analyse(
                module.name, module.path, module.is_package, self._display(module.path))
        return self._analysed[module.name]

    def _is_library(self, name):
        return name in self.stdlib_names or name in self.js_builtins

    def closure(self, entry_name):
        entry = find_user_module(self.source_root, entry_name)
        if entry is None:
            raise BuildError(f"entry point module {entry_name!r} not found under {self.source_root}")
        modules = {}
        stdlib_roots = set()
        pending = [entry]
        while pending:
            module = pending.pop()
            if module.name in modules:
                continue
            modules[module.name] = module
            parent = module.name.rpartition(".")[0]
            if parent:
                package = find_user_module(self.source_root, parent)
                if package is None:
                    raise SourceError(self._display(module.path), None,
                                      f"module {module.name} lies in {parent!r}, which has no __init__.py")
                pending.append(package)
            for ref in self.analyse(module).imports:
                pending.extend(self._resolve(module, ref, stdlib_roots))
        ordered = sorted(modules.values(), key=lambda m: m.name)
        return EntryClosure(entry_name, ordered, sorted(stdlib_roots))

    def _resolve(self, importer, ref, stdlib_roots):
        """The user modules an import brings in; library names go to stdlib_roots."""
        found = []
        target = find_user_module(self.source_root, ref.module) if ref.module else None
        if target is not None:
            found.append(target)
        elif ref.module and self._is_library(ref.module):
            stdlib_roots.add(ref.module)
        elif ref.module:
            raise SourceError(self._display(importer.path), ref.line,
                              f"cannot resolve import of {ref.module!r} (imported by {importer.name}): "
                              "not a module under py_src, not in Brython's stdlib")
        for name in ref.names:
            if name == "*":
                continue
            submodule = f"{ref.module}.{name}" if ref.module else name
            sub = find_user_module(self.source_root, submodule)
            if sub is not None:
                found.append(sub)
            elif target is None and self._is_library(submodule):
                stdlib_roots.add(submodule)
        return found
