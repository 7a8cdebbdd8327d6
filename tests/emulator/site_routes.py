"""The non-CCP origins: the global login page, the CRM demo sites and the non-allowlisted page.

Every site also serves, for host pages that run the real Streams library:
  /vendor/amazon-connect-streams/<file>  the npm package's release files, straight from node_modules
  /hosts/<page>                          host harness pages (plain Streams, connect-streams-dr.js, raw postMessage)
  /emulator/config.js                    `window.EMULATOR = {instances, loginUrl, ...}` for those pages
  /slow-script.js?ms=N                   an empty script sent after N ms (at most 10 s): a page that holds its parser
                                         there, as one loading a large script does
  /page-api/<file>                       CRM pages for the extension's page API (static/page_api/), sent with a strict
                                         CSP (STRICT_CSP: no inline script, no eval), as a careful CRM sends them
"""
import json
import os
import time

from .config import LOGIN_PATH
from .control_api import sign_in_everywhere
from .http_handler import Response, static_file

VENDOR_PREFIX = "/vendor/amazon-connect-streams/"
PAGE_API_PREFIX = "/page-api/"
# frame-src: the CCP origins the extension's panel frames (the page API's stand-in frames are about:blank)
STRICT_CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
              "connect-src 'self'; frame-src {frames}; object-src 'none'; base-uri 'none'")


class LoginOrigin:
    """The global sign-in page (`loginUrl`); its impairment makes it answer an HTTP error or nothing at all."""

    def __init__(self, state, static_dir):
        self._state = state
        self._static_dir = static_dir

    def __call__(self, request):
        if request.path != LOGIN_PATH:
            return static_file(self._static_dir, request.path)
        impairment = self._state.login_impairment
        if impairment["unreachable"]:
            outcome, response = "dropped", Response.drop()
        elif impairment["status"]:
            outcome, response = "error", Response.html(impairment["status"], "<h1>Emulated sign-in outage</h1>")
        elif request.method == "POST":
            sign_in_everywhere(self._state)  # global sign-in: both instances at once
            outcome, response = "signed-in", static_file(self._static_dir, "done.html")
        else:
            outcome, response = "ok", static_file(self._static_dir, "index.html")
        self._state.record_login({"method": request.method, "outcome": outcome})
        return response


class SiteOrigin:
    def __init__(self, site_dir, hosts_dir, streams_release_dir, page_config, page_api_dir):
        self._site_dir = site_dir
        self._hosts_dir = hosts_dir
        self._page_api_dir = page_api_dir
        self._csp = STRICT_CSP.format(frames=" ".join(sorted({"/".join(i["ccpUrl"].split("/")[:3])
                                                               for i in page_config["instances"]})))
        self._streams_release_dir = streams_release_dir
        self._config_js = "window.EMULATOR = " + json.dumps(page_config, indent=2) + ";\n"

    def __call__(self, request):
        path = request.path
        if path == "/emulator/config.js":
            return Response(200, self._config_js, "text/javascript")
        if path == "/slow-script.js":
            delay = request.query_value("ms", "0")
            time.sleep(min(int(delay) if delay.isdigit() else 0, 10_000) / 1000)  # only this thread waits
            return Response(200, "/* sent late */\n", "text/javascript")
        if path.startswith(VENDOR_PREFIX):
            return static_file(self._streams_release_dir, path[len(VENDOR_PREFIX):])
        if path.startswith("/hosts/"):
            return static_file(self._hosts_dir, path[len("/hosts/"):])
        if path.startswith(PAGE_API_PREFIX):
            response = static_file(self._page_api_dir, path[len(PAGE_API_PREFIX):])
            response.headers["Content-Security-Policy"] = self._csp
            return response
        return static_file(self._site_dir, path)


def streams_release_dir(repo_root):
    """amazon-connect-streams as installed by `npm ci` (a pinned dev dependency; never copied into the repo)."""
    path = os.path.join(repo_root, "node_modules", "amazon-connect-streams", "release")
    if not os.path.isfile(os.path.join(path, "connect-streams.js")):
        raise FileNotFoundError(f"{path}: run `npm ci` first (amazon-connect-streams is a dev dependency)")
    return path
