// The content script's early start (document_start, after the page guard): the CCP frames start loading while the
// Brython runtime does (~0.2-0.4 s before Python could create them). It reads the background's early start record
// (core/early_start_record.py: storage.local, published by the background whenever the configuration in force,
// the active region or the switch count changes) and asks the background for the page's configuration (cs:hello),
// both at once. The panel is made from whichever says first that the page is allowlisted: the record only while
// the stored configuration and policy are still those it was computed from, and when one of its allowlist entries'
// expressions (config.PagePattern.page_regex) matches this page's key (config.page_key); the background's answer
// (port included: the browser's URL of the tab, checked there) otherwise. It puts the panel with one frame per
// configured region into its container (boot/panel_dom.js: styled, the active region's frame shown, its status
// line empty until Python fills it) as soon as the container is there and complete: a docked panel's, the document
// element, from the start; a selector's once the parser has gone past it (makePanelWhenPlaced). It routes the
// frames at the page guard: their messages are stopped there and kept, in order, until Python listens. The
// background stays the judge: a panel made from the record is removed as soon as its answer disagrees (no longer
// allowlisted, other CCPs) or cannot come. Nothing is made when neither allowlists the page, when the placement's
// container is not there, or when a panel (an earlier instance's) is already on the page.
// Python (platform/content/early_start.py) takes the answer, or the record's welcome while the answer has not come,
// and decides everything again: it adopts the panel only if it holds exactly the configured frames in the right
// container, and removes it otherwise.
(function () {
  'use strict';
  if (globalThis.grccpEarlyStart) return;  // the browser may inject the file again into the same world
  var guard = globalThis.grccpPageGuard;
  var dom = globalThis.grccpPanelDom;
  var answer = null;    // [reply, error]: the background's answer to the early cs:hello
  var waiting = [];     // callbacks for it
  var recordWaiting = [];  // callbacks for the record's welcome, until a panel is made from it or the answer comes
  var early = null;     // the panel made here, until Python adopts or discards it: {regions, parts}
  var settled = false;  // Python took over: nothing more is made here
  var RECORD_KEY = 'earlyStart';  // core.early_start_record.RECORD_KEY
  var RECORD_VERSION = 2;         // core.early_start_record.VERSION

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

  // The placement's container, once it is in the page and complete: the document element (a docked panel's, there
  // from document_start), or the first element the selector matches once the parser has gone past its end
  // (something follows it in the document, or the document is parsed), so that the panel is its last child as
  // Python would put it; null until then, and for an invalid selector (Python says so).
  function placedContainer(placement) {
    if (placement.mode !== 'selector') return document.documentElement;
    var found = null;
    try {
      found = firstMatch(String(placement.selector));
    } catch (error) {
      return null;
    }
    if (found === null || document.readyState !== 'loading') return found;
    for (var node = found; node !== null && node !== document; node = node.parentNode) {
      if (node.nextSibling !== null) return found;
    }
    return null;
  }

  // Whether a panel can be made before its container is parsed and moved into it later with its frames still loaded
  // (Element.moveBefore: Chromium 133). Firefox (153) has moveBefore but loads the frames of a moved shadow tree
  // again (tests/e2e/test_placement.py), so there, as in an older Chromium, the panel waits for its container;
  // Firefox is told by the CSS property only its engine has (boot/panel_dom.js's stylesheet goes by it too).
  var CAN_HOLD = typeof Element.prototype.moveBefore === 'function' && !CSS.supports('-moz-orient', 'inline');

  // The first element `selector` matches, but never the panel held at the top of the document (a selector such as
  // "div" would find it first, its container never)
  function firstMatch(selector) {
    var found = document.querySelector(selector);
    if (found === null || early === null || found !== early.parts.host) return found;
    return Array.prototype.find.call(document.querySelectorAll(selector), function (element) {
      return element !== found;
    }) || null;
  }

  // source: 'record' or 'answer', which said the page is allowlisted; container: placedContainer's, or the document
  // element for a panel held until its container is placed (held). Whether the panel was made.
  function makePanel(welcome, source, container, held) {
    if (source === 'record' && answer !== null) return false;  // the record stands in for the answer until it comes
    var regions = regionsOf(welcome);
    if (settled || early !== null || regions === null || document.getElementById(dom.HOST_ID) !== null) return false;
    // shown: the active region's frame, as the tab session will show it (it decides again)
    var shown = Math.max(0, regions.findIndex(function (region) { return region[0] === welcome.activeRegion; }));
    var parts = dom.build(container, welcome.config.placement, regions, shown, held);
    regions.forEach(function (region) { guard.route(region[0], parts.frames[region[0]], region[2]); });
    early = {regions: regions, parts: parts, source: source, welcome: welcome};
    performance.mark('grccp-early-panel');  // the page is allowlisted (benchmark: tests/bench)
    performance.mark('grccp-early-panel-' + source);  // which said so (tests/e2e/test_early_start_record.py)
    if (source === 'record') recordWaiting.splice(0).forEach(function (callback) { callback(welcome); });
    return true;
  }

  function removePanel() {
    early.parts.host.remove();
    guard.unrouteAll();
    early = null;
  }

  // callback(container) once the placement's container is placed (placedContainer): at once, or as the parser adds
  // to the page (a MutationObserver, until found or the document is parsed); callback(null) if the parsed document
  // has none.
  function whenPlaced(placement, callback) {
    var container = placedContainer(placement);
    if (container !== null || document.readyState !== 'loading') {
      callback(container);
      return;
    }
    var observer = new MutationObserver(function () {
      var found = placedContainer(placement);
      if (found === null) return;
      observer.disconnect();
      observer = null;
      callback(found);
    });
    observer.observe(document, {childList: true, subtree: true});
    whenParsed(function () {
      if (observer === null) return;
      observer.disconnect();
      observer = null;
      callback(placedContainer(placement));
    });
  }

  // The panel in its container as soon as it is placed. Where it can be held, it is made at once, out of view at
  // the top of the document, and moved into its container once placed (removed if the parsed document has none, or
  // if the page's script took it away meanwhile): the CCPs load while the page is parsed, as they do on a page whose
  // own script calls initCCP in its head.
  function makePanelWhenPlaced(welcome, source) {
    if (regionsOf(welcome) === null) return;
    var placement = welcome.config.placement;
    if (CAN_HOLD && document.documentElement !== null && placedContainer(placement) === null &&
        document.readyState === 'loading') {
      if (!makePanel(welcome, source, document.documentElement, true)) return;
      var held = early;
      whenPlaced(placement, function (container) {
        if (early !== held) return;  // removed meanwhile: the background's answer disagreed
        if (container !== null && held.parts.host.isConnected) {
          try {
            dom.release(held.parts, container);
            return;
          } catch (error) {
            // the page put it where it cannot move from (its container inside it): it leaves, as below
          }
        }
        removePanel();  // no container, or the page took it away: Python makes the panel anew if it can
      });
      return;
    }
    whenPlaced(placement, function (container) {
      if (container !== null) makePanel(welcome, source, container, false);
    });
  }

  // fn() once the document is parsed (at once if it is): before the DOMContentLoaded event's listeners
  function whenParsed(fn) {
    if (document.readyState !== 'loading') {
      fn();
      return;
    }
    document.addEventListener('readystatechange', function parsed() {
      document.removeEventListener('readystatechange', parsed);
      fn();
    });
  }

  function answered(reply, error) {
    answer = [reply, error];
    recordWaiting = [];  // the answer rules from now on
    // only on an allowlisted page: elsewhere nothing the page can observe happens (README, "Security")
    if (regionsOf(reply) !== null) performance.mark('grccp-early-answer');
    // the background judges a panel made from the record before Python (the callbacks) can adopt it
    if (early !== null && early.source === 'record' && !settled &&
        (error !== null || JSON.stringify(regionsOf(reply)) !== JSON.stringify(early.regions))) {
      removePanel();
    }
    waiting.splice(0).forEach(function (callback) { callback(reply, error); });
    if (error !== null) return;
    makePanelWhenPlaced(reply, 'answer');
  }

  // The page's key as config.page_key writes it ("host:port/path", the port always written); null for a page no
  // allowlist entry can match (not https, or with credentials in its URL: config refuses those).
  function pageKey() {
    if (location.protocol !== 'https:' || location.username || location.password) return null;
    return location.hostname + ':' + (location.port || '443') + location.pathname;
  }

  // JSON text with sorted keys, so that the record's copy and storage's value compare whatever their key order
  function canonical(value) {
    if (Array.isArray(value)) return '[' + value.map(canonical).join(',') + ']';
    if (value !== null && typeof value === 'object') {
      return '{' + Object.keys(value).sort().map(function (key) {
        return JSON.stringify(key) + ':' + canonical(value[key]);
      }).join(',') + '}';
    }
    return JSON.stringify(value === undefined ? null : value);
  }

  // A welcome from the record in `items` (storage.local's record, "config" and "lastPolicy", read together) if it
  // is of this version, computed from the configuration and policy stored now, and allowlists this page; else null.
  function welcomeOfRecord(items) {
    var record = items ? items[RECORD_KEY] : null;
    if (!record || record.version !== RECORD_VERSION || !record.source || !Array.isArray(record.pages)) return null;
    if (canonical(record.source.config) !== canonical(items.config) ||
        canonical(record.source.policy) !== canonical(items.lastPolicy)) return null;
    var key = pageKey();
    var listed = key !== null && record.pages.some(function (source) {
      try {
        return typeof source === 'string' && new RegExp(source).test(key);
      } catch (error) {
        return false;
      }
    });
    return listed ? {type: 'bg:welcome', allowed: true, config: record.config, activeRegion: record.activeRegion,
                     epoch: record.epoch, failover: null} : null;
  }

  try {
    chrome.storage.local.get([RECORD_KEY, 'config', 'lastPolicy'], function (items) {
      var welcome = chrome.runtime.lastError ? null : welcomeOfRecord(items);
      if (welcome === null || answer !== null) return;  // the background's answer came first: it rules
      makePanelWhenPlaced(welcome, 'record');
    });
  } catch (problem) {
    // the extension was updated or reloaded: the background's answer below cannot come either, and says so
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
    whenParsed: whenParsed,
    /** callback(reply, error) once the background answered the early cs:hello (at once if it has). */
    welcome: function (callback) {
      if (answer !== null) callback(answer[0], answer[1]); else waiting.push(callback);
    },
    /** {early}: the panel made here if it is in `container` ({regions: [[key, ccpUrl, origin]], parts: panel_dom's
        build}), else null. */
    offer: function (container) {
      return {early: early !== null && early.parts.host.parentNode === container ? early : null};
    },
    /** callback(welcome) with the welcome the record made (a bg:welcome's data, checked by Python as the answer
        is) once the panel made here came from it (at once if it has), unless the background answers first. */
    recordWelcome: function (callback) {
      if (answer !== null) return;
      if (early !== null && early.source === 'record') callback(early.welcome); else recordWaiting.push(callback);
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
      if (early !== null) removePanel();
    }
  };
})();
