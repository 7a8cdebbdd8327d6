"""The early start's record: what the content script's early start (boot/early_start.js) needs to put the CCP
frames on an allowlisted page at document_start without waiting for the background's answer to its cs:hello (the
background may be asleep, or busy starting its Python). The background publishes it in storage.local (RECORD_KEY;
content scripts can read that area in both browsers without granting them more) whenever what it holds changes:
the configuration in force or the active region.

What keeps a record from ever making frames the background would not:
* the allowlist is in it only as each entry's config.PagePattern.page_regex, tested on config.page_key of the
  page's own location: the rule stays PagePattern's;
* `source` holds the stored local configuration and the policy (storage.local "config" and "lastPolicy", as the
  background read them) it was computed from; the early start reads them with the record, in one read, and uses
  the record only when they are still the same: a configuration saved since (a page taken off the allowlist) makes
  the record stale at the moment it is stored, before the background has heard of it;
* it is a hint: the background's answer to the cs:hello still comes, and the early start removes frames it
  disagrees with at once (another configuration, or a page no longer allowlisted); the tab session decides
  everything again from that answer, as it did before (platform/content/early_start.py), and it, not the record,
  says which region is active."""

RECORD_KEY = "earlyStart"  # in storage.local; boot/early_start.js reads it under the same name
VERSION = 1  # a record of another version (written by another build of the extension) is not used


def early_start_record(settings, active_region):
    """The record for the configuration state `settings` (core.effective_config.ConfigState) with `active_region`
    active (None: no state yet), as JSON-like data; None when nothing is to be made early (no configuration in
    force, or no state)."""
    config = settings.config
    if config is None or active_region is None:
        return None
    return {
        "version": VERSION,
        "source": {"config": settings.local, "policy": settings.managed},
        "pages": [pattern.page_regex for pattern in config.page_patterns],
        "config": {"regions": [{"region": region.key, "ccpUrl": region.ccp_url} for region in config.regions],
                   "placement": dict(config.placement)},
        "activeRegion": active_region,
    }
