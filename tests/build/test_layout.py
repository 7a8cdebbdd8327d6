"""The source layout's rules (README, "Layout"; docs/architecture.md), checked on py_src: the core imports no
browser module and nothing from the platform; the platform is grouped by where it runs, and each context imports
only the core, platform/shared and itself; only platform/shared touches the WebExtension API; no platform class
grows past ~250 lines; the host-rules interface is documentation and tests only (never shipped); the core's
index (core/__init__.py) names every core module."""
import ast
import os

import pytest

from rig import REPO

PY_SRC = os.path.join(REPO, "py_src")
PLATFORM = os.path.join(PY_SRC, "grccp", "platform")
CONTEXTS = ("shared", "content", "background", "pages")
CLASS_LINE_LIMIT = 250


def _modules():
    """(module name, path, syntax tree) of every module under py_src."""
    for root, _dirs, files in os.walk(PY_SRC):
        for name in sorted(files):
            if name.endswith(".py"):
                path = os.path.join(root, name)
                relative = os.path.relpath(path, PY_SRC)[:-3].replace(os.sep, ".")
                module = relative[:-len(".__init__")] if relative.endswith(".__init__") else relative
                with open(path, encoding="utf-8") as handle:
                    yield module, path, ast.parse(handle.read())


def _imports(module, tree, is_package):
    """Absolute names of what a module imports (relative imports resolved)."""
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                parts = parts[:len(parts) - node.level + 1]
                base = ".".join(parts + ([node.module] if node.module else []))
            yield base
            yield from (f"{base}.{alias.name}" for alias in node.names)


MODULES = [(module, path, tree) for module, path, tree in _modules()]


def test_every_platform_module_lives_in_one_context():
    loose = [module for module, path, _ in MODULES
             if module.startswith("grccp.platform.") and module.split(".")[2] not in CONTEXTS]
    assert loose == []


@pytest.mark.parametrize("module, path, tree", MODULES, ids=[m for m, _, _ in MODULES])
def test_imports_respect_the_layers(module, path, tree):
    imported = set(_imports(module, tree, path.endswith("__init__.py")))
    if module.startswith("grccp.core"):
        assert not {name for name in imported if name.split(".")[0] in ("browser", "javascript")
                    or name.startswith("grccp.platform")}, "the core is pure"
    if module.startswith("grccp.platform."):
        context = module.split(".")[2]
        allowed = ("grccp.core", "grccp.platform.shared", f"grccp.platform.{context}")
        foreign = {name for name in imported if name.startswith("grccp.platform.")
                   and not name.startswith(allowed)}
        assert not foreign, f"{context}/ imports another context"
    assert "grccp.core.host_rules" not in imported, "the interface is documentation and tests only"


@pytest.mark.parametrize("module, path, tree", MODULES, ids=[m for m, _, _ in MODULES])
def test_only_platform_shared_calls_the_webextension_api(module, path, tree):
    if module.startswith("grccp.platform.shared"):
        return
    uses = [node.lineno for node in ast.walk(tree)
            if isinstance(node, ast.Attribute) and node.attr == "api" and isinstance(node.value, ast.Name)]
    assert uses == [], f"webext.api used at lines {uses}: call a wrapper of platform/shared"


def test_the_core_index_names_every_core_module():
    core = os.path.join(PY_SRC, "grccp", "core")
    with open(os.path.join(core, "__init__.py"), encoding="utf-8") as handle:
        index = ast.get_docstring(ast.parse(handle.read()))
    named = {line.split()[0] for line in index.splitlines() if line.startswith("  ") and line.strip()}
    modules = {name[:-3] for name in os.listdir(core) if name.endswith(".py") and name != "__init__.py"}
    assert named == modules


def test_no_platform_class_is_over_the_limit():
    long = [(module, node.name, node.end_lineno - node.lineno + 1) for module, _, tree in MODULES
            if module.startswith("grccp.platform") for node in ast.walk(tree)
            if isinstance(node, ast.ClassDef) and node.end_lineno - node.lineno + 1 > CLASS_LINE_LIMIT]
    assert long == []
