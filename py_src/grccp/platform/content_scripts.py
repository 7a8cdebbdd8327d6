"""The content script registered at run time for the configured pages (never in the manifest), so that it is
injected on exactly the allowlisted pages and nowhere else."""
from . import webext

SCRIPT_ID = "grccp-ccp-host"
CONTENT_FILES = ["boot/content_pre.js", "runtime/brython_csp.js", "runtime/aot_loader.js", "boot/frame_bridge.js",
                 "bundles/content.js",
                 "boot/content_run.js"]


def register(match_patterns, on_done):
    """Replaces the registration with one for match_patterns (port-free patterns: Firefox ignores ports);
    an empty list unregisters. on_done(error or None)."""
    scripting = webext.api.scripting

    def registered(*_):
        on_done(webext.last_error())

    def unregistered(*_):
        webext.last_error()  # nothing registered yet is not an error worth reporting
        if not match_patterns:
            on_done(None)
            return
        scripting.registerContentScripts(webext.to_js([{
            "id": SCRIPT_ID, "matches": list(match_patterns), "js": CONTENT_FILES,
            "runAt": "document_idle", "allFrames": False, "persistAcrossSessions": True,
        }]), registered)

    scripting.unregisterContentScripts(webext.to_js({"ids": [SCRIPT_ID]}), unregistered)
