"""`Emulator`: start/stop the whole emulator (HTTPS origins + control API) and tell tests where everything is."""
import os

from rig.tls import TestCertificates

from .ccp_routes import CcpOrigin
from .client import EmulatorClient
from .config import (CCP_PATH, CRM_HOSTS, DOMAIN, LOGIN_PATH, OTHER_HOST, Timings, default_instances, host_names,
                     login_host)
from .control_api import ControlApi
from .http_handler import Response, make_handler
from .servers import LoopbackServer
from .site_routes import LoginOrigin, SiteOrigin, streams_release_dir
from .state import EmulatorState

HERE = os.path.dirname(os.path.abspath(__file__))
STATIC = os.path.join(HERE, "static")
REPO_ROOT = os.path.dirname(os.path.dirname(HERE))


class Emulator:
    """Usage: `with Emulator(tmp_dir=...) as emu: emu.ccp_url("us-east-1"); emu.client.route_contact(...)`.
    `ccp_domain`: the domain of the CCPs and the sign-in page (config.CCP_OWN_DOMAIN: a site of their own, cross-site
    to the CRM pages, as in a real deployment); by default the CRM sites' (one site)."""

    def __init__(self, *, tmp_dir, timings=None, instances=None, certs=None, verbose=False, ccp_weight="light",
                 ccp_domain=DOMAIN):
        self.instances = tuple(instances or default_instances(ccp_domain))
        self.timings = timings or Timings()
        self.login_host = login_host(ccp_domain)
        self.host_names = host_names(self.instances, self.login_host)
        self.certs = certs or TestCertificates(self.host_names, os.path.join(tmp_dir, "emulator-tls"))
        self.state = EmulatorState(self.instances, ccp_weight)
        self._verbose = verbose
        self._site = None
        self._control = None
        self._origins = {}  # host name -> origin handler, built once the port (part of every URL) is known
        self.port = None

    # ----- lifecycle ---------------------------------------------------------------------------------------------

    def start(self):
        self._site = LoopbackServer(make_handler(self._route_by_host, self._verbose),
                                    self.certs.server_ssl_context(), name="emulator-https")
        self.port = self._site.port
        control_api = ControlApi(self.state)
        self._control = LoopbackServer(
            make_handler(lambda r: Response.json(*control_api.handle(r.method, r.path, r.body)), self._verbose),
            name="emulator-control")
        self._origins = self._build_origins()
        self.client = EmulatorClient(self.control_url)
        return self

    def stop(self):
        self.state.close()  # releases long polls and hanging pages so their threads end
        for server in (self._site, self._control):
            if server:
                server.stop()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    # ----- addresses ---------------------------------------------------------------------------------------------

    def origin(self, host):
        return f"https://{host}:{self.port}"

    def ccp_url(self, region):
        return self.origin(self.instance(region).host) + CCP_PATH

    def instance(self, region):
        return next(i for i in self.instances if i.region == region)

    def instance_arn(self, region):
        return self.instance(region).arn

    @property
    def regions(self):
        return [i.region for i in self.instances]

    @property
    def login_url(self):
        return self.origin(self.login_host) + LOGIN_PATH

    def crm_url(self, path="/", site=0):
        """site 0 = crm.example.test, 1 = crm2.example.test (two allowlisted sites)."""
        return self.origin(CRM_HOSTS[site]) + path

    def other_url(self, path="/"):
        return self.origin(OTHER_HOST) + path

    def host_page_url(self, page, site=0, **query):
        """A harness page on a CRM site that runs the real Streams library: 'streams.html', 'streams-dr.html',
        'raw-host.html'. Query parameters are passed to the page (e.g. region='us-west-2')."""
        suffix = ("?" + "&".join(f"{k}={v}" for k, v in query.items())) if query else ""
        return self.crm_url(f"/hosts/{page}{suffix}", site)

    @property
    def control_url(self):
        return f"http://127.0.0.1:{self._control.port}"

    def page_config(self):
        return {
            "instances": [{"region": i.region, "ccpUrl": self.ccp_url(i.region), "instanceArn": i.arn}
                          for i in self.instances],
            "loginUrl": self.login_url,
            "crmUrls": [self.crm_url("/", n) for n in range(len(CRM_HOSTS))],
            "otherUrl": self.other_url(),
        }

    def describe(self):
        lines = [f"CCP {i.region}: {self.ccp_url(i.region)}  ({i.arn})" for i in self.instances]
        lines += [f"Login (global sign-in): {self.login_url}"]
        lines += [f"CRM site {n + 1}: {self.crm_url('/', n)}" for n in range(len(CRM_HOSTS))]
        lines += [f"Non-allowlisted page: {self.other_url()}",
                  f"Streams host page: {self.host_page_url('streams.html')}",
                  f"Streams DR host page: {self.host_page_url('streams-dr.html')}",
                  f"Control API: {self.control_url}  (GET /state, POST /active, /contacts, ...)",
                  f"Test CA certificate: {self.certs.ca_pem_path}",
                  "Map these names to 127.0.0.1: " + ", ".join(self.host_names)]
        return "\n".join(lines)

    # ----- routing -----------------------------------------------------------------------------------------------

    def _build_origins(self):
        origins = {i.host: CcpOrigin(self.state, i, self.timings, os.path.join(STATIC, "ccp"), self.login_url)
                   for i in self.instances}
        origins[self.login_host] = LoginOrigin(self.state, os.path.join(STATIC, "login"))
        release = streams_release_dir(REPO_ROOT)
        for host in (*CRM_HOSTS, OTHER_HOST):
            site_dir = os.path.join(STATIC, "sites", host.split(".")[0])
            origins[host] = SiteOrigin(site_dir, os.path.join(STATIC, "hosts"), release, self.page_config(),
                                       os.path.join(STATIC, "page_api"))
        return origins

    def _route_by_host(self, request):
        if request.path == "/favicon.ico":
            return Response(204)  # keeps browser consoles free of 404 noise
        origin = self._origins.get(request.host)
        if origin is None:
            return Response.not_found(f"unknown host {request.host!r}; known: {', '.join(self._origins)}")
        return origin(request)
