"""The status the popup renders and the toolbar badge shows, derived from the configuration, the background's
GlobalState and the configured protocol's traits (core.host_rules.HostRules: passed in, so that the popup's
bundle carries no protocol). Plain data only; the same keys are present whether or not the extension is
configured, so the popup never has to guess."""

from . import manual_failover
from .global_state import DETECTED, INITIATED, PENDING, latencies
from .health import NOT_ANSWERING, READY, REFUSED_FRAMING, SIGNED_OUT
from .panel_returns import warning_text

BADGE_COLORS = {
    "ok": "#1b873f",       # active region's CCP answers
    "pending": "#b7791f",  # a failover is in flight (detected or waiting for a voice contact)
    "trouble": "#c53030",  # active region's CCP is signed out or not answering; or the configuration is invalid
    "idle": "#6b7280",     # nothing to report yet (loading, no CCP open, not configured)
}
BADGE_TEXT_LIMIT = 4
NOT_CONFIGURED_BADGE = "!"
STANDBY_SIGN_IN_MARK = "!"  # after the active region's label: the stand-by region waits for a sign-in
# A CCP answering this long without having announced its region (ACGR's init) is said not to announce it.
ANNOUNCE_GRACE_MS = 5000

# Whether a region's CCP announced its region (protocols that announce regions; None otherwise)
ANNOUNCED = "ok"
NOT_YET_ANNOUNCED = "waiting"
NOT_ANNOUNCED = "missing"
ANNOUNCED_OTHER = "mismatch"


def region_labels(region_keys):
    """Short badge labels per region key: initials and number of the AWS region plus the suffix's initial
    ("us-east-1" -> "UE1", "us-east-1.blue" -> "UE1B"), or "R1"/"R2" when those would not tell them apart."""
    labels = {}
    for key in region_keys:
        name, _, suffix = key.partition(".")
        parts = name.split("-")
        label = "".join(part[:1] for part in parts[:-1]) + parts[-1] + suffix[:1]
        labels[key] = label.upper()[:BADGE_TEXT_LIMIT]
    if len(set(labels.values())) != len(labels):
        labels = {key: f"R{index + 1}" for index, key in enumerate(region_keys)}
    return labels


def _since(now_ms, since_ms):
    return None if since_ms is None else max(0, now_ms - since_ms)


def _signed_in(health, sign_in_needed):
    if health == READY:
        return True
    if health == SIGNED_OUT or sign_in_needed:
        return False
    return None  # not known yet


def _announcement(config_region, state, traits, health, health_for_ms):
    """Whether the region's CCP announced the configured region (None when the protocol does not announce)."""
    if not traits.ANNOUNCES_REGIONS:
        return None
    announced = state.announced.get(config_region.key)
    if announced is None:
        waited = health == READY and health_for_ms is not None and health_for_ms >= ANNOUNCE_GRACE_MS
        return NOT_ANNOUNCED if waited else NOT_YET_ANNOUNCED
    return ANNOUNCED if announced == config_region.name else ANNOUNCED_OTHER


def _region_status(config_region, state, label, now_ms, traits):
    key = config_region.key
    health, health_since, detail = state.region_health(key)
    summary, updated = state.agent(key)
    health_for = _since(now_ms, health_since)
    sign_in_needed = state.sign_in_needed(key)
    return {
        "key": key,
        "name": config_region.name,
        "label": label,
        "role": "active" if key == state.active else "standby",
        "ccpUrl": config_region.ccp_url,
        "health": health,
        "healthForMs": health_for,
        "healthDetail": detail,
        "signedIn": _signed_in(health, sign_in_needed),
        "signInNeeded": sign_in_needed,
        "agent": summary,
        "agentUpdatedMs": updated,
        "refusedFraming": state.details_of(key, REFUSED_FRAMING),
        "announcedRegion": state.announced.get(key),
        "announcement": _announcement(config_region, state, traits, health, health_for),
    }


def region_problems(config, regions):
    """Configuration problems the CCPs revealed, [{path, message}]: a CCP the browser refuses to show on a site
    (the fix is the instance's approved origins), a CCP that announced another region than the configured one
    (the field to fix), or none at all."""
    problems = []
    for index, (config_region, region) in enumerate(zip(config.regions, regions)):
        problems.extend({"path": f"regions/{index}/ccpUrl", "message": detail} for detail in region["refusedFraming"])
        if region["announcement"] == ANNOUNCED_OTHER:
            problems.append({"path": f"regions/{index}/region",
                             "message": f'the CCP at {config_region.ccp_url} announces region '
                                        f'"{region["announcedRegion"]}", not "{config_region.name}"'})
        elif region["announcement"] == NOT_ANNOUNCED:
            problems.append({"path": f"regions/{index}/ccpUrl",
                             "message": f"the {config_region.key} CCP ({config_region.ccp_url}) answers but has not "
                                        f"announced its region (globalResiliency::init): the other region's CCP "
                                        f"decides alone which region is shown"})
    return problems


def _failover_status(state, now_ms, traits):
    flight = state.failover
    if flight is None:
        return None
    phase = state.phase
    since = {DETECTED: flight["detectedMs"], PENDING: flight["pendingMs"], INITIATED: flight["initiatedMs"]}[phase]
    return {
        "phase": phase,
        "from": state.active,
        "target": flight["target"],
        "soft": flight["soft"],
        "contactId": flight["contactId"],
        "contactType": flight["contactType"],
        "detectedMs": flight["detectedMs"],
        "pendingMs": flight["pendingMs"],
        "initiatedMs": flight["initiatedMs"],
        "forMs": _since(now_ms, since),
        "forcedBy": flight["forcedBy"],
        "canSwitchNow": bool(traits.SWITCH_NOW) and phase == PENDING and flight["forcedBy"] is None,
    }


def _manual_failover_status(config, state, traits):
    """The manual failover the popup offers (core.manual_failover), or None: to the stand-by region while no
    failover is in flight, naming the active region's contact it would cut off (the first that a failover waits
    for; contactType None: any other)."""
    if state.failover is not None or not manual_failover.offered(config, traits):
        return None
    summary = state.agent(state.active)[0]
    contact = summary["blockingContacts"][0] if summary and summary["blockingContacts"] else None
    return {"from": state.active, "target": state.standby, "contactId": contact and contact["contactId"],
            "contactType": contact and contact["type"]}


def badge(state, labels):
    """{text, color} for a configured extension: the active region's label, in the colour of the failover in
    flight or of the active region's CCP; marked with STANDBY_SIGN_IN_MARK while the stand-by region waits for a
    sign-in (a failover would land on a CCP that is signed out)."""
    text = labels[state.active]
    if state.sign_in_needed(state.standby):
        text = text[:BADGE_TEXT_LIMIT - len(STANDBY_SIGN_IN_MARK)] + STANDBY_SIGN_IN_MARK
    if state.failover is not None:
        return {"text": text, "color": BADGE_COLORS["pending"]}
    health = state.region_health(state.active)[0]
    if health == READY:
        color = BADGE_COLORS["ok"]
    elif health in (SIGNED_OUT, NOT_ANSWERING, REFUSED_FRAMING):
        color = BADGE_COLORS["trouble"]
    else:
        color = BADGE_COLORS["idle"]
    return {"text": text, "color": color}


def build_status(config, state, now_ms, traits, managed_fields=()):
    """The popup's model of a configured extension (config: config.Config, state: global_state.GlobalState for
    the same regions, traits: the protocol's HostRules class)."""
    labels = region_labels(config.region_keys)
    regions = [_region_status(region, state, labels[region.key], now_ms, traits) for region in config.regions]
    timeline = []
    for entry in reversed(state.timeline):  # newest first
        shown = dict(entry)
        shown.update(latencies(entry))
        timeline.append(shown)
    return {
        "configured": True,
        "configErrors": [],
        "managedFields": list(managed_fields),
        "activeRegion": state.active,
        "standbyRegion": state.standby,
        "protocol": config.protocol,
        "regions": regions,
        "regionProblems": region_problems(config, regions),
        "warnings": [{"text": warning_text(returns, gave_up)} for returns, gave_up in state.panel_warnings()],
        "failover": _failover_status(state, now_ms, traits),
        "manualFailover": _manual_failover_status(config, state, traits),
        "timeline": timeline,
        "openTabs": len(state.tabs),
        "badge": badge(state, labels),
    }


def not_configured_status(config_errors=(), managed_fields=()):
    """The popup's model when there is no usable configuration; config_errors are FieldErrors of a stored
    configuration that was refused (empty when nothing is stored yet)."""
    return {
        "configured": False,
        "configErrors": [error.to_dict() for error in config_errors],
        "managedFields": list(managed_fields),
        "activeRegion": None,
        "standbyRegion": None,
        "protocol": None,
        "regions": [],
        "regionProblems": [],
        "warnings": [],
        "failover": None,
        "manualFailover": None,
        "timeline": [],
        "openTabs": 0,
        "badge": {"text": NOT_CONFIGURED_BADGE,
                  "color": BADGE_COLORS["trouble" if config_errors else "idle"]},
    }
