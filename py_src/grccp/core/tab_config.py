"""What an open tab does with the configuration the background gives it (bg:welcome at start, bg:config on every
change, so that every open tab follows a change without a page reload): run nothing, start its panel, keep the
one it runs, rebuild it in place with new CCP frames, remove it, or wait.

A tab rebuilds for a change of anything its panel is made of or tells the CCPs (the regions, their URLs and
ARNs, the protocol, the sign-in settings, placement, softphone and page options, the timeouts): its CCP windows
got those in their handshake, so they are replaced, as a page reload would replace them. What only the
background uses (the log settings) and allowlist entries for other pages change nothing in the tab. A rebuild or
a removal would end a contact in progress in one of its CCPs (a call in the softphone): while there is one, the
tab waits, says so on the panel (WAIT_NOTICE), and follows the configuration once the contacts are gone.

The same holds when the extension is updated or reloaded while the page is open: the new background injects the
content script again, and the panel of the earlier instance is still on the page. Chromium keeps that instance
running without its extension (an orphan: it can reach no background any more); Firefox stops it, its panel and
CCP frames left as they were. Each panel says on its host element whether a contact is in progress
(contact_word); an orphan gives way at once when none is, or waits, saying so (ORPHAN_NOTICE), and gives way
when the contacts are gone; the new instance starts its panel once the earlier one gave way
(predecessor_gives_way) — it removes one whose last word was "no contact" itself, which is all a stopped
instance can leave it. A stopped instance's panel whose last word was a contact in progress stays until the page
is reloaded: the call in its CCP goes on, and nothing can tell when it ends."""
from .config import page_is_allowlisted

NOTHING = "nothing"  # no panel, and none to start: the page is not allowlisted (or nothing is configured)
START = "start"      # no panel yet: start one
KEEP = "keep"        # the panel runs with this configuration already (or one that differs only in NOT_THE_TABS: taken over)
REBUILD = "rebuild"  # replace the panel and its CCP frames with new ones for this configuration
REMOVE = "remove"    # take the panel off the page: it is no longer allowlisted, or nothing is configured
WAIT = "wait"        # rebuild or remove once no CCP of the panel has a contact
WAIT_NOTICE = "new configuration: it applies when the contact ends"
ORPHAN_NOTICE = "the extension was updated: this panel gives way to the new one when the contact ends"
CONTACT_WORDS = {True: "in-progress", False: "none"}  # a panel's word on its contacts, on its host element

# Configuration fields (Config.to_dict() names) an open tab does not use, or takes over with no new CCP frames
# (outage: whether leaving the page asks first, read when it is left; the page API's opt-in applies from the page's
# next load, its main-world part being registered for document_start; its forceFailover is the background's).
NOT_THE_TABS = ("allowlist", "logs", "outage", "pageApi", "pageApiForceFailover")


def _panel_settings(config):
    return {name: value for name, value in config.to_dict().items() if name not in NOT_THE_TABS}


def on_a_contact(summaries):
    """Whether an agent summary (core.snapshot's to_summary, one per region) holds a contact, of any type."""
    return any(summary["blockingContacts"] or summary["otherContactCount"] for summary in summaries)


def contact_word(in_progress):
    return CONTACT_WORDS[bool(in_progress)]


def predecessor_gives_way(word):
    """Whether the new instance may take the place of an earlier panel whose host says `word`: anything but a
    contact in progress (a missing or unknown word too: the contact would be the only reason to keep it)."""
    return word != CONTACT_WORDS[True]


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


def early_frames_fit(made, wanted):
    """Whether the frames the content script's early start made, before Python ran ([key, CCP URL, CCP origin]
    each, in the panel's order, from the background's first answer), are exactly those the panel wants
    ([(key, CCP URL, CCP origin)] of the configuration it starts with): only then are they adopted. Anything else
    (a configuration that changed since, another order, a URL written differently) has them replaced."""
    return [list(frame) for frame in made] == [list(frame) for frame in wanted]
