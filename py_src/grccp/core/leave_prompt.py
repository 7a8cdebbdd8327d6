"""Whether a tab asks before its page is left (the browser's own beforeunload prompt; option
outage.askBeforeLeaving, off by default): reloading or closing the tab whose CCP carries the softphone drops the
call, and a pending failover waits for the contact to end. Every tab asks while it holds, since no tab can tell
which one's CCP carries the softphone (the CCPs' worker decides that)."""
from .tab_config import on_a_contact


def asks_before_leaving(outage_options, summaries, pending_target):
    """outage_options: the configuration's `outage` group; summaries: the tab's agent summaries (one per region);
    pending_target: the region a pending failover goes to, or None."""
    return bool(outage_options["askBeforeLeaving"]) and (pending_target is not None or on_a_contact(summaries))
