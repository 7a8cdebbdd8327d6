"""What the agent is told in a notification (option outage.notifications, off by default), read from the popup's
status model (core.status.build_status): a failover pending, with the contact it waits on; a failover complete;
the stand-by region signed out or not answering (the next failover would strand the agent); the active CCP not
answering. Each condition is one event with a key: shown once while it holds, again only after it cleared and
came back. While the popup is open, what happens is taken as seen (the popup shows it), and nothing is shown."""
from .health import NOT_ANSWERING, REFUSED_FRAMING, SIGNED_OUT
from .status_view import contact_text


def current_events(status):
    """{key: (title, message)} of the conditions a configured status model holds now."""
    events = {}
    failover = status["failover"]
    if failover is not None and failover["phase"] == "pending":
        contact = contact_text(failover["contactType"] or "voice", failover["contactId"])
        events[f"pending:{failover['target']}:{failover['pendingMs']}"] = (
            f"Failover to {failover['target']} pending",
            f"It waits for the {contact} in {failover['from']} to end (Switch now is in the popup).")
    if status["timeline"]:
        last = status["timeline"][0]  # newest first
        events[f"complete:{last['to']}:{last['completeMs']}"] = (
            f"Failover to {last['to']} complete", f"The {last['to']} CCP is shown; {last['from']} is the stand-by.")
    for region in status["regions"]:
        key, health = region["key"], region["health"]
        if region["role"] == "standby" and (health == SIGNED_OUT or region["signInNeeded"]):
            events[f"standby-signed-out:{key}"] = (
                f"Stand-by region {key} is signed out",
                "Sign in to it from the popup: a failover now would land on a signed-out CCP.")
        elif region["role"] == "standby" and health == NOT_ANSWERING:
            events[f"standby-not-answering:{key}"] = (
                f"Stand-by region {key} is not answering",
                "A failover now would land on a CCP that does not answer.")
        elif health == REFUSED_FRAMING:
            events[f"refused-framing:{key}:{region['healthDetail']}"] = (
                f"The browser refuses to show the {key} CCP", region["healthDetail"] or "")
        elif region["role"] == "active" and health == NOT_ANSWERING:
            events[f"active-not-answering:{key}"] = (
                f"The {key} CCP is not answering", "The active region's CCP stopped answering in every tab.")
    return events


class Notices:
    """The events already taken as seen (shown, or seen in the popup), persisted by the caller as `seen`."""

    def __init__(self, seen=None):
        self.seen = None if seen is None else set(seen)

    def step(self, status, popup_open):
        """After a change of the status: [(key, title, message)] to show now, in key order. The first step after
        a start without a stored memory takes everything current as seen (no notification for the past)."""
        events = current_events(status) if status["configured"] else {}
        fresh = [] if self.seen is None or popup_open else sorted(set(events) - self.seen)
        self.seen = set(events)  # a cleared condition is forgotten: its return is news again
        return [(key,) + events[key] for key in fresh]
