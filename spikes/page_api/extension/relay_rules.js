/* The relay's rules, pure (no DOM, no extension API): what happens to each message between the page's Streams
   (its stand-in CCP windows) and the extension's real CCP frames. Everything from the page is untrusted input.
   Sources of the lists: release/connect-streams.js 2.28.2 (see the README's relay table). */
'use strict';

var RelayRules = (function () {
  // broadcast {event, data} inner events that Streams' *host* code sends (publishMetric, logger, Agent/Contact API,
  // softphone helpers). The worker re-emits them to every CCP window of the region in every tab, so nothing else
  // may pass: notably never disasterRecovery::*, globalResiliency::*, agent::update, acknowledge, api_response.
  var HOST_BROADCASTS = [
    'log', 'server_bound_internal_log', 'client_metric', 'softphone_stats', 'softphone_report', 'click_stream_data',
    'mute', 'contact::view', 'contact::accepted', 'contact::screen_sharing_started', 'contact::screen_sharing_stopped',
    'contact::screen_sharing_error', 'taskList::activate_channel_with_view_type', 'configuration::set_speaker_device',
    'configuration::set_microphone_device', 'configuration::set_ringer_device', 'configuration::ringer_device_changed',
    'configuration::camera_device_changed', 'configuration::background_blur_changed', 'voiceId::update_domain_id',
    'connection::session_init', 'agent::local_media_stream_created'];
  var ACCEPTED_FOR_CONTACT = /^contact::accepted::[A-Za-z0-9._:-]{1,200}$/;
  // Host requests the CCP serves as they are.
  var PLAIN_REQUESTS = ['reload_agent_configuration', 'media_device_request', 'webSocket::send', 'webSocket::subscribe'];
  // connect.MasterTopics: duties of the extension's CCP windows (failover, softphone, ringtone, log upload, ...).
  var CCP_MASTER_TOPICS = ['connect::loginPopup', 'connect::sendLogs', 'connect::softphone', 'connect::ringtone',
                           'connect::metrics', 'connect::failover'];

  function isObject(value) {
    return value !== null && typeof value === 'object' && !Array.isArray(value);
  }

  function isText(value, max) {
    return typeof value === 'string' && value.length > 0 && value.length <= max;
  }

  function drop(why) {
    return {action: 'drop', why: why};
  }

  function masterAnswer(request) {
    return {event: 'master_response', data: {event: 'master_response', requestId: request.requestId, err: null,
                                             data: {masterId: null, isMaster: false, takeOver: false,
                                                    topic: request.params.topic}}};
  }

  /** One message the page's Streams host posted to a stand-in CCP window:
      forward (to that region's real CCP; `track` = a request id whose response is the page's), answer (locally),
      request (a wish the extension decides on), or drop. */
  function hostToCcp(msg) {
    if (!isObject(msg) || !isText(msg.event, 200)) return drop('malformed');
    var data = msg.data;
    switch (msg.event) {
      case 'api_request':
        if (!isObject(data) || data.event !== 'api_request' || !isText(data.requestId, 100) ||
            !/^[A-Za-z]{1,64}$/.test(String(data.method))) return drop('malformed api_request');
        return {action: 'forward', track: data.requestId};
      case 'master_request':
        if (!isObject(data) || data.event !== 'master_request' || !isText(data.requestId, 100) ||
            (data.method !== 'checkMaster' && data.method !== 'becomeMaster') || !isObject(data.params) ||
            !isText(data.params.topic, 200)) return drop('malformed master_request');
        if (CCP_MASTER_TOPICS.indexOf(data.params.topic) >= 0 &&
            !(data.method === 'checkMaster' && data.params.shouldNotBecomeMasterIfNone === true)) {
          return {action: 'answer', reply: masterAnswer(data)};  // another window (the extension's) holds it
        }
        return {action: 'forward', track: data.requestId};
      case 'broadcast':
        if (!isObject(data) || !isText(data.event, 250)) return drop('malformed broadcast');
        if (HOST_BROADCASTS.indexOf(data.event) >= 0 || ACCEPTED_FOR_CONTACT.test(data.event)) {
          return {action: 'forward'};
        }
        return drop('broadcast of ' + data.event);
      case 'synchronize':
        return {action: 'answer-keepalive'};
      case 'agent::fetch_agent_data_from_ccp':
        return {action: 'answer-agent-data'};
      case 'globalResiliency::validate_global_signin':
        return {action: 'answer', reply: {event: 'globalResiliency::global_signin_valid'}};
      case 'globalResiliency::force_failover':
        return {action: 'request', what: 'force-failover'};
      case 'download_log_from_ccp':
        return {action: 'request', what: 'download-logs'};
      default:
        if (PLAIN_REQUESTS.indexOf(msg.event) >= 0) return {action: 'forward'};
        // configure, outer_context_info, iframe_style, close, terminate, disasterRecovery::*, the rest of
        // globalResiliency::* (configure_ccp_conduit, failover_complete, relayed pending/initiated/heartbeats), ...
        return drop(msg.event);
    }
  }

  /** One message a real CCP frame posted to the page (its parent), as seen by the extension: forward it to the
      page's Streams for that region, route it (only a response to the page's own request), or drop it. */
  function ccpToHost(msg, context) {
    if (!isObject(msg) || !isText(msg.event, 250)) return 'drop';
    var event = msg.event;
    if (event === 'acknowledge' || event === 'request_configure' || event === 'agent::fetch_agent_data_from_ccp' ||
        event.indexOf('disasterRecovery::') === 0 || event.indexOf('globalResiliency::') === 0) {
      return 'drop';  // answered locally, or the extension's own business (it tells the page API its decisions)
    }
    if (event === 'api_response' || event === 'master_response') return 'route';
    if (context.mode === 'acgr' && !context.active && event !== 'log' && event !== 'server_bound_internal_log') {
      return 'drop';  // what a real ACGR CCP's inactive conduit blocks
    }
    return 'forward';
  }

  return {hostToCcp: hostToCcp, ccpToHost: ccpToHost, HOST_BROADCASTS: HOST_BROADCASTS};
})();
