/* The CCP-window half of ACGR (ccp-protocol.md 7.1, 7.4). The window speaks ACGR once its host does
   (validate_global_signin, configure_ccp_conduit, or configure with enableGlobalResiliency); a host that sends
   init_disaster_recovery gets legacy DR instead (ccp-dr.js). This part:
   * answers the global sign-in validation from the `lily-agent-config` cookie, as Streams' CCP side does
     (connect.core.validateGlobalSignin), or not at all when the instance emulates a CCP that predates it;
   * joins its worker (worker-gr.js), which answers `init` and drives the failover phases;
   * follows the host's configure_ccp_conduit / configure instanceState: an inactive window passes only Streams'
     allowlist (the core applies it);
   * answers agent::fetch_agent_data_from_ccp and download_log_from_ccp;
   * sends heartbeat_syn for the host to relay to the other region's CCP, answers the other CCP's with heartbeat_ack,
     and notices (and reports) when the relay stops;
   * reports every ACGR message it sent or got to the emulator (/api/acgr), for tests. */
'use strict';

(function () {
  var EV = CcpProtocol.EVENTS;
  var SIGNIN_COOKIE = 'lily-agent-config';
  var joined = false;
  var seq = 0;               // order of this window's reports
  var health = {healthy: false, activeRegion: null};  // this region's worker, as it last said
  var heartbeat = {seq: 0, lastAck: null, reachable: false, everReachable: false, peerHealthy: false};
  var awaitingFirstUpdate = false;  // a failover was initiated: report the next agent::update this window passes on

  CCP.onHostMessage(function (msg) {
    var data = msg.data;
    switch (msg.event) {
      case EV.GR_VALIDATE_SIGNIN:
        join(msg);
        CCP.config.then(answerSignin);
        return;
      case EV.GR_CONFIGURE_CCP_CONDUIT:
        join(msg);
        return setInstanceState(data.instanceState);
      case EV.CONFIGURE:
        if (CcpProtocol.isObject(data) && data.enableGlobalResiliency === true) join(msg);
        else if (joined) record('from-host', msg);
        if (joined && CcpProtocol.isObject(data) && (data.instanceState === 'active' || data.instanceState === 'inactive')) {
          setInstanceState(data.instanceState);
        }
        return;
      case EV.GR_HEARTBEAT_SYN:
        return answerHeartbeat(data);
      case EV.GR_HEARTBEAT_ACK:
        return onHeartbeatAck(data);
      case EV.FETCH_AGENT_DATA:
        record('from-host', msg);
        return CCP.whenAgentReady(function () {
          CCP.postToHost(CcpProtocol.message(EV.FETCH_AGENT_DATA, CCP.agent()));
        });
      case EV.DOWNLOAD_LOG_FROM_CCP:
        record('from-host', msg);
        return saveOwnLog(data);
      default:
        if (CcpProtocol.isGlobalResiliency(msg.event)) {
          record('from-host', msg);  // relayed pending / initiated, failover_complete, force_failover
          if (msg.event === EV.GR_FAILOVER_INITIATED) awaitingFirstUpdate = true;
        }
    }
  });

  CCP.onWorkerMessage(function (msg) {
    if (msg.event === EV.INTERNAL_GR_HEALTH && CcpProtocol.isObject(msg.data)) health = msg.data;
  });

  CCP.onPostedToHost(function (msg) {
    if (!joined || !CcpProtocol.isObject(msg)) return;
    if (msg.event === EV.AGENT_UPDATE) {
      if (awaitingFirstUpdate) {
        awaitingFirstUpdate = false;
        record('to-host', msg);
      }
    } else if (msg.event === EV.FETCH_AGENT_DATA || (CcpProtocol.isGlobalResiliency(msg.event) &&
               msg.event !== EV.GR_HEARTBEAT_SYN && msg.event !== EV.GR_HEARTBEAT_ACK)) {
      record('to-host', msg);
      if (msg.event === EV.GR_FAILOVER_INITIATED) awaitingFirstUpdate = true;
    }
  });

  /** The host speaks ACGR: from now on this window reports what it exchanges, heartbeats, and (unless the agent
      signed in regionally) joins its worker, which answers `init`. */
  function join(firstMessage) {
    if (joined) return record('from-host', firstMessage);
    joined = true;
    record('from-host', firstMessage);
    CCP.log('INFO', '[GR] The host speaks Global Resiliency (' + firstMessage.event + ')');
    if (!signinProblem()) CCP.sendToWorker(CcpProtocol.message(EV.INTERNAL_GR_JOIN));
    else CCP.log('WARN', '[GR] Regional sign-in: this CCP does not take part in Global Resiliency');
    if (CCP.framed) CCP.config.then(startHeartbeat);
  }

  function setInstanceState(state) {
    var before = CCP.status().instanceState;
    CCP.setInstanceState(state);
    CCP.log('INFO', '[GR] Instance state is now ' + state);
    if (state === 'inactive') awaitingFirstUpdate = false;
    // Made active: the host waits for this region's agent data (its first agent::update completes a failover).
    if (before === 'inactive' && state === 'active') CCP.sendToWorker(CcpProtocol.message(EV.INTERNAL_RESEND_AGENT));
  }

  // ----- global sign-in (Streams' connect.core.getLilyAgentConfig / validateGlobalSignin) --------------------------

  /** null when the cookie holds a non-empty JSON object (base64), else the invalid answer's payload. */
  function signinProblem() {
    var raw = readCookie(SIGNIN_COOKIE);
    if (!raw) {
      return {errorType: 'LILY_AGENT_CONFIG_MISSING', error: '[GR] Global signin authentication not found'};
    }
    try {
      var value = JSON.parse(atob(raw));
      if (!CcpProtocol.isObject(value) || !Object.keys(value).length) throw new Error('empty agent config');
      return null;
    } catch (e) {
      return {errorType: 'LILY_AGENT_CONFIG_PARSE_ERROR', error: '[GR] Error validating global signin authentication'};
    }
  }

  function readCookie(name) {
    var prefix = name + '=';
    var found = document.cookie.split('; ').filter(function (c) { return c.indexOf(prefix) === 0; })[0];
    return found ? decodeURIComponent(found.slice(prefix.length)) : '';
  }

  function answerSignin(cfg) {
    if (cfg.globalSignin === 'no_answer') {
      return CCP.log('INFO', '[GR] Sign-in validation left unanswered (a CCP that predates it)');
    }
    var problem = signinProblem();
    CCP.postToHost(problem ? CcpProtocol.message(EV.GR_SIGNIN_INVALID, problem)
                           : CcpProtocol.message(EV.GR_SIGNIN_VALID, {message: '[GR] Global signin validated successfully'}));
  }

  // ----- heartbeats over the host's relay -------------------------------------------------------------------------

  function startHeartbeat(cfg) {
    var period = cfg.timings.heartbeat_ms;
    var lostAfter = cfg.timings.heartbeat_lost_ms;
    setInterval(function () {
      var now = Date.now();
      if (heartbeat.reachable && now - heartbeat.lastAck > lostAfter) setReachable(false, 'lost');
      heartbeat.seq += 1;
      CCP.postToHost(CcpProtocol.message(EV.GR_HEARTBEAT_SYN, heartbeatBody({from: CCP.windowId, seq: heartbeat.seq})));
    }, period);
  }

  function heartbeatBody(extra) {
    extra.region = CCP.status().region;
    extra.healthy = Boolean(health.healthy);
    extra.activeRegion = health.activeRegion;
    return extra;
  }

  function answerHeartbeat(syn) {
    if (!joined) return;
    CCP.postToHost(CcpProtocol.message(EV.GR_HEARTBEAT_ACK, heartbeatBody({to: syn.from, seq: syn.seq})));
  }

  function onHeartbeatAck(ack) {
    if (!joined || ack.to !== CCP.windowId) return;  // an answer to another window's heartbeat
    heartbeat.lastAck = Date.now();
    var healthChanged = heartbeat.peerHealthy !== Boolean(ack.healthy);
    heartbeat.peerHealthy = Boolean(ack.healthy);
    if (!heartbeat.reachable) setReachable(true, heartbeat.everReachable ? 'restored' : 'established');
    else if (healthChanged) tellWorkerAboutPeer();
  }

  function setReachable(reachable, change) {
    heartbeat.reachable = reachable;
    heartbeat.everReachable = heartbeat.everReachable || reachable;
    CCP.log(reachable ? 'INFO' : 'WARN', '[GR] Heartbeat relay ' + change);
    record('ccp', {event: 'heartbeat', data: {state: change}});
    tellWorkerAboutPeer();
  }

  function tellWorkerAboutPeer() {
    CCP.sendToWorker(CcpProtocol.message(EV.INTERNAL_GR_PEER,
      {reachable: heartbeat.reachable, healthy: heartbeat.peerHealthy}));
  }

  // ----- the CCP's own log file ---------------------------------------------------------------------------------

  /** What the real CCP does on download_log_from_ccp: save its own log as `<logName>.txt`, in Streams' format
      (a JSON array, 4-space indent). The emulator is told how many entries the file holds. */
  function saveOwnLog(data) {
    var name = (data && data.logName) || 'agent-log';
    var entries = CCP.logEntries();
    var link = document.createElement('a');
    link.href = URL.createObjectURL(new Blob([JSON.stringify(entries, undefined, 4)], {type: 'text/plain'}));
    link.download = name + '.txt';
    document.body.appendChild(link);
    link.click();
    link.remove();
    record('ccp', {event: 'log_saved', data: {file: link.download, entries: entries.length}});
  }

  // ----- reports for tests ----------------------------------------------------------------------------------------

  /** direction: 'from-host', 'to-host' or 'ccp' (something this CCP did). Agent data is summed up, not copied. */
  function record(direction, msg) {
    var data = msg.data;
    if (msg.event === EV.AGENT_UPDATE || msg.event === EV.FETCH_AGENT_DATA) {
      data = data ? {state: data.snapshot.state.name, contacts: data.snapshot.contacts.length} : null;
    }
    seq += 1;
    CCP.report('/api/acgr', {window_id: CCP.windowId, host: document.referrer, direction: direction,
                             event: msg.event, data: data === undefined ? null : data, at: Date.now(), seq: seq});
  }
})();
