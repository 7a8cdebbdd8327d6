"""What an open tab does with the configuration the background gives it (bg:welcome at start, bg:config on every
change, so that every open tab follows a change without a page reload): run nothing, start its panel, keep the
one it runs, rebuild it in place with new CCP frames, remove it, or wait.

A tab rebuilds for a change of anything its panel is made of or tells the CCPs (the regions, their URLs and
ARNs, the protocol, the sign-in settings, placement, softphone and page options, the timeouts): its CCP windows
got those in their handshake, so they are replaced, as a page reload would replace them. What only the
background uses (the log settings) and allowlist entries for other pages change nothing in the tab. A rebuild or
a removal would end a contact in progress in one of its CCPs (a call in the softphone): while there is one, the
tab waits, says so on the panel (WAIT_NOTICE), and follows the configuration once the contacts are gone."""
from .config import page_is_allowlisted

NOTHING = "nothing"  # no panel, and none to start: the page is not allowlisted (or nothing is configured)
START = "start"      # no panel yet: start one
KEEP = "keep"        # the panel runs with this configuration already (or with one that differs only elsewhere)
REBUILD = "rebuild"  # replace the panel and its CCP frames with new ones for this configuration
REMOVE = "remove"    # take the panel off the page: it is no longer allowlisted, or nothing is configured
WAIT = "wait"        # rebuild or remove once no CCP of the panel has a contact
WAIT_NOTICE = "new configuration: it applies when the contact ends"

# Configuration fields (Config.to_dict() names) an open tab does not use.
NOT_THE_TABS = ("allowlist", "logs")


def _panel_settings(config):
    return {name: value for name, value in config.to_dict().items() if name not in NOT_THE_TABS}


def on_a_contact(summaries):
    """Whether an agent summary (core.snapshot's to_summary, one per region) holds a contact, of any type."""
    return any(summary["blockingContacts"] or summary["otherContactCount"] for summary in summaries)


def follow(current, new, page_url, contact_in_progress=False):
    """The step for a tab at `page_url` that runs its panel with `current` (a Config, or None: no panel) when
    the background's configuration in force is `new` (a Config, or None); contact_in_progress: whether one of
    the panel's CCPs has a contact (on_a_contact)."""
    wanted = new is not None and page_is_allowlisted(page_url, new)
    if current is None:
        return START if wanted else NOTHING
    if wanted and _panel_settings(current) == _panel_settings(new):
        return KEEP
    if contact_in_progress:
        return WAIT
    return REBUILD if wanted else REMOVE
