"""One agent and its contacts in one Connect instance: the CTI API's effects and the snapshot it reports.

Pure Python, no locking (the caller holds the state lock). Timestamps are epoch milliseconds; the emulated worker
turns the keys in DATE_KEYS into JS `Date` objects, as the real snapshot carries (ccp-protocol.md 3.1)."""
import copy
import time
import uuid

DATE_KEYS = ("startTimestamp", "timeStamp", "snapshotTimestamp", "timestamp", "queueTimestamp")
VOICE_TYPES = ("voice", "queue_callback")
CONTACT_TYPES = ("voice", "queue_callback", "chat", "task")
ACTIVE_CONTACT_STATES = ("incoming", "pending", "connecting", "connected", "paused")


class ApiError(Exception):
    """A CTI API failure, reported to the host as `api_response.err`."""

    def __init__(self, error_type, message, status_code=400):
        super().__init__(message)
        self.error_type = error_type
        self.status_code = status_code

    def as_dict(self):
        return {"type": self.error_type, "message": str(self), "statusCode": self.status_code}


def _now_ms():
    return int(time.time() * 1000)


class AgentModel:
    def __init__(self, instance, clock=_now_ms):
        self._instance = instance
        self._clock = clock
        arn = instance.arn
        self.agent_id = f"agent-{instance.region}"
        self.agent_arn = f"{arn}/agent/{self.agent_id}"
        self.agent_states = [
            {"agentStateARN": f"{arn}/agent-state/available", "type": "routable", "name": "Available"},
            {"agentStateARN": f"{arn}/agent-state/break", "type": "not_routable", "name": "Break"},
            {"agentStateARN": f"{arn}/agent-state/offline", "type": "offline", "name": "Offline"},
        ]
        self.queue = {"queueARN": f"{arn}/queue/basic", "name": "BasicQueue"}
        self._selected = self.agent_states[0]  # the state the agent chose; calls override it (Busy, ACW)
        self._next_state = None
        self._contacts = []  # in arrival order
        self._shown_state = None
        self._shown_since = self._clock()
        self._refresh_shown_state()

    # ----- reading -----------------------------------------------------------------------------------------------

    def contacts(self):
        return list(self._contacts)

    def state_name(self):
        return self._shown_state["name"]

    def selected_state(self):
        return self._selected

    def is_routable(self):
        return self._selected["type"] == "routable"

    def snapshot(self):
        now = self._clock()
        state = dict(self._shown_state, startTimestamp=self._shown_since)
        return {
            "state": state,
            "agentAvailabilityState": {"state": self._selected["name"], "timeStamp": self._shown_since},
            "nextState": dict(self._next_state) if self._next_state else None,
            "snapshotTimestamp": now,
            "contacts": copy.deepcopy(self._contacts),
        }

    def configuration(self):
        arn = self._instance.arn
        routing_profile_arn = f"{arn}/routing-profile/basic"
        return {
            "name": f"Agent ({self._instance.region})", "username": "agent1",
            "agentARN": self.agent_arn, "softphoneEnabled": True, "softphoneAutoAccept": False,
            "extension": None, "dialableCountries": ["us"], "permissions": ["outboundCall"],
            "agentPreferences": {"locale": "en_US"},
            "agentStates": [dict(s) for s in self.agent_states],
            "routingProfile": {
                "name": "Basic Routing Profile", "routingProfileARN": routing_profile_arn,
                "defaultOutboundQueue": dict(self.queue),
                # The agent's own queue ARN carries the agent id that Streams writes into every log entry.
                "queues": [dict(self.queue), {"queueARN": f"{arn}/queue/agent/{self.agent_id}", "name": None}],
                "channelConcurrencyMap": {"VOICE": 1, "CHAT": 3, "TASK": 3},
            },
        }

    # ----- scenario actions (control API) -----------------------------------------------------------------------

    def route_contact(self, contact_type, phone_number="+15555550100", force=False):
        """A new inbound contact offered to the agent (voice rings as `connecting`, a queued callback is `incoming`)."""
        if not force and not self.is_routable():
            raise ApiError("AgentNotRoutable", f"agent is {self._selected['name']}, not routable", 409)
        now = self._clock()
        contact_id = str(uuid.uuid4())
        first_state = "incoming" if contact_type == "queue_callback" else "connecting"
        customer = {"connectionId": f"{contact_id}-customer", "type": "inbound", "initial": True,
                    "state": {"type": "connected", "timestamp": now},
                    "endpoint": _endpoint(contact_type, phone_number), "softphoneMediaInfo": None}
        agent = self._agent_connection(contact_id, contact_type, first_state, now)
        self._contacts.append({
            "contactId": contact_id, "initialContactId": contact_id, "type": contact_type,
            "state": {"type": first_state, "timestamp": now}, "queue": dict(self.queue),
            "queueTimestamp": now, "attributes": {}, "contactFeatures": {},
            "connections": [agent, customer],
        })
        self._refresh_shown_state()
        return contact_id

    def hang_up(self, contact_id):
        """The customer (or the agent) ends the contact: connected → ended (after contact work); an unanswered one
        is abandoned and disappears."""
        contact = self._find(contact_id)
        if contact["state"]["type"] == "ended":
            raise ApiError("InvalidStateException", f"contact {contact_id} has already ended")
        if contact["state"]["type"] in ("connected", "paused"):
            self._end(contact)
        else:
            self._remove(contact)
        self._refresh_shown_state()

    def set_state_by_name(self, name):
        for state in self.agent_states:
            if state["name"] == name:
                return self.put_agent_state({"state": state})
        raise ApiError("InvalidStateException", f"no agent state named {name!r}")

    # ----- CTI API (what the worker calls for `api_request`) -----------------------------------------------------

    def call(self, method, params):
        handler = self._API.get(method)
        if handler is None:
            raise ApiError("UnsupportedOperationException", f"the emulator does not implement {method}")
        if not isinstance(params, dict):
            raise ApiError("InvalidParameterException", "params must be an object")
        return handler(self, params)

    def get_agent_snapshot(self, params):
        """The agent's snapshot now, as Connect's GetAgentSnapshot answers a call without `nextToken` (the worker's own
        long poll passes one to wait for a change; a host's api_request gets the present at once)."""
        return {"snapshot": self.snapshot(), "nextToken": None}

    def get_agent_states(self, params):
        """The agent states the agent may choose, as Connect's GetAgentStates pages them (Streams asks with
        `maxResults` and follows `nextToken`): `nextToken` is the index of the page's first state."""
        size = 100 if params.get("maxResults") is None else params["maxResults"]
        start = params.get("nextToken") or "0"
        if not isinstance(size, int) or size < 1 or not isinstance(start, str) or not start.isdigit():
            raise ApiError("InvalidParameterException", "maxResults must be a positive integer, nextToken a token")
        start = int(start)
        end = start + size
        return {"states": [dict(s) for s in self.agent_states[start:end]],
                "nextToken": str(end) if end < len(self.agent_states) else None}

    def put_agent_state(self, params):
        wanted = params.get("state") or {}
        state = next((s for s in self.agent_states if wanted.get("agentStateARN") == s["agentStateARN"]
                      or (not wanted.get("agentStateARN") and wanted.get("name") == s["name"])), None)
        if state is None:
            raise ApiError("InvalidStateException", f"unknown agent state {wanted!r}")
        if params.get("enqueueNextState") and self._contacts:  # applies once the last contact is cleared
            self._next_state = dict(state)
        else:
            self._selected, self._next_state = state, None
        self._refresh_shown_state()
        return {}

    def accept_contact(self, params):
        contact = self._find(params.get("contactId"))
        if contact["state"]["type"] not in ("incoming", "connecting", "pending"):
            raise ApiError("InvalidStateException", f"contact is {contact['state']['type']}, cannot accept")
        now = self._clock()
        _set_state(contact, "connected", now)
        for connection in contact["connections"]:
            _set_state(connection, "connected", now)
        self._refresh_shown_state()
        return {}

    def reject_contact(self, params):
        contact = self._find(params.get("contactId"))
        if contact["state"]["type"] not in ("incoming", "connecting", "pending"):
            raise ApiError("InvalidStateException", f"contact is {contact['state']['type']}, cannot reject")
        self._remove(contact)
        self._refresh_shown_state()
        return {}

    def clear_contact(self, params):
        """Ends after contact work: the contact leaves the snapshot (what legacy DR waits for)."""
        contact = self._find(params.get("contactId"))
        if contact["state"]["type"] in ACTIVE_CONTACT_STATES:
            raise ApiError("InvalidStateException", "contact is still active; hang up first")
        self._remove(contact)
        self._refresh_shown_state()
        return {}

    def destroy_connection(self, params):
        """Hang up one party. On the agent's own connection: ringing → gone, connected → ACW, ACW → cleared."""
        contact = self._find(params.get("contactId"))
        self._find_connection(contact, params.get("connectionId"))
        if contact["state"]["type"] in ("connected", "paused"):
            self._end(contact)
        else:
            self._remove(contact)
        self._refresh_shown_state()
        return {}

    def hold_connection(self, params):
        return self._set_connection_state(params, "connected", "hold")

    def resume_connection(self, params):
        return self._set_connection_state(params, "hold", "connected")

    def create_outbound_contact(self, params):
        endpoint = params.get("endpoint")
        if not isinstance(endpoint, dict) or not endpoint.get("phoneNumber"):
            raise ApiError("InvalidParameterException", "endpoint.phoneNumber is required")
        now = self._clock()
        contact_id = str(uuid.uuid4())
        agent = self._agent_connection(contact_id, "voice", "connected", now)
        customer = {"connectionId": f"{contact_id}-customer", "type": "outbound", "initial": True,
                    "state": {"type": "connecting", "timestamp": now}, "endpoint": dict(endpoint),
                    "softphoneMediaInfo": None}
        queue = {"queueARN": params.get("queueARN") or self.queue["queueARN"], "name": self.queue["name"]}
        self._contacts.append({
            "contactId": contact_id, "initialContactId": contact_id, "type": "voice",
            "state": {"type": "connecting", "timestamp": now}, "queue": queue, "queueTimestamp": now,
            "attributes": {}, "contactFeatures": {}, "connections": [agent, customer],
        })
        self._refresh_shown_state()
        return {"contactId": contact_id}

    _API = {
        "getAgentSnapshot": get_agent_snapshot,
        "getAgentStates": get_agent_states,
        "putAgentState": put_agent_state,
        "acceptContact": accept_contact,
        "rejectContact": reject_contact,
        "clearContact": clear_contact,
        "completeContact": clear_contact,
        "destroyConnection": destroy_connection,
        "holdConnection": hold_connection,
        "resumeConnection": resume_connection,
        "createOutboundContact": create_outbound_contact,
    }

    # ----- internals ---------------------------------------------------------------------------------------------

    def _agent_connection(self, contact_id, contact_type, state, now):
        media = {"callType": "audio_only", "autoAccept": False} if contact_type in VOICE_TYPES else None
        return {"connectionId": f"{contact_id}-agent", "type": "agent", "initial": False,
                "state": {"type": state, "timestamp": now}, "endpoint": {"type": "agent", "agentLogin": "agent1"},
                "softphoneMediaInfo": media}

    def _find(self, contact_id):
        for contact in self._contacts:
            if contact["contactId"] == contact_id:
                return contact
        raise ApiError("ResourceNotFoundException", f"no contact {contact_id!r}")

    @staticmethod
    def _find_connection(contact, connection_id):
        for connection in contact["connections"]:
            if connection["connectionId"] == connection_id:
                return connection
        raise ApiError("ResourceNotFoundException", f"no connection {connection_id!r}")

    def _set_connection_state(self, params, current, wanted):
        contact = self._find(params.get("contactId"))
        connection = self._find_connection(contact, params.get("connectionId"))
        if connection["state"]["type"] != current:
            raise ApiError("InvalidStateException", f"connection is {connection['state']['type']}")
        _set_state(connection, wanted, self._clock())
        self._refresh_shown_state()
        return {}

    def _end(self, contact):
        now = self._clock()
        _set_state(contact, "ended", now)
        for connection in contact["connections"]:
            _set_state(connection, "disconnected", now)

    def _remove(self, contact):
        self._contacts.remove(contact)
        if not self._contacts and self._next_state:
            self._selected = next(s for s in self.agent_states if s["agentStateARN"] == self._next_state["agentStateARN"])
            self._next_state = None

    def _refresh_shown_state(self):
        """What the service reports: Busy during a call, AfterCallWork while a contact waits to be cleared,
        otherwise the state the agent chose. The start timestamp moves only when the name changes."""
        types = [c["state"]["type"] for c in self._contacts]
        if any(t in ("connected", "paused") for t in types):
            shown = {"agentStateARN": None, "type": "system", "name": "Busy"}
        elif "ended" in types:
            shown = {"agentStateARN": None, "type": "system", "name": "AfterCallWork"}
        else:
            shown = dict(self._selected)
        if self._shown_state is None or shown["name"] != self._shown_state["name"]:
            self._shown_since = self._clock()
        self._shown_state = shown


def _set_state(item, state_type, now):
    item["state"] = {"type": state_type, "timestamp": now}


def _endpoint(contact_type, phone_number):
    if contact_type in VOICE_TYPES:
        return {"type": "phone_number", "phoneNumber": phone_number}
    return {"type": "agent", "name": "customer"}

