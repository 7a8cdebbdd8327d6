"""A copy of a built package prepared for a test: host permissions for the test sites granted at install (so no
permission prompt is needed in a headless browser) and the eval/Function tripwire in front of the runtime."""
import json
import os
import shutil

from rig import REPO

DIST = os.path.join(REPO, "dist")
TRIPWIRE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "tripwire.js")
PACKAGE_OF_BROWSER = {"chromium": "chrome", "firefox": "firefox"}
DEFAULT_HOST_PERMISSIONS = ("https://*.example.test/*",)  # the emulator's default: pages, CCPs and sign-in on one site


def prepare_extension(browser_name, destination, host_permissions=DEFAULT_HOST_PERMISSIONS, tripwire=True):
    source = os.path.join(DIST, PACKAGE_OF_BROWSER[browser_name])
    if not os.path.exists(os.path.join(source, "manifest.json")):
        raise RuntimeError(f"{source} is not built: run `make build` first")
    shutil.rmtree(destination, ignore_errors=True)
    shutil.copytree(source, destination)
    manifest_path = os.path.join(destination, "manifest.json")
    with open(manifest_path) as f:
        manifest = json.load(f)
    manifest["host_permissions"] = list(host_permissions)
    if tripwire:
        _install_tripwire(destination, manifest)
    with open(manifest_path, "w") as f:
        json.dump(manifest, f, indent=1)
    return destination


def _prepend(path, text):
    with open(path) as f:
        body = f.read()
    with open(path, "w") as f:
        f.write(text + "\n" + body)


def _install_tripwire(destination, manifest):
    """Runs the tripwire before anything else in each context, without touching the runtime file itself
    (prepending to it would push its "use strict" directive out of first place)."""
    os.makedirs(os.path.join(destination, "test"), exist_ok=True)
    shutil.copy(TRIPWIRE, os.path.join(destination, "test", "tripwire.js"))
    with open(TRIPWIRE) as f:
        tripwire = f.read()
    _prepend(os.path.join(destination, "boot", "content_pre.js"), tripwire)
    background = manifest["background"]
    if "service_worker" in background:
        _prepend(os.path.join(destination, background["service_worker"]), tripwire)
    else:
        background["scripts"] = ["test/tripwire.js"] + background["scripts"]
    # a page that makes one eval and one Function call from extension code: proves the tripwire sees them
    with open(os.path.join(destination, "test", "eval_probe.js"), "w") as f:
        f.write("for (const attempt of [() => eval('1'), () => Function('return 1')]) {"
                " try { attempt(); } catch (e) { /* refused by the CSP, as it must be */ } }\n")
    with open(os.path.join(destination, "test", "probe.html"), "w") as f:
        f.write('<!doctype html><meta charset="utf-8"><script src="tripwire.js"></script>'
                '<script src="eval_probe.js"></script>')
    # an extension page that does nothing of its own (the popup tells the background it is open, for one)
    with open(os.path.join(destination, "test", "blank.html"), "w") as f:
        f.write('<!doctype html><meta charset="utf-8"><script src="tripwire.js"></script>')
    for page in ("popup.html", "options.html"):
        path = os.path.join(destination, page)
        with open(path) as f:
            html = f.read()
        first_script = '<script src="runtime/brython_csp.js"></script>'
        if html.count(first_script) != 1:
            raise RuntimeError(f"{page}: cannot place the tripwire before the runtime")
        with open(path, "w") as f:
            f.write(html.replace(first_script, '<script src="test/tripwire.js"></script>' + first_script))
