/* CRM code written for connect-streams-dr.js, unchanged but for one thing: it neither loads connect-streams-dr.js
   nor calls globalConnect.core.initCCP (globalConnect comes from the extension's page API). Its hooks are the
   connect-streams-dr.js documentation's own examples; the tests' observers (tests/e2e/test_page_api_legacy.py)
   record what they see, and console.log, into window.crm. */
'use strict';
window.crm = {events: [], log: [], errors: [], violations: [], connects: {}, agents: {}, contacts: {},
              readyEvent: false,
              atFirstScript: {globalConnect: typeof window.globalConnect, connect: typeof window.connect,
                              grccpPageApi: typeof window.grccpPageApi}};
document.addEventListener('securitypolicyviolation', function (e) {
  crm.violations.push({directive: e.violatedDirective, blocked: e.blockedURI, sample: e.sample});
});
window.addEventListener('error', function (e) { crm.errors.push(String(e.message)); });
window.addEventListener('grccp:page-api-ready', function () { crm.readyEvent = true; });
var pageLog = console.log;
console.log = function () {
  crm.log.push(Array.prototype.join.call(arguments, ' '));
  pageLog.apply(console, arguments);
};
function record(kind, data) {
  crm.events.push({kind: kind, data: data === undefined ? null : JSON.parse(JSON.stringify(data))});
}
function activeRegionOfWindowConnect() {
  return Object.keys(crm.connects).filter(function (r) { return crm.connects[r] === window.connect; })[0] || null;
}

if (window.globalConnect) {
  // A hook that throws (before the others): it stops neither the other hooks nor the other region.
  globalConnect.core.onInit(function () { throw new Error('a CRM hook that throws'); });

  // ----- the connect-streams-dr.js documentation's examples, as they are (the chat script is this site's) -----
  globalConnect.core.onInit((connect, region) => {
      connect.contact((contact) => {
          contact.onConnecting((contact) => {
              console.log(`contact with ID ${contact.getContactId()} connecting in region ${region}`);
          });
      });
  });
  globalConnect.core.onFailoverComplete(() => {
      const script = document.createElement('script');
      script.src = "/page-api/chat.js";
      document.body.appendChild(script);
  });

  // ----- the tests' observers -----
  globalConnect.core.onInit(function (connect, region) {
    crm.connects[region] = connect;
    record('init', {region: region, version: connect.version});
    connect.agent(function (agent) {
      crm.agents[region] = agent;
      record('agent', {region: region, state: agent.getState().name});
    });
    connect.contact(function (contact) { crm.contacts[contact.getContactId()] = contact; });
  });
  globalConnect.core.onFailoverPending(function (e) {
    record('pending', {nextActiveArn: e.nextActiveArn, windowConnect: activeRegionOfWindowConnect()});
  });
  globalConnect.core.onFailoverComplete(function (e) {
    record('complete', {activeRegion: e.activeRegion, activeCcpUrl: e.activeCcpUrl,
                        windowConnect: activeRegionOfWindowConnect(),
                        primaryRegion: globalConnect.core.primaryRegion,
                        secondaryRegion: globalConnect.core.secondaryRegion});
  });
  var off = globalConnect.core.onFailoverPending(function () { record('deregistered'); });
  off();
  grccpPageApi.ready.then(function (api) {
    record('ready', {isGlobalConnect: api === window.globalConnect, windowConnect: activeRegionOfWindowConnect(),
                     primaryRegion: globalConnect.core.primaryRegion,
                     secondaryRegion: globalConnect.core.secondaryRegion});
  });
}

/** The agent's state set through the region's Streams: resolves with 'ok' or the error Streams reported. */
crm.setState = function (region, name) {
  return new Promise(function (resolve) {
    var agent = crm.agents[region];
    var state = agent.getAgentStates().filter(function (s) { return s.name === name; })[0];
    agent.setState(state, {success: function () { resolve('ok'); },
                           failure: function (error) { resolve('failed: ' + error); }});
  });
};

/** An incoming contact accepted through its region's Streams: resolves with 'ok' or the error Streams reported. */
crm.accept = function (contactId) {
  return new Promise(function (resolve) {
    crm.contacts[contactId].accept({success: function () { resolve('ok'); },
                                    failure: function (error) { resolve('failed: ' + error); }});
  });
};
