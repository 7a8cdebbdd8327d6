"""The pass that reads the runtime helpers a compiled module calls into locals (node/local_helpers.cjs): only
helpers the runtime defines once and that never use `this`, only names used more than once, never a property key
or an assignment target, and a module that declares $B or _b_ anywhere else is refused."""
import json
import os
import subprocess

import pytest

CASE_RUNNER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "local_helpers_case.cjs")

# A runtime of four helpers: `twice` is assigned again later, `method` reads its receiver.
RUNTIME = """var __BRYTHON__ = {builtins: {None: {repr: 'None'}}}
__BRYTHON__.add = function (a, b) { return a + b }
__BRYTHON__.twice = function (a) { return a }
__BRYTHON__.method = function () { return this.add(1, 2) }
__BRYTHON__.twice = function (a) { return a * 2 }
"""
HEADER = 'var $B = __BRYTHON__,\n_b_ = $B.builtins,\nframe = ["pkg.mod", null]\n'


def _run(tmp_path, code, module="pkg.mod", runtime=RUNTIME):
    case = tmp_path / "case.json"
    case.write_text(json.dumps({"runtime": [runtime], "module": module, "code": HEADER + code}))
    completed = subprocess.run(["node", CASE_RUNNER, str(case)], capture_output=True, text=True, check=True)
    return json.loads(completed.stdout)


def _evaluated(code, expression):
    script = f"{RUNTIME}\nvar result = (function () {{\n{code}\nreturn {expression}\n}})()\n" \
             "process.stdout.write(JSON.stringify(result))"
    return json.loads(subprocess.run(["node", "-e", script], capture_output=True, text=True, check=True).stdout)


def test_a_stable_helper_called_more_than_once_is_read_into_a_local(tmp_path):
    code = "var x = $B.add(1, 2)\nvar y = $B.add(x, 3)\n"
    result = _run(tmp_path, code)["code"]
    assert "$B.add(" not in result and "$rt_add = $B.add" in result and result.count("$rt_add(") == 2
    assert _evaluated(result, "y") == _evaluated(HEADER + code, "y") == 6


def test_a_helper_called_once_is_left_as_it_is(tmp_path):
    code = "var x = $B.add(1, 2)\n"
    assert _run(tmp_path, code)["code"] == HEADER + code


@pytest.mark.parametrize("helper", ["twice", "method", "missing"])
def test_a_helper_assigned_again_using_this_or_not_defined_stays_a_property_call(tmp_path, helper):
    code = f"var x = $B.{helper}(1)\nvar y = $B.{helper}(2)\n"
    assert _run(tmp_path, code)["code"] == HEADER + code


def test_none_and_the_module_name_become_locals_but_never_a_key_or_an_assignment_target(tmp_path):
    code = ('var a = [_b_.None, "pkg.mod"], b = {"pkg.mod": _b_.None}, c = ["pkg.mod", b["pkg.mod"]]\n'
            '_b_.None = _b_.None\n')
    result = _run(tmp_path, code)["code"]
    body = result[len(HEADER):]
    assert '{"pkg.mod": $rt_None}' in body and "_b_.None = $rt_None" in body
    assert body.count('"pkg.mod"') == 2  # the declaration and the key
    assert 'frame = ["pkg.mod", null]' in result  # the header is not rewritten
    assert _evaluated(result, "[a, b, c]") == _evaluated(HEADER + code, "[a, b, c]")


@pytest.mark.parametrize("code", [
    "function f($B) { return $B.add(1, 2) + $B.add(3, 4) }\n",
    "function f() { var _b_ = 1; return _b_ }\n",
    "try { f() } catch ($B) { }\n",
    "var $rt_add = 1\n",
])
def test_a_module_that_declares_the_names_elsewhere_is_refused(tmp_path, code):
    assert "declares" in _run(tmp_path, code)["error"]


def test_a_module_that_does_not_start_with_the_compiler_header_is_refused(tmp_path):
    case = tmp_path / "case.json"
    case.write_text(json.dumps({"runtime": [RUNTIME], "module": "m", "code": "var x = 1\n"}))
    completed = subprocess.run(["node", CASE_RUNNER, str(case)], capture_output=True, text=True, check=True)
    assert "does not start by declaring $B and _b_" in json.loads(completed.stdout)["error"]
