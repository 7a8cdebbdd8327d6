/* The worker's logger: entries in the SharedWorker's format (ccp-protocol.md 4.1), buffered and posted to every
   port as {event:"log", data:<entry>} once per flush period, as Streams' DownstreamConduitLogger does (4.2). */
'use strict';

function WorkerLogger(post) {
  this._post = post;  // post(entry) sends one entry to all ports
  this._buffer = [];
  this._line = 0;
  this._loggerId = CcpProtocol.randomId();
  this.agentResourceId = null;
}

WorkerLogger.prototype.add = function (level, text) {
  this._buffer.push({
    component: 'ccp', level: level, text: text, time: new Date(), exception: null, objects: [],
    line: this._line++, agentResourceId: this.agentResourceId, loggerId: this._loggerId, contextLayer: 'SharedWorker'
  });
};

['debug', 'info', 'warn', 'error'].forEach(function (name) {
  WorkerLogger.prototype[name] = function (text) { this.add(name.toUpperCase(), text); };
});

WorkerLogger.prototype.flush = function () {
  var entries = this._buffer;
  this._buffer = [];
  entries.forEach(this._post);
};

/** The agent id from the agent's own queue ARN (".../queue/agent/<id>"), as Streams derives agentResourceId. */
WorkerLogger.prototype.learnAgent = function (configuration) {
  var queues = (configuration && configuration.routingProfile && configuration.routingProfile.queues) || [];
  for (var i = 0; i < queues.length; i++) {
    var match = /\/agent\/([^/]+)$/.exec(queues[i].queueARN || '');
    if (match) { this.agentResourceId = match[1]; return; }
  }
};
