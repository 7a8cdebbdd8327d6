/* CRM code written for an ACGR initCCP, unchanged but for one thing: instead of loading Streams and calling
   connect.core.initCCP(container, params), it waits for the extension's page API (grccpPageApi.ready). Everything
   it sees goes into window.crm for the tests (tests/e2e/test_page_api.py). */
'use strict';
window.crm = {events: [], violations: [], contacts: {}, readyEvent: false,
              atFirstScript: {connect: typeof window.connect, grccpPageApi: typeof window.grccpPageApi}};
document.addEventListener('securitypolicyviolation', function (e) {
  crm.violations.push({directive: e.violatedDirective, blocked: e.blockedURI, sample: e.sample});
});
function record(kind, data) {
  crm.events.push({kind: kind, data: data === undefined ? null : JSON.parse(JSON.stringify(data)),
                   at: performance.now()});
}
window.addEventListener('grccp:page-api-ready', function () { crm.readyEvent = true; });
if (window.grccpPageApi) {
  grccpPageApi.ready.then(function () {
    record('ready');
    connect.core.onInitialized(function () {
      record('init', {activeRegion: connect.globalResiliency.getActiveRegion()});
    });
    connect.agent(function (agent) {
      crm.agent = agent;
      record('agent', {name: agent.getName(), state: agent.getState().name,
                       region: connect.globalResiliency.getActiveRegion()});
    });
    connect.contact(function (contact) {
      crm.contacts[contact.getContactId()] = contact;
      contact.onConnecting(function (c) {
        record('connecting', {id: c.getContactId(), region: connect.globalResiliency.getActiveRegion()});
      });
    });
    connect.globalResiliency.onFailoverDetected(function (e) { record('detected', e); });
    connect.globalResiliency.onFailoverPending(function (e) { record('pending', e); });
    connect.globalResiliency.onFailoverCompleted(function (e) {
      record('complete', {activeRegion: e.activeRegion, activeCcpUrl: e.activeCcpUrl,
                          getActiveRegion: connect.globalResiliency.getActiveRegion()});
    });
  });
}
/** The agent's state set through Streams: resolves with 'ok' or the error Streams reported. */
crm.setState = function (name) {
  return new Promise(function (resolve) {
    var state = crm.agent.getAgentStates().filter(function (s) { return s.name === name; })[0];
    crm.agent.setState(state, {success: function () { resolve('ok'); },
                               failure: function (error) { resolve('failed: ' + error); }});
  });
};

/** An incoming contact accepted through Streams: resolves with 'ok' or the error Streams reported. */
crm.accept = function (contactId) {
  return new Promise(function (resolve) {
    crm.contacts[contactId].accept({success: function () { resolve('ok'); },
                                    failure: function (error) { resolve('failed: ' + error); }});
  });
};
