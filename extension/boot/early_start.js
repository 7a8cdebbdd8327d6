// The content script's early start (document_start, after the page guard): the CCP frames start loading while the
// Brython runtime does (~0.2-0.4 s before Python could create them). It asks the background for the page's
// configuration at once (cs:hello) and, once the background said the page is allowlisted (port included: the
// browser's URL of the tab, checked there) and the document is parsed, puts the panel with one frame per configured
// region into its container (boot/panel_dom.js: styled, the active region's frame shown, its status line empty until
// Python fills it), and routes the frames at the page guard: their messages are stopped there and kept, in order,
// until Python listens. Nothing is made when the background says no,
// when the placement's container is not there, or when a panel (an earlier instance's) is already on the page.
// Python (platform/content/early_start.py) takes the answer and decides everything again: it adopts the panel only
// if it holds exactly the configured frames in the right container, and removes it otherwise.
(function () {
  'use strict';
  if (globalThis.grccpEarlyStart) return;  // the browser may inject the file again into the same world
  var guard = globalThis.grccpPageGuard;
  var dom = globalThis.grccpPanelDom;
  var answer = null;    // [reply, error]: the background's answer to the early cs:hello
  var waiting = [];     // callbacks for it
  var early = null;     // the panel made here, until Python adopts or discards it: {regions, parts}
  var settled = false;  // Python took over: nothing more is made here

  // [[key, ccpUrl, origin]] of the configured regions, if the answer allowlists the page; null otherwise.
  function regionsOf(welcome) {
    var config = welcome && welcome.type === 'bg:welcome' && welcome.allowed === true ? welcome.config : null;
    if (!config || !Array.isArray(config.regions) || !config.placement) return null;
    var regions = [];
    for (var region of config.regions) {
      var url = null;
      try { url = new URL(region.ccpUrl); } catch (error) { return null; }
      if (typeof region.region !== 'string' || url.protocol !== 'https:') return null;
      regions.push([region.region, region.ccpUrl, url.origin]);
    }
    return regions.length ? regions : null;
  }

  function containerOf(placement) {
    if (placement.mode !== 'selector') return document.documentElement;
    try {
      return document.querySelector(String(placement.selector));
    } catch (error) {
      return null;  // not a valid selector: Python says so
    }
  }

  function makePanel(welcome) {
    var regions = regionsOf(welcome);
    if (settled || early !== null || regions === null || document.getElementById(dom.HOST_ID) !== null) return;
    var container = containerOf(welcome.config.placement);
    if (container === null) return;
    // shown: the active region's frame, as the tab session will show it (it decides again)
    var shown = Math.max(0, regions.findIndex(function (region) { return region[0] === welcome.activeRegion; }));
    var parts = dom.build(container, welcome.config.placement, regions, shown);
    regions.forEach(function (region) { guard.route(region[0], parts.frames[region[0]], region[2]); });
    early = {regions: regions, parts: parts};
    performance.mark('grccp-early-panel');  // the page is allowlisted (benchmark: tests/bench)
  }

  function answered(reply, error) {
    answer = [reply, error];
    waiting.splice(0).forEach(function (callback) { callback(reply, error); });
    if (error !== null) return;
    if (document.readyState !== 'loading') {
      makePanel(reply);
      return;
    }
    // parsed: before the DOMContentLoaded event's listeners and the content script's main part (document_end)
    document.addEventListener('readystatechange', function parsed() {
      document.removeEventListener('readystatechange', parsed);
      makePanel(reply);
    });
  }

  try {
    chrome.runtime.sendMessage({type: 'cs:hello', url: String(location.href)}, function (reply) {
      var error = chrome.runtime.lastError;
      answered(error ? null : reply, error ? String(error.message) : null);
    });
  } catch (problem) {  // the extension was updated or reloaded: "Extension context invalidated"
    answered(null, String(problem) || 'the message could not be sent');
  }

  globalThis.grccpEarlyStart = {
    /** callback(reply, error) once the background answered the early cs:hello (at once if it has). */
    welcome: function (callback) {
      if (answer !== null) callback(answer[0], answer[1]); else waiting.push(callback);
    },
    /** {early}: the panel made here if it is in `container` ({regions: [[key, ccpUrl, origin]], parts: panel_dom's
        build}), else null. */
    offer: function (container) {
      return {early: early !== null && early.parts.host.parentNode === container ? early : null};
    },
    /** Python runs the panel made here (if any): from now on it is Python's. */
    adopt: function () {
      settled = true;
      early = null;
    },
    /** Python does not use the panel made here (if any): it leaves the page with its frames' routes and the
        messages they sent; nothing more is made here. */
    discard: function () {
      settled = true;
      if (early !== null) {
        early.parts.host.remove();
        guard.unrouteAll();
        early = null;
      }
    }
  };
})();
