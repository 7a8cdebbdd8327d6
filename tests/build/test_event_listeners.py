"""Browser event listeners written in Python (platform/shared/webext.listen), under the shipped runtime (Node).
Firefox structured-clones what a listener of an event fired by its parent process returns (the install and start
events, tabs, windows, downloads): a Python function's None reaches JS as Brython's None object, which cannot be
cloned, and the browser logged "DataCloneError: Function object could not be cloned" each time such an event
fired (once in every Firefox run of the extension: the install). Node's structuredClone refuses the same."""

PROGRAM = '''
import browser

window = browser.self  # the global scope (Node here, as a worker)
window.chrome = window.JSON.parse('{"runtime": {}}')
from grccp.platform.shared import webext  # noqa: E402 -- after the stand-in for the browser's API


class Event:
    """An event as the browser offers it: the listener is a JS function (what addListener receives)."""
    def __init__(self):
        self.listeners = window.Array.new()

    def addListener(self, listener):
        self.listeners.push(listener)


heard = []
event = Event()
webext.listen(event, lambda *arguments: heard.append((str(arguments[0]), len(arguments))))
returned = window.Array.prototype.map.call(window.JSON.parse('["installed"]'), event.listeners[0])
window.structuredClone(returned)  # what Firefox does with it
print(window.JSON.stringify(returned), heard)
plain = window.Array.prototype.map.call(window.JSON.parse('[1]'), lambda *arguments: None)
try:
    window.structuredClone(plain)
except Exception as error:
    print("a plain Python listener:", type(error).__name__)
'''


def test_a_listener_returns_nothing_the_browser_cannot_clone(shipped_project):
    shipped_project.write("py_src/popup.py", PROGRAM)
    shipped_project.build_ok()
    code, output = shipped_project.run_in_node("chrome", "popup", "popup")
    assert (code, output.splitlines()) == (0, ["[null] [('installed', 3)]", "a plain Python listener: JavascriptError"])
