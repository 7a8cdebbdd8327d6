/* Spike background (Chrome service worker / Firefox event page). Registers, from the configuration:
     relay        ISOLATED, top frame, every allowlisted page: owns the real CCP frames, relays for the page API
     page-legacy  MAIN, top frame, pages opted in to the legacy API: the globalConnect facade (no Streams in the top)
     page-acgr    MAIN, top frame, pages opted in to the ACGR API: connect-streams.js, then the ACGR bootstrap
     region-frame ISOLATED, about:blank frames of legacy pages (matchOriginAsFallback): asks for Streams to be
                  loaded into the facade's regional frames only
   and loads connect-streams.js into a regional frame's MAIN world on request (scripting.executeScript). */
'use strict';
if (typeof importScripts === 'function' && !self.SPIKE_CONFIG) importScripts('spike_config.js');

var api = globalThis.browser || globalThis.chrome;
var CFG = self.SPIKE_CONFIG;
var REGION_FRAME_PREFIX = 'grccp-region:';
var loadedFrames = {};  // "tabId:frameId" -> true: Streams is loaded into a frame at most once

function patternsFor(mode) {
  return CFG.pageApi.filter(function (p) { return p.mode === mode; }).map(function (p) { return p.pattern; });
}

function originPatterns(patterns) {  // matchOriginAsFallback needs a path of "/*"
  return Array.from(new Set(patterns.map(function (p) { return p.replace(/^(https:\/\/[^/]+)\/.*$/, '$1/*'); })));
}

function matchesPattern(url, pattern) {
  var re = new RegExp('^' + pattern.split('*').map(function (s) {
    return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }).join('.*') + '$');
  return re.test(url.replace(/^(https:\/\/[^/:]+):\d+/, '$1'));  // patterns are port-free (Firefox ignores ports)
}

function registrations() {
  var list = [{id: 'relay', js: ['spike_config.js', 'relay_rules.js', 'relay.js'], matches: CFG.allowlist,
               runAt: 'document_start', world: 'ISOLATED'}];
  var legacy = patternsFor('legacy');
  var acgr = patternsFor('acgr');
  if (legacy.length) {
    list.push({id: 'page-legacy', js: ['probe.js', 'page_api.js'], matches: legacy, runAt: 'document_start',
               world: 'MAIN'});
    list.push({id: 'region-frame', js: ['region_frame.js'], matches: originPatterns(legacy), allFrames: true,
               matchOriginAsFallback: true, runAt: 'document_start', world: 'ISOLATED'});
  }
  if (acgr.length) {
    list.push({id: 'page-acgr', js: ['probe.js', CFG.streamsFile, 'probe_after.js', 'page_api.js'], matches: acgr,
               runAt: 'document_start', world: 'MAIN'});
  }
  return list;
}

var registered = api.scripting.unregisterContentScripts().then(function () {
  return api.scripting.registerContentScripts(registrations());
}).then(function () { return true; }, function (error) {
  console.error('registration failed', error);
  return String(error);
});

/** A regional frame of an opted-in legacy page asks for Streams: load it into that frame's main world. */
function loadStreams(message, sender) {
  var tab = sender.tab;
  var key = tab && tab.id + ':' + sender.frameId;
  if (!tab || !sender.frameId || loadedFrames[key] || typeof message.name !== 'string' ||
      message.name.indexOf(REGION_FRAME_PREFIX) !== 0 ||
      !patternsFor('legacy').some(function (p) { return matchesPattern(tab.url, p); })) {
    return Promise.resolve({ok: false, error: 'refused'});
  }
  loadedFrames[key] = true;
  var started = Date.now();
  return api.scripting.executeScript({target: {tabId: tab.id, frameIds: [sender.frameId]}, world: 'MAIN',
                                      files: [CFG.streamsFile]})
    .then(function () { return {ok: true, ms: Date.now() - started}; },
          function (error) { return {ok: false, error: String(error)}; });
}

api.runtime.onMessage.addListener(function (message, sender, sendResponse) {
  if (!message || sender.id !== api.runtime.id) return false;
  if (message.kind === 'load-streams') {
    loadStreams(message, sender).then(sendResponse);
    return true;
  }
  if (message.kind === 'registered') {
    registered.then(function (ok) {
      return api.scripting.getRegisteredContentScripts().then(function (scripts) {
        sendResponse({ok: ok, ids: scripts.map(function (s) { return s.id; })});
      });
    });
    return true;
  }
  return false;
});
