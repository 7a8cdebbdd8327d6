/* CRM code written for connect-streams-dr.js, unchanged except that the page no longer loads Streams or calls
   globalConnect.core.initCCP. */
'use strict';
window.agents = {};
window.contacts = {};

globalConnect.core.onInit(function (connect, region) {
  record('init', {region: region, initialised: connect.core.initialized});
  connect.agent(function (agent) {
    window.agents[region] = agent;
    record('agent', {region: region, state: agent.getState().name});
    agent.onStateChange(function (change) { record('agent-state', {region: region, state: change.newState}); });
  });
  connect.contact(function (contact) {
    window.contacts[contact.getContactId()] = contact;
    contact.onConnecting(function (c) { record('connecting', {region: region, id: c.getContactId()}); });
    contact.onConnected(function (c) { record('connected', {region: region, id: c.getContactId()}); });
  });
});
// A CRM hook that throws must stop neither the other hooks nor the other region (the reference's onInit defect).
globalConnect.core.onInit(function () { throw new Error('a broken CRM hook'); });

globalConnect.core.onFailoverPending(function (e) { record('pending', e); });
globalConnect.core.onFailoverComplete(function (e) {
  record('complete', {activeRegion: e.activeRegion, activeCcpUrl: e.activeCcpUrl,
                      windowConnectFollows: window.connect === globalConnect.core.regions[e.activeRegion].connect,
                      primaryRegion: globalConnect.core.primaryRegion});
});
