"""A CCP's health in one tab (what its conduit decides), and the ranking that makes a region's health across tabs
the best any tab reports: one answering CCP means the region works."""

LOADING = "loading"
READY = "ready"
NOT_ANSWERING = "not_answering"
SIGNED_OUT = "signed_out"
# The browser refuses to show the CCP in this page (its origin is not an approved origin of the instance): a
# not-answering CCP the background found the reason for (platform.background.framing_watch)
REFUSED_FRAMING = "refused_framing"
HEALTH_STATES = (LOADING, READY, NOT_ANSWERING, SIGNED_OUT, REFUSED_FRAMING)
_RANK = {READY: 0, SIGNED_OUT: 1, REFUSED_FRAMING: 2, NOT_ANSWERING: 3, LOADING: 4}


def is_health(value):
    return isinstance(value, str) and value in _RANK


def better(first, second):
    """The better of two health records {status, sinceMs} (either may be None): the better status, then the
    earlier since."""
    if first is None:
        return second
    if second is None:
        return first
    if (_RANK[second["status"]], second["sinceMs"]) < (_RANK[first["status"]], first["sinceMs"]):
        return second
    return first
