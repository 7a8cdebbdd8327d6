"""Python client for the control API (tests, the demo, a person at a Python prompt). Stdlib only."""
import json
import urllib.error
import urllib.request


class EmulatorError(Exception):
    """The control API refused a request (HTTP 4xx): `.status`, `.field` (for 400), `.body`."""

    def __init__(self, status, body):
        super().__init__(f"HTTP {status}: {body.get('error', body)}")
        self.status = status
        self.field = body.get("field")
        self.body = body



def latest_visibility_marks(marks):
    """{window id: its latest "shown" or "hidden" mark} of the CCP windows among `marks` ({window_id, kind, at})
    that said either: what its IntersectionObserver said last."""
    last = {}
    for mark in marks:
        if mark["kind"] in ("shown", "hidden"):
            if mark["window_id"] not in last or mark["at"] >= last[mark["window_id"]]["at"]:
                last[mark["window_id"]] = mark
    return last


class EmulatorClient:
    def __init__(self, base_url, timeout_s=30):
        self.base_url = base_url.rstrip("/")
        self._timeout_s = timeout_s

    def request(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.base_url + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=self._timeout_s) as response:
                return json.load(response)
        except urllib.error.HTTPError as error:
            raw = error.read()
            try:
                parsed = json.loads(raw)
            except ValueError:
                parsed = {"error": raw.decode(errors="replace")}
            raise EmulatorError(error.code, parsed) from None

    def _post(self, path, **fields):
        return self.request("POST", path, {k: v for k, v in fields.items() if v is not None})

    # ----- reading -----------------------------------------------------------------------------------------------

    def state(self):
        """Everything: {"active": {InstanceArn, TerminateActiveContacts, region}, "regions": {region: {...}}}."""
        return self.request("GET", "/state")

    def region_state(self, region):
        return self.state()["regions"][region]

    def contacts(self, region):
        return self.region_state(region)["agent"]["snapshot"]["contacts"]

    def visible_ccps(self):
        """[(region, host page origin)] of every open CCP window whose host shows it: a non-zero size, and not
        hidden by its IntersectionObserver's last word (a host may keep a stand-by frame at full size, clipped to
        nothing or moved out of view: the observer says it; a 0 x 0 frame's size says it)."""
        visible = []
        for region, regional in self.state()["regions"].items():
            last_word = latest_visibility_marks(regional["marks"])
            visible += [(region, view["host"]) for window_id, view in regional["viewports"].items()
                        if not view["closed"] and view["width"] > 0 and view["height"] > 0
                        and last_word.get(window_id, {}).get("kind") != "hidden"]
        return sorted(visible)

    def viewports(self):
        """[(region, window id, {width, height, host, closed, at, painted_at, time})] of every CCP window that
        reported: `at` when it saw that size, `painted_at` (or None) when it had laid out and painted at it."""
        return [(region, window_id, view) for region, regional in self.state()["regions"].items()
                for window_id, view in regional["viewports"].items()]

    def marks(self, kind=None):
        """[(region, {window_id, kind, host, at, time})]: moments CCP windows reported (e.g. "failover-relayed":
        the window posted disasterRecovery::failover to its host at `at`, wall-clock ms), oldest first."""
        found = [(region, mark) for region, regional in self.state()["regions"].items() for mark in regional["marks"]
                 if kind is None or mark["kind"] == kind]
        return sorted(found, key=lambda item: item[1]["at"])

    def agent_state(self, region):
        return self.region_state(region)["agent"]["state"]

    def acgr_events(self, region=None, *, event=None, direction=None):
        """ACGR messages as the CCP windows saw them, oldest first: dicts {region, window_id, host, direction
        ("from-host": the host sent it, "to-host": the CCP posted it, "ccp": something the CCP did, such as a
        heartbeat relay change or a saved log file), event, data, at (the window's wall clock, ms), seq}. Agent
        data (agent::update, agent::fetch_agent_data_from_ccp) is summed up as {state, contacts}; of the
        agent::update messages only the first one a window passes on after a failover_initiated is recorded."""
        found = [dict(entry, region=name) for name, regional in self.state()["regions"].items()
                 if region in (None, name) for entry in regional["acgr"]
                 if event in (None, entry["event"]) and direction in (None, entry["direction"])]
        return sorted(found, key=lambda e: (e["at"], e["window_id"], e["seq"]))

    # ----- scenario ----------------------------------------------------------------------------------------------

    def reset(self):
        return self._post("/reset")

    def set_active(self, region=None, *, instance_arn=None, terminate_active_contacts=False):
        """Make `region` (or any ARN, even a foreign one) the active instance the workers will poll."""
        return self._post("/active", region=region, instance_arn=instance_arn,
                          terminate_active_contacts=terminate_active_contacts)

    def route_contact(self, region, contact_type="voice", *, phone_number=None, force=False):
        """Offer an inbound contact (voice rings as `connecting`, queue_callback is `incoming`). Refused (409) when
        the agent is not routable, unless force=True. Returns the contact id."""
        return self._post("/contacts", region=region, type=contact_type, phone_number=phone_number,
                          force=force or None)["contact_id"]

    def accept(self, region, contact_id=None):
        return self._post("/contacts/accept", region=region, contact_id=contact_id)["contact_id"]

    def hang_up(self, region, contact_id=None):
        """connected → ended (after contact work); an unanswered contact is abandoned."""
        return self._post("/contacts/hang_up", region=region, contact_id=contact_id)["contact_id"]

    def clear(self, region, contact_id=None):
        """End after contact work: the contact leaves the snapshot."""
        return self._post("/contacts/clear", region=region, contact_id=contact_id)["contact_id"]

    def set_agent_state(self, region, state_name):
        return self._post("/agent/state", region=region, state=state_name)

    def expire_session(self, region=None):
        """Sign out (one region or both): CCP pages stop acknowledging, the workers report `auth_fail`."""
        return self._post("/session/expire", region=region)

    def sign_in(self):
        """Global sign-in, as the login page does (also makes a missing or corrupt sign-in cookie valid)."""
        return self._post("/session/sign_in")

    def set_global_signin(self, region, state):
        """How `region`'s CCP answers an ACGR host's validate_global_signin, from its next page load: 'valid',
        'missing' / 'parse_error' (global_signin_invalid with LILY_AGENT_CONFIG_MISSING / _PARSE_ERROR, from the
        `lily-agent-config` cookie) or 'no_answer' (a CCP that predates the validation)."""
        return self._post("/session/global_signin", region=region, state=state)["global_signin"]

    def impair(self, region, **impairments):
        """no_ack=bool, active_region_status=int|None, api_status=int|None, ccp_page='ok'|'error'|'hang',
        latency_ms=int, api_latency_ms=int, late_scripts_ms=int. Unnamed impairments stay as they are."""
        return self.request("POST", "/impair", dict(impairments, region=region))

    def clear_impairments(self, region=None):
        return self._post("/impair/clear", region=region)

    def impair_login(self, status=None, *, unreachable=False):
        """The global sign-in page (`login_url`) answers HTTP `status`, or (unreachable=True) closes every
        connection without an answer (a fetch fails as for an unreachable host). No arguments: it works again."""
        return self._post("/impair/login", status=status, unreachable=unreachable)

    def login_requests(self):
        """[{method, outcome: ok | signed-in | error | dropped, time}] of the global sign-in page, oldest first."""
        return self.state()["login"]["requests"]

    def set_ccp_weight(self, weight):
        """'heavy': both instances serve a CCP page as large and as costly to lay out as a big single-page app
        (README "Heavy CCP"), from the next page load; 'light': the emulated CCP alone. reset() restores the
        server's option."""
        return self._post("/ccp/weight", weight=weight)["ccp_weight"]

    def set_framing(self, region, **rules):
        """Who may frame `region`'s CCP, from its next page load: approved_origins=[origins] (listed in
        `Content-Security-Policy: frame-ancestors 'self' ...`, as Connect lists an instance's approved origins;
        None: no such header) and x_frame_options='DENY' | 'SAMEORIGIN' | None. Unnamed rules stay as they are."""
        return self.request("POST", "/framing", dict(rules, region=region))

    def post_raw(self, region, messages):
        """The region's worker posts each message, as it is, to every CCP window, which relays it to its host."""
        return self._post("/raw", region=region, messages=list(messages))["count"]

    def emit_logs(self, region, count, *, text=None, level=None):
        """The region's worker posts `count` log entries '<text> #1'.. (returned) to every CCP of that region."""
        return self._post("/logs", region=region, count=count, text=text, level=level)["texts"]
