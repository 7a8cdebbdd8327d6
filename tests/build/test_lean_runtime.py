"""The shipped runtime without Brython's compiler: the cuts match the pinned text exactly or fail the build
naming the cut, nothing compiled code uses is removed, and paths that need the compiler raise in Python."""
import glob
import json
import os
import re
import subprocess

import pytest

from grccp_build import brython_pin, runtime_cuts, runtime_patch
from rig import REPO
from grccp_build.errors import BuildError

RUNTIME_NAMES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "runtime_names.cjs")


@pytest.fixture(scope="module")
def csp_runtime():
    runtime_path, _ = brython_pin.verified_files()
    with open(runtime_path, encoding="utf-8") as f:
        return runtime_patch.patch_runtime(f.read())


def _names(runtime_path):
    completed = subprocess.run(["node", RUNTIME_NAMES, runtime_path], capture_output=True, text=True, check=True)
    return json.loads(completed.stdout)


def test_cuts_remove_the_compiler_and_keep_the_run_time_helpers(csp_runtime):
    lean = runtime_cuts.remove_compiler(csp_runtime)
    assert len(lean) < 0.6 * len(csp_runtime)
    for compiler_part in ("$B._PyPegen.parse=", "$B.js_from_root=", "$B._PySymtable_Build=function",
                          "$B.prepare_number=", "$B.Parser=function"):
        assert compiler_part in csp_runtime and compiler_part not in lean
    # defined next to the compiler, called by compiled code and tracebacks
    for helper in ("$B.resolve_local=", "$B.resolve_in_scopes=", "$B.resolve_global=", "$B.own_class_name=",
                   "$B.decode_position=", "$B.tokenizer=", "$B.is_XID_Start=", "var builtins_scope="):
        assert csp_runtime.count(helper) == lean.count(helper) == 1


@pytest.mark.parametrize("cut", runtime_cuts.CUTS, ids=lambda cut: cut.name)
def test_a_cut_that_no_longer_matches_fails_the_build_naming_it(csp_runtime, cut):
    for role in ("first", "last"):
        text = getattr(cut, role)
        with pytest.raises(BuildError, match=rf"runtime cut \({re.escape(cut.name)}\): its {role} text .* 0 times"):
            runtime_cuts.remove_compiler(csp_runtime.replace(text, "/* moved */"))
        with pytest.raises(BuildError, match=rf"runtime cut \({re.escape(cut.name)}\): its {role} text .* 2 times"):
            runtime_cuts.remove_compiler(csp_runtime + "\n" + text)


@pytest.mark.parametrize("cut", runtime_cuts.CUTS, ids=lambda cut: cut.name)
def test_a_cut_never_spans_two_sections(csp_runtime, cut):
    # a section boundary appearing inside the span (Brython moved code between sections) is refused
    start = csp_runtime.index(cut.first) + len(cut.first)
    moved = csp_runtime[:start] + "\n})(__BRYTHON__)\n(function($B){" + csp_runtime[start:]
    with pytest.raises(BuildError, match=rf"runtime cut \({re.escape(cut.name)}\) would span more than one"):
        runtime_cuts.remove_compiler(moved)


def test_the_compiler_under_node_is_the_pinned_unmodified_brython(project):
    project.build_ok()
    with open(os.path.join(project.out, ".cache", "request.json")) as f:
        request = json.load(f)
    pinned, _ = brython_pin.verified_files()
    assert request["compiler"] == pinned


def test_nothing_compiled_code_uses_is_removed(project):
    # the real entry points, and stdlib modules (Python and JS) for a wider sample of generated code
    project.write("py_src/popup.py", "import datetime\nimport json\nimport re\n")
    project.build_ok()
    package = os.path.join(project.out, "chrome")
    lean = _names(os.path.join(package, "runtime", "brython_csp.js"))
    full = _names(brython_pin.verified_files()[0])
    assert lean["modules"] == full["modules"] and lean["builtins"] == full["builtins"]
    removed = set(full["names"]) - set(lean["names"])
    assert {"js_from_root", "_PyPegen", "prepare_string", "prepare_number"} <= removed
    # the compiled modules as the compiler wrote them (the shipped bundles are minified: $B is renamed there)
    cache = os.path.join(project.out, ".cache")
    compiled = [os.path.join(folder, name) for folder in [os.path.join(cache, "user")] + glob.glob(
        os.path.join(cache, "stdlib-*")) for name in os.listdir(folder) if name.endswith(".js")]
    used = set()
    for path in [os.path.join(REPO, "build", "grccp_build", "js", "aot_loader.js")] + compiled:
        with open(path, encoding="utf-8") as f:
            used |= set(re.findall(r"(?:\$B|__BRYTHON__)\.([A-Za-z_$][\w$]*)", f.read()))
    assert len(used) > 120 and not used & removed, used & removed


def test_compiled_python_runs_and_only_compiler_paths_raise(shipped_project):
    shipped_project.write("py_src/popup.py", """\
import builtins

print('x_1'.isidentifier(), '1a'.isidentifier(), int('ff', 16), int(' 1_000 '), float('1e3'), complex('1+2j'),
      '{:>4}|{!r}'.format('a', 'b'), f'{3.14159:.2f}', [n * n for n in range(3)])
for name, arguments in (('exec', ('x = 1',)), ('eval', ('1',)), ('compile', ('1', '<s>', 'eval'))):
    try:
        getattr(builtins, name)(*arguments)
    except NotImplementedError as error:
        print(name, type(error).__name__, 'no Python compiler' in str(error))


def fail():
    return {}['missing']


fail()
""")
    shipped_project.build_ok()
    code, output = shipped_project.run_in_node("chrome", "popup", "popup")
    assert code == 1
    assert output == ("True False 255 1000 1000.0 (1+2j)    a|'b' 3.14 [0, 1, 4]\n"
                      "exec NotImplementedError True\neval NotImplementedError True\n"
                      "compile NotImplementedError True\n"
                      "Traceback (most recent call last):\n"
                      '  File "popup.py", line 16, in <module>\n  File "popup.py", line 13, in fail\n'
                      "KeyError: 'missing'\n"), output


def test_the_time_zone_name_is_made_when_first_read(tmp_path, csp_runtime):
    # runtime_patch: two Intl.DateTimeFormat at every start, for time.struct_time.tm_zone only
    runtime = tmp_path / "runtime.js"
    runtime.write_text(runtime_cuts.remove_compiler(csp_runtime))
    script = f"""
globalThis.self = globalThis; globalThis.addEventListener = function () {{}};
let made = 0;
const Made = Intl.DateTimeFormat;
Intl.DateTimeFormat = function (...args) {{ made += 1; return new Made(...args); }};
const $B = require({json.dumps(str(runtime))}).__BRYTHON__;
const atStart = made;
const name = $B.tz_name, again = $B.tz_name;
process.stdout.write(JSON.stringify([atStart, name, again === name, made]));
"""
    completed = subprocess.run(["node", "-e", script], capture_output=True, text=True, check=True)
    at_start, name, same, made = json.loads(completed.stdout)
    assert at_start == 0 and isinstance(name, str) and name and same and made == 2
