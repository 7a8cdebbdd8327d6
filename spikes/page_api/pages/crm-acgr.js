/* CRM code written for an ACGR initCCP, unchanged except that initCCP is replaced by waiting for the page API. */
'use strict';
window.contacts = {};
grccpPageApi.ready.then(function () {
  record('ready');
  connect.core.onInitialized(function () {
    record('init', {activeRegion: connect.globalResiliency.getActiveRegion()});
  });
  connect.agent(function (agent) {
    window.agent = agent;
    record('agent', {state: agent.getState().name, region: connect.globalResiliency.getActiveRegion()});
    agent.onRefresh(function (a) { record('agent-refresh', {state: a.getState().name}); });
  });
  connect.contact(function (contact) {
    window.contacts[contact.getContactId()] = contact;
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
