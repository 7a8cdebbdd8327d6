"""Drives Brython's compiler under Node with a content-addressed cache, so that only modules whose source
changed are compiled again (stdlib modules: once per runtime build)."""
import hashlib
import json
import os
import shutil
import subprocess

from .docstrings import strip_docstrings
from .errors import BuildError, SourceError
from .files import read_bytes

NODE_SCRIPT = os.path.join(os.path.dirname(__file__), "node", "compile_modules.cjs")
# what NODE_SCRIPT requires: part of what the compiled code depends on
NODE_HELPERS = (os.path.join(os.path.dirname(__file__), "node", "local_helpers.cjs"),)


def _digest(*parts):
    h = hashlib.sha256()
    for part in parts:
        h.update(part if isinstance(part, bytes) else str(part).encode())
        h.update(b"\0")
    return h.hexdigest()


# What is compiled is the source without its docstrings (docstrings.py); part of the cache key.
STRIPPING = "docstrings-stripped-1"


def _shipped_source(path):
    with open(path, encoding="utf-8") as f:
        return strip_docstrings(f.read())


def _run_node(request_path):
    node = shutil.which("node")
    if node is None:
        raise BuildError("node is not on PATH: the compiler runs under Node at build time (install nodejs)")
    completed = subprocess.run([node, NODE_SCRIPT, request_path], capture_output=True, text=True)
    if completed.returncode != 0:
        raise BuildError(f"the Brython compiler failed under Node:\n{completed.stderr.strip()[-4000:]}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


class Compiler:
    """One per build. `compiler_path` is the pinned brython.js, whose compiler runs under Node; `runtime_paths`
    are the files the bundles will run with (the runtime, then the loader). Their hashes and the Node scripts'
    (which set the compiler's options and rewrite its output) key the cache, since compiled code is valid only with
    the exact compiler, options and runtime it was made for."""

    def __init__(self, compiler_path, runtime_paths, stdlib_path, cache_dir, source_root):
        self.compiler_path, self.stdlib_path, self.source_root = compiler_path, stdlib_path, source_root
        self.runtime_paths = list(runtime_paths)
        self.runtime_key = _digest(*(read_bytes(path) for path in
                                     (compiler_path, *self.runtime_paths, NODE_SCRIPT, *NODE_HELPERS)))[:16]
        self.user_dir = os.path.join(cache_dir, "user")
        self.stdlib_dir = os.path.join(cache_dir, f"stdlib-{self.runtime_key}")
        self.graph_path = os.path.join(self.stdlib_dir, "imports.json")
        self.names_path = os.path.join(cache_dir, f"names-{self.runtime_key}.json")
        os.makedirs(self.user_dir, exist_ok=True)
        os.makedirs(self.stdlib_dir, exist_ok=True)
        self.stdlib_graph = self._load_json(self.graph_path, {})
        self.compiled = []  # module names compiled by this build: what incremental-build tests look at

    @staticmethod
    def _load_json(path, default):
        try:
            with open(path) as f:
                return json.load(f)
        except (OSError, ValueError):
            return default

    def _request(self, request):
        path = os.path.join(self.user_dir, "..", "request.json")
        with open(path, "w") as f:
            json.dump({"compiler": self.compiler_path, "runtime_files": self.runtime_paths, "stdlib": self.stdlib_path,
                       **request}, f)
        return _run_node(path)

    def library_names(self):
        """(stdlib module names, modules implemented inside brython.js, runtime version), cached per runtime."""
        names = self._load_json(self.names_path, None)
        if names is None:
            names = self._request({"list_names": True})
            with open(self.names_path, "w") as f:
                json.dump(names, f)
        return set(names["stdlib"]), set(names["js_builtins"]), names["version"]

    def _user_out(self, module):
        with open(module.path, "rb") as f:
            key = _digest(self.runtime_key, STRIPPING, module.name, module.is_package, f.read())[:20]
        return os.path.join(self.user_dir, f"{module.name}-{key}.js")

    def _stdlib_closure(self, roots):
        """The stdlib closure from the cached import graph, or None if the graph does not cover it yet."""
        seen, pending = set(), list(roots)
        while pending:
            name = pending.pop()
            if name in seen:
                continue
            seen.add(name)
            node = self.stdlib_graph.get(name)
            if node is None or not os.path.exists(node["out"]):
                return None
            pending.extend(node["imports"])
        return seen

    def compile(self, user_modules, stdlib_roots, known_stdlib):
        """Returns {module name: compiled file} for the user modules and the stdlib closure of the roots."""
        outputs = {m.name: self._user_out(m) for m in user_modules}
        stale = [m for m in user_modules if not os.path.exists(outputs[m.name])]
        # roots the graph records as not compilable to a module (e.g. a JS builtin) are simply absent
        roots = [r for r in stdlib_roots if r in known_stdlib]
        closure = self._stdlib_closure(roots)
        if stale or closure is None:
            result = self._request({
                "user_modules": [{"name": m.name, "path": m.path, "file": m.file, "is_package": m.is_package,
                                  "src": _shipped_source(m.path), "out": outputs[m.name]} for m in stale],
                "stdlib_roots": roots,
                "stdlib_cached": {name: node["out"] for name, node in self.stdlib_graph.items()
                                  if os.path.exists(node["out"])},
                "stdlib_out_dir": self.stdlib_dir,
            })
            if result["errors"]:
                first = result["errors"][0]
                path = os.path.relpath(first["file"], os.path.dirname(self.source_root)) \
                    if os.path.isabs(first["file"]) else first["file"]
                raise SourceError(path, first["line"], f"Brython cannot compile {first['module']}: {first['message']}")
            self.compiled.extend(result["compiled"])
            self.stdlib_graph.update(result["stdlib"])
            with open(self.graph_path, "w") as f:
                json.dump(self.stdlib_graph, f, indent=0, sort_keys=True)
            closure = self._stdlib_closure(roots)
            if closure is None:
                raise BuildError(f"stdlib closure of {roots} incomplete after compiling")
        for name in sorted(closure):
            outputs[name] = self.stdlib_graph[name]["out"]
        return outputs
