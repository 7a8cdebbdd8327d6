/* A CRM page integrating one CCP with the real Streams library, recording what Streams reports. */
'use strict';

(function () {
  var instance = instanceOf(pageOptions.get('region', window.EMULATOR.instances[0].region));
  var timeouts = pageOptions.timeouts();
  window.contacts = {};  // contactId -> Streams Contact, for tests to call accept()/clear()

  connect.core.initCCP(document.getElementById('ccp'), {
    ccpUrl: instance.ccpUrl, loginUrl: window.EMULATOR.loginUrl, loginPopup: pageOptions.loginPopup,
    region: instance.region, softphone: {allowFramedSoftphone: true},
    ccpLoadTimeout: timeouts.ccpLoadTimeout, ccpAckTimeout: timeouts.ccpAckTimeout, ccpSynTimeout: timeouts.ccpSynTimeout
  });
  connect.core.onInitialized(function () { record('init'); });
  connect.core.onAuthFail(function () { record('auth_fail'); });
  connect.core.getEventBus().subscribe(connect.EventType.ACKNOWLEDGE, function (data) {
    if (data && data.id) record('ccp-connected', {id: data.id});  // a CCP window's first ACK (also after refresh)
  });

  connect.agent(function (agent) {
    window.agent = agent;
    record('agent', {state: agent.getState().name});
    agent.onStateChange(function (change) { record('agent-state', change.newState); });
    agent.onRefresh(function (a) { record('agent-refresh', {state: a.getState().name, contacts: a.getContacts().length}); });
  });

  connect.contact(function (contact) {
    var id = contact.getContactId();
    window.contacts[id] = contact;
    record('contact', {id: id, type: contact.getType(), state: contact.getStatus().type});
    ['onIncoming', 'onConnecting', 'onConnected', 'onACW', 'onEnded', 'onMissed', 'onDestroy'].forEach(function (name) {
      contact[name](function () { record('contact-' + name.slice(2).toLowerCase(), {id: id}); });
    });
  });
})();
