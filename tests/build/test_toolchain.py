"""The build toolchain: manifests, clear errors, the stdlib closure, the runtime edits, incremental builds."""
import json
import os
import re
import shutil
import subprocess
import zipfile

import jsonschema
import pytest

from grccp_build import aot_compiler, brython_pin, python_steps, runtime_patch
from grccp_build.errors import BuildError

from .conftest import REPO


def test_manifests_are_valid_and_browser_specific(project):
    project.build_ok(archives=True)
    with open(project.path("manifest", "manifest.schema.json")) as f:
        schema = json.load(f)
    manifests = {}
    for browser in ("chrome", "firefox"):
        with open(os.path.join(project.out, browser, "manifest.json")) as f:
            manifests[browser] = json.load(f)
        jsonschema.validate(manifests[browser], {"$ref": f"#/$defs/{browser}", "$defs": schema["$defs"]})
    chrome, firefox = manifests["chrome"], manifests["firefox"]
    assert chrome["manifest_version"] == firefox["manifest_version"] == 3
    assert chrome["background"] == {"service_worker": "boot/background_worker.js"}
    assert firefox["background"]["scripts"][-1] == "boot/background_page.js"
    gecko = firefox["browser_specific_settings"]["gecko"]
    assert gecko["id"] and gecko["strict_min_version"] and gecko["data_collection_permissions"]
    # every file a manifest or page names is in the package
    for browser, manifest in manifests.items():
        named = [manifest["action"]["default_popup"], manifest["options_ui"]["page"], *manifest["icons"].values()]
        named += manifest["background"].get("scripts", [manifest["background"].get("service_worker")])
        for relative in named:
            assert os.path.isfile(os.path.join(project.out, browser, relative)), (browser, relative)
    # the archives hold exactly the unpacked folders
    for browser, suffix in (("chrome", "zip"), ("firefox", "xpi")):
        archive = os.path.join(project.out, f"gr-ccp-{browser}-{chrome['version']}.{suffix}")
        with zipfile.ZipFile(archive) as z:
            names = set(z.namelist())
        unpacked = {os.path.relpath(os.path.join(r, f), os.path.join(project.out, browser)).replace(os.sep, "/")
                    for r, _, fs in os.walk(os.path.join(project.out, browser)) for f in fs}
        assert names == unpacked


def test_configuration_schema_is_valid_and_chrome_gets_a_managed_schema(project):
    project.build_ok()
    with open(project.path("manifest", "config.schema.json")) as f:
        jsonschema.Draft202012Validator.check_schema(json.load(f))
    with open(os.path.join(project.out, "chrome", "managed_schema.json")) as f:
        managed = json.load(f)
    assert managed["type"] == "object" and "additionalProperties" not in managed

    def check(node, where):
        assert ("type" in node) != ("$ref" in node), where
        assert set(node) <= {"type", "title", "description", "properties", "additionalProperties", "items",
                             "minimum", "maximum", "pattern", "enum"}, where
        for name, child in node.get("properties", {}).items():
            check(child, f"{where}/{name}")
        for key in ("items", "additionalProperties"):
            if isinstance(node.get(key), dict):
                check(node[key], f"{where}/{key}")
    check(managed, "")
    assert set(managed["properties"]) >= {"regions", "loginUrl", "allowlist", "timeouts"}


FORBIDDEN = [
    ("exec('x = 1')\n", 1, "exec() evaluates a string"),
    ("import os\n\nvalue = eval('1 + 1')\n", 3, "eval() evaluates a string"),
    ("from dataclasses import dataclass\n", 1, "dataclasses generates its methods with exec()"),
    ("import collections\nPoint = collections.namedtuple('Point', 'x y')\n", 2, "collections.namedtuple"),
    ("from collections import namedtuple\n", 1, "collections.namedtuple"),
    ("TYPE_CHECKING = False\nif TYPE_CHECKING:\n    from typing import Optional\n\n\n"
     "def f(x: Optional[int]):\n    return x\n", 6, "subscripted typing generic"),
    ("TYPE_CHECKING = False\nif TYPE_CHECKING:\n    import typing\nCache = typing.Dict[str, int]\n", 4,
     "subscripted typing generic"),
    ("import traceback\n", 1, "traceback"),
    ("import typing\n", 1, "if TYPE_CHECKING:"),
]


@pytest.mark.parametrize("source,line,message", FORBIDDEN)
def test_forbidden_constructs_fail_the_build_with_file_and_line(project, source, line, message):
    project.write("py_src/popup.py", source)
    code, output = project.build()
    assert code == 1
    assert f"py_src/popup.py:{line}:" in output and message in output, output


def test_postponed_annotations_are_allowed(shipped_project):
    shipped_project.write("py_src/popup.py", "from __future__ import annotations\n\nTYPE_CHECKING = False\n"
                                              "if TYPE_CHECKING:\n    from typing import Optional\n\n\n"
                                              "def f(x: Optional[int]) -> Optional[int]:\n    y: Optional[int] = x\n"
                                              "    return y\n\n\nprint(f(41) + 1)\n")
    shipped_project.build_ok()
    report = shipped_project.build_ok()
    assert "typing" not in report["bundles"]["popup"]["modules"]  # a TYPE_CHECKING import never runs
    assert shipped_project.run_in_node("chrome", "popup", "popup") == (0, "42\n")


def test_syntax_error_names_file_and_line(project):
    project.write("py_src/grccp/platform/shared/storage.py", "def broken(:\n    pass\n")
    code, output = project.build()
    assert code == 1 and "py_src/grccp/platform/shared/storage.py:1: syntax error" in output, output


def test_unresolvable_import_names_module_and_importer(project):
    project.write("py_src/popup.py", "import os\nimport no_such_module_here\n")
    code, output = project.build()
    assert code == 1
    assert "py_src/popup.py:2:" in output and "'no_such_module_here'" in output and "imported by popup" in output


def test_stdlib_closure_is_complete_and_follows_only_import_time_imports(shipped_project):
    shipped_project.write("py_src/popup.py", "import json\n\n\ndef later():\n    import base64\n\n\n"
                                              "print(json.dumps({'b': [1, 2], 'a': None}, sort_keys=True))\n")
    report = shipped_project.build_ok()
    modules = report["bundles"]["popup"]["modules"]
    # the project's own lazy imports are followed (it wrote them on purpose); the stdlib's are not: json's
    # import-time closure is a few dozen modules, where Brython's own import lists pull in over 200
    assert {"json", "json.encoder", "re", "base64"} <= set(modules)
    assert not {"doctest", "unittest", "difflib", "inspect", "traceback"} & set(modules)
    assert len(modules) <= 40, modules
    # complete: the bundle runs with the runtime and loader alone (no other module source exists at run time)
    assert shipped_project.run_in_node("chrome", "popup", "popup") == (0, '{"a": null, "b": [1, 2]}\n')


def test_missing_module_at_run_time_is_an_import_error_not_a_fetch(shipped_project):
    shipped_project.write("py_src/popup.py", "def later():\n    __import__('difflib')\n\n\ntry:\n    later()\n"
                                              "except ImportError as error:\n    print('ImportError', error.name)\n")
    shipped_project.build_ok()
    assert shipped_project.run_in_node("chrome", "popup", "popup") == (0, "ImportError difflib\n")


def test_real_entry_points_ship_no_stdlib_module_they_do_not_import(project):
    report = project.build_ok()
    for bundle, info in report["bundles"].items():
        stdlib = [m for m in info["modules"] if m not in info["user_modules"]]
        assert stdlib == [], (bundle, stdlib)


def test_runtime_edits_each_match_exactly_once():
    runtime_path, _ = brython_pin.verified_files()
    with open(runtime_path, encoding="utf-8") as f:
        pinned = f.read()
    patched = runtime_patch.patch_runtime(pinned)
    assert "ast[kl]=Function(" not in patched and 'eval("async function* f(){}")' not in patched
    for why, old, _new in runtime_patch.EDITS:
        with pytest.raises(BuildError, match="found 0"):
            runtime_patch.patch_runtime(pinned.replace(old, "/* moved */"))
        with pytest.raises(BuildError, match="found 2"):
            runtime_patch.patch_runtime(pinned + "\n" + old)


def test_the_python_files_wait_where_a_context_queues_them_and_run_at_once_elsewhere(shipped_project):
    """The content script queues the runtime, the loader and its bundle (boot/content_pre.js) and runs them each in a
    task of its own (boot/content_run.js); every other context runs them as they load."""
    shipped_project.write("py_src/popup.py", "print('ran')\n")
    shipped_project.build_ok()
    assert shipped_project.run_in_node("chrome", "popup", "popup") == (0, "ran\n")
    assert shipped_project.run_in_node("chrome", "popup", "popup", queued=True) == (0, "ran\n")


def test_shipped_javascript_is_minified_each_text_once_and_keeps_its_step(shipped_project):
    """The runtime, the loader and every bundle ship with their local names mangled (the browsers parse every byte
    of the content script on each page load); a text already minified is taken from the cache; each stays a step
    (what the content script queues, and where the bench puts its probes)."""
    shipped_project.write("py_src/popup.py", "print('small')\n")
    first = shipped_project.build_ok()  # (the session's copies share the cache: some texts may be there already)
    assert "bundles/popup.js" in first["minified"] and set(first["minified"]) <= {
        "runtime/brython_csp.js", "runtime/aot_loader.js"} | {f"bundles/{bundle}.js" for bundle in first["bundles"]}
    for name in ["runtime/brython_csp.js", "bundles/content.js"]:
        with open(os.path.join(shipped_project.out, "chrome", name), encoding="utf-8") as f:
            text = f.read()
        assert text.startswith(python_steps.OPENING) and text.endswith(python_steps.CLOSING)
        assert "var locals_grccp" not in text and text.count("\n") < 20, name  # compiled code is one per line
    shipped_project.write("py_src/popup.py", "print('small again')\n")
    assert shipped_project.build_ok()["minified"] == ["bundles/popup.js"]
    assert shipped_project.run_in_node("chrome", "popup", "popup") == (0, "small again\n")


def test_module_and_class_bodies_ship_in_parentheses_for_v8_to_compile_them_with_their_code(shipped_project):
    """Every module a bundle carries runs while its entry point starts, and a class body where the class statement
    is: each is a parenthesized function expression, V8's hint to compile it with the code around it rather than
    pre-parse it and parse it again when it runs; the minifier keeps the parentheses, and the code still runs."""
    shipped_project.write("py_src/popup.py", "import json\n\n\nclass Shown:\n    WHAT = [1]\n\n\n"
                                             "print(json.dumps(Shown.WHAT))\n")
    shipped_project.build_ok()
    for name in ["bundles/popup.js", "bundles/content.js"]:
        with open(os.path.join(shipped_project.out, "chrome", name), encoding="utf-8") as f:
            text = f.read()
        bodies = re.findall(r'__BRYTHON__\.aot\.register\("[^"]+",\{[^}]*\},(\(?)function\(', text)
        assert len(bodies) == text.count("__BRYTHON__.aot.register(") > 1, name
        assert set(bodies) == {"("}, name
        assert "=(function(" in text, name  # a class body (popup.py's Shown; content.js's many)
    assert shipped_project.run_in_node("chrome", "popup", "popup") == (0, "[1]\n")


def test_runtime_hash_is_checked(monkeypatch):
    monkeypatch.setattr(brython_pin, "RUNTIME_SHA256", "0" * 64)
    with pytest.raises(BuildError, match="sha256"):
        brython_pin.verified_files()


def test_incremental_build_rebuilds_only_what_depends_on_a_change(project):
    project.build_ok()
    second = project.build_ok()
    assert second["compiled"] == []
    assert second["written"] == {"chrome": [], "firefox": []}

    bundle = os.path.join(project.out, "chrome", "bundles", "content.js")
    content_mtime = os.stat(bundle).st_mtime_ns
    with open(project.path("py_src", "grccp", "platform", "shared", "storage.py"), "a") as f:
        f.write("\n\nCHANGED = True\n")
    third = project.build_ok()
    assert third["compiled"] == ["grccp.platform.shared.storage"]
    users = {name for name, info in third["bundles"].items() if "grccp.platform.shared.storage" in info["modules"]}
    assert "content" not in users and users
    assert sorted(third["written"]["chrome"]) == sorted(f"bundles/{name}.js" for name in users)
    assert os.stat(bundle).st_mtime_ns == content_mtime


def test_compiled_code_is_emitted_unindented(project):
    # Brython's js_tab option at 0 (node/compile_modules.cjs): its two spaces per block level were ~9% of every
    # bundle; what leading space is left is a few header lines of each module
    project.build_ok()
    bundles = os.path.join(project.out, "chrome", "bundles")
    for name in os.listdir(bundles):
        with open(os.path.join(bundles, name), encoding="utf-8") as f:
            text = f.read()
        leading = sum(len(line) - len(line.lstrip(" ")) for line in text.split("\n"))
        assert leading < 0.002 * len(text), (name, leading, len(text))


def test_the_node_script_keys_the_compile_cache(tmp_path, monkeypatch):
    # the script sets the compiler's options: compiled code made with other options is not reused
    runtime, stdlib = brython_pin.verified_files()
    script = tmp_path / "compile_modules.cjs"
    shutil.copy(aot_compiler.NODE_SCRIPT, script)
    monkeypatch.setattr(aot_compiler, "NODE_SCRIPT", str(script))

    def cache_key():
        return aot_compiler.Compiler(runtime, (runtime,), stdlib, str(tmp_path / "cache"), str(tmp_path)).runtime_key

    before = cache_key()
    script.write_text(script.read_text() + "\n// another option\n")
    assert cache_key() != before


def test_make_with_nothing_changed_does_nothing():
    # `make test` builds first, so the real tree is up to date here: make -q exits 0 only if no rule would run
    completed = subprocess.run(["make", "-q", "build"], cwd=REPO, capture_output=True, text=True)
    assert completed.returncode == 0, completed.stdout + completed.stderr


def test_extension_pages_have_a_strict_csp_and_no_inline_or_remote_code(project):
    import re
    project.build_ok()
    for browser in ("chrome", "firefox"):
        package = os.path.join(project.out, browser)
        with open(os.path.join(package, "manifest.json")) as f:
            manifest = json.load(f)
        csp = manifest["content_security_policy"]["extension_pages"]
        assert csp.startswith("script-src 'self';") and "object-src 'none'" in csp and "style-src 'self'" in csp
        assert not re.search(r"unsafe-|https?:|data:|blob:", csp)
        assert "externally_connectable" not in manifest  # no web page may message the extension
        for root, _, files in os.walk(package):
            for name in files:
                path = os.path.join(root, name)
                if name.endswith(".html"):
                    with open(path) as f:
                        html = f.read()
                    assert not re.search(r"<script(?![^>]*\bsrc=)", html), path   # no inline script
                    assert not re.search(r"<style|\sstyle=|\son[a-z]+=", html), path  # no inline style/handler
                    assert not re.search(r"(src|href)=\"(https?:)?//", html), path   # nothing remote
