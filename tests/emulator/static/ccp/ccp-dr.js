/* The CCP half of legacy disaster recovery (ccp-protocol.md 5.2): started by the host's init_disaster_recovery,
   it polls through its worker (init_dr_polling) or suppresses/forces offline at once, and forces the agent offline
   when the failover master window is told to (force_offline from the worker, set_offline from the host).
   Observes the core (ccp.js) like the ACGR part (ccp-gr.js). */
'use strict';

(function () {
  var EV = CcpProtocol.EVENTS;
  var started = false;

  CCP.onHostMessage(function (msg) {
    if (msg.event === EV.DR_INIT) start(msg.data);
    else if (msg.event === EV.DR_SET_OFFLINE && started) {
      var soft = Boolean(msg.data && msg.data.softFailover);
      CCP.ifFailoverMaster(function () { forceOffline(soft); });
    }
  });

  CCP.onWorkerMessage(function (msg) {
    var data = msg.data;
    if (msg.event === EV.DR_FAILOVER) CCP.setLastFailover(data);
    else if (msg.event === EV.DR_FORCE_OFFLINE && started) {
      CCP.ifFailoverMaster(function () { forceOffline(Boolean(data && data.softFailover), data && data.nextActiveArn); });
    }
  });

  /** Benchmark observability: the moment this window relayed disasterRecovery::failover to its host. */
  CCP.onPostedToHost(function (msg) {
    if (CcpProtocol.isObject(msg) && msg.event === EV.DR_FAILOVER) {
      CCP.report('/api/mark', {window_id: CCP.windowId, kind: 'failover-relayed', host: document.referrer,
                               at: Date.now()});
    }
  });

  function start(params) {
    if (started) return;  // Streams does this once per host lifetime
    started = true;
    if (params.region) CCP.setRegion(params.region);
    CCP.ifFailoverMaster(function () { console.info('[Disaster Recovery] this window is the failover master'); });
    if (params.pollForFailover) {
      CCP.sendToWorker(CcpProtocol.message(EV.DR_INIT_POLLING,
        {instanceArn: params.instanceArn, otherArn: params.otherArn, authToken: params.authToken}));
    } else if (!params.isPrimary) {
      suppressContacts(true);
      forceOffline(false);
    } else {
      suppressContacts(false);
    }
  }

  function suppressContacts(suppress) {
    CCP.sendToWorker(CcpProtocol.message(EV.DR_SUPPRESS, {suppress: suppress, shouldSendFailoverDownstream: false}));
  }

  function reportForceOffline(offline, nextActiveArn) {
    CCP.sendToWorker(CcpProtocol.message(EV.DR_FORCE_OFFLINE, {offline: offline, nextActiveArn: nextActiveArn}));
  }

  function goOffline() {
    var offline = CCP.agent().configuration.agentStates.filter(function (s) { return s.type === 'offline'; })[0];
    CCP.callApi('putAgentState', {state: offline, enqueueNextState: false});
  }

  /** Soft: voice contacts are waited for (failover_pending to this window's host, retry when the contact is
      destroyed); everything else is disconnected. Hard: all contacts are disconnected. Then report and go Offline. */
  function forceOffline(soft, nextActiveArn) {
    CCP.whenAgentReady(function () {
      var contacts = CCP.agent().snapshot.contacts.slice();
      if (!contacts.length) {
        reportForceOffline(false, nextActiveArn);
        goOffline();
        return;
      }
      var closed = 0;
      var failed = false;
      contacts.forEach(function (contact) {
        if (soft && CcpProtocol.VOICE_TYPES.indexOf(contact.type) >= 0) {
          if (CCP.framed) CCP.postToHost(CcpProtocol.message(EV.DR_FAILOVER_PENDING, {nextActiveArn: nextActiveArn}));
          CCP.onContactGone(contact.contactId, function () { forceOffline(true, nextActiveArn); });
          return;
        }
        var connection = contact.connections.filter(function (c) { return c.type === 'agent'; })[0];
        CCP.callApi('destroyConnection', {contactId: contact.contactId, connectionId: connection.connectionId},
          function (err) {
            if (err) {
              if (!failed) { failed = true; reportForceOffline(true, nextActiveArn); }  // the worker will retry
            } else if (++closed === contacts.length) {
              reportForceOffline(false, nextActiveArn);
              goOffline();
            }
          });
      });
    });
  }
})();
