"""The status the popup renders and the toolbar badge shows, derived from the configuration and the
background's GlobalState. Plain data only; the same keys are present whether or not the extension is
configured, so the popup never has to guess."""

from .global_state import DETECTED, latencies
from .health import NOT_ANSWERING, READY, SIGNED_OUT

BADGE_COLORS = {
    "ok": "#1b873f",       # active region's CCP answers
    "pending": "#b7791f",  # a failover is in flight (detected or waiting for a voice contact)
    "trouble": "#c53030",  # active region's CCP is signed out or not answering; or the configuration is invalid
    "idle": "#6b7280",     # nothing to report yet (loading, no CCP open, not configured)
}
BADGE_TEXT_LIMIT = 4
NOT_CONFIGURED_BADGE = "!"


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


def _signed_in(health):
    if health == READY:
        return True
    if health == SIGNED_OUT:
        return False
    return None  # not known yet


def _region_status(config_region, state, label, now_ms):
    key = config_region.key
    health, health_since = state.region_health(key)
    summary, updated = state.agent(key)
    return {
        "key": key,
        "name": config_region.name,
        "label": label,
        "role": "active" if key == state.active else "standby",
        "ccpUrl": config_region.ccp_url,
        "health": health,
        "healthForMs": _since(now_ms, health_since),
        "signedIn": _signed_in(health),
        "agent": summary,
        "agentUpdatedMs": updated,
    }


def _failover_status(state, now_ms):
    flight = state.failover
    if flight is None:
        return None
    phase = state.phase
    return {
        "phase": phase,
        "from": state.active,
        "target": flight["target"],
        "soft": flight["soft"],
        "contactId": flight["contactId"],
        "detectedMs": flight["detectedMs"],
        "pendingMs": flight["pendingMs"],
        "forMs": _since(now_ms, flight["detectedMs"] if phase == DETECTED else flight["pendingMs"]),
    }


def badge(state, labels):
    """{text, color} for a configured extension."""
    if state.failover is not None:
        return {"text": labels[state.active], "color": BADGE_COLORS["pending"]}
    health = state.region_health(state.active)[0]
    if health == READY:
        color = BADGE_COLORS["ok"]
    elif health in (SIGNED_OUT, NOT_ANSWERING):
        color = BADGE_COLORS["trouble"]
    else:
        color = BADGE_COLORS["idle"]
    return {"text": labels[state.active], "color": color}


def build_status(config, state, now_ms, managed_fields=()):
    """The popup's model of a configured extension (config: config.Config, state: global_state.GlobalState for
    the same regions)."""
    labels = region_labels(config.region_keys)
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
        "regions": [_region_status(region, state, labels[region.key], now_ms) for region in config.regions],
        "failover": _failover_status(state, now_ms),
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
        "regions": [],
        "failover": None,
        "timeline": [],
        "openTabs": 0,
        "badge": {"text": NOT_CONFIGURED_BADGE,
                  "color": BADGE_COLORS["trouble" if config_errors else "idle"]},
    }
