"""Builds both browser packages: python -m grccp_build [--out DIR] [--no-archives] [--quiet]

Steps: verify the pinned Brython, derive the CSP-safe runtime without the compiler, check and resolve every entry point's modules,
compile what changed under Node, write bundles, manifests and static files per browser, then the archives.
Every step writes only files whose bytes change, and the report says what was compiled and written."""
import argparse
import gzip
import json
import os
import sys
import time

from . import (aot_compiler, brython_pin, bundler, entries, load_lists, manifests, minify, module_graph, package,
               python_steps, runtime_cuts, runtime_patch, vendor)
from .errors import BuildError
from .files import read_bytes, write_if_changed

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LOADER_JS = os.path.join(os.path.dirname(__file__), "js", "aot_loader.js")
PACKAGE_NAME = "gr-ccp"


class Layout:
    def __init__(self, repo, out, minify_cache=None, minify=True):
        self.py_src = os.path.join(repo, "py_src")
        self.extension = os.path.join(repo, "extension")
        self.manifest = os.path.join(repo, "manifest")
        self.out = out
        self.cache = os.path.join(out, ".cache")
        self.minify_cache = minify_cache or self.cache
        self.minify = minify


def _size(data):
    return {"bytes": len(data), "gzip": len(gzip.compress(data, 9, mtime=0))}


def _derived_files(layout, browser):
    """Files each package gets besides the copied static tree: {relative path: bytes}."""
    from . import managed_schema, public_suffixes
    files = {path: text.encode() for path, text in load_lists.background_files().items()}
    files.update(public_suffixes.data_file())
    for point in load_lists.pages():
        with open(os.path.join(layout.extension, point.page), encoding="utf-8") as f:
            files[point.page] = load_lists.page_html(point, f.read()).encode()
    manifest = manifests.build_manifest(layout.manifest, browser, load_lists.background_manifest(browser))
    if browser == "chrome":
        schema_path = os.path.join(layout.manifest, "config.schema.json")
        files[manifest["storage"]["managed_schema"]] = json.dumps(
            managed_schema.derive(manifests.load_json(schema_path)), indent=2).encode()
    files["manifest.json"] = json.dumps(manifest, indent=2).encode()
    return files, manifest


def build(layout, archives=True):
    started = time.monotonic()
    runtime_src, stdlib_src = brython_pin.verified_files()
    os.makedirs(layout.cache, exist_ok=True)
    runtime_path = os.path.join(layout.cache, "brython_csp.js")
    with open(runtime_src, encoding="utf-8") as f:
        write_if_changed(runtime_path, runtime_cuts.remove_compiler(runtime_patch.patch_runtime(f.read())))

    compiler = aot_compiler.Compiler(runtime_src, (runtime_path, LOADER_JS), stdlib_src, layout.cache, layout.py_src)
    stdlib_names, js_builtins, version = compiler.library_names()
    resolver = module_graph.Resolver(layout.py_src, stdlib_names, js_builtins)
    report = {"bundles": {}, "compiled": None, "written": {}, "removed": {}}
    texts = {path: read_bytes(source).decode("utf-8")
             for path, source in (("runtime/brython_csp.js", runtime_path), ("runtime/aot_loader.js", LOADER_JS))}
    modules = {}
    for entry in entries.ENTRY_POINTS:
        closure = resolver.closure(entry.module)
        outputs = compiler.compile(closure.user_modules, closure.stdlib_roots, stdlib_names - js_builtins)
        texts[f"bundles/{entry.bundle}.js"] = bundler.bundle_text(entry.module, outputs, version)
        modules[entry.bundle] = {"modules": sorted(outputs), "user_modules": [m.name for m in closure.user_modules]}
    report["compiled"] = compiler.compiled
    # each file as the browsers get it: minified, then a step (the bench's probes find the step's opening as it is)
    shortened, report["minified"] = (minify.minified(texts, layout.minify_cache,
                                                     prune=layout.minify_cache == layout.cache)
                                     if layout.minify else (texts, []))
    steps = {path: python_steps.step(text).encode() for path, text in shortened.items()}
    bundles = {path: data for path, data in steps.items() if path.startswith("bundles/")}
    runtime = {path: data for path, data in steps.items() if path.startswith("runtime/")}
    for bundle, found in modules.items():
        report["bundles"][bundle] = {**found, **_size(bundles[f"bundles/{bundle}.js"])}
    shared = {**runtime, **bundles, **vendor.files()}
    report["runtime"] = {name: _size(data) for name, data in shared.items() if name.startswith("runtime/")}
    for browser in manifests.BROWSERS:
        target = os.path.join(layout.out, browser)
        written, owned = package.sync_tree(layout.extension, target, skip={p.page for p in load_lists.pages()})
        derived, manifest = _derived_files(layout, browser)
        for relative, data in {**shared, **derived}.items():
            owned.add(relative)
            if write_if_changed(os.path.join(target, relative), data):
                written.append(relative)
        report["removed"][browser] = package.remove_strays(target, owned)
        report["written"][browser] = sorted(written)
        if archives:
            suffix = "zip" if browser == "chrome" else "xpi"
            archive = os.path.join(layout.out, f"{PACKAGE_NAME}-{browser}-{manifest['version']}.{suffix}")
            if write_archive_if_needed(target, archive, written or report["removed"][browser]):
                report["written"][browser].append(os.path.basename(archive))
    report["seconds"] = round(time.monotonic() - started, 2)
    write_if_changed(os.path.join(layout.out, "build-report.json"), json.dumps(report, indent=1, sort_keys=True))
    return report


def write_archive_if_needed(folder, archive, changed):
    if changed or not os.path.exists(archive):
        return package.write_archive(folder, archive)
    return False


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m grccp_build", description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=os.path.join(REPO, "dist"))
    parser.add_argument("--repo", default=REPO, help="the tree to build (tests build copies of it)")
    parser.add_argument("--no-archives", action="store_true")
    parser.add_argument("--minify-cache", help="where minified texts are kept (default: the output's .cache; tests "
                                               "share one across the copies they build)")
    parser.add_argument("--no-minify", action="store_true",
                        help="ship the JavaScript as compiled (toolchain tests that do not run it)")
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv)
    try:
        layout = Layout(os.path.abspath(args.repo), os.path.abspath(args.out),
                        args.minify_cache and os.path.abspath(args.minify_cache), minify=not args.no_minify)
        report = build(layout, archives=not args.no_archives)
    except BuildError as err:
        print(f"build failed: {err}", file=sys.stderr)
        return 1
    if not args.quiet:
        compiled = report["compiled"]
        print(f"built in {report['seconds']} s; compiled {len(compiled)} module(s)"
              + (f": {', '.join(compiled[:12])}{' …' if len(compiled) > 12 else ''}" if compiled else ""))
        for name, info in report["bundles"].items():
            print(f"  bundles/{name}.js  {info['bytes']:>9,} B  gzip {info['gzip']:>8,} B  "
                  f"{len(info['modules'])} modules")
        for browser, files in report["written"].items():
            print(f"  dist/{browser}: {len(files)} file(s) written")
    return 0


if __name__ == "__main__":
    sys.exit(main())
