"""Each file of Python's run time (the runtime, the loader, a bundle) is shipped as one step: a function that runs at
once, or, in a context that set the queue QUEUE, is put in it. The content script sets it (boot/content_pre.js) and
runs its steps each in a task of its own (boot/content_run.js): run as they load, they would hold the page's thread
~0.3-0.5 s, and the page's parser, the early start's storage read and the background's answer, and so the CCP
frames, would wait behind them. Every other context runs them at once."""

QUEUE = "grccpPythonSteps"  # boot/content_pre.js and boot/content_run.js name it too
# The step is parenthesized so that V8 compiles it with the file, as it does a script's top level, instead of
# parsing it again when it runs (the runtime's: ~30 ms more under Node on the loaded machine).
OPENING = (f"(function (step) {{ var steps = globalThis.{QUEUE}; if (steps) steps.push(step); else step(); }})"
           "((function () {\n")
CLOSING = "\n}));\n"


def step(text):
    """The text of a Python run-time file as a step."""
    return OPENING + text + CLOSING
