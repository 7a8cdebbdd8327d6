"""The page API's pairs of the benchmark (README "Page API"): the extension with the page API on, on an opted-in
twin of its bench page whose own code uses the API as a CRM does (hosts/bench-page-api.html: the agent and contact
hooks of the seed's examples), against the reference on its own page, in both protocols:

  page-api       legacy DR: bench.extension_side's init and switch, the page's own Streams of both regions
                 initialised too (connect.core.onInitialized in its onInit hooks); against connect-streams-dr.js
  acgr-page-api  ACGR: bench.acgr_sides' init and switch, the page's connect initialised too; against
                 connect-streams.js in ACGR mode

init_ms is the later of the side's own init and the page's Streams initialised (the reference's init is its own
Streams initialised in both regions); each switch also waits for the page's onFailoverComplete (ACGR:
onFailoverCompleted) hook before the next ("page_complete": ms from the switch's start), not timed in switch_ms.

And what the page API costs a page that is NOT opted in (page-api-off): the extension's own bench page
(hosts/bench-extension.html) with the page API on for another page of its origin (the worst case: in legacy DR
the region-frame script is registered for every frame of the opted-in pages' origins) as "extension", against the
same page with the page API off as "reference": init_ms, and payload_bytes, the files the browser injects into
that page (its registered content scripts whose patterns match it: bench.injected)."""
import os

from emulator.waiting import wait_until

from . import injected, machine
from .acgr_sides import AcgrMeasures
from .extension_side import ExtensionSide
from .sides import REGIONS

PAGE = "bench-page-api.html"
OTHER_PAGE = "/page-api/"  # where the page-api-off pair opts in: another page of the bench page's origin


def opted_in_config(config):
    """`config` with the page API on for the bench's CRM site, where the twin page is."""
    return dict(config, pageApi=[config["allowlist"][0]])


def opted_in_elsewhere_config(config, emulator):
    """`config` with the page API on only for another page of the bench page's origin (allowlisted for it)."""
    other = emulator.crm_url(OTHER_PAGE) + "*"
    return dict(config, allowlist=config["allowlist"] + [other], pageApi=[other])


class PageApiMeasures:
    """Mixed in before an extension side's class: its page is the opted-in twin, whose own Streams' readiness is
    part of init and whose failover hook each switch waits for."""
    page = PAGE
    page_keys = REGIONS  # what the page records as ready: legacy DR, each region's Streams

    def init_sample(self, timeout_s=60):
        found = super().init_sample(timeout_s)
        ready = wait_until(self._page_ready, timeout_s, message=f"{self.name}: the page's own Streams initialised")
        parts = dict(found["parts"], **{f"page_ready_{key}": round(at, 1) for key, at in ready.items()})
        return {"init_ms": max([found["init_ms"]] + list(ready.values())), "parts": parts}

    def _page_ready(self):
        bench = self.driver.execute_script("return window.bench")
        if bench["errors"]:
            raise AssertionError(f"{self.name}: the page API page reports {bench['errors']}")
        return bench["ready"] if all(key in bench["ready"] for key in self.page_keys) else None

    def switch_completed(self, target, started, timeout_s):
        found = super().switch_completed(target, started, timeout_s)
        heard = wait_until(lambda: next((at for at in self.driver.execute_script("return window.bench.completeAt")
                                         if at >= started), None),
                           timeout_s, message=f"{self.name}: the page's failover-complete hook for {target} after "
                                              f"{started} (the hook's times so far: {self._completes()})")
        return dict(found, page_complete=round(heard - started, 1))

    def _completes(self):
        return self.driver.execute_script("return [window.bench.completeAt, Date.now(),"
                                          " performance.timeOrigin + performance.now()]")


class PageApiExtensionSide(PageApiMeasures, ExtensionSide):
    """Legacy DR: the page's globalConnect.core, one Streams per region."""


class AcgrPageApiExtensionSide(PageApiMeasures, AcgrMeasures, ExtensionSide):
    """ACGR: the page's one connect."""
    page_keys = ("connect",)


class NotOptedInSide(ExtensionSide):
    """The extension's own bench page, not opted in (page-api-off): `name` "extension" with the page API on for
    another page of its origin, "reference" with the page API off (the side's `config` says which)."""

    def __init__(self, name, *args):
        self.name = name  # (the side's folder is named by it)
        super().__init__(*args)

    def injected_payload(self, package_dir):
        """The sizes of the files the browser injects into the bench page, as the built package holds them (the
        bench's probes, in its instrumented copy only, left out)."""
        registrations = self._in_control(injected.ASK_REGISTERED_SCRIPTS)
        if not isinstance(registrations, list):
            raise AssertionError(f"{self.name}: the registered content scripts: {registrations!r}")
        files = injected.injected_files(registrations, self.page_url())
        return machine.file_sizes([(name, os.path.join(package_dir, name)) for name in files
                                   if os.path.isfile(os.path.join(package_dir, name))])
