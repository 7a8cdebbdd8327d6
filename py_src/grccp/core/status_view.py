"""The popup's words for the background's status model (core.status): what each region's card, the failover
line and the timeline say, and the tone (ok / pending / trouble / idle) each is drawn in. Pure: the popup view
only puts these strings into fixed elements (textContent) and these tones into data attributes.

Clock times are left to the caller (the browser's locale formats them); durations are written here."""

from .agent_state_keeper import describe as describe_agent_state
from .global_state import is_manual
from .health import LOADING, NOT_ANSWERING, READY, REFUSED_FRAMING, SIGNED_OUT
from .status import ANNOUNCED, ANNOUNCED_OTHER, BADGE_COLORS, NOT_ANNOUNCED

TIMELINE_ROWS = 3

HEALTH = {
    READY: ("Answering", "ok"),
    LOADING: ("Loading…", "idle"),
    NOT_ANSWERING: ("Not answering", "trouble"),
    SIGNED_OUT: ("Signed out", "trouble"),
    REFUSED_FRAMING: ("Blocked", "trouble"),  # short: the card is narrow; the problem line says why
    None: ("No CCP open", "idle"),
}
SIGNED_IN = {True: ("Signed in", "ok"), False: ("Sign-in needed", "trouble"), None: ("Unknown", "idle")}
# What a contact type is called in the agent's state (one, several) and as "<kind> contact"; types not listed
# are called by their name.
CONTACT_WORDS = {"voice": ("voice call", "voice calls"), "queue_callback": ("voice call", "voice calls"),
                 "chat": ("chat", "chats")}
CONTACT_KINDS = {"voice": "voice", "queue_callback": "voice", "chat": "chat"}
FORCED_BY = {"popup": "Switch now, from the popup", "page-api": "forceFailover, from the page API"}
# a manual failover (core.manual_failover), by who asked for it
MANUAL_BY = {"popup": "manual failover, from the popup", "page-api": "manual failover, from the page API"}


def duration_text(ms):
    """"0.4 s", "12 s", "3 min 04 s", "2 h 05 min" (None -> "")."""
    if ms is None:
        return ""
    ms = max(0, int(ms))
    if ms < 10000:
        tenths = (ms + 50) // 100
        return f"{tenths // 10}.{tenths % 10} s"
    seconds = ms // 1000
    if seconds < 60:
        return f"{seconds} s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {seconds:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


def contact_word(contact_type, count=1):
    one, many = CONTACT_WORDS.get(contact_type, (str(contact_type), str(contact_type) + "s"))
    return one if count == 1 else many


def agent_text(summary):
    """The agent's state in one region ("Available", "Busy · voice call", "Busy · chat", "AfterCallWork"), or
    "—"."""
    if summary is None:
        return "—"
    parts = [summary["stateName"] or summary["stateType"] or "unknown"]
    counts = {}
    for contact in summary["blockingContacts"]:
        word = contact_word(contact["type"])
        counts[word] = counts.get(word, 0) + 1
    for contact in summary["blockingContacts"]:
        word = contact_word(contact["type"])
        if word in counts:
            parts.append(word if counts[word] == 1 else f"{counts[word]} {contact_word(contact['type'], 2)}")
            del counts[word]
    if summary["afterCallWork"] and summary["stateName"] != "AfterCallWork":
        parts.append("after-call work")
    return " · ".join(parts)


def announcement_text(region):
    """(text, tone) of whether the region's CCP announced the configured region ("" when the protocol does not
    announce regions)."""
    state = region["announcement"]
    if state is None:
        return "", "idle"
    if state == ANNOUNCED:
        return f"Announced {region['announcedRegion']}", "ok"
    if state == ANNOUNCED_OTHER:
        return f"Announces {region['announcedRegion']}, configured {region['name']}", "trouble"
    if state == NOT_ANNOUNCED:
        return "Has not announced its region", "trouble"
    return "Region not announced yet", "idle"


def region_card(region, open_tabs=0):
    """Texts and tones of one region's card (a core.status region entry). With pages open but no health
    reported yet, the region's CCP is still loading (a CCP reports only changes from "loading")."""
    state = region["health"]
    if state is None and open_tabs:
        state = LOADING
    health, health_tone = HEALTH.get(state, (str(state), "idle"))
    since = ""
    if region["healthForMs"] is not None and region["health"] is not None:
        since = f"{health} for {duration_text(region['healthForMs'])}"
    signed_in, signed_tone = SIGNED_IN[region["signedIn"]]
    if region["signedIn"] is False and region["healthDetail"]:
        signed_in = f"{signed_in}: {region['healthDetail']}"
    announcement, announcement_tone = announcement_text(region)
    return {
        "key": region["key"],
        "role": "Active" if region["role"] == "active" else "Stand-by",
        "roleTone": "ok" if region["role"] == "active" else "idle",
        "health": health,
        "healthSince": since,
        "healthState": state or "none",
        "healthTone": health_tone,
        "healthDetail": region["healthDetail"] or "",
        "signedIn": signed_in,
        "signedInState": {True: "yes", False: "no", None: "unknown"}[region["signedIn"]],
        "signedInTone": signed_tone,
        "signInAction": f"Sign in to {region['key']}" if region["signInNeeded"] else "",
        "agent": agent_text(region["agent"]),
        "announcement": announcement or "—",
        "announcementState": region["announcement"] or "none",
        "announcementTone": announcement_tone,
    }


def contact_text(contact_type, contact_id, article="the"):
    word = f"{CONTACT_KINDS.get(contact_type, contact_type)} contact" if contact_type else "contact"
    return f"{word} {contact_id}" if contact_id else f"{article} {word}"


def failover_lines(failover, clock_time=None):
    """(headline, detail, phase) of the failover in flight ("none" when there is none). clock_time(ms), if
    given, writes a clock time (the caller's locale) for "since when"."""
    if failover is None:
        return "No failover in progress", "", "none"
    target = failover["target"]
    forced = f" ({forced_words(failover)})" if failover["forcedBy"] else ""
    if failover["phase"] == "pending":
        waits_on = contact_text(failover["contactType"] or "voice", failover["contactId"])
        since = f"since {clock_time(failover['pendingMs'])} ({duration_text(failover['forMs'])})" if clock_time \
            else f"for {duration_text(failover['forMs'])}"
        return f"Failover to {target} pending{forced}", f"Waiting for {waits_on} to end, {since}", "pending"
    if failover["phase"] == "initiated":
        return (f"Switching to {target}{forced}",
                f"Initiated {duration_text(failover['forMs'])} ago; waiting for the {target} CCP's agent data",
                "initiated")
    kind = {True: "soft", False: "hard"}.get(failover["soft"], "")
    return (f"Failover to {target} in progress", f"{kind.capitalize() + ' failover ' if kind else 'Failover '}"
            f"detected {duration_text(failover['forMs'])} ago", "detected")


def switch_now_confirmation(failover):
    """The question Switch now asks, naming the contact that will be cut off (type and id)."""
    if failover["contactId"]:
        contact = contact_text(failover["contactType"], failover["contactId"])
        return f"Switch to {failover['target']} now? The {contact} in {failover['from']} will be cut off."
    kind = CONTACT_KINDS.get(failover["contactType"], failover["contactType"])
    contact = f"{kind} contact" if kind else "contact"
    return f"Switch to {failover['target']} now? Any {contact} still in {failover['from']} will be cut off."


def manual_failover_confirmation(offer):
    """The question the manual failover asks (the status model's manualFailover): Switch now's, and what the CCPs
    will do at their next poll."""
    return (switch_now_confirmation(offer) + f" The CCPs switch back at their next poll unless the traffic "
            f"distribution group names {offer['target']}.")


def failover_action(status):
    """What the popup's failover button offers, or None: Switch now while the failover in flight can be ended,
    else the manual failover where the configuration offers it. {"kind": "switch-now" | "manual-failover",
    "label", "target", "question": the confirmation, naming the contact that will be cut off}."""
    failover = status["failover"]
    if failover is not None and failover["canSwitchNow"]:
        return {"kind": "switch-now", "label": "Switch now", "target": failover["target"],
                "question": switch_now_confirmation(failover)}
    offer = status.get("manualFailover")
    if offer is not None:
        return {"kind": "manual-failover", "label": f"Fail over to {offer['target']}", "target": offer["target"],
                "question": manual_failover_confirmation(offer)}
    return None


def action_result(action, done, why):
    """What the popup says once the background answered the confirmed action: `done`, or not and why."""
    if not done:
        return f"Not switched: {why}."
    if action["kind"] == "switch-now":
        return f"Switch now sent: the CCPs end the failover to {action['target']}."
    return f"Failed over to {action['target']}: every tab switched."


def forced_words(entry):
    """Who forced a flight or timeline entry, and how ("Switch now, from the popup", "manual failover, from the
    popup"), or "" when nothing forced it."""
    if not entry.get("forcedBy"):
        return ""
    words = MANUAL_BY if is_manual(entry) else FORCED_BY
    return words.get(entry["forcedBy"], entry["forcedBy"])


def timeline_rows(timeline, limit=TIMELINE_ROWS):
    """The newest `limit` completed failovers (core.status timeline, newest first) as
    {"completeMs", "route", "latency", "agentState": (short words, words, tone) or None}; always `limit` rows,
    padded with None (a fixed-height list). The route says who forced the switch (Switch now, a manual failover),
    or that the CCPs undid a manual failover (afterManual); an entry with an initiated phase (ACGR) shows each
    phase's latency; agentState says what became of the agent's state (outage.keepAgentState)."""
    rows = []
    for entry in timeline[:limit]:
        if entry.get("initiatedMs") is not None:
            steps = [(name, entry[key]) for name, key in (("detected → pending", "detectedToPendingMs"),
                                                          ("pending → initiated", "pendingToInitiatedMs"),
                                                          ("initiated → complete", "initiatedToCompleteMs"))
                     if entry.get(key) is not None]
            latency = f"switched in {duration_text(entry['switchMs'])}: " + ", ".join(
                f"{name} {duration_text(ms)}" for name, ms in steps)
        else:
            latency = f"switched in {duration_text(entry['switchMs'])}"
            if entry.get("waitMs") is not None:
                latency += f", {duration_text(entry['waitMs'])} after the call"
        route = f"{entry['from']} → {entry['to']}"
        if entry.get("forcedBy"):
            route += f" ({forced_words(entry)})"
        elif entry.get("afterManual"):
            route += f" (undone: the CCPs' poll names {entry['to']} active)"
        kept = entry.get("agentState")
        rows.append({"completeMs": entry["completeMs"], "route": route, "latency": latency,
                     "agentState": None if kept is None else describe_agent_state(kept, entry["to"])})
    return rows + [None] * (limit - len(rows))


def summary(status):
    """(text, tone) of the popup's headline: the active region and how it is, or why nothing runs."""
    if not status["configured"]:
        if status["configErrors"]:
            return "Configuration refused", "trouble"
        return "Not configured", "idle"
    tone = "idle"
    for name, color in BADGE_COLORS.items():
        if status["badge"]["color"] == color:
            tone = name
    if status["failover"] is not None:
        words = {"pending": "Failover pending", "initiated": "Switching regions"}
        return words.get(status["failover"]["phase"], "Failover under way"), "pending"
    return f"{status['activeRegion']} active", tone


def problem_lines(status):
    """The configuration problems the CCPs revealed (core.status regionProblems), one line each, naming the
    field."""
    return [f"{problem['path']}: {problem['message']}" for problem in status["regionProblems"]]


def setup_lines(status, limit=5):
    """Why the extension does nothing yet: a headline and up to `limit` configuration problems."""
    errors = status["configErrors"]
    if not errors:
        return "Not configured yet: set the two regions and the pages to embed the CCP in.", []
    lines = [f"{error['path'] or '(whole configuration)'}: {error['message']}" for error in errors[:limit]]
    if len(errors) > limit:
        lines.append(f"… and {len(errors) - limit} more")
    return "The stored configuration was refused, so nothing runs:", lines


def warning_line(status):
    """The popup's warning line: (text, the whole of it for a tooltip); ("", "") when there is none. One warning
    is shown; more are counted."""
    warnings = status["warnings"]
    if not warnings:
        return "", ""
    text = warnings[0]["text"] + (f" (+{len(warnings) - 1} more)" if len(warnings) > 1 else "")
    return text, "\n".join(warning["text"] for warning in warnings)
