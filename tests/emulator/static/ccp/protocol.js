/* Wire-level helpers shared by the emulated CCP page and its SharedWorker (ccp-protocol.md 1.2, 1.8, 5.1, 7.1).
   Loaded with <script> in the page and importScripts() in the worker; defines the global CcpProtocol. */
'use strict';

var CcpProtocol = (function () {
  var DR = 'disasterRecovery::';
  var GR = 'globalResiliency::';
  var EVENTS = {
    ACK: 'acknowledge', SYN: 'synchronize', CONFIGURE: 'configure', REQUEST_CONFIGURE: 'request_configure',
    API_REQUEST: 'api_request', API_RESPONSE: 'api_response',
    MASTER_REQUEST: 'master_request', MASTER_RESPONSE: 'master_response',
    BROADCAST: 'broadcast', CLOSE: 'close', LOG: 'log', SERVER_BOUND_LOG: 'server_bound_internal_log',
    AGENT_UPDATE: 'agent::update', CONNECTED_CCPS: 'update_connected_ccps', AUTH_FAIL: 'auth_fail',
    DR_INIT: DR + 'init_disaster_recovery', DR_SUPPRESS: DR + 'suppress', DR_SET_OFFLINE: DR + 'set_offline',
    DR_FORCE_OFFLINE: DR + 'force_offline', DR_INIT_POLLING: DR + 'init_dr_polling',
    DR_FAILOVER: DR + 'failover', DR_FAILOVER_PENDING: DR + 'failover_pending',
    // ACGR (connect.GlobalResiliencyEvents and the two agent/log events it uses)
    GR_CONFIGURE: GR + 'configure', GR_CONFIGURE_CCP_CONDUIT: GR + 'configure_ccp_conduit', GR_INIT: GR + 'init',
    GR_CONFIGURE_ERROR: GR + 'configure_error', GR_VALIDATE_SIGNIN: GR + 'validate_global_signin',
    GR_SIGNIN_VALID: GR + 'global_signin_valid', GR_SIGNIN_INVALID: GR + 'global_signin_invalid',
    GR_FAILOVER_DETECTED: GR + 'failover_detected', GR_FAILOVER_DETECTED_CRM: GR + 'failover_detected_crm',
    GR_FAILOVER_INITIATED: GR + 'failover_initiated', GR_FAILOVER_PENDING: GR + 'failover_pending',
    GR_FAILOVER_PENDING_CRM: GR + 'failover_pending_crm', GR_FAILOVER_COMPLETE: GR + 'failover_complete',
    GR_HEARTBEAT_SYN: GR + 'heartbeat_syn', GR_HEARTBEAT_ACK: GR + 'heartbeat_ack', GR_FORCE_FAILOVER: GR + 'force_failover',
    FETCH_AGENT_DATA: 'agent::fetch_agent_data_from_ccp', DOWNLOAD_LOG_FROM_CCP: 'download_log_from_ccp',
    // Between an emulated CCP window and its worker only: never posted to a host, never accepted from one.
    INTERNAL_GR_JOIN: 'emulator-internal::gr_join', INTERNAL_GR_HEALTH: 'emulator-internal::gr_health',
    INTERNAL_GR_PEER: 'emulator-internal::gr_peer', INTERNAL_RESEND_AGENT: 'emulator-internal::resend_agent'
  };
  var INTERNAL_PREFIX = 'emulator-internal::';
  var FAILOVER_MASTER_TOPIC = 'connect::failover';
  var VOICE_TYPES = ['voice', 'queue_callback'];  // what legacy DR waits for (ccp-protocol.md 3.5)
  var GR_DEFERRING_TYPES = ['voice', 'queue_callback', 'chat'];  // what an ACGR failover waits for (7.3-5)
  var SUPPRESSED_KEEPS = ['connected', 'ended'];  // contact states a suppressed region still shows (5.3)

  /** What an inactive ACGR conduit lets through, both ways: Streams' Conduit.allowedEvents (src/streams.js 232-243)
      = every globalResiliency:: event plus these. */
  var INACTIVE_ALLOWED = [EVENTS.CONFIGURE, EVENTS.SYN, EVENTS.ACK, EVENTS.LOG, EVENTS.SERVER_BOUND_LOG,
                          EVENTS.DOWNLOAD_LOG_FROM_CCP];

  function isObject(value) {
    return value !== null && typeof value === 'object' && !Array.isArray(value);
  }

  function isString(value) {
    return typeof value === 'string' && value.length > 0 && value.length <= 200;
  }

  function isRegionPayload(d) { return isObject(d) && isString(d.activeRegion); }

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
  PAYLOAD_CHECKS[EVENTS.GR_CONFIGURE_CCP_CONDUIT] = function (d) {
    return isObject(d) && (d.instanceState === 'active' || d.instanceState === 'inactive');
  };
  [EVENTS.GR_FAILOVER_PENDING, EVENTS.GR_FAILOVER_INITIATED, EVENTS.GR_FAILOVER_COMPLETE].forEach(function (name) {
    PAYLOAD_CHECKS[name] = isRegionPayload;
  });
  [EVENTS.GR_HEARTBEAT_SYN, EVENTS.GR_HEARTBEAT_ACK].forEach(function (name) {
    PAYLOAD_CHECKS[name] = function (d) { return isObject(d) && isString(d.region) && typeof d.seq === 'number'; };
  });
  PAYLOAD_CHECKS[EVENTS.DOWNLOAD_LOG_FROM_CCP] = function (d) {
    return d === undefined || d === null || (isObject(d) && (d.logName === undefined || isString(d.logName)));
  };

  /** A structured-clone object {event: <string>, data?} whose payload suits its event; anything else is dropped. */
  function isWellFormed(message) {
    if (!isObject(message) || !isString(message.event)) return false;
    var check = PAYLOAD_CHECKS[message.event];
    return !check || check(message.data);
  }

  function isInternal(event) {
    return typeof event === 'string' && event.indexOf(INTERNAL_PREFIX) === 0;
  }

  function isGlobalResiliency(event) {
    return typeof event === 'string' && event.indexOf(GR) === 0;
  }

  /** Whether an ACGR conduit set inactive passes this event (either way). */
  function passesInactive(event) {
    return isGlobalResiliency(event) || INACTIVE_ALLOWED.indexOf(event) >= 0;
  }

  /** The contacts a suppressed region still reports: incoming/connecting ones vanish (ccp-protocol.md 5.3, 9.9). */
  function suppressedContacts(contacts) {
    return contacts.filter(function (c) { return SUPPRESSED_KEEPS.indexOf(c.state.type) >= 0; });
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
    GR_DEFERRING_TYPES: GR_DEFERRING_TYPES, SUPPRESSED_KEEPS: SUPPRESSED_KEEPS,
    isObject: isObject, isString: isString, isWellFormed: isWellFormed, isInternal: isInternal,
    isGlobalResiliency: isGlobalResiliency, passesInactive: passesInactive, suppressedContacts: suppressedContacts,
    message: message, randomId: randomId, dateReviver: dateReviver
  };
})();
