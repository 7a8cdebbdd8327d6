// The page API's regional-realm request (legacy DR, README "Page API"): in the content script's isolated world of
// every frame of the origins of the pages opted in (matchOriginAsFallback reaches the blank frames, which have no
// URL of their own). Only a frame of the top document whose name is the marker that page_api/main.js gives its
// regional frames asks, once, for Streams in its main world; the background checks the tab's page (opted in, port
// included), the region, one load per frame and at most two per top document (named by its time origin), and
// loads it (scripting.executeScript, MAIN world, this frame only). Then this frame's window gets STREAMS_LOADED,
// which the facade in the top listens for. Every other frame: nothing happens.
(function () {
  'use strict';
  var REGION_FRAME = 'grccp-region:';
  var STREAMS_LOADED = 'grccp:streams-loaded';
  if (window === window.top || window.parent !== window.top || typeof window.name !== 'string' ||
      window.name.indexOf(REGION_FRAME) !== 0 || globalThis.grccpRegionFrame) {
    return;
  }
  globalThis.grccpRegionFrame = true;
  var message = {type: 'cs:load-streams', region: window.name.slice(REGION_FRAME.length),
                 document: String(window.top.performance.timeOrigin)};
  chrome.runtime.sendMessage(message, function (reply) {
    if (chrome.runtime.lastError || !reply || reply.type !== 'bg:streams-loaded') return;
    window.dispatchEvent(new Event(STREAMS_LOADED));
  });
})();
