/* CRM code on the page API's benchmark page (bench-page-api.html), the seed's hooks as a CRM keeps them: the agent
   and contact subscriptions of each region's connect (legacy DR: globalConnect.core.onInit; ACGR: the one connect
   of grccpPageApi.ready), and when the page's own Streams came up and heard a failover complete, read by tests/bench
   (bench.page_api_sides). Times are this page's performance.now() (ms since navigation start) unless named *At
   (wall clock). */
'use strict';

window.bench = {
  ready: {},         // region (ACGR: "connect") -> the page's Streams initialised there (connect.core.onInitialized)
  completeAt: [],    // onFailoverComplete (legacy DR) / onFailoverCompleted (ACGR) fired
  contacts: 0,       // contacts the page's onConnecting hook saw
  errors: []
};

window.addEventListener('error', function (e) { window.bench.errors.push(String(e.message)); });

function crmHooks(connect, key) {
  connect.core.onInitialized(function () {
    if (!(key in window.bench.ready)) window.bench.ready[key] = performance.now();
  });
  connect.agent(function (agent) {
    agent.onStateChange(function (change) { window.bench.agentState = change.newState; });
  });
  connect.contact(function (contact) {
    contact.onConnecting(function () { window.bench.contacts += 1; });
  });
}

// Date.now(), the CCP windows' clock: the bench compares it with their reports (this page's performance.timeOrigin
// + performance.now() was seen 30 s away from Date.now() in a loaded headless Chromium)
function completed() { window.bench.completeAt.push(Date.now()); }

if (window.globalConnect) {  // legacy DR: one real Streams per region
  globalConnect.core.onInit(function (connect, region) { crmHooks(connect, region); });
  globalConnect.core.onFailoverComplete(completed);
} else if (window.grccpPageApi) {  // ACGR: one connect whose subscriptions survive a failover
  grccpPageApi.ready.then(function (connect) {
    crmHooks(connect, 'connect');
    connect.globalResiliency.onFailoverCompleted(completed);
  });
} else {
  window.bench.errors.push('the page API is not there');
}
