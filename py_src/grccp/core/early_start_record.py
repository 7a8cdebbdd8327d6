"""The early start's record: what the content script's early start (boot/early_start.js) needs to put the CCP
frames on an allowlisted page at document_start without waiting for the background's answer to its cs:hello (the
background may be asleep, or busy starting its Python). The background publishes it in storage.local (RECORD_KEY;
content scripts can read that area in both browsers without granting them more) whenever what it holds changes:
the configuration in force, the active region or the switch count.

What keeps a record from ever making frames the background would not:
* the allowlist is in it only as each entry's config.PagePattern.page_regex, tested on config.page_key of the
  page's own location: the rule stays PagePattern's;
* `source` holds the stored local configuration and the policy (storage.local "config" and "lastPolicy", as the
  background read them) it was computed from; the early start reads them with the record, in one read, and uses
  the record only when they are still the same: a configuration saved since (a page taken off the allowlist) makes
  the record stale at the moment it is stored, before the background has heard of it;
* it is a hint: the background's answer to the cs:hello still comes and rules. The early start removes frames it
  disagrees with at once (another configuration, or a page no longer allowlisted); the tab session starts from the
  record when the answer has not come by the time its Python runs (the background asleep, or busy: the CCPs'
  handshake need not wait for it), then follows the answer as any configuration the background gives it
  (core.tab_config: kept, rebuilt or removed; its active region and switch count as bg:region-changed's).

So the record carries what a bg:welcome does (`config`: Config.to_dict(), `activeRegion`, `epoch`); the early start
makes a welcome of it."""

RECORD_KEY = "earlyStart"  # in storage.local; boot/early_start.js reads it under the same name
VERSION = 2  # a record of another version (written by another build of the extension) is not used


def early_start_record(settings, active_region, epoch):
    """The record for the configuration state `settings` (core.effective_config.ConfigState) with `active_region`
    active (None: no state yet) at switch count `epoch` (core.global_state), as JSON-like data; None when nothing is
    to be made early (no configuration in force, or no state)."""
    config = settings.config
    if config is None or active_region is None:
        return None
    return {
        "version": VERSION,
        "source": {"config": settings.local, "policy": settings.managed},
        "pages": [pattern.page_regex for pattern in config.page_patterns],
        "config": config.to_dict(),
        "activeRegion": active_region,
        "epoch": epoch,
    }
