"""The bench's copy of the extension: the built package (Chromium's or Firefox's) with host permissions granted and
the bench's probes added (never in the product; each costs microseconds per call it wraps):

  performance marks   where the content script's start goes, and when the page guard's listener receives, and the
                      frame bridge finishes handling, a disasterRecovery::failover or (ACGR) a
                      globalResiliency::failover_initiated (the page's own timeline)
  content_probe.js    first in the content script (before the page guard, at document_start): time spent in the
                      content script's own callbacks, timer lateness, cs:log-batch messages, the followed log
                      lines (read with chrome.scripting)
  background_probe.js first in the background: time spent in its callbacks by kind, timer lateness, storage
                      writes, when followed log lines arrive and are stored (read over a BroadcastChannel)
                      (each probe after probe_core.js, their shared recorder of tasks and timers)
  popup_probe.js      in front of the popup's scripts: what the log download's click-to-files time is made of
  bench_control.html  an extension page that runs no code: chrome.* for the bench"""
import json
import os
import shutil

from grccp_build import python_steps
from rig import extension_copy

from .topology import HOST_PERMISSIONS

HERE = os.path.dirname(os.path.abspath(__file__))
POPUP_PROBE = os.path.join(HERE, "popup_probe.js")
PROBE_CORE = os.path.join(HERE, "probe_core.js")
CONTENT_PROBE = os.path.join(HERE, "content_probe.js")
BACKGROUND_PROBE = os.path.join(HERE, "background_probe.js")
BACKGROUND_PROBE_FILE = "bench_background_probe.js"

# Extra performance marks: where the content script's start goes, in the page's own timeline: (file, text, mark
# before it or after it). The runtime, the loader and the bundle each run as a step (grccp_build.python_steps), which
# the content script runs each in a task of its own (boot/content_run.js).
RUN_MAIN = "__BRYTHON__.aot.runMain('content_script');"
PROFILE_MARKS = (("runtime/brython_csp.js", python_steps.OPENING, "after", "grccp-bench-python-started"),
                 ("runtime/aot_loader.js", python_steps.OPENING, "after", "grccp-bench-runtime-evaluated"),
                 ("boot/content_run.js", RUN_MAIN, "before", "grccp-bench-bundle-evaluated"),
                 ("boot/content_run.js", RUN_MAIN, "after", "grccp-bench-main-returned"))
FIRST_SCRIPT = '<script src="runtime/brython_csp.js"></script>'


def _read(path):
    with open(path) as handle:
        return handle.read()


def _write(path, text):
    with open(path, "w") as handle:
        handle.write(text)


def _probe(path):
    """A probe's text with the shared recorder in front of it."""
    return _read(PROBE_CORE) + "\n" + _read(path) + "\n"


def _replace_once(path, old, new):
    body = _read(path)
    if body.count(old) != 1:
        raise RuntimeError(f"{path}: cannot place a bench probe (expected {old!r} once)")
    _write(path, body.replace(old, new))


def bench_extension(browser_name, dist, destination):
    """A copy of `dist`'s package for `browser_name` ("chromium" or "firefox") at `destination`, instrumented."""
    extension_copy.DIST = os.path.abspath(dist)
    extension_dir = extension_copy.prepare_extension(browser_name, destination, HOST_PERMISSIONS, tripwire=False)
    instrument(extension_dir)
    return extension_dir


def instrument(extension_dir):
    shutil.copy(POPUP_PROBE, os.path.join(extension_dir, "bench_popup_probe.js"))
    _write(os.path.join(extension_dir, "bench_control.html"),
           '<!doctype html><meta charset="utf-8"><title>bench control</title>\n')
    _replace_once(os.path.join(extension_dir, "popup.html"), FIRST_SCRIPT,
                  '<script src="bench_popup_probe.js"></script>' + FIRST_SCRIPT)
    mark_failover(os.path.join(extension_dir, "boot"))
    for name, text, where, mark in PROFILE_MARKS:
        line = f"performance.mark('{mark}');\n"
        _replace_once(os.path.join(extension_dir, name), text, line + text if where == "before" else text + line)
    # the content probe goes before the content script's first file, the page guard (document_start): the
    # registered file lists are the product's
    guard = os.path.join(extension_dir, "boot", "page_guard.js")
    _write(guard, _probe(CONTENT_PROBE) + _read(guard))
    _add_background_probe(extension_dir)


# The message that switches the visible CCP: legacy DR's, and ACGR's.
SWITCH_EVENTS = ("disasterRecovery::failover", "globalResiliency::failover_initiated")


def mark_failover(boot):
    """Marks when the page guard's listener receives a message that switches the CCP (SWITCH_EVENTS) and when the
    frame bridge has handed it on (the end of the task handling it)."""
    call, listener = "onMessage(region, data);", "addEventListener('message', function (event) {"
    events = json.dumps(list(SWITCH_EVENTS))
    received = f"if (event.data && {events}.indexOf(event.data.event) >= 0)"
    handled = f"if (data && {events}.indexOf(data.event) >= 0)"
    _replace_once(os.path.join(boot, "page_guard.js"), listener,
                  f"{listener} {received} performance.mark('grccp-bench-failover-delivered');")
    _replace_once(os.path.join(boot, "frame_bridge.js"), call,
                  f"{call} {handled} performance.mark('grccp-bench-failover-handled');")


def _add_background_probe(extension_dir):
    """Chromium: prepended to the service worker's file (it is one classic script); Firefox: the event page's
    first script."""
    manifest_path = os.path.join(extension_dir, "manifest.json")
    manifest = json.loads(_read(manifest_path))
    background = manifest["background"]
    if "service_worker" in background:
        worker = os.path.join(extension_dir, background["service_worker"])
        _write(worker, _probe(BACKGROUND_PROBE) + _read(worker))
    else:
        _write(os.path.join(extension_dir, BACKGROUND_PROBE_FILE), _probe(BACKGROUND_PROBE))
        background["scripts"] = [BACKGROUND_PROBE_FILE] + background["scripts"]
        _write(manifest_path, json.dumps(manifest, indent=1))
