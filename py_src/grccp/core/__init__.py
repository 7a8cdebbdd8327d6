"""The functional core: pure Python with no browser imports, run unchanged under CPython (unit tests) and
Brython (the extension). No clocks, I/O or randomness in here: time and ids come in as arguments, and the three
modules that schedule work (outbox, report_queue, log_shipping) are given their timers and send functions.

  errors            the error types (each parser raises only its own)
  shapes            predicates for plain JSON-like data, shared by the parsers; the region count and key length
  timefmt           epoch ms <-> ISO-8601 UTC text without datetime
  config            configuration validation (twin of manifest/config.schema.json) and what derives from it
  effective_config  the configuration in force: local + enterprise policy, and what a save stores
  config_check      the configuration check: what to ask each instance, and findings that name the fix
  public_suffixes   the Public Suffix List as the configuration's allowlist rule reads it
  ccp_messages      the CCP <-> host postMessage protocol's shared part: messages to send, parser of those received
  host_rules        the interface of a protocol's tab-side host rules (documentation and tests; not shipped)
  tab_actions       the actions the tab session performs for the host rules and the conduits
  tab_epoch         the background's switch count as a tab's host rules know it (their base class)
  tab_config        what an open tab does with a configuration: start, keep, rebuild or remove its panel
  early_start_record what the content script's early start reads in storage to make the CCP frames at once
  leave_prompt      whether a tab asks before its page is left (a contact in progress, a pending failover)
  legacy_dr         the legacy DR protocol (connect-streams-dr.js): its messages and host rules (LegacyDrRules)
  acgr              ACGR, Global Resiliency as Streams 2.16+ speaks it: its messages and host rules (AcgrRules)
  protocols         which protocol's host rules a tab drives, the protocol's traits and its page view
  page_relay        the page API's relay: the page's Streams <-> the extension's CCP frames, as decisions
  regional_realms   legacy DR's page API: how often Streams is loaded into a page's regional frames
  ccp_conduit       one CCP frame's link: handshake, heartbeat, load deadline, as decisions
  outbox            a tab's posts and reports in order around a switch (shown at once, the rest once rendered)
  report_queue      a tab's bookkeeping after a CCP message, in a task of its own (what the CCPs wait for goes first)
  log_shipping      a tab's log lines to the background in bounded batches
  snapshot          agent::update interpretation (agent state, voice contacts, after-call work)
  health            a CCP's health states, and the ranking across tabs
  global_state      GlobalState: the background's single source of truth (active region, failover in flight)
  panel_returns     a tab's panel taken out of the page: how often it is put back, and the popup's warning
  logs              Streams-format log entries: the extension's own, intake of relayed ones, validation
  log_chunks        a region's log as chunks of download-ready records (local storage + archive)
  log_exports       log downloads in progress hold back the deletions of what they read
  runtime_messages  the runtime message table between content script, background, popup and options
  status            the popup's status model and the badge
  status_view       the popup's words and tones for the status model
  notices           the agent's notifications: which events the status model holds, each shown once
  agent_state_keeper the agent's state kept across a failover: what to keep, who sets it, the timeline's record
  agent_state_plan  what the tab that sets it decides from the new region's CCP (the content script's half)
  manual_failover   the administrator's manual failover: whether it is offered, and why one is not done
  options_model     the options page's form as data (fields, values, where each problem shows)

Modules are imported one by one by the entry points (nothing is imported here), so that each bundle carries
only what it uses."""
