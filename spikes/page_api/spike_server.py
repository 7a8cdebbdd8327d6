"""The CCP emulator (tests/emulator, unchanged) plus this spike's CRM pages, served with a strict CSP:

  /spike/legacy/  /spike/acgr/  /spike/plain/   pages/<name>.html
  /spike/dr/                                    pages/dr-reference.html (connect-streams-dr.js from 'self')
  /spike/static/<file>                          pages/<file> (the CRM's own scripts: 'self')
  /spike/csp-report                             POST: a CSP violation report, kept in `csp_reports`

The CSP has no 'unsafe-eval' and no 'unsafe-inline' for scripts, so Streams' `new Function("return this")`
fallbacks, if reached, are blocked and reported."""
import json
import os

from emulator.config import CRM_HOSTS
from emulator.http_handler import Response, static_file
from emulator.server import Emulator

PAGES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "pages")
PAGE_ROUTES = {"/spike/legacy/": "legacy.html", "/spike/acgr/": "acgr.html", "/spike/plain/": "plain.html",
               "/spike/dr/": "dr-reference.html"}


class SpikeEmulator(Emulator):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.csp_reports = []

    def csp(self):
        frames = " ".join(self.origin(i.host) for i in self.instances)
        return ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
                f"connect-src 'self'; frame-src {frames}; object-src 'none'; base-uri 'none'; "
                "report-uri /spike/csp-report")

    def spike_url(self, page, site=0):
        return self.crm_url(f"/spike/{page}/", site)

    def _build_origins(self):  # the emulator's routing, with the spike's pages in front on the CRM sites
        origins = super()._build_origins()
        for host in CRM_HOSTS:
            origins[host] = self._with_spike_pages(origins[host])
        return origins

    def _with_spike_pages(self, site):
        def route(request):
            if request.path == "/spike/csp-report" and request.method == "POST":
                try:
                    self.csp_reports.append(json.loads(request.body or b"{}"))
                except ValueError:
                    self.csp_reports.append({"unparsed": request.body.decode("utf-8", "replace")})
                return Response(204)
            if request.path in PAGE_ROUTES:
                response = static_file(PAGES, PAGE_ROUTES[request.path])
            elif request.path.startswith("/spike/static/"):
                response = static_file(PAGES, request.path[len("/spike/static/"):])
            else:
                return site(request)
            response.headers["Content-Security-Policy"] = self.csp()
            return response
        return route
