"""The background's single source of truth, shared by every tab: the active region, the failover in flight
(detected -> pending -> initiated -> complete; legacy DR has no initiated phase), per-tab CCP health, per-region
agent state, the region each CCP announced (ACGR) and a bounded timeline of switches; persisted in session
storage through to_dict()/from_dict(). Time always comes in as `now_ms`.

Staleness: every switch the background accepts increments `epoch`; tabs report with the epoch they last heard of,
and reports made before the latest switch are ignored, so a late "complete B" cannot undo "A" after A -> B -> A.
Start a fresh GlobalState with epoch=now_ms so that epochs keep growing across restarts.

A stuck failover: when the contact a pending failover waits for is gone but no tab completes the switch within
STUCK_PENDING_GRACE_MS (the CCP window that was to finish it went away, e.g. its tab was closed; the reference
then stays pending forever), the background completes it (stuck_check_due, stuck_check_tab,
complete_stuck_failover) — in the protocols whose trait says so (legacy DR; in ACGR the CCPs initiate every
switch, and Switch now ends a stuck one). Both the pending failover and the agent updates saying the contact is
gone reach the extension through the CCPs' messages, which page script can forge (a CCP frame of its own, whose
worker broadcasts what it is asked to); so the completion waits for the region's CCP to answer the extension's
own request (an api_request whose id page script never sees) with no such contact left.

A failover turning back: a CCP that says the failover goes to the region already active ends the failover in
flight; no switch is recorded. Once it is initiated (the tabs show the target), only an initiated report turns it
back (the tabs switch back before the target completed, as Streams does); a detected one is about the next
failover, which comes after this switch completes.

Switch now: while a failover is pending, the agent may end it (on_switch_now); the flight, and the switch's
timeline entry, then say who forced it (`forcedBy`: "popup"). When the background completes it (legacy DR), the
tabs are told the switch was forced (`region_news`'s `forced`), so that each ends the contact the failover waited
for as it follows, as the popup's question said it would; the next switch is not forced.

A manual failover (core.manual_failover, the administrator's "Fail over to <region>" while no failover is in
flight): on_manual_failover completes a switch at once, forced like Switch now but with no pending phase
(is_manual: `forcedBy` set, `pendingMs` None), so every tab ends the old region's contacts as it follows. It does
not change what the CCPs poll (legacy DR's traffic distribution group): the next switch back to the region it left,
reported by the CCPs, is marked `afterManual` on its timeline entry, so that the popup says why the region came back.

Sign-in: a tab says when a region's CCP needs a sign-in (on_sign_in_needed); the region needs one while a tab
says so and no tab has it answering. Only the active region's need opens the sign-in window
(sign_in_opens_window; the reference gives the stand-by loginPopup false); the stand-by's is shown and offered
as an action.

The agent's state kept across a failover: `keeper` (core.agent_state_keeper) learns from every agent update what
the agent chose in each region, and is stored with the state; background/agent_state_keeping acts on it.
"""

from . import health
from .errors import StateError
from .shapes import (conforms, field_problem, is_bool, is_count, is_dict, is_region_text, is_str, list_of, may,
                     optional, required, str_enum)
from .agent_state_keeper import AgentStateKeeper, record_problem
from .snapshot import summary_problem

TIMELINE_LIMIT = 20
STATE_VERSION = 3
STUCK_PENDING_GRACE_MS = 3000  # a CCP normally completes a switch within ~0.1 s of the contact leaving

# The phases of the failover in flight, and the phases each report is accepted in: a report that comes later in
# a failover than its phase (a "detected" after "pending"), or twice, changes nothing. Completion ends any flight.
NO_FAILOVER = None
DETECTED = "detected"
PENDING = "pending"
INITIATED = "initiated"
# Each phase of a flight, in order, with the flight's field that marks it (the later one set wins).
PHASES = ((DETECTED, "detectedMs"), (PENDING, "pendingMs"), (INITIATED, "initiatedMs"))
_ACCEPTED_IN = {
    DETECTED: (NO_FAILOVER,),
    PENDING: (NO_FAILOVER, DETECTED),
    INITIATED: (NO_FAILOVER, DETECTED, PENDING),
}
FORCED_BY = ("popup", "page-api")  # who may force a pending failover (Switch now; the page API's forceFailover)

_FLIGHT_FIELDS = {
    "detectedMs": required(is_count),
    "soft": required(optional(is_bool)),
    "pendingMs": required(optional(is_count)),
    "initiatedMs": required(optional(is_count)),
    "contactId": required(optional(is_str)),
    "contactType": required(optional(is_str)),
    "forcedBy": required(optional(str_enum(FORCED_BY))),
    "forcedMs": required(optional(is_count)),
}
_FAILOVER_FIELDS = dict(_FLIGHT_FIELDS, target=required(is_region_text))
_TIMELINE_FIELDS = dict(_FLIGHT_FIELDS, completeMs=required(is_count), **{"from": required(is_region_text),
                                                                          "to": required(is_region_text)})
# what became of the agent's state after the switch (core.agent_state_keeper; absent when it is not kept)
_TIMELINE_FIELDS["agentState"] = may(lambda value: record_problem(value) is None)
# the CCPs switched back to the region a manual failover left (absent otherwise)
_TIMELINE_FIELDS["afterManual"] = may(is_bool)
_HEALTH_FIELDS = {"status": required(health.is_health), "sinceMs": required(is_count),
                  "detail": required(optional(is_str))}
_PANEL_FIELDS = {"returns": required(is_count), "gaveUp": required(is_bool)}
_AGENT_FIELDS = {"summary": required(lambda value: summary_problem(value) is None),
                 "updatedMs": required(is_count)}
_STATE_FIELDS = {
    "version": required(lambda value: value == STATE_VERSION and is_count(value)),
    "regionKeys": required(list_of(is_region_text)),
    "active": required(is_region_text),
    "epoch": required(is_count),
    "failover": required(optional(conforms(_FAILOVER_FIELDS))),
    "tabs": required(is_dict),
    "agents": required(is_dict),
    "timeline": required(list_of(conforms(_TIMELINE_FIELDS), TIMELINE_LIMIT)),
    "announced": required(is_dict),
    "switchForced": may(is_bool),  # (absent in a state stored before it existed: not forced)
    "agentStateKeeper": may(is_dict),  # (checked by AgentStateKeeper.from_dict; absent or wrong: a fresh one)
}


def _between(entry, start, end):
    return None if entry.get(start) is None or entry.get(end) is None else entry[end] - entry[start]


def latencies(entry):
    """Derived durations of a timeline entry (ms; None where a phase is missing): detected -> complete
    (switchMs), pending -> complete (waitMs), and phase by phase."""
    return {"switchMs": _between(entry, "detectedMs", "completeMs"),
            "waitMs": _between(entry, "pendingMs", "completeMs"),
            "detectedToPendingMs": _between(entry, "detectedMs", "pendingMs"),
            "pendingToInitiatedMs": _between(entry, "pendingMs", "initiatedMs"),
            "initiatedToCompleteMs": _between(entry, "initiatedMs", "completeMs")}


def is_manual(entry):
    """Whether a flight or timeline entry is a manual failover: forced with no pending phase."""
    return entry.get("forcedBy") is not None and entry.get("pendingMs") is None


class GlobalState:
    """See the module docstring. Event methods return True when the state changed (persist it then); an
    accepted switch also changes `active` (broadcast bg:region-changed then)."""

    __slots__ = ("region_keys", "active", "epoch", "failover", "tabs", "agents", "timeline", "announced",
                 "switch_forced", "keeper")

    def __init__(self, region_keys, active=None, epoch=0):
        self.region_keys = tuple(region_keys)
        self.active = active if active in self.region_keys else self.region_keys[0]
        self.epoch = epoch
        self.failover = None   # {target, detectedMs, ...: _FAILOVER_FIELDS} while a switch is in flight
        self.tabs = {}         # {tab key: {"shown": region|None, "health": {region: {status, sinceMs, detail}},
        #                                    "signIn": [regions whose CCP waits for a sign-in in this tab]}}
        self.agents = {key: None for key in self.region_keys}  # {region: {summary, updatedMs} | None}
        self.timeline = []     # completed switches, oldest first, at most TIMELINE_LIMIT
        self.announced = {}    # {region: the AWS region its CCP announced (ACGR's init)}
        self.switch_forced = False  # the latest switch was completed by the agent's Switch now
        self.keeper = AgentStateKeeper(self.region_keys)  # the agent's state kept across a failover

    @property
    def standby(self):
        return self.region_keys[1] if self.active == self.region_keys[0] else self.region_keys[0]

    @property
    def phase(self):
        """The phase of the failover in flight: NO_FAILOVER, or the latest of DETECTED, PENDING, INITIATED."""
        if self.failover is None:
            return NO_FAILOVER
        phase = NO_FAILOVER
        for name, field in PHASES:
            if self.failover[field] is not None:
                phase = name
        return phase

    @property
    def flight(self):
        """What the tabs are told of the failover in flight (bg:welcome, bg:region-changed): {"target", "pending"},
        or None."""
        if self.failover is None:
            return None
        return {"target": self.failover["target"], "pending": self.phase == PENDING}

    @property
    def region_news(self):
        """The fields of bg:region-changed: the active region, the switch count, the failover in flight and
        whether the switch to `active` was forced (the tabs that follow it end the old region's contacts)."""
        return {"region": self.active, "epoch": self.epoch, "failover": self.flight, "forced": self.switch_forced}

    @property
    def pending(self):
        """The failover in flight if it waits for a contact, else None."""
        return self.failover if self.phase == PENDING else None

    def _current(self, epoch):
        """A report made with knowledge of the latest switch."""
        return epoch is None or epoch >= self.epoch

    def _is_news(self, target, epoch):
        """A report about a switch to `target` made with knowledge of the latest switch."""
        return target in self.region_keys and target != self.active and self._current(epoch)

    def _accepts(self, report, target, epoch):
        return self._is_news(target, epoch) and self.phase in _ACCEPTED_IN[report]

    def _turns_back(self, target, epoch, report):
        """A CCP says the failover in flight goes back to the active region: it ends (True) with no switch. Once
        initiated, only an initiated report turns it back."""
        if (target == self.active and self.failover is not None and self._current(epoch)
                and (report == INITIATED or self.phase != INITIATED)):
            self.failover = None
            return True
        return False

    def _start_flight(self, target, soft, now_ms):
        self.failover = {"target": target, "detectedMs": now_ms, "soft": soft, "pendingMs": None,
                         "initiatedMs": None, "contactId": None, "contactType": None, "forcedBy": None,
                         "forcedMs": None}

    def on_failover_detected(self, target, soft, now_ms, epoch=None):
        if self._turns_back(target, epoch, DETECTED):
            return True
        if not self._accepts(DETECTED, target, epoch):
            return False
        self._start_flight(target, soft, now_ms)
        return True

    def on_failover_pending(self, target, contact_id, now_ms, epoch=None, contact_type=None):
        """A pending report without a detected one first starts the flight (soft, detected now)."""
        if not self._accepts(PENDING, target, epoch):
            return False
        if self.failover is None:
            self._start_flight(target, True, now_ms)
        self.failover["pendingMs"] = now_ms
        self.failover["soft"] = True
        self.failover["contactId"] = contact_id
        self.failover["contactType"] = contact_type
        return True

    def on_failover_initiated(self, target, now_ms, epoch=None):
        """The CCPs started the switch to `target` (a tab shows it); complete once its CCP has answered. An
        initiated report without earlier ones starts the flight (detected now)."""
        if self._turns_back(target, epoch, INITIATED):
            return True
        if not self._accepts(INITIATED, target, epoch):
            return False
        if self.failover is None or self.failover["target"] != target:
            self._start_flight(target, None, now_ms)
        self.failover["initiatedMs"] = now_ms
        return True

    def on_switch_now(self, target, now_ms, complete=False, forced_by="popup"):
        """The agent forces the pending failover to `target` (Switch now). Accepted only while that failover
        is pending and not yet forced. With `complete` (the protocol's COMPLETES_STUCK_FAILOVER) the switch is
        completed here, and the caller has every tab follow; otherwise the caller asks the tabs to end it."""
        pending = self.pending
        if pending is None or pending["target"] != target or pending["forcedBy"] is not None:
            return False
        pending["forcedBy"] = forced_by
        pending["forcedMs"] = now_ms
        if complete:
            self.on_switch_complete(target, now_ms)
            self.switch_forced = True
        return True

    def on_manual_failover(self, target, now_ms, forced_by="popup"):
        """The administrator's manual failover to `target` (core.manual_failover decided it may be done): only to
        the stand-by region while no failover is in flight. Completed here and forced (hard: the tabs that follow
        end the old region's contacts); the caller has every tab follow."""
        if target not in self.region_keys or target == self.active or self.failover is not None:
            return False
        self._start_flight(target, False, now_ms)
        self.failover["forcedBy"] = forced_by
        self.failover["forcedMs"] = now_ms
        self.on_switch_complete(target, now_ms)
        self.switch_forced = True
        return True

    def on_switch_complete(self, region, now_ms, epoch=None):
        """A tab switched to `region`. Accepted once per switch: the first report moves `active`, records the
        timeline entry and ends the failover in flight; duplicates and stale reports return False."""
        if not self._is_news(region, epoch):
            return False
        flight = self.failover if self.failover is not None and self.failover["target"] == region else None
        if flight is None:
            self._start_flight(region, None, now_ms)
            flight = self.failover
        entry = {name: flight[name] for name in _FLIGHT_FIELDS}
        entry.update({"from": self.active, "to": region, "completeMs": now_ms})
        last = self.timeline[-1] if self.timeline else None
        if last is not None and is_manual(last) and last["from"] == region and flight["forcedBy"] is None:
            entry["afterManual"] = True
        self.timeline.append(entry)
        del self.timeline[:-TIMELINE_LIMIT]
        self._move_to(region)
        return True

    def _move_to(self, region):
        self.active = region
        self.epoch += 1
        self.failover = None
        self.switch_forced = False

    def on_region_announced(self, region, instance_region, active_region, epoch=None):
        """A CCP announced its AWS region and the active region (a key, or None). Returns whether the state
        changed; an announced active region that differs from `active` becomes it when no failover is in flight
        (the CCPs know which region is active; a failover in flight decides it by its own reports), with no
        timeline entry (no failover)."""
        if region not in self.region_keys or not is_region_text(instance_region):
            return False
        changed = self.announced.get(region) != instance_region
        self.announced[region] = instance_region
        if (active_region in self.region_keys and active_region != self.active and self.failover is None
                and self._current(epoch)):
            self._move_to(active_region)
            return True
        return changed

    def _tab(self, tab_id):
        return self.tabs.setdefault(str(tab_id), {"shown": None, "health": {}, "signIn": []})

    def on_tab_region(self, tab_id, region):
        """A tab says which region it shows (cs:region-state). Returns whether it lags behind `active`, in which
        case the caller sends it bg:region-changed."""
        if region not in self.region_keys:
            return False
        self._tab(tab_id)["shown"] = region
        return region != self.active

    def on_ccp_health(self, tab_id, region, status, now_ms, detail=None):
        """A tab's CCP health for `region` (detail: why, e.g. the sign-in problem, or None)."""
        if region not in self.region_keys or not health.is_health(status):
            return False
        reports = self._tab(tab_id)["health"]
        if region in reports and (reports[region]["status"], reports[region]["detail"]) == (status, detail):
            return False
        since = reports[region]["sinceMs"] if region in reports and reports[region]["status"] == status else now_ms
        reports[region] = {"status": status, "sinceMs": since, "detail": detail if is_str(detail) else None}
        # a tab whose CCP answers, or whose frame the browser refuses (no sign-in helps), waits for no sign-in
        if status in (health.READY, health.REFUSED_FRAMING) and region in self._tab(tab_id)["signIn"]:
            self._tab(tab_id)["signIn"].remove(region)
        return True

    def on_sign_in_needed(self, tab_id, region):
        """A tab's CCP of `region` waits for a sign-in (until that tab reports it ready)."""
        if region not in self.region_keys or region in self._tab(tab_id)["signIn"]:
            return False
        self._tab(tab_id)["signIn"].append(region)
        return True

    def sign_in_needed(self, region):
        """Whether `region` waits for a sign-in: a tab says so, and no tab has its CCP answering."""
        return (any(region in tab["signIn"] for tab in self.tabs.values())
                and self.region_health(region)[0] != health.READY)

    def sign_in_opens_window(self, region):
        """Whether `region`'s need of a sign-in opens the sign-in window: the active region's only."""
        return region == self.active and self.sign_in_needed(region)

    def on_panel_returned(self, tab_id, returns, gave_up):
        """A tab's page took the panel out of its document: it came back `returns` times, or the tab gave up
        putting it back (core.panel_returns). Kept with the tab, for the popup's warning."""
        if not is_count(returns) or not is_bool(gave_up):
            return False
        tab = self._tab(tab_id)
        panel = {"returns": returns, "gaveUp": gave_up}
        if tab.get("panel") == panel:
            return False
        tab["panel"] = panel
        return True

    def panel_warnings(self):
        """(returns, gave up) of each tab whose page took the panel away, by tab id."""
        return [(tab["panel"]["returns"], tab["panel"]["gaveUp"]) for _, tab in sorted(
            self.tabs.items(), key=lambda item: int(item[0])) if tab.get("panel")]

    def on_tab_closed(self, tab_id):
        return self.tabs.pop(str(tab_id), None) is not None

    def on_agent_update(self, region, summary, now_ms):
        """A region's latest agent summary (snapshot.AgentSnapshot.to_summary()). While a failover is pending,
        the active region's snapshot tells which contact it waits for (a second one may follow the first);
        once none is left, contactId and contactType keep the last one waited for."""
        if region not in self.region_keys:
            return False
        self.agents[region] = {"summary": summary, "updatedMs": now_ms}
        self.keeper.on_agent_update(region, summary, now_ms)
        pending = self.pending
        if pending is not None and region == self.active and summary["blockingContacts"]:
            pending["contactId"] = summary["blockingContacts"][0]["contactId"]
            pending["contactType"] = summary["blockingContacts"][0]["type"]
        return True

    def stuck_check_due(self, region):
        """After `region`'s agent update: whether the background should call complete_stuck_failover() in
        STUCK_PENDING_GRACE_MS (a failover is pending and the active region's agent has no contact left that
        it waits for). Only for a protocol that completes stuck failovers (HostRules.COMPLETES_STUCK_FAILOVER)."""
        summary = self.agent(region)[0]
        return (self.pending is not None and region == self.active and summary is not None
                and not summary["blockingContacts"])

    def stuck_check_tab(self):
        """When a pending failover still looks stuck (stuck_check_due, after the grace): the tab to ask for the
        active region's contacts as its CCP tells the extension's own request — the first tab that shows the
        active region with that CCP ready. None when nothing looks stuck, or no tab can ask."""
        summary = self.agent(self.active)[0]
        if self.pending is None or summary is None or summary["blockingContacts"]:
            return None
        return self.ready_tab(self.active)

    def ready_tab(self, region):
        """The first tab (lowest id) that shows `region` with its CCP ready, or None."""
        for key in sorted(self.tabs, key=int):
            tab = self.tabs[key]
            report = tab["health"].get(region)
            if tab["shown"] == region and report is not None and report["status"] == health.READY:
                return int(key)
        return None

    def note_agent_state(self, complete_ms, agent_state):
        """Notes what became of the agent's state (core.agent_state_keeper record) on the timeline entry of the
        switch completed at complete_ms; False if it is no longer on the timeline."""
        for entry in self.timeline:
            if entry["completeMs"] == complete_ms:
                entry["agentState"] = dict(agent_state)
                return True
        return False

    def complete_stuck_failover(self, now_ms, checked_summary):
        """Completes the pending failover if its contact is gone as the active region's CCP answered the
        extension's own request (`checked_summary`, a summary like on_agent_update's) and as the latest agent
        update still says (no tab switched meanwhile): every tab then follows the background with the
        manual-failover messages. Returns the region switched to, or None."""
        pending = self.pending
        summary = self.agent(self.active)[0]
        if (pending is None or summary is None or summary["blockingContacts"]
                or summary_problem(checked_summary) is not None or checked_summary["blockingContacts"]):
            return None
        target = pending["target"]
        return target if self.on_switch_complete(target, now_ms) else None

    def region_health(self, region):
        """(status, since ms, detail) of the best health any tab reports for `region`; (None, None, None) if no
        tab does."""
        best = None
        for tab in self.tabs.values():
            best = health.better(best, tab["health"].get(region))
        return (None, None, None) if best is None else (best["status"], best["sinceMs"], best["detail"])

    def details_of(self, region, status):
        """The distinct details of the tabs that report `status` for `region`, sorted (e.g. each site the browser
        refuses to show the CCP in, while other tabs may show it)."""
        return sorted({report["detail"] for report in (tab["health"].get(region) for tab in self.tabs.values())
                       if report is not None and report["status"] == status and report["detail"]})

    def agent(self, region):
        """(summary, updated ms) of `region`'s agent, or (None, None)."""
        record = self.agents.get(region)
        return (None, None) if record is None else (record["summary"], record["updatedMs"])

    def to_dict(self):
        """JSON-like data for session storage; from_dict(to_dict()) restores an equal state."""
        return {
            "version": STATE_VERSION,
            "regionKeys": list(self.region_keys),
            "active": self.active,
            "epoch": self.epoch,
            "failover": None if self.failover is None else dict(self.failover),
            "tabs": {key: _tab_copy(tab) for key, tab in self.tabs.items()},
            "agents": {key: None if record is None else {"summary": record["summary"],
                                                         "updatedMs": record["updatedMs"]}
                       for key, record in self.agents.items()},
            "timeline": [dict(entry) for entry in self.timeline],
            "announced": dict(self.announced),
            "switchForced": self.switch_forced,
            "agentStateKeeper": self.keeper.to_dict(),
        }

    @classmethod
    def from_dict(cls, data, region_keys=None):
        """The state stored by to_dict(); StateError (with the reason) if it is corrupt, or if `region_keys`
        (the current configuration's) differ from the stored ones."""
        problem = _state_problem(data)
        if problem is None and region_keys is not None and tuple(data["regionKeys"]) != tuple(region_keys):
            problem = "it belongs to another configuration"
        if problem is not None:
            raise StateError(f"stored failover state: {problem}")
        state = cls(data["regionKeys"], data["active"], data["epoch"])
        state.failover = None if data["failover"] is None else dict(data["failover"])
        state.tabs = {key: _tab_copy(tab) for key, tab in data["tabs"].items()}
        state.agents = {key: None if record is None else dict(record) for key, record in data["agents"].items()}
        state.timeline = [dict(entry) for entry in data["timeline"]]
        state.announced = dict(data["announced"])
        state.switch_forced = data.get("switchForced", False)
        state.keeper = AgentStateKeeper.from_dict(data.get("agentStateKeeper"), state.region_keys,
                                                  state.timeline[-1]["completeMs"] if state.timeline else None)
        return state


def _tab_copy(tab):
    copy = {"shown": tab["shown"], "health": {region: dict(h) for region, h in tab["health"].items()},
            "signIn": list(tab["signIn"])}
    if tab.get("panel"):
        copy["panel"] = dict(tab["panel"])
    return copy


def _state_problem(data):
    """Why `data` is not a stored GlobalState (a message), or None."""
    problem = field_problem(data, _STATE_FIELDS)
    if problem is not None:
        return problem
    keys = data["regionKeys"]
    if len(keys) != 2 or keys[0] == keys[1]:
        return "regionKeys is not two different regions"

    def in_keys(value):
        return is_str(value) and value in keys
    if not in_keys(data["active"]):
        return "active is not one of regionKeys"
    failover = data["failover"]
    if failover is not None and (not in_keys(failover["target"]) or failover["target"] == data["active"]):
        return "failover.target is not the stand-by region"
    for entry in data["timeline"]:
        if not in_keys(entry["from"]) or not in_keys(entry["to"]) or entry["from"] == entry["to"]:
            return "a timeline entry is not a switch between regionKeys"
    for key, tab in data["tabs"].items():
        problem = field_problem(tab, {"shown": required(optional(in_keys)), "health": required(is_dict),
                                      "signIn": required(list_of(in_keys, 2)),
                                      "panel": may(conforms(_PANEL_FIELDS))})
        if problem is None:
            for region, report in tab["health"].items():
                if not in_keys(region) or field_problem(report, _HEALTH_FIELDS) is not None:
                    problem = f"health of {region!r} is wrong"
                    break
        if problem is not None:
            return f"tab {key!r} {problem}"
    if set(data["agents"]) != set(keys):
        return "agents does not list exactly regionKeys"
    for region, record in data["agents"].items():
        if record is not None and field_problem(record, _AGENT_FIELDS) is not None:
            return f"agent of {region!r} is wrong"
    for region, name in data["announced"].items():
        if not in_keys(region) or not is_region_text(name):
            return f"the announcement of {region!r} is wrong"
    return None
