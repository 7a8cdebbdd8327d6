/* The worker half of legacy disaster recovery (ccp-protocol.md 5.3): per-worker suppress / retry / pending state,
   the active-region poll and its decision rules (first-poll rule, additional-window bootstrap rule).
   `hub` is the worker core: broadcast(event, data), log (WorkerLogger), timings. Interface shared with the ACGR
   part (worker-gr.js): handle(event, data, portId, port) for port messages, filterSnapshot(snapshot). */
'use strict';

function WorkerDisasterRecovery(hub) {
  this._hub = hub;
  this.suppress = false;
  this.retryForceOffline = false;  // set when a CCP reported it could not go offline; re-signalled on each update
  this.pendingFailover = false;
  this._thisArn = null;
  this._otherArn = null;
  this._pollingStarted = false;
}

var E = CcpProtocol.EVENTS;

WorkerDisasterRecovery.prototype.handle = function (event, data) {
  if (event === E.DR_SUPPRESS) this._onSuppress(data);
  else if (event === E.DR_FORCE_OFFLINE) this._onForceOfflineReport(data);
  else if (event === E.DR_INIT_POLLING) this._onInitPolling(data);
};

WorkerDisasterRecovery.prototype._onSuppress = function (data) {
  this.suppress = Boolean(data.suppress);
  this._hub.log.info('[Disaster Recovery] Setting suppress to ' + this.suppress);
  if (!this.suppress) this.retryForceOffline = false;
  // Old DR artifacts omit the flag and expect the worker to announce the change to every window.
  if (data.shouldSendFailoverDownstream === undefined || data.shouldSendFailoverDownstream) {
    this._hub.broadcast(E.DR_FAILOVER, {isPrimary: !this.suppress});
  }
};

/** A CCP reports the outcome of its forceOffline: tell every window to switch (unless this is a retry). */
WorkerDisasterRecovery.prototype._onForceOfflineReport = function (data) {
  this._hub.log.info('[Disaster Recovery] Force offline reported, offline=' + Boolean(data.offline));
  if (!this.retryForceOffline) {
    this.pendingFailover = false;
    this._hub.broadcast(E.DR_FAILOVER, {isPrimary: false, nextActiveArn: data.nextActiveArn});
  }
  this.retryForceOffline = Boolean(data.offline);
};

WorkerDisasterRecovery.prototype._onInitPolling = function (data) {
  if (this._pollingStarted) {
    this._hub.log.info('[Disaster Recovery] Adding new CCP to active region polling for ' + data.instanceArn);
    this._poll(true, false);
    return;
  }
  this._hub.log.info('[Disaster Recovery] Initializing active region polling for instance ' + data.instanceArn);
  this._pollingStarted = true;
  this._thisArn = data.instanceArn;
  this._otherArn = data.otherArn;
  this._poll(true, true);
};

/** Filter applied to every snapshot while suppressed: only connected/ended contacts stay visible. */
WorkerDisasterRecovery.prototype.filterSnapshot = function (snapshot) {
  if (!this.suppress) return;
  snapshot.contacts = CcpProtocol.suppressedContacts(snapshot.contacts);
  if (this.retryForceOffline) this._hub.broadcast(E.DR_FORCE_OFFLINE);  // no data: the master CCP retries hard
};

/** bootstrap: triggered by a CCP window's init_dr_polling. first: the worker's very first poll. */
WorkerDisasterRecovery.prototype._poll = function (bootstrap, first) {
  var self = this;
  var log = this._hub.log;
  log.debug('[Disaster Recovery] Polling for failover for instance ' + this._thisArn);
  fetchActiveRegion(this._hub.timings).then(function (answer) {
    self._decide(answer, bootstrap, first);
  }, function (failure) {
    log.error('[Disaster Recovery] Failed to poll for failover for instance ' + self._thisArn + ', ' +
              (failure.status ? 'received unexpected response code ' + failure.status : 'request timed out or aborted'));
  }).then(function () {
    // Polls started by additional windows do not start a schedule of their own.
    if (first || !bootstrap) {
      setTimeout(function () { self._poll(false, false); }, self._hub.timings.dr_poll_interval_ms);
    }
  });
};

WorkerDisasterRecovery.prototype._decide = function (answer, bootstrap, first) {
  var log = this._hub.log;
  if (typeof answer.TerminateActiveContacts !== 'boolean') {
    log.error('[Disaster Recovery] DR polling response did not contain a valid value for TerminateActiveContacts.');
    return;
  }
  if (!answer.InstanceArn) {
    log.error('[Disaster Recovery] DR polling response did not contain a truthy active instance ARN.');
    return;
  }
  var soft = !answer.TerminateActiveContacts;
  var active = answer.InstanceArn;
  log.debug('[Disaster Recovery] Primary instance is ' + active + ', soft failover ' + (soft ? 'enabled' : 'disabled'));
  if (active === this._thisArn) {
    // Steady state "this region is active" does nothing; only a window's bootstrap poll announces it.
    if (!this.suppress && bootstrap) this._hub.broadcast(E.DR_FAILOVER, {nextActiveArn: active});
  } else if (active === this._otherArn) {
    // A new window during a (pending) soft failover must keep showing this, the still-active old region.
    if (soft && bootstrap && !first && (!this.suppress || this.pendingFailover)) {
      this._hub.broadcast(E.DR_FAILOVER, {nextActiveArn: this._thisArn});
    }
    if (!this.suppress) {
      this.suppress = true;
      var willSoft = soft && !first;  // the very first poll of a worker never fails over softly
      this.pendingFailover = willSoft;
      log.info('[Disaster Recovery] Instance ' + this._thisArn + ' is being set to stand-by ' +
               (willSoft ? 'using soft failover' : 'immediately'));
      this._hub.broadcast(E.DR_FORCE_OFFLINE, {softFailover: willSoft, nextActiveArn: active});
    }
  } else {
    log.error('[Disaster Recovery] The current primary instance ' + active + " doesn't match this instance " +
              this._thisArn + ' or the other instance ' + this._otherArn);
  }
};
