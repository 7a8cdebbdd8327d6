"""Who may frame an instance's CCP: the response headers a browser enforces, and what they decide for one origin.

Amazon Connect lists an instance's approved origins ("Application integration") in the CCP's
`Content-Security-Policy: frame-ancestors 'self' <origins>`; a proxy in front of it may add `X-Frame-Options`, which
cannot name origins (browsers ignore ALLOW-FROM): DENY or SAMEORIGIN refuse every other origin. When both are sent,
browsers obey frame-ancestors and ignore X-Frame-Options (CSP Level 2, HTML's "X-Frame-Options" processing)."""
X_FRAME_OPTIONS = ("DENY", "SAMEORIGIN")


def no_framing_rules():
    """The default: no header at all, so any page may frame the CCP (every emulator test site can)."""
    return {"approved_origins": None, "x_frame_options": None}


def framing_headers(rules):
    headers = {}
    if rules["approved_origins"] is not None:
        headers["Content-Security-Policy"] = "frame-ancestors " + " ".join(["'self'", *rules["approved_origins"]])
    if rules["x_frame_options"]:
        headers["X-Frame-Options"] = rules["x_frame_options"]
    return headers


def refuses(rules, framing_origin, own_origin):
    """Whether a browser refuses to show the CCP in a frame whose parent is `framing_origin`."""
    if framing_origin == own_origin:
        return False
    if rules["approved_origins"] is not None:
        return framing_origin not in rules["approved_origins"]
    return rules["x_frame_options"] is not None

