"""The runtime's speed edits (build: runtime_patch, "speed: ..."): `in` on built-in containers, loops over
generators and built-in iterators (zip, enumerate, dict, set, str, ...) and isinstance() take shorter paths through
Brython. A program that exercises both, edge cases included, prints the same
under the shipped runtime (Node) as under CPython. The built-in types the runtime's start finalizes, and the
infos of their functions, are the same with its faster loops and MROs as without them, and a class defined in
Python gets the MRO CPython gives it."""
import contextlib
import io
import json
import os
import subprocess

from grccp_build import brython_pin, runtime_cuts, runtime_patch

RUNTIME_TYPES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "runtime_types.cjs")

PROGRAM = '''
class Bag(dict):
    def __contains__(self, key):
        return key == "anything"


class Shelf(list):
    def __contains__(self, item):
        return True


class Hashless:
    __hash__ = None


def show(*values):
    print(*[repr(value) for value in values])


data = {"level": "INFO", 1: "one", (2, 3): "pair"}
show("level" in data, "text" in data, 1 in data, 1.0 in data, (2, 3) in data, [2, 3] in (data, ))
show("a" in {"a"}, "b" in frozenset("abc"), frozenset("a") in {frozenset("a")}, {"a"} in {frozenset("a")})
show("ell" in "hello", "" in "x", "z" in "hello", 2 in [1, 2], 2.0 in (1, 2), "x" in [], None in [None])
show("anything" in Bag(), "level" in Bag(level=1), 1 in Shelf(), 7 in range(3, 9), 3 in iter([1, 2, 3]))
for container, item in ((data, [1]), ({1}, {}), ("abc", 1), ({1}, Hashless())):
    try:
        item in container
    except TypeError as error:
        print("TypeError", type(container).__name__)


def counted(limit, result=None):
    for index in range(limit):
        yield index
    return result


show([value * 2 for value in counted(4)], tuple(counted(3)), sum(counted(5)), list(counted(0)))
show(all(value < 9 for value in counted(4)), any(value > 2 for value in counted(4)), "-".join(str(v) for v in counted(3)))
show({value: str(value) for value in counted(2)}, frozenset(counted(3)) == {0, 1, 2}, sorted(counted(3), reverse=True))
generator = counted(3, "done")
show(next(generator), [value for value in generator], next(generator, "exhausted"))
try:
    next(counted(0, "result"))
except StopIteration as stop:
    show("StopIteration", stop.value)


def failing():
    yield 1
    raise KeyError("inside")


collected = []
try:
    for value in failing():
        collected.append(value)
except KeyError as error:
    show("KeyError", error.args, collected)


def nested():
    yield from counted(2)
    yield "after"


show(list(nested()), [(a, b) for a in counted(2) for b in counted(2)])
for value in counted(5):
    if value == 2:
        break
else:
    show("no break")
show("broke at", value)
closing = counted(5)
show(next(closing))
closing.close()
show(list(closing))


def echo():
    received = yield "first"
    while received is not None:
        received = yield received * 2


talker = echo()
show(next(talker), talker.send(3), talker.send(5))


class Anything(type):
    def __instancecheck__(cls, instance):
        return True


class Everything(metaclass=Anything):
    pass


class Text(str):
    pass


show(isinstance("a", str), isinstance({}, str), isinstance(Text("a"), str), isinstance("a", Text), isinstance(True, int))
show(isinstance(1, (str, list)), isinstance([], (str, list)), isinstance(None, type(None)), isinstance(1.5, int))
show(isinstance(3, Everything), isinstance(Everything(), Everything), isinstance({}, Bag), isinstance(Bag(), dict))
show(isinstance(str, type), isinstance(Everything, type), isinstance(Everything, Anything), isinstance(int, Anything))
letters = {"a": 1, "b": 2}
show([pair for pair in zip("ab", [1, 2, 3])], list(enumerate("xy", 5)), [v for v in map(str.upper, "ab")])
show([k for k in letters], [v for v in letters.values()], dict(letters.items()), sorted({3, 1, 2}), list("hé"))
show(list(filter(None, [0, 1, 2])), list(reversed([1, 2])), tuple(reversed("ab")), [c for c in iter("ab")])
name, number = zip(*letters.items())
show(name, number, [(i, k, v) for i, (k, v) in enumerate(letters.items())], list(iter([1, 2, 0, 3].pop, 0)))
partial = iter(letters)
show(next(partial), list(partial), list(partial), next(partial, "exhausted"))
for key, value in zip(letters, letters.values()):
    if value == 1:
        break
show("broke at", key)
try:
    for key in letters:
        letters["c"] = 3
except RuntimeError as error:
    show("RuntimeError", str(error))
try:
    list(zip([1], [1, 2], strict=True))
except ValueError as error:
    show("ValueError", str(error))


class Countdown:
    def __init__(self, start):
        self.left = start

    def __iter__(self):
        return self

    def __next__(self):
        if self.left == 0:
            raise StopIteration
        self.left -= 1
        return self.left


class Keys(dict):
    def __iter__(self):
        return iter(["own"])


show(list(Countdown(3)), [v for v in zip(Countdown(2), "ab")], list(Keys(a=1)), [k for k in Keys(a=1)])
running = None


def reentrant():
    yield next(running)


running = reentrant()
try:
    next(running)
except ValueError as error:
    show("ValueError", str(error))


class Base:
    pass


class Middle(Base):
    pass


class Leaf(Middle):
    pass


class Mixin:
    pass


class Both(Leaf, Mixin):
    pass


class Problem(KeyError):
    pass


for cls in (Leaf, Both, Problem, bool):
    show([kls.__name__ for kls in cls.__mro__], [kls.__name__ for kls in cls.mro()])
'''


def test_in_and_generator_loops_behave_as_in_cpython(shipped_project):
    shipped_project.write("py_src/popup.py", PROGRAM)
    shipped_project.build_ok()
    expected = io.StringIO()
    with contextlib.redirect_stdout(expected):
        exec(compile(PROGRAM, "popup.py", "exec"), {"__name__": "__main__"})  # noqa: S102 -- the test's own program
    assert all(name in expected.getvalue() for name in ("TypeError", "ValueError", "RuntimeError", "own"))
    assert shipped_project.run_in_node("chrome", "popup", "popup") == (0, expected.getvalue())


def _types_made(tmp_path, name, edits):
    runtime_path, _ = brython_pin.verified_files()
    with open(runtime_path, encoding="utf-8") as f:
        runtime = runtime_cuts.remove_compiler(runtime_patch.patch_runtime(f.read(), edits))
    path = tmp_path / f"{name}.js"
    path.write_text(runtime)
    completed = subprocess.run(["node", RUNTIME_TYPES, str(path)], capture_output=True, text=True, check=True)
    return json.loads(completed.stdout)


def test_the_types_finalized_and_named_by_the_faster_loops_are_the_stock_loops(tmp_path):
    loop_edits = [edit for edit in runtime_patch.EDITS
                  if "slot wrappers" in edit[0] or "are named" in edit[0] or "one base" in edit[0]]
    assert len(loop_edits) == 4
    stock_loop = _types_made(tmp_path, "stock", [edit for edit in runtime_patch.EDITS if edit not in loop_edits])
    shipped = _types_made(tmp_path, "shipped", runtime_patch.EDITS)
    assert len(shipped) > 200
    by_name = {found["name"]: found for found in shipped}
    str_dict = {key: (kind, origin) for key, kind, origin in by_name["str"]["dict"]}
    int_dict = {key: (kind, origin) for key, kind, origin in by_name["int"]["dict"]}
    # a slot wrapper for each slot a type has (a reflected one made for it); a slot it inherits, from object
    assert str_dict["__add__"] == ("wrapper_descriptor", "sq_concat") and str_dict["__rmul__"][1] == "sq_repeat"
    assert int_dict["__add__"][1] == "nb_add" and int_dict["__radd__"][1] == "made"
    assert by_name["bool"]["slots"]["tp_init"] == "int" and by_name["int"]["slots"]["tp_call"] == "NULL"
    assert by_name["bool"]["mro"] == ["bool", "int", "object"] and by_name["KeyError"]["mro"][-2:] == [
        "BaseException", "object"]
    str_functions = dict(by_name["str"]["functions"])  # named: name, qualified name, module
    assert [str_functions["upper"][index] for index in (1, 2, 0)] == ['"upper"', '"str.upper"', '"builtins"']
    assert shipped == stock_loop
