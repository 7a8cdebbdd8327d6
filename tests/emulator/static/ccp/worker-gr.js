/* The worker half of ACGR, Global Resiliency as Streams 2.16+ speaks it (ccp-protocol.md 7.1, 7.4). Amazon's CCP app
   is closed source: what it does here is built from what the host (src/global-resiliency.js) expects of a CCP, and
   every choice is listed in tests/emulator/README.md ("ACGR: what the emulated CCP does and why").

   A region's worker starts once one of its CCP windows joins (that window's host spoke ACGR). It polls the emulated
   traffic distribution group (the same endpoint as legacy DR) and, per window, answers `init`. When the active
   region changes it announces `failover_detected`. The region that serves (its CCP is the one hosts show) and is no
   longer the active one hands over: drop or wait for contacts (`failover_pending` while a voice, queue_callback or
   chat contact lives), agent Offline, then `failover_initiated`. The region that became active takes over: it waits
   for that hand-over, relayed by the host, unless the other region's CCP cannot hand over (unreachable over the
   heartbeat relay, or unable to reach its backend), in which case it announces `failover_initiated` itself.

   `hub` is the worker core: broadcast(event, data), log, timings, region, instances, agentData(), rawContacts(),
   callCti(method, params). Interface shared with worker-dr.js: handle(event, data, portId, port), observe(snapshot),
   filterSnapshot(snapshot), forgetPort(portId). */
'use strict';

var G = CcpProtocol.EVENTS;

function WorkerGlobalResiliency(hub) {
  this._hub = hub;
  this._started = false;
  this._activeRegion = null;  // the traffic distribution group's active region, as last polled
  this._serving = false;      // this region's CCP is the one hosts show (changes at failover_initiated)
  this._healthy = null;       // whether the last active-region poll succeeded (told to the other CCP in heartbeats)
  this.suppress = false;      // this region is not the active one: it offers no new contacts
  this._leaving = null;       // this region is handing over (or standing by at start, target null)
  this._joining = null;       // this region is taking over: {heardPending}
  this._waitingPorts = {};    // portId -> port, owed an init once the active region is known
  this._peers = {};           // portId -> {reachable, healthy}: the other region's CCP as that window's heartbeats say
}

WorkerGlobalResiliency.prototype.handle = function (event, data, portId, port) {
  switch (event) {
    case G.INTERNAL_GR_JOIN: return this._join(portId, port);
    case G.INTERNAL_GR_PEER: return this._onPeer(portId, data);
    case G.GR_FAILOVER_PENDING: return this._onRelayedPending(data);
    case G.GR_FAILOVER_INITIATED: return this._onRelayedInitiated(data);
    case G.GR_FORCE_FAILOVER: return this._onForceFailover();
    case G.GR_FAILOVER_COMPLETE:
      return this._hub.log.info('[GR] The host completed the failover to ' + data.activeRegion + ' (' +
                                data.activeCcpUrl + ')');
  }
};

WorkerGlobalResiliency.prototype.forgetPort = function (portId) {
  delete this._waitingPorts[portId];
  delete this._peers[portId];
};

/** Every new snapshot, once posted: a hand-over in progress re-checks the contacts it waits for (all of them,
    hub.rawContacts(), not only what a suppressed region shows). */
WorkerGlobalResiliency.prototype.observe = function (snapshot) {
  var leaving = this._leaving;
  if (!leaving) return;
  if (leaving.awaitOffline) {
    if (snapshot.state.type === 'offline') return this._handOver(leaving);
    if (!this._hub.rawContacts().length) return;
    // A contact the last snapshot did not show yet (it was decided on a stale one): back to the contacts.
    leaving.awaitOffline = false;
    leaving.finishing = false;
  }
  this._step();
};

WorkerGlobalResiliency.prototype.filterSnapshot = function (snapshot) {
  if (this._started && this.suppress) snapshot.contacts = CcpProtocol.suppressedContacts(snapshot.contacts);
};

// ----- start-up and init ------------------------------------------------------------------------------------------

WorkerGlobalResiliency.prototype._join = function (portId, port) {
  if (!this._started) {
    this._started = true;
    this._hub.log.info('[GR] Global resiliency started for ' + this._hub.region);
    this._poll();
  }
  if (this._activeRegion) this._sendInit(port);
  else this._waitingPorts[portId] = port;
};

/** What a window's host needs to place it: this instance's region and state, and the active region. A window that
    joins during a hand-over of this region also hears that the failover is pending. */
WorkerGlobalResiliency.prototype._sendInit = function (port) {
  var region = this._hub.region;
  port.postMessage(CcpProtocol.message(G.GR_INIT, {
    instanceRegion: region, instanceState: this._activeRegion === region ? 'active' : 'inactive',
    activeRegion: this._activeRegion
  }));
  port.postMessage(CcpProtocol.message(G.INTERNAL_GR_HEALTH, this._health()));
  if (this._leaving && this._leaving.pendingSent) {
    port.postMessage(CcpProtocol.message(G.GR_FAILOVER_PENDING, {activeRegion: this._leaving.target}));
  }
};

WorkerGlobalResiliency.prototype._poll = function () {
  var self = this;
  fetchActiveRegion(this._hub.timings).then(function (answer) {
    self._setHealth(true);
    self._decide(answer);
  }, function (failure) {
    self._setHealth(false);
    self._hub.log.error('[GR] Failed to read the active region: ' +
                        (failure.status ? 'HTTP ' + failure.status : 'request timed out or aborted'));
  }).then(function () {
    setTimeout(function () { self._poll(); }, self._hub.timings.dr_poll_interval_ms);
  });
};

WorkerGlobalResiliency.prototype._health = function () {
  return {healthy: Boolean(this._healthy), activeRegion: this._activeRegion};
};

WorkerGlobalResiliency.prototype._setHealth = function (healthy) {
  if (healthy === this._healthy) return;
  this._healthy = healthy;
  this._hub.broadcast(G.INTERNAL_GR_HEALTH, this._health());
};

WorkerGlobalResiliency.prototype._regionOfArn = function (arn) {
  var instance = this._hub.instances.filter(function (i) { return i.arn === arn; })[0];
  return instance ? instance.region : null;
};

// ----- the active region changes ----------------------------------------------------------------------------------

WorkerGlobalResiliency.prototype._decide = function (answer) {
  var log = this._hub.log;
  if (typeof answer.TerminateActiveContacts !== 'boolean') {
    return log.error('[GR] The active-region answer has no boolean TerminateActiveContacts; ignored');
  }
  var region = this._regionOfArn(answer.InstanceArn);
  if (!region) return log.error('[GR] The active instance ' + answer.InstanceArn + ' is neither of the two instances');
  if (this._activeRegion === null) return this._start(region);
  // A region that took over on the host's relay before its own poll saw itself active, and is left again before it
  // did (the active region flapped back), detects that change all the same: it announces every hand-over it starts.
  var leftUnseen = this._serving && !this._leaving && region !== this._hub.region;
  if (region !== this._activeRegion || leftUnseen) {
    log.info('[GR] Failover detected: the active region is now ' + region + ' (was ' + this._activeRegion + ')');
    this._activeRegion = region;
    this._hub.broadcast(G.INTERNAL_GR_HEALTH, this._health());
    this._hub.broadcast(G.GR_FAILOVER_DETECTED, {activeRegion: region});
  }
  this._reconcile(region, answer.TerminateActiveContacts);
};

/** Every answer, not only a change: whether this region serves (its CCP is the one hosts show) follows the active
    region. A region may learn it serves from the relay before its own poll sees the change. */
WorkerGlobalResiliency.prototype._reconcile = function (region, hard) {
  var log = this._hub.log;
  var own = this._hub.region;
  var leaving = this._leaving;
  if (region === own) {
    if (leaving && leaving.target) {
      // Back before the hand-over was announced: this region simply stays active (no failover_initiated).
      this._leaving = null;
      this.suppress = false;
      return log.info('[GR] The active region is back to ' + own + ' before the hand-over: failover cancelled');
    }
    if (!this._serving && !this._joining) {
      this._leaving = null;  // a stand-by procedure still running
      this._startJoining();
    }
    return;
  }
  if (this._joining) {
    // Back before this region took over: it stands by again, quietly (it never served, so it hands nothing over).
    this._joining = null;
    log.info('[GR] The active region moved away before ' + own + ' took over');
    return this._startLeaving(null, true);
  }
  if (this._serving && !leaving) this._startLeaving(region, hard);
};

/** The first answer: an inactive region stands by at once (contacts dropped, agent Offline), like legacy DR's first
    poll, which is never soft; then every window that joined meanwhile gets its init. */
WorkerGlobalResiliency.prototype._start = function (region) {
  var self = this;
  this._activeRegion = region;
  this._serving = region === this._hub.region;
  this._hub.broadcast(G.INTERNAL_GR_HEALTH, this._health());
  if (!this._serving) this._startLeaving(null, true);
  var waiting = this._waitingPorts;
  this._waitingPorts = {};
  Object.keys(waiting).forEach(function (id) { self._sendInit(waiting[id]); });
};

// ----- handing over (this region was active) ----------------------------------------------------------------------

WorkerGlobalResiliency.prototype._startLeaving = function (target, hard) {
  this.suppress = true;
  this._leaving = {target: target, hard: hard, pendingSent: false, inFlight: {}, gaveUp: false,
                   finishing: false, awaitOffline: false, announced: false};
  if (target) {
    this._hub.log.info('[GR] Handing over to ' + target + (hard ? ' (TerminateActiveContacts)' : ''));
  } else {
    this._hub.log.info('[GR] ' + this._hub.region + ' is not the active region: standing by');
  }
  this._step();
};

function isDeferring(contact) {
  return CcpProtocol.GR_DEFERRING_TYPES.indexOf(contact.type) >= 0 &&
         CcpProtocol.SUPPRESSED_KEEPS.indexOf(contact.state.type) >= 0;
}

/** Drop what need not be waited for; while a voice, queue_callback or chat contact lives (connected, or ended and
    not yet cleared), announce the failover as pending and wait; then go Offline and hand over. */
WorkerGlobalResiliency.prototype._step = function () {
  var leaving = this._leaving;
  var contacts = this._hub.rawContacts();
  if (!leaving || leaving.finishing || !contacts) return;
  var deferred = leaving.hard ? [] : contacts.filter(isDeferring);
  var doomed = contacts.filter(function (c) { return deferred.indexOf(c) < 0; });
  var self = this;
  doomed.forEach(function (contact) { self._drop(leaving, contact); });
  if (deferred.length) {
    if (!leaving.pendingSent && leaving.target) {
      leaving.pendingSent = true;
      this._hub.log.info('[GR] Failover to ' + leaving.target + ' pending: waiting for contact ' +
                         deferred.map(function (c) { return c.contactId; }).join(', '));
      this._hub.broadcast(G.GR_FAILOVER_PENDING, {activeRegion: leaving.target});
    }
    return;
  }
  if (doomed.length && !leaving.gaveUp) return;  // the next snapshot shows them gone
  this._finish(leaving);
};

WorkerGlobalResiliency.prototype._drop = function (leaving, contact) {
  if (leaving.inFlight[contact.contactId]) return;
  leaving.inFlight[contact.contactId] = true;
  var agentConnection = contact.connections.filter(function (c) { return c.type === 'agent'; })[0];
  var self = this;
  this._hub.callCti('destroyConnection', {contactId: contact.contactId, connectionId: agentConnection.connectionId})
    .then(function (outcome) {
      delete leaving.inFlight[contact.contactId];
      if (outcome.err || outcome.unauthorized) {
        // Not retried: the region is handed over anyway, as legacy DR switches even when destruction failed.
        self._hub.log.error('[GR] Could not drop contact ' + contact.contactId + ': ' + (outcome.err || 'signed out'));
        leaving.gaveUp = true;
        if (self._leaving === leaving) self._step();
      }
    });
};

WorkerGlobalResiliency.prototype._finish = function (leaving) {
  leaving.finishing = true;
  var agent = this._hub.agentData();
  var offline = agent.configuration.agentStates.filter(function (s) { return s.type === 'offline'; })[0];
  var self = this;
  this._hub.callCti('putAgentState', {state: offline, enqueueNextState: false}).then(function (outcome) {
    if (self._leaving !== leaving) return;
    if (outcome.err || outcome.unauthorized) {
      self._hub.log.error('[GR] Could not set the agent Offline: ' + (outcome.err || 'signed out'));
      return self._handOver(leaving);
    }
    // Hand over only once the Offline snapshot went out: a later update of this region must not be the one the host
    // takes as the new region's first (it completes the failover on the next agent::update from either CCP).
    if (self._hub.agentData().snapshot.state.type === 'offline') self._handOver(leaving);
    else leaving.awaitOffline = true;
  });
};

WorkerGlobalResiliency.prototype._handOver = function (leaving) {
  if (this._leaving !== leaving) return;
  this._leaving = null;
  this._serving = false;
  if (!leaving.target || leaving.announced) return;
  this._hub.log.info('[GR] Failover initiated: ' + leaving.target + ' takes over');
  this._hub.broadcast(G.GR_FAILOVER_INITIATED, {activeRegion: leaving.target});
};

// ----- taking over (this region becomes active) --------------------------------------------------------------------

WorkerGlobalResiliency.prototype._startJoining = function () {
  this.suppress = false;
  this._joining = {heardPending: false};
  if (!this._peerCanHandOver()) this._takeOver('the other region cannot hand over');
};

/** Whether a window of this region hears the other region's CCP over the host's relay, and that CCP reaches its
    backend: then it drives the hand-over itself. */
WorkerGlobalResiliency.prototype._peerCanHandOver = function () {
  var peers = this._peers;
  return Object.keys(peers).some(function (id) { return peers[id].reachable && peers[id].healthy; });
};

WorkerGlobalResiliency.prototype._takeOver = function (why) {
  if (!this._joining) return;
  this._joining = null;
  this._serving = true;
  this._hub.log.info('[GR] Failover initiated by ' + this._hub.region + ': ' + why);
  this._hub.broadcast(G.GR_FAILOVER_INITIATED, {activeRegion: this._hub.region});
};

WorkerGlobalResiliency.prototype._onPeer = function (portId, data) {
  if (!CcpProtocol.isObject(data)) return;
  this._peers[portId] = {reachable: Boolean(data.reachable), healthy: Boolean(data.healthy)};
  if (this._joining && !this._peerCanHandOver()) this._takeOver('the other region stopped answering');
};

WorkerGlobalResiliency.prototype._onRelayedPending = function (data) {
  if (this._joining && data.activeRegion === this._hub.region) this._joining.heardPending = true;
};

WorkerGlobalResiliency.prototype._onRelayedInitiated = function (data) {
  var own = this._hub.region;
  if (data.activeRegion === own) {
    // It serves now, even if its own poll has not seen the change yet (it announces it when it does).
    if (!this._serving) this._hub.log.info('[GR] ' + own + ' took over (hand-over relayed by the host)');
    this._joining = null;
    this._leaving = null;
    this._serving = true;
    this.suppress = false;
    return;
  }
  var leaving = this._leaving;
  if (leaving && leaving.target === data.activeRegion && !leaving.finishing) {
    // The other region took over while this one waited: the contacts waited for are dropped now.
    this._hub.log.info('[GR] ' + data.activeRegion + ' took over: dropping the contacts still waited for');
    leaving.hard = true;
    leaving.announced = true;
    this._step();
  }
};

/** forceFailover() acts only while a failover is pending: the region handing over drops the contacts it waits for;
    the region taking over, having heard the pending failover, takes over at once (its peer may be stuck). */
WorkerGlobalResiliency.prototype._onForceFailover = function () {
  var leaving = this._leaving;
  if (leaving && leaving.pendingSent && !leaving.finishing) {
    this._hub.log.info('[GR] force_failover: dropping the contacts the failover to ' + leaving.target + ' waits for');
    leaving.hard = true;
    return this._step();
  }
  if (this._joining && this._joining.heardPending) return this._takeOver('force_failover');
  this._hub.log.info('[GR] force_failover ignored: no failover is pending');
};
