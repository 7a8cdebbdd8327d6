/* Wire-level helpers shared by the emulated CCP page and its SharedWorker (ccp-protocol.md 1.2, 1.8, 5.1).
   Loaded with <script> in the page and importScripts() in the worker; defines the global CcpProtocol. */
'use strict';

var CcpProtocol = (function () {
  var DR = 'disasterRecovery::';
  var EVENTS = {
    ACK: 'acknowledge', SYN: 'synchronize', CONFIGURE: 'configure', REQUEST_CONFIGURE: 'request_configure',
    API_REQUEST: 'api_request', API_RESPONSE: 'api_response',
    MASTER_REQUEST: 'master_request', MASTER_RESPONSE: 'master_response',
    BROADCAST: 'broadcast', CLOSE: 'close', LOG: 'log', AGENT_UPDATE: 'agent::update',
    CONNECTED_CCPS: 'update_connected_ccps', AUTH_FAIL: 'auth_fail',
    DR_INIT: DR + 'init_disaster_recovery', DR_SUPPRESS: DR + 'suppress', DR_SET_OFFLINE: DR + 'set_offline',
    DR_FORCE_OFFLINE: DR + 'force_offline', DR_INIT_POLLING: DR + 'init_dr_polling',
    DR_FAILOVER: DR + 'failover', DR_FAILOVER_PENDING: DR + 'failover_pending'
  };
  var FAILOVER_MASTER_TOPIC = 'connect::failover';
  var VOICE_TYPES = ['voice', 'queue_callback'];  // what legacy DR waits for (ccp-protocol.md 3.5)

  function isObject(value) {
    return value !== null && typeof value === 'object' && !Array.isArray(value);
  }

  function isString(value) {
    return typeof value === 'string' && value.length > 0 && value.length <= 200;
  }

  // Events whose payload the emulator acts on, and what that payload must look like to be acted on.
  var PAYLOAD_CHECKS = {};
  PAYLOAD_CHECKS[EVENTS.API_REQUEST] = function (d) { return isObject(d) && isString(d.requestId) && isString(d.method); };
  PAYLOAD_CHECKS[EVENTS.MASTER_REQUEST] = function (d) {
    return isObject(d) && isString(d.requestId) && isString(d.method) && isObject(d.params) && isString(d.params.topic);
  };
  PAYLOAD_CHECKS[EVENTS.BROADCAST] = function (d) { return isObject(d) && isString(d.event); };
  [EVENTS.DR_INIT, EVENTS.DR_SUPPRESS, EVENTS.DR_FORCE_OFFLINE, EVENTS.DR_INIT_POLLING].forEach(function (name) {
    PAYLOAD_CHECKS[name] = isObject;
  });
  PAYLOAD_CHECKS[EVENTS.DR_SET_OFFLINE] = function (d) { return d === undefined || d === null || isObject(d); };

  /** A structured-clone object {event: <string>, data?} whose payload suits its event; anything else is dropped. */
  function isWellFormed(message) {
    if (!isObject(message) || !isString(message.event)) return false;
    var check = PAYLOAD_CHECKS[message.event];
    return !check || check(message.data);
  }

  /** {event} when there is no data (SYN, SYN-ACK, request_configure), else {event, data}. */
  function message(event, data) {
    return data === undefined ? {event: event} : {event: event, data: data};
  }

  /** Same shape as connect.randomId(): "<epoch ms>-<base36>". */
  function randomId() {
    return Date.now() + '-' + Math.random().toString(36).slice(2, 12);
  }

  /** JSON.parse reviver: the listed keys carry epoch ms on the wire and must be real Dates for Streams. */
  function dateReviver(dateKeys) {
    var keys = {};
    dateKeys.forEach(function (k) { keys[k] = true; });
    return function (key, value) {
      return keys[key] === true && typeof value === 'number' ? new Date(value) : value;
    };
  }

  return {
    EVENTS: EVENTS, FAILOVER_MASTER_TOPIC: FAILOVER_MASTER_TOPIC, VOICE_TYPES: VOICE_TYPES,
    isObject: isObject, isWellFormed: isWellFormed, message: message, randomId: randomId, dateReviver: dateReviver
  };
})();
