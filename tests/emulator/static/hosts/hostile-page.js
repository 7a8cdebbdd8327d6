/* A CRM page's hostile script (issue 15): what a third-party script, or an XSS, on an allowlisted page can do from
   the page's main world. Loaded as the page's first script, so its listener is the first any page script can have;
   tests drive it through WebDriver (`window.hostile`) and read what it saw.

   ?stop=1   its listener stops every message event it sees (stopImmediatePropagation): no later listener gets them
   ?echo=1   on sight of each CCP window (a message's `source` from a CCP origin that is not a frame of its own) it
             posts `broadcast {disasterRecovery::failover, isPrimary false, nextActiveArn: the second region}` to it:
             the CCP passes a broadcast to its worker, which sends the inner event to every CCP window of the region
   ?arrival=attributes  every element that arrives in #ccp-slot gets hidden, inert and a hiding style at once
   ?arrival=container   #ccp-slot is replaced by a new one as soon as the document is parsed (a re-render: what
             the extension put in the old one goes with it)
   ?arrival=held  every element at the top of the document (a child of the document element other than its head
             and body: where the extension holds its panel until its container is parsed, in Chromium) is removed at
             once; the parser then waits 1 s for a slow script, so that the panel is held before #ccp-slot comes */
'use strict';

window.hostile = (function () {
  var query = new URLSearchParams(location.search);
  var instances = window.EMULATOR.instances;
  var ccpOrigins = instances.map(function (i) { return new URL(i.ccpUrl).origin; });
  var seen = {messages: 0, ccpMessages: 0, windows: [], events: []};  // what reached this page's listener
  var own = [];  // {region, window, agentUpdate} of the CCP frames this page made itself
  var echoes = 0;
  var heldRemoved = 0;  // ?arrival=held
  var panelMoves = {on: null, back: false, done: 0};  // moveExtensionPanelOn: what makes the page move the panel
  // What a page can observe of an extension without touching it: performance marks, and changes to its document
  // once parsed (the test rig's own tripwire attribute aside: it exists only in the tests' copy of the extension).
  var observed = {marks: [], mutations: []};
  new PerformanceObserver(function (list) {
    list.getEntries().forEach(function (entry) { observed.marks.push(entry.name); });
  }).observe({type: 'mark', buffered: true});
  document.addEventListener('DOMContentLoaded', function () {
    new MutationObserver(function (records) {
      records.forEach(function (record) {
        if (record.attributeName === 'data-grccp-tripwire') return;
        observed.mutations.push(record.type + ' ' + (record.attributeName || record.target.nodeName));
      });
    }).observe(document, {subtree: true, childList: true, attributes: true});
  });

  // ?arrival: what the page does to a panel as it arrives (before the extension's Python side runs it, when the
  // content script's early start made it)
  if (query.get('arrival') === 'attributes') {
    new MutationObserver(function (records) {
      records.forEach(function (record) {
        if (record.target.id !== 'ccp-slot') return;
        record.addedNodes.forEach(function (node) {
          if (node.nodeType !== 1) return;
          node.hidden = true;
          node.setAttribute('inert', '');
          node.style.cssText = 'display: none !important';
        });
      });
    }).observe(document, {subtree: true, childList: true});
  } else if (query.get('arrival') === 'held') {
    var removeHeld = function () {
      Array.prototype.slice.call(document.documentElement.children).forEach(function (node) {
        if (node.localName === 'head' || node.localName === 'body') return;
        node.remove();
        heldRemoved += 1;
      });
    };
    removeHeld();
    new MutationObserver(removeHeld).observe(document.documentElement, {childList: true});
    document.write('<script src="/slow-script.js?ms=1000"><\/script>');
  } else if (query.get('arrival') === 'container') {
    document.addEventListener('readystatechange', function rerender() {
      document.removeEventListener('readystatechange', rerender);
      var old = document.getElementById('ccp-slot');
      var fresh = document.createElement('div');
      fresh.id = 'ccp-slot';
      fresh.style.cssText = old.style.cssText;
      old.replaceWith(fresh);
    });
  }

  function failoverToSecond() {
    return {event: 'disasterRecovery::failover', data: {isPrimary: false, nextActiveArn: instances[1].instanceArn}};
  }

  // The entry of the page's own CCP frame that `source` is, or is a frame inside of.
  function ownFrame(source) {
    var parent = source ? source.parent : null;
    return own.filter(function (frame) { return frame.window === source || frame.window === parent; })[0];
  }

  addEventListener('message', function (event) {
    seen.messages++;
    var source = event.source;
    var frame = ownFrame(source);
    if (frame) {
      var data = event.data;
      if (data && data.event === panelMoves.on && !panelMoves.done) moveExtensionPanel();
      if (data && data.event === 'agent::update') frame.agentUpdate = data.data;
      if (data && data.event === 'acknowledge' && data.data && data.data.id) frame.acknowledged = true;
      if (data && data.event === 'emulator::from-inner-frame') frame.innerFrameSaid = true;
    } else if (ccpOrigins.indexOf(event.origin) >= 0) {
      seen.ccpMessages++;
      if (seen.events.length < 50) seen.events.push(event.data && event.data.event);
      if (source && seen.windows.indexOf(source) < 0) {
        seen.windows.push(source);
        if (query.get('echo') === '1') {
          source.postMessage({event: 'broadcast', data: failoverToSecond()}, '*');
          echoes++;
        }
      }
    }
    if (query.get('stop') === '1') event.stopImmediatePropagation();
  }, true);

  function instanceOf(region) {
    return instances.filter(function (i) { return i.region === region; })[0];
  }

  /** A 0×0 frame of the region's CCP made by this page (the instance approves the page's origin: the extension's
      frames sit on it); resolves once the CCP's worker acknowledged it (then its broadcasts are served). */
  function frame(region) {
    var element = document.createElement('iframe');
    element.style.cssText = 'width: 0; height: 0; border: 0;';
    element.src = instanceOf(region).ccpUrl;
    document.body.appendChild(element);
    var entry = {region: region, window: element.contentWindow, agentUpdate: null, acknowledged: false,
                 innerFrameSaid: false};
    own.push(entry);
    return new Promise(function (resolve) {
      var timer = setInterval(function () {
        if (entry.acknowledged) { clearInterval(timer); resolve(true); }
      }, 20);
    });
  }

  function ownWindow(region) {
    return own.filter(function (f) { return f.region === region; })[0].window;
  }

  /** Posts `broadcast {event, data}` through the page's own frame of `region`. */
  function broadcast(region, event, data) {
    ownWindow(region).postMessage({event: 'broadcast', data: {event: event, data: data}}, '*');
  }

  /** The region's latest agent data as the page's own frame got it, with no contact left. */
  function emptiedAgentUpdate(region) {
    var latest = own.filter(function (f) { return f.region === region; })[0].agentUpdate;
    var copy = {snapshot: Object.assign({}, latest.snapshot, {contacts: []}), configuration: latest.configuration};
    return copy;
  }

  /** Broadcasts the emptied agent data through the page's own frame every `everyMs` until stop() is called. */
  function keepEchoingEmptyAgent(region, everyMs) {
    var timer = setInterval(function () { broadcast(region, 'agent::update', emptiedAgentUpdate(region)); }, everyMs);
    return function stop() { clearInterval(timer); };
  }

  /** On the first message of its own CCP frame named `event`, the page takes the extension's panel out of the
      document (back: and puts it straight back, which gives its frames new windows), in that message's task. A
      test has the region's worker post a flood of such messages to all its CCP windows at once: each window
      passes each one on to its parent in a task of its own, and each is dispatched on the page's window in a later
      task, so copies the extension's frame posted are usually still waiting when the page moves the panel. They
      are dispatched afterwards, from a window the frame no longer has (Chromium: that window; Firefox: none). */
  function moveExtensionPanelOn(event, back) {
    panelMoves.on = event;
    panelMoves.back = back;
  }

  function moveExtensionPanel() {
    var host = document.getElementById('grccp-ccp-host');
    var place = host.parentNode;
    host.remove();
    if (panelMoves.back) place.appendChild(host);
    panelMoves.done++;
  }

  /** Dispatches a synthetic message event on this window; returns 'dispatched' or the error's name (Firefox
      refuses a cross-origin window as `source`). */
  function synthetic(data, origin, source) {
    try {
      var init = {data: data, origin: origin};
      if (source) init.source = source;
      dispatchEvent(new MessageEvent('message', init));
      return 'dispatched';
    } catch (error) {
      return error.name;
    }
  }

  return {
    seen: seen,
    observed: observed,
    echoes: function () { return echoes; },
    frame: frame,
    ownWindow: ownWindow,
    broadcast: broadcast,
    innerFrameSaid: function (region) {
      return own.some(function (f) { return f.region === region && f.innerFrameSaid === true; });
    },
    hasAgentUpdate: function (region) {
      return own.some(function (f) { return f.region === region && f.agentUpdate !== null; });
    },
    keepEchoingEmptyAgent: keepEchoingEmptyAgent,
    moveExtensionPanelOn: moveExtensionPanelOn,
    panelMoves: function () { return panelMoves.done; },
    /** ?arrival=held: how many elements it removed from the top of the document. */
    heldRemoved: function () { return heldRemoved; },
    synthetic: synthetic,
    failoverToSecond: failoverToSecond,
    ccpOrigin: function (region) { return new URL(instanceOf(region).ccpUrl).origin; }
  };
})();
