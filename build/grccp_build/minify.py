"""The shipped JavaScript of Python's run time made shorter (node/minify.cjs: terser, local names mangled, no other
change), each text once: the result is kept in the build cache under the digest of the text and of the script that
sets terser's options, so an unchanged bundle costs nothing on the next build. Both packages ship the same texts."""
import hashlib
import json
import os
import shutil
import subprocess

from .errors import BuildError

NODE_SCRIPT = os.path.join(os.path.dirname(__file__), "node", "minify.cjs")


def _script_digest():
    with open(NODE_SCRIPT, "rb") as script:
        return hashlib.sha256(script.read()).hexdigest()[:16]


def minified(texts, cache_dir, prune=True):
    """{name: text} -> ({name: the minified text}, [the names minified now: not found in the cache]).
    prune: the cache then keeps only these texts' results (a shared cache, which other builds use too, is not)."""
    folder = os.path.join(cache_dir, f"minified-{_script_digest()}")
    os.makedirs(folder, exist_ok=True)
    paths = {name: os.path.join(folder, hashlib.sha256(text.encode()).hexdigest()[:32]) for name, text in texts.items()}
    missing = [name for name, path in paths.items() if not os.path.exists(path + ".min.js")]
    if missing:
        for name in missing:
            with open(paths[name] + ".js", "w", encoding="utf-8") as handle:
                handle.write(texts[name])
        _run_node(folder, [{"in": paths[name] + ".js", "out": paths[name] + ".min.js"} for name in missing])
        for name in missing:
            os.remove(paths[name] + ".js")
    if prune:
        wanted = {os.path.basename(path) + ".min.js" for path in paths.values()}
        for stale in set(os.listdir(folder)) - wanted - {"request.json"}:
            os.remove(os.path.join(folder, stale))
    found = {}
    for name, path in paths.items():
        with open(path + ".min.js", encoding="utf-8") as handle:
            found[name] = handle.read()
    return found, missing


def _run_node(folder, request):
    node = shutil.which("node")
    if node is None:
        raise BuildError("node is not on PATH: the build minifies under Node (install nodejs)")
    request_path = os.path.join(folder, "request.json")
    with open(request_path, "w", encoding="utf-8") as handle:
        json.dump(request, handle)
    completed = subprocess.run([node, NODE_SCRIPT, request_path], capture_output=True, text=True)
    if completed.returncode != 0:
        raise BuildError(f"minifying failed under Node (is terser installed? build/setup.sh):\n"
                         f"{completed.stderr.strip()[-4000:]}")
