"""The functional core: pure Python with no browser imports, run unchanged under CPython (unit tests) and
Brython (the extension). No clocks, I/O or randomness in here: time and ids come in as arguments.

  errors            the error types (each parser raises only its own)
  shapes            predicates for plain JSON-like data, shared by the parsers
  timefmt           epoch ms <-> ISO-8601 UTC text without datetime
  config            configuration validation (twin of manifest/config.schema.json) and what derives from it
  ccp_messages      the CCP <-> host postMessage protocol: messages to send, parser of messages received
  ccp_conduit       one CCP frame's link: handshake, heartbeat, load deadline, as decisions
  snapshot          agent::update interpretation (agent state, voice contacts, after-call work)
  failover          TabSwitchRules (per tab) and GlobalState (the background's single source of truth)
  logs              Streams-format log entries: the extension's own, intake of relayed ones, validation
  log_chunks        a region's log as chunks of download-ready records (local storage + archive)
  runtime_messages  the runtime message table between content script, background, popup and options
  status            the popup's status model and the badge
  status_view       the popup's words and tones for the status model
  options_model     the options page's form as data (fields, values, where each problem shows)

Modules are imported one by one by the entry points (nothing is imported here), so that each bundle carries
only what it uses."""
