"""Which region is active, and how a switch happens.

TabSwitchRules: the per-tab host rules of the reference's DR handler (ccp-protocol 6.6), with its known
weaknesses fixed (section 9 items 6, 10, 12, 13, 17): an unknown ARN or a switch to the region already shown is
ignored, "complete" fires once per real switch (never at start-up), "pending" fires once per failover and only
from the shown region, and a lagging tab follows the background with the reference's manual-failover messages.

GlobalState: the background's single source of truth shared by every tab -- active region, the failover in
flight (detected -> pending -> complete), per-tab CCP health, per-region agent state, a bounded timeline --
persisted in session storage through to_dict()/from_dict(). Time always comes in as `now_ms`.

Staleness: every switch the background accepts increments `epoch`; tabs report with the epoch they last
heard of, and reports made before the latest switch are ignored, so a late "complete B" cannot undo "A" after
A -> B -> A. Start a fresh GlobalState with epoch=now_ms so that epochs keep growing across restarts."""

from .errors import StateError
from .shapes import conforms, field_problem, is_bool, is_count, is_dict, is_str, is_text, list_of, optional, required
from .snapshot import summary_problem

# TabSwitchRules actions (plain tuples, performed by the content script in the order given; SHOW may be
# performed at once and the others later, in order):
DETECTED = "detected"      # ("detected", target, soft): the shown region's worker started a failover
PENDING = "pending"        # ("pending", target, contact_id): the switch waits for a voice contact
DEACTIVATE = "deactivate"  # ("deactivate", region): suppress true + set_offline soft (manual failover path)
ACTIVATE = "activate"      # ("activate", region): suppress false
SHOW = "show"              # ("show", region): display this region's CCP, hide the other
COMPLETE = "complete"      # ("complete", region): the switch is done (report it to the background)


class TabSwitchRules:
    """One tab's view: which region's CCP is shown, whether a failover is detected/pending here."""

    __slots__ = ("shown", "hidden", "epoch", "detected_target", "pending_target", "_region_by_arn",
                 "_blocking_contact")

    def __init__(self, config, shown_region=None, epoch=0):
        keys = config.region_keys
        self.shown = shown_region if shown_region in keys else keys[0]
        self.hidden = keys[1] if self.shown == keys[0] else keys[0]
        self.epoch = epoch
        self.detected_target = None
        self.pending_target = None
        self._region_by_arn = {region.instance_arn: region.key for region in config.regions}
        self._blocking_contact = {key: None for key in keys}

    def _region_of(self, arn):
        return self._region_by_arn.get(arn) if isinstance(arn, str) else None

    def _switch(self, target, deactivate_first):
        """SHOW comes first: the agent sees the new region's CCP before anything else is done (the posts that
        follow reach the CCPs all the same)."""
        actions = [(SHOW, target)] + ([(DEACTIVATE, self.shown)] if deactivate_first else [])
        self.hidden, self.shown = self.shown, target
        self.detected_target = self.pending_target = None
        return actions + [(ACTIVATE, target), (COMPLETE, target)]

    def on_agent_update(self, region, snapshot):
        """Remembers the region's first voice contact (what a pending failover waits for). No actions."""
        if region in self._blocking_contact:
            self._blocking_contact[region] = snapshot.blocking_contact_id
        return []

    def on_force_offline(self, from_region, payload):
        """disasterRecovery::force_offline relayed from a CCP: the shown region's worker saw the other region
        become active. The earliest sign of a failover; reported once."""
        if payload is None or from_region != self.shown or self.detected_target is not None:
            return []
        if self._region_of(payload["nextActiveArn"]) != self.hidden:
            return []
        self.detected_target = self.hidden
        return [(DETECTED, self.hidden, payload["softFailover"])]

    def on_failover(self, from_region, payload):
        """disasterRecovery::failover from `from_region`'s CCP. Switch when it names the hidden region, or when
        the shown region says it is no longer primary without naming one (manual failover)."""
        arn = payload["nextActiveArn"]
        if arn is not None:
            if self._region_of(arn) != self.hidden:
                return []  # the region already shown, or an ARN that is not configured: no action
        elif not (payload["isPrimary"] is False and from_region == self.shown):
            return []
        return self._switch(self.hidden, deactivate_first=False)

    def on_failover_pending(self, from_region, payload):
        """disasterRecovery::failover_pending (only the failover-master CCP's tab gets it): reported once per
        failover, and only from the shown region towards the hidden one."""
        if from_region != self.shown or self.pending_target is not None:
            return []
        arn = payload["nextActiveArn"]
        if arn is not None and self._region_of(arn) != self.hidden:
            return []
        self.pending_target = self.hidden
        return [(PENDING, self.hidden, self._blocking_contact[from_region])]

    def on_global_region(self, region, epoch=None):
        """The background's active region (bg:region-changed or the hello reply). A tab still showing the other
        region deactivates it the way the reference's manual failover does, then switches."""
        if epoch is not None:
            self.epoch = epoch
        if region != self.hidden:
            return []  # already shown, or not a configured region
        return self._switch(region, deactivate_first=True)


# ----------------------------------------------------------------------------------------------------------
# The background's state

LOADING = "loading"
READY = "ready"
NOT_ANSWERING = "not_answering"
SIGNED_OUT = "signed_out"
HEALTH_STATES = (LOADING, READY, NOT_ANSWERING, SIGNED_OUT)
# A region's health across tabs is the best any tab reports (one answering CCP means the region works).
_HEALTH_RANK = {READY: 0, SIGNED_OUT: 1, NOT_ANSWERING: 2, LOADING: 3}
TIMELINE_LIMIT = 20
STATE_VERSION = 1


def _is_region_key(value):
    return is_text(value) and len(value) <= 64


_FAILOVER_FIELDS = {
    "target": required(_is_region_key),
    "detectedMs": required(is_count),
    "soft": required(optional(is_bool)),
    "pendingMs": required(optional(is_count)),
    "contactId": required(optional(is_str)),
}
_TIMELINE_FIELDS = {
    "from": required(_is_region_key),
    "to": required(_is_region_key),
    "detectedMs": required(is_count),
    "pendingMs": required(optional(is_count)),
    "completeMs": required(is_count),
    "soft": required(optional(is_bool)),
    "contactId": required(optional(is_str)),
}
_HEALTH_FIELDS = {"status": required(lambda value: is_str(value) and value in _HEALTH_RANK),
                  "sinceMs": required(is_count)}
_AGENT_FIELDS = {"summary": required(lambda value: summary_problem(value) is None),
                 "updatedMs": required(is_count)}
_STATE_FIELDS = {
    "version": required(lambda value: value == STATE_VERSION and is_count(value)),
    "regionKeys": required(list_of(_is_region_key)),
    "active": required(_is_region_key),
    "epoch": required(is_count),
    "failover": required(optional(conforms(_FAILOVER_FIELDS))),
    "tabs": required(is_dict),
    "agents": required(is_dict),
    "timeline": required(list_of(conforms(_TIMELINE_FIELDS), TIMELINE_LIMIT)),
}


def latencies(entry):
    """Derived durations of a timeline entry: detected -> complete, and pending -> complete (None without a
    pending phase)."""
    pending = entry["pendingMs"]
    return {"switchMs": entry["completeMs"] - entry["detectedMs"],
            "waitMs": None if pending is None else entry["completeMs"] - pending}


class GlobalState:
    """See the module docstring. Event methods return True when the state changed (persist it then); an
    accepted switch also changes `active` (broadcast bg:region-changed then)."""

    __slots__ = ("region_keys", "active", "epoch", "failover", "tabs", "agents", "timeline")

    def __init__(self, region_keys, active=None, epoch=0):
        self.region_keys = tuple(region_keys)
        self.active = active if active in self.region_keys else self.region_keys[0]
        self.epoch = epoch
        self.failover = None   # {target, detectedMs, soft, pendingMs, contactId} while a switch is in flight
        self.tabs = {}         # {tab key: {"shown": region|None, "health": {region: {status, sinceMs}}}}
        self.agents = {key: None for key in self.region_keys}  # {region: {summary, updatedMs} | None}
        self.timeline = []     # completed switches, oldest first, at most TIMELINE_LIMIT

    @property
    def standby(self):
        return self.region_keys[1] if self.active == self.region_keys[0] else self.region_keys[0]

    @property
    def pending(self):
        """The failover in flight if it waits for a voice contact, else None."""
        if self.failover is not None and self.failover["pendingMs"] is not None:
            return self.failover
        return None

    def _is_news(self, target, epoch):
        """A report about a switch to `target` made with knowledge of the latest switch."""
        return target in self.region_keys and target != self.active and (epoch is None or epoch >= self.epoch)

    def on_failover_detected(self, target, soft, now_ms, epoch=None):
        if not self._is_news(target, epoch) or self.failover is not None:
            return False
        self.failover = {"target": target, "detectedMs": now_ms, "soft": soft, "pendingMs": None,
                         "contactId": None}
        return True

    def on_failover_pending(self, target, contact_id, now_ms, epoch=None):
        if not self._is_news(target, epoch):
            return False
        if self.failover is None:
            self.on_failover_detected(target, True, now_ms, epoch)
        if self.failover["pendingMs"] is not None:
            return False
        self.failover["pendingMs"] = now_ms
        self.failover["soft"] = True
        self.failover["contactId"] = contact_id
        return True

    def on_switch_complete(self, region, now_ms, epoch=None):
        """A tab switched to `region`. Accepted once per switch: the first report moves `active`, records the
        timeline entry and ends the failover in flight; duplicates and stale reports return False."""
        if not self._is_news(region, epoch):
            return False
        flight = self.failover or {"detectedMs": now_ms, "soft": None, "pendingMs": None, "contactId": None}
        self.timeline.append({"from": self.active, "to": region, "detectedMs": flight["detectedMs"],
                              "pendingMs": flight["pendingMs"], "completeMs": now_ms, "soft": flight["soft"],
                              "contactId": flight["contactId"]})
        del self.timeline[:-TIMELINE_LIMIT]
        self.active = region
        self.epoch += 1
        self.failover = None
        return True

    def _tab(self, tab_id):
        return self.tabs.setdefault(str(tab_id), {"shown": None, "health": {}})

    def on_tab_region(self, tab_id, region):
        """A tab says which region it shows (cs:region-state). Returns whether it lags behind `active`, in which
        case the caller sends it bg:region-changed."""
        if region not in self.region_keys:
            return False
        self._tab(tab_id)["shown"] = region
        return region != self.active

    def on_ccp_health(self, tab_id, region, status, now_ms):
        if region not in self.region_keys or not (is_str(status) and status in _HEALTH_RANK):
            return False
        health = self._tab(tab_id)["health"]
        if region in health and health[region]["status"] == status:
            return False
        health[region] = {"status": status, "sinceMs": now_ms}
        return True

    def on_tab_closed(self, tab_id):
        return self.tabs.pop(str(tab_id), None) is not None

    def on_agent_update(self, region, summary, now_ms):
        """A region's latest agent summary (snapshot.AgentSnapshot.to_summary()). While a failover is pending,
        the active region's snapshot tells which voice contact it waits for (a second call may follow the
        first); once none is left, contactId keeps the last one waited for."""
        if region not in self.region_keys:
            return False
        self.agents[region] = {"summary": summary, "updatedMs": now_ms}
        pending = self.pending
        if pending is not None and region == self.active and summary["voiceContacts"]:
            pending["contactId"] = summary["voiceContacts"][0]["contactId"]
        return True

    def region_health(self, region):
        """(status, since ms) of the best health any tab reports for `region`; (None, None) if no tab does."""
        best = None
        for tab in self.tabs.values():
            health = tab["health"].get(region)
            if health is not None and (best is None or (_HEALTH_RANK[health["status"]], health["sinceMs"]) < (
                    _HEALTH_RANK[best["status"]], best["sinceMs"])):
                best = health
        return (None, None) if best is None else (best["status"], best["sinceMs"])

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
            "tabs": {key: {"shown": tab["shown"],
                           "health": {region: dict(h) for region, h in tab["health"].items()}}
                     for key, tab in self.tabs.items()},
            "agents": {key: None if record is None else {"summary": record["summary"],
                                                         "updatedMs": record["updatedMs"]}
                       for key, record in self.agents.items()},
            "timeline": [dict(entry) for entry in self.timeline],
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
        state.tabs = {key: {"shown": tab["shown"], "health": {region: dict(h) for region, h in tab["health"].items()}}
                      for key, tab in data["tabs"].items()}
        state.agents = {key: None if record is None else dict(record) for key, record in data["agents"].items()}
        state.timeline = [dict(entry) for entry in data["timeline"]]
        return state


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
        problem = field_problem(tab, {"shown": required(optional(in_keys)), "health": required(is_dict)})
        if problem is None:
            for region, health in tab["health"].items():
                if not in_keys(region) or field_problem(health, _HEALTH_FIELDS) is not None:
                    problem = f"health of {region!r} is wrong"
                    break
        if problem is not None:
            return f"tab {key!r} {problem}"
    if set(data["agents"]) != set(keys):
        return "agents does not list exactly regionKeys"
    for region, record in data["agents"].items():
        if record is not None and field_problem(record, _AGENT_FIELDS) is not None:
            return f"agent of {region!r} is wrong"
    return None
