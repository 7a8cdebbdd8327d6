"""The emulator's single source of truth: both instances' agents, sessions, impairments, the traffic distribution
group's active instance, and a record of what the emulated CCPs did (for assertions).

Every mutation goes through `mutate()`, which bumps the region's version and wakes the workers' long polls."""
import contextlib
import threading
import time

from .agent_model import AgentModel
from .framing import no_framing_rules

LOG_BACKLOG = 1_000  # emitted log lines kept per region for workers that are a little behind
CALL_HISTORY = 500  # recorded CTI calls / polls per region


RAW_MESSAGE = "raw"
# How an instance's CCP answers the ACGR host's validate_global_signin: from a valid `lily-agent-config` cookie, from
# a missing one or one that does not parse (the agent signed in regionally), or not at all (a CCP that predates it).
GLOBAL_SIGNIN_STATES = ("valid", "missing", "parse_error", "no_answer")
# The CCP page as served to both instances: "light" (the emulated CCP alone) or "heavy" (plus the app shell of a
# large single-page app, heavy_ccp.py), from the next page load.
CCP_WEIGHTS = ("light", "heavy")


def no_login_impairment():
    return {
        "status": None,  # HTTP status the login page answers instead of 200
        "unreachable": False,  # the login host closes every connection without answering
    }


def no_impairments():
    return {
        "no_ack": False,  # the worker never acknowledges (neither the first ACK nor SYN replies), holds its log lines
        "active_region_status": None,  # HTTP status the active-region endpoint answers instead of 200
        "api_status": None,  # HTTP status for every CTI call (the worker turns it into api_response.err)
        "ccp_page": "ok",  # "ok" | "error" (HTTP 503) | "hang" (no answer until cleared)
        "latency_ms": 0,  # added before every response of this instance's origin
        "api_latency_ms": 0,  # added before every CTI call (what a host's api_request waits for), nothing else
        "late_scripts_ms": 0,  # added before the CCP page's protocol parts (ccp-dr.js, ccp-gr.js), nothing else
    }


class RegionState:
    def __init__(self, instance):
        self.instance = instance
        self.agent = AgentModel(instance)
        self.signed_in = True
        self.global_signin = "valid"  # one of GLOBAL_SIGNIN_STATES
        self.framing = no_framing_rules()  # who may frame this instance's CCP (framing.py)
        self.impairments = no_impairments()
        self.version = 1  # bumped on any change a worker should see
        self.snapshot_version = 1  # bumped when the agent snapshot changed
        self.logs = []  # [(seq, level, text)]; level RAW_MESSAGE: text is a message the worker posts as it is
        self.log_seq = 0
        self.logs_delivered = 0  # the highest log_seq a worker's snapshot answer carried (benchmark pacing)
        self.api_calls = []  # [{"time", "method", "params", "ok"}]
        self.active_region_polls = []  # [{"time", "status"}]
        # [{"time", "outcome": "ok" | "signed-out" | "error" | "timeout" | "hanging", "framed_by": origin | None,
        #   "framing_refused": bool (the response's headers make a browser refuse that frame)}]
        self.ccp_page_loads = []
        self.viewports = {}  # CCP window id -> {"width", "height", "host", "closed", "at", "time"}
        self.marks = []  # [{"window_id", "kind", "host", "at", "time"}]: moments CCP windows reported (benchmark)
        # ACGR traffic as the CCP windows saw it: [{"window_id", "host", "direction" ("from-host" | "to-host" | "ccp"),
        # "event", "data", "at", "seq", "time"}]
        self.acgr = []

    def as_dict(self):
        return {
            "region": self.instance.region, "instance_arn": self.instance.arn, "signed_in": self.signed_in,
            "global_signin": self.global_signin, "framing": dict(self.framing),
            "impairments": dict(self.impairments), "version": self.version,
            "agent": {"state": self.agent.state_name(), "selected_state": self.agent.selected_state()["name"],
                      "snapshot": self.agent.snapshot(), "agent_states": [dict(s) for s in self.agent.agent_states]},
            "log_seq": self.log_seq, "logs_delivered": self.logs_delivered, "api_calls": list(self.api_calls),
            "active_region_polls": list(self.active_region_polls), "ccp_page_loads": list(self.ccp_page_loads),
            "viewports": {window_id: dict(entry) for window_id, entry in self.viewports.items()},
            "marks": list(self.marks), "acgr": list(self.acgr),
        }


class EmulatorState:
    def __init__(self, instances, ccp_weight="light"):
        self.instances = tuple(instances)
        self.default_ccp_weight = ccp_weight  # what reset() restores: the server's option
        self._changed = threading.Condition()
        self.closing = False
        self.reset()

    def reset(self):
        with self._changed:
            old = getattr(self, "regions", {})
            self.regions = {i.region: RegionState(i) for i in self.instances}
            for region, fresh in self.regions.items():  # keep versions monotonic so long polls notice the reset
                if region in old:
                    fresh.version = old[region].version + 1
                    fresh.snapshot_version = old[region].snapshot_version + 1
                    fresh.log_seq = old[region].log_seq
                    fresh.logs_delivered = old[region].logs_delivered
            self.active_arn = self.instances[0].arn
            self.terminate_active_contacts = False
            self.login_impairment = no_login_impairment()
            self.ccp_weight = self.default_ccp_weight
            self.login_requests = []  # [{"time", "method", "outcome": "ok" | "signed-in" | "error" | "dropped"}]
            self._changed.notify_all()

    def region(self, name):
        return self.regions[name]

    @contextlib.contextmanager
    def mutate(self, region_name=None, snapshot=True):
        """Hold the lock for a change; on success wake the long polls of `region_name` (or of all regions)."""
        with self._changed:
            yield
            targets = [self.regions[region_name]] if region_name else self.regions.values()
            for region in targets:
                region.version += 1
                if snapshot:
                    region.snapshot_version += 1
            self._changed.notify_all()

    @contextlib.contextmanager
    def locked(self):
        with self._changed:
            yield

    def wait_for_change(self, region_name, since_version, timeout_s):
        """Long poll: return when the region's version passed `since_version`, on timeout, or at shutdown."""
        deadline = time.monotonic() + timeout_s
        with self._changed:
            while not self.closing and self.regions[region_name].version <= since_version:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._changed.wait(remaining)
            return True

    def wait_until(self, predicate, timeout_s):
        """Block (under the lock) until predicate() holds, e.g. a hanging page waiting for its impairment to lift."""
        with self._changed:
            return self._changed.wait_for(lambda: self.closing or predicate(), timeout_s)

    def close(self):
        with self._changed:
            self.closing = True
            self._changed.notify_all()

    def add_logs(self, region_name, level, texts):
        with self.mutate(region_name, snapshot=False):
            region = self.regions[region_name]
            for text in texts:
                region.log_seq += 1
                region.logs.append((region.log_seq, level, text))
            del region.logs[:-LOG_BACKLOG]

    def add_raw(self, region_name, messages):
        """Messages the region's worker posts to every CCP window (which relays them to its host) as they are,
        well-formed or not: for tests of how a host treats malformed CCP messages."""
        with self.mutate(region_name, snapshot=False):
            region = self.regions[region_name]
            for message in messages:
                region.log_seq += 1
                region.logs.append((region.log_seq, RAW_MESSAGE, message))
            del region.logs[:-LOG_BACKLOG]

    def record(self, region_name, kind, entry):
        """Remember a CTI call, an active-region poll, a CCP page load, a CCP window's mark or ACGR message (no
        wake-up: workers do not care)."""
        with self._changed:
            _append(getattr(self.regions[region_name], kind), entry)

    def record_login(self, entry):
        with self._changed:
            _append(self.login_requests, entry)

    def set_viewport(self, region_name, window_id, entry):
        """A CCP window's latest size in its host (no wake-up: workers do not care). Reports travel as separate
        beacons, so they may arrive out of order: an older one (by the window's clock) is dropped, and the two
        reports of one size (seen, then painted) are merged."""
        with self._changed:
            views = self.regions[region_name].viewports
            current = views.get(window_id)
            if current and entry["at"] and current["at"]:
                if entry["at"] < current["at"]:
                    return
                if entry["at"] == current["at"] and not entry["painted_at"]:
                    entry = dict(entry, painted_at=current["painted_at"])
            views[window_id] = dict(entry, time=int(time.time() * 1000))

    def as_dict(self):
        with self._changed:
            return {
                "active": {"InstanceArn": self.active_arn, "TerminateActiveContacts": self.terminate_active_contacts,
                           "region": self.region_of_arn(self.active_arn)},
                "regions": {name: region.as_dict() for name, region in self.regions.items()},
                "login": dict(self.login_impairment, requests=list(self.login_requests)),
                "ccp_weight": self.ccp_weight,
            }

    def region_of_arn(self, arn):
        return next((i.region for i in self.instances if i.arn == arn), None)


def _append(history, entry):
    history.append(dict(entry, time=int(time.time() * 1000)))
    del history[:-CALL_HISTORY]
