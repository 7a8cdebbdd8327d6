"""What an `agent::update` says, as far as the extension cares: the agent's state, the contacts that defer a
failover (in any state, until they leave the snapshot; which types do depends on the protocol: legacy DR waits
for voice and queue_callback contacts, ACGR for chat ones too) and after-call work. Fields read are validated
strictly; unknown extra fields are ignored. Timestamps arrive as epoch ms or ISO text (JS Dates after
conversion); both are accepted."""

from .errors import ProtocolError
from .shapes import (conforms, field_problem, is_bool, is_count, is_int, is_str, is_text, list_of, may, optional,
                     required)
from .timefmt import to_epoch_ms

VOICE_CONTACT_TYPES = ("voice", "queue_callback")
AFTER_CALL_WORK_STATE = "AfterCallWork"
ENDED = "ended"
_AGENT_QUEUE_MARK = "/agent/"


class Contact:
    __slots__ = ("contact_id", "type", "state_type", "state_since_ms")

    def __init__(self, contact_id, contact_type, state_type, state_since_ms):
        self.contact_id = contact_id
        self.type = contact_type
        self.state_type = state_type
        self.state_since_ms = state_since_ms



class AgentSnapshot:
    """One agent::update, interpreted. `contacts` keeps snapshot order."""

    __slots__ = ("state_name", "state_type", "state_since_ms", "next_state_name", "contacts", "agent_resource_id")

    def __init__(self, state_name, state_type, state_since_ms, next_state_name, contacts, agent_resource_id):
        self.state_name = state_name
        self.state_type = state_type
        self.state_since_ms = state_since_ms
        self.next_state_name = next_state_name
        self.contacts = contacts
        self.agent_resource_id = agent_resource_id

    def blocking_contacts(self, types):
        """The contacts of `types` (those a pending failover waits for), in snapshot order."""
        return tuple(contact for contact in self.contacts if contact.type in types)

    def blocking_contact(self, types):
        """The first contact of `types` (what a pending failover waits for), or None."""
        found = self.blocking_contacts(types)
        return found[0] if found else None

    @property
    def after_call_work(self):
        return self.state_name == AFTER_CALL_WORK_STATE or any(c.state_type == ENDED for c in self.contacts)

    def to_summary(self, blocking_types):
        """The plain-data summary carried in runtime messages and persisted state (see SUMMARY_FIELDS);
        blocking_types: the contact types that defer a failover in the protocol spoken."""
        blocking = self.blocking_contacts(blocking_types)
        return {
            "stateName": self.state_name,
            "stateType": self.state_type,
            "stateSinceMs": self.state_since_ms,
            "nextStateName": self.next_state_name,
            "blockingContacts": [{"contactId": c.contact_id, "type": c.type, "stateType": c.state_type,
                                  "stateSinceMs": c.state_since_ms} for c in blocking],
            "otherContactCount": len(self.contacts) - len(blocking),
            "afterCallWork": self.after_call_work,
            "agentResourceId": self.agent_resource_id,
        }


_BLOCKING_CONTACT_FIELDS = {
    "contactId": required(is_text),
    "type": required(is_text),
    "stateType": required(is_str),
    "stateSinceMs": required(optional(is_int)),
}

SUMMARY_FIELDS = {
    "stateName": required(is_str),
    "stateType": required(is_str),
    "stateSinceMs": required(optional(is_int)),
    "nextStateName": required(optional(is_str)),
    "blockingContacts": required(list_of(conforms(_BLOCKING_CONTACT_FIELDS))),
    "otherContactCount": required(is_count),
    "afterCallWork": required(is_bool),
    "agentResourceId": may(optional(is_str)),
}


def summary_problem(summary):
    """What is wrong with a summary dict (a message), or None if it is one."""
    return field_problem(summary, SUMMARY_FIELDS)


def _member(obj, name, where):
    """obj[name] of a dict `obj` that must have it."""
    if name not in obj:
        raise ProtocolError(f"agent::update: {where}.{name} is missing")
    return obj[name]


def _dict(value, where):
    if not isinstance(value, dict):
        raise ProtocolError(f"agent::update: {where} is not an object")
    return value


def _string(value, where):
    if not isinstance(value, str):
        raise ProtocolError(f"agent::update: {where} is not a string")
    return value


def _timestamp(obj, name, where):
    """Epoch ms of an optional timestamp member (None if absent or null)."""
    value = obj.get(name)
    if value is None:
        return None
    ms = to_epoch_ms(value)
    if ms is None:
        raise ProtocolError(f"agent::update: {where}.{name} is not a timestamp")
    return ms


def _contact(value, where):
    contact = _dict(value, where)
    contact_id = _string(_member(contact, "contactId", where), where + ".contactId")
    if contact_id == "":
        raise ProtocolError(f"agent::update: {where}.contactId is empty")
    contact_type = _string(_member(contact, "type", where), where + ".type")
    state = _dict(_member(contact, "state", where), where + ".state")
    state_type = _string(_member(state, "type", where + ".state"), where + ".state.type")
    return Contact(contact_id, contact_type, state_type, _timestamp(state, "timestamp", where + ".state"))


def _agent_resource_id(data):
    """The agent id inside the agent's own queue ARN (".../queue/agent/<id>"), which Streams puts in every log
    entry; None when the configuration does not say."""
    configuration = data.get("configuration")
    if configuration is None:
        return None
    routing_profile = _dict(configuration, "configuration").get("routingProfile")
    if routing_profile is None:
        return None
    queues = _dict(routing_profile, "configuration.routingProfile").get("queues")
    if queues is None:
        return None
    if not isinstance(queues, list):
        raise ProtocolError("agent::update: configuration.routingProfile.queues is not an array")
    found = None
    for index, queue in enumerate(queues):
        where = f"configuration.routingProfile.queues[{index}]"
        arn = _dict(queue, where).get("queueARN")
        if arn is not None and _AGENT_QUEUE_MARK in _string(arn, where + ".queueARN") and found is None:
            found = arn.split(_AGENT_QUEUE_MARK, 1)[1] or None
    return found


def parse_agent_update(data):
    """The AgentSnapshot of agent::update `data` ({snapshot, configuration}); ProtocolError if malformed."""
    snapshot = _dict(_member(_dict(data, "data"), "snapshot", "data"), "snapshot")
    state = _dict(_member(snapshot, "state", "snapshot"), "snapshot.state")
    state_name = _string(_member(state, "name", "snapshot.state"), "snapshot.state.name")
    state_type = _string(_member(state, "type", "snapshot.state"), "snapshot.state.type")
    next_state = snapshot.get("nextState")
    next_state_name = None
    if next_state is not None:
        name = _dict(next_state, "snapshot.nextState").get("name")
        next_state_name = None if name is None else _string(name, "snapshot.nextState.name")
    contacts = _member(snapshot, "contacts", "snapshot")
    if not isinstance(contacts, list):
        raise ProtocolError("agent::update: snapshot.contacts is not an array")
    return AgentSnapshot(
        state_name, state_type, _timestamp(state, "startTimestamp", "snapshot.state"), next_state_name,
        tuple(_contact(contact, f"snapshot.contacts[{index}]") for index, contact in enumerate(contacts)),
        _agent_resource_id(data))
