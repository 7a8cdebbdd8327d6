"""The conformance suite's view of the host harness pages that run the real Streams library."""
import json
import os

from emulator.host_page import HostPage
from emulator.waiting import wait_until


class CallsStreams(HostPage):
    """A host page whose `callStreams(run)` wraps a Streams API call in a promise of {ok, err}."""

    def call_streams(self, script, *args):
        """Run `script` with `callbacks` ({success, failure}) and `args` in scope; return {ok, err}."""
        return self.run_async("var args = arguments; callStreams(function (callbacks) {" + script + "}).then(done);",
                              *args)


class StreamsPage(CallsStreams):
    """hosts/streams.html: connect.core.initCCP against one emulated CCP."""

    def __init__(self, driver, emulator, **query):
        super().__init__(driver, emulator.host_page_url("streams.html", **query))

    def log_text(self):
        return self.run("return connect.getLog().toString()")


class DrPage(HostPage):
    """hosts/streams-dr.html: globalConnect.core.initCCP over both emulated instances with pollForFailover."""

    def __init__(self, driver, emulator, **query):
        super().__init__(driver, emulator.host_page_url("streams-dr.html", **query))
        self.regions = emulator.regions

    def wait_initialised(self):
        """onInit fired for both regions and both regional Streams got their first ACK."""
        self.wait_for("init", count=2)
        wait_until(lambda: all(self.run("return regionsInitialized()").get(r) for r in self.regions), 10,
                   message="both regional CCPs acknowledged")
        return self

    def visible_region(self):
        return self.run("return visibleRegion()")

    def regional_log_text(self, region):
        return self.run("return globalConnect.core.regions[arguments[0]].connect.getLog().toString()", region)


class GrPage(CallsStreams):
    """hosts/streams-gr.html: connect.core.initCCP in ACGR mode (secondaryCCPUrl, enableGlobalResiliency, loginUrl)
    over both emulated instances."""

    def __init__(self, driver, emulator, **query):
        super().__init__(driver, emulator.host_page_url("streams-gr.html", **query))

    def visible_region(self):
        return self.run("return visibleRegion()")

    def frames(self):
        return self.run("return ccpFrames()")

    def active_region(self):
        return self.run("return connect.globalResiliency.getActiveRegion() || null")

    def streams_errors(self):
        """ERROR lines of Streams' own log: a handler that threw on an emulated message shows up here."""
        return self.run("return streamsErrors()")


def wait_for_download(directory, name, timeout_s=10):
    """The downloaded file's parsed JSON, once the browser finished writing it."""
    path = os.path.join(directory, name)

    def finished():
        if not os.path.isfile(path) or any(f.endswith((".crdownload", ".part")) for f in os.listdir(directory)):
            return None
        try:
            with open(path, encoding="utf-8") as handle:
                return json.load(handle)
        except ValueError:
            return None  # still being written
    return wait_until(finished, timeout_s, message=f"download {name} in {directory}")
