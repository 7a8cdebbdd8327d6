/* Test observability (extension page): registrations, and a tab's relay counters (tabs.sendMessage). */
'use strict';
var api = globalThis.browser || globalThis.chrome;

function spikeRegistered() {
  return api.runtime.sendMessage({kind: 'registered'});
}

function spikeStats(urlPrefix) {
  return api.tabs.query({}).then(function (tabs) {
    var tab = tabs.filter(function (t) { return t.url && t.url.indexOf(urlPrefix) === 0; })[0];
    if (!tab) return {error: 'no tab ' + urlPrefix};
    return api.tabs.sendMessage(tab.id, {kind: 'stats'}, {frameId: 0});
  });
}
