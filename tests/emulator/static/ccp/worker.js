/* Emulated Amazon Connect CCP SharedWorker: one per CCP origin, shared by every CCP window of that origin in the
   browser. It speaks the worker side of ccp-protocol.md (Sections 1-5, Appendix A). The agent's state lives in the
   emulator server: this worker long-polls GET /api/snapshot and forwards CTI calls to POST /api/call. The two
   Global Resiliency protocols are parts behind one interface: legacy DR (worker-dr.js) and ACGR (worker-gr.js). */
'use strict';

importScripts('protocol.js', 'worker-logger.js', 'worker-active-region.js', 'worker-dr.js', 'worker-gr.js');

var EV = CcpProtocol.EVENTS;
var ports = {};    // portId -> MessagePort, acknowledged ports only (they get broadcasts)
var waiting = {};  // portId -> MessagePort, connected but owed their first ACK (impairment no_ack)
var masters = {};  // master topic -> portId
var agentData = null;  // the last agent::update payload
var impairments = {no_ack: false};
var authFailed = false;
var lastSnapshotVersion = null;

var rawContacts = null;  // the last snapshot's contacts before any suppression

var hub = {
  timings: null,
  region: null,
  instances: [],  // [{region, arn}] of the traffic distribution group
  log: new WorkerLogger(function (entry) { broadcast(EV.LOG, entry); }),
  broadcast: broadcast,
  callCti: callCti,
  agentData: function () { return agentData; },
  rawContacts: function () { return rawContacts; }
};
var protocols = [new WorkerDisasterRecovery(hub), new WorkerGlobalResiliency(hub)];

var ready = fetch('/api/worker-config', {cache: 'no-store'}).then(function (r) { return r.json(); }).then(function (cfg) {
  hub.timings = cfg.timings;
  hub.region = cfg.region;
  hub.instances = cfg.instances;
  impairments = cfg.impairments;  // known before the first window is welcomed
  hub.reviver = CcpProtocol.dateReviver(cfg.dateKeys);
  hub.log.info('Emulated CCP worker started for ' + cfg.region + ' (' + cfg.instanceArn + ')');
  // A worker that does not acknowledge (impairment no_ack) is one that answers nothing: it also holds its log lines
  // (the host takes relayed lines as an answer to its heartbeat too) and posts them once it answers again.
  setInterval(function () { if (!impairments.no_ack) hub.log.flush(); }, cfg.timings.log_flush_ms);
  pollSnapshots(0, -1);
});

function broadcast(event, data) {
  var msg = CcpProtocol.message(event, data);
  Object.keys(ports).forEach(function (id) { ports[id].postMessage(msg); });
}

function connectedCount() {
  return Object.keys(ports).length;
}

self.onconnect = function (event) {
  var port = event.ports[0];
  var portId = CcpProtocol.randomId();
  ready.then(function () { welcome(portId, port); });
  port.onmessage = function (e) {
    ready.then(function () { onPortMessage(portId, port, e.data); });
  };
  port.start();
};

/** A new CCP window: its first ACK carries {id} (required by the host), then the port count and cached agent data. */
function welcome(portId, port) {
  if (impairments.no_ack) {
    waiting[portId] = port;
    hub.log.warn('Holding back the first acknowledge (impairment no_ack)');
    return;
  }
  ports[portId] = port;
  port.postMessage(CcpProtocol.message(EV.ACK, {id: portId}));
  broadcast(EV.CONNECTED_CCPS, {length: connectedCount()});
  if (agentData) port.postMessage(CcpProtocol.message(EV.AGENT_UPDATE, agentData));
  hub.log.info('CCP window connected (' + connectedCount() + ' connected)');
}

function releaseWaitingPorts() {
  var held = waiting;
  waiting = {};
  Object.keys(held).forEach(function (id) { welcome(id, held[id]); });
}

function dropPort(portId) {
  delete waiting[portId];
  if (!ports[portId]) return;
  delete ports[portId];
  Object.keys(masters).forEach(function (topic) { if (masters[topic] === portId) delete masters[topic]; });
  protocols.forEach(function (part) { if (part.forgetPort) part.forgetPort(portId); });
  broadcast(EV.CONNECTED_CCPS, {length: connectedCount()});
}

function onPortMessage(portId, port, msg) {
  if (!CcpProtocol.isWellFormed(msg)) return;
  if (msg.event === EV.CLOSE) return dropPort(portId);
  if (!ports[portId]) return;  // an unacknowledged window gets no service
  switch (msg.event) {
    case EV.SYN:
      if (!impairments.no_ack) broadcast(EV.ACK);  // every window of the origin sees it
      break;
    case EV.API_REQUEST:
      callApi(port, msg.data);
      break;
    case EV.MASTER_REQUEST:
      answerMasterRequest(portId, port, msg.data);
      break;
    case EV.BROADCAST:
      broadcast(msg.data.event, msg.data.data);
      break;
    case EV.INTERNAL_RESEND_AGENT:  // a window its host has just made the active one wants current agent data
      if (agentData) port.postMessage(CcpProtocol.message(EV.AGENT_UPDATE, agentData));
      break;
    default:  // configure, outer_context_info, iframe_style, ... need nothing here; the protocol parts may
      protocols.forEach(function (part) { part.handle(msg.event, msg.data, portId, port); });
  }
}

/** One CTI call for a host (the answer goes to the requesting port only); a 401 answers nothing. */
function callApi(port, request) {
  callCti(request.method, request.params || {}).then(function (outcome) {
    if (outcome.unauthorized) return;
    port.postMessage(CcpProtocol.message(EV.API_RESPONSE,
      {event: EV.API_RESPONSE, requestId: request.requestId, data: outcome.data, err: outcome.err}));
  });
}

/** One CTI call. Resolves {data, err} (err: null or the JSON string Streams expects), or {unauthorized: true}
    after a 401, which reports auth_fail to every window. */
function callCti(method, params) {
  var errorString = function (type, message, statusCode, retryStatus) {
    return JSON.stringify({type: type, message: message, stack: [], retryStatus: retryStatus, statusCode: statusCode});
  };
  return fetch('/api/call', {method: 'POST', cache: 'no-store', body: JSON.stringify({method: method, params: params})})
    .then(function (response) {
      if (response.status === 401) {
        reportAuthFailure();
        return {unauthorized: true};
      }
      if (!response.ok) {
        hub.log.error('API call ' + method + ' failed with HTTP ' + response.status);
        return {data: undefined, err: errorString('ServiceUnavailableException', 'HTTP ' + response.status,
                                                  response.status, 'exhausted')};
      }
      return response.json().then(function (result) {
        var err = result.err ? errorString(result.err.type, result.err.message, result.err.statusCode, 'none') : null;
        hub.log.info('API call ' + method + (err ? ' failed: ' + result.err.message : ' succeeded'));
        return {data: err ? undefined : result.data, err: err};
      });
    }, function (error) {
      return {data: undefined, err: errorString('NetworkingError', String(error), 0, 'exhausted')};
    });
}

function answerMasterRequest(portId, port, request) {
  var topic = request.params.topic;
  var data;
  if (request.method === 'becomeMaster') {
    var takeOver = Boolean(masters[topic]) && masters[topic] !== portId;
    masters[topic] = portId;
    data = {masterId: portId, takeOver: takeOver, topic: topic};
  } else if (request.method === 'checkMaster') {
    if (!masters[topic] && !request.params.shouldNotBecomeMasterIfNone) masters[topic] = portId;
    data = {masterId: masters[topic], isMaster: masters[topic] === portId, topic: topic};
  } else {
    return;
  }
  var response = CcpProtocol.message(EV.MASTER_RESPONSE,
    {event: EV.MASTER_RESPONSE, requestId: request.requestId, data: data, err: null});
  if (data.takeOver) broadcast(response.event, response.data);
  port.postMessage(response);
}

function reportAuthFailure() {
  if (authFailed) return;
  authFailed = true;
  hub.log.error('Authentication failed: the agent is signed out');
  broadcast(EV.AUTH_FAIL, {authorize: true});
}

/** Long poll the server. Each answer may carry a new snapshot, impairment changes and log lines to emit;
    an unchanged answer after the long-poll period is the periodic agent::update. */
function pollSnapshots(since, logSeq) {
  var retry = function () { setTimeout(function () { pollSnapshots(since, logSeq); }, hub.timings.auth_retry_ms); };
  fetch('/api/snapshot?since=' + since + '&log_seq=' + logSeq, {cache: 'no-store'}).then(function (response) {
    if (response.status === 401) { reportAuthFailure(); return retry(); }
    if (!response.ok) return retry();
    return response.text().then(function (body) {
      var answer = JSON.parse(body, hub.reviver);
      authFailed = false;
      impairments = answer.impairments;
      if (!impairments.no_ack) releaseWaitingPorts();
      answer.logs.forEach(function (line) { hub.log.add(line.level, line.text); });
      answer.raw.forEach(function (message) {  // test hook: posted as they are, well-formed or not
        Object.keys(ports).forEach(function (id) { ports[id].postMessage(message); });
      });
      if (answer.snapshot_version !== lastSnapshotVersion || !answer.changed) {
        lastSnapshotVersion = answer.snapshot_version;
        publishAgent(answer.agent);
      }
      pollSnapshots(answer.version, answer.log_seq);
    });
  }).catch(retry);
}

/** What the real worker does to every snapshot before posting it (ccp-protocol.md 3.1), then the protocol parts:
    they filter what a suppressed region shows, and react to the whole snapshot (hub.rawContacts()). */
function publishAgent(agent) {
  var snapshot = agent.snapshot;
  var configuration = agent.configuration;
  snapshot.localTimestamp = Date.now();
  snapshot.skew = snapshot.snapshotTimestamp.getTime() - snapshot.localTimestamp;
  snapshot.contacts.sort(function (a, b) { return a.state.timestamp.getTime() - b.state.timestamp.getTime(); });
  snapshot.contacts.forEach(function (contact) {
    contact.status = contact.state;
    contact.connections.forEach(function (connection) { connection.address = connection.endpoint; });
    if (contact.queue) contact.queue.queueId = contact.queue.queueARN;
  });
  var profile = configuration.routingProfile;
  profile.routingProfileId = profile.routingProfileARN;
  profile.defaultOutboundQueue.queueId = profile.defaultOutboundQueue.queueARN;
  profile.queues.forEach(function (queue) { queue.queueId = queue.queueARN; });
  hub.log.learnAgent(configuration);
  agentData = {snapshot: snapshot, configuration: configuration};
  rawContacts = snapshot.contacts.slice();
  protocols.forEach(function (part) { part.filterSnapshot(snapshot); });
  broadcast(EV.AGENT_UPDATE, agentData);
  // Reactions come after the update went out: a hand-over announced now follows this region's last snapshot.
  protocols.forEach(function (part) { if (part.observe) part.observe(snapshot); });
}
