/* ISOLATED world, every same-origin or about:blank frame of a legacy opted-in page's origin (matchOriginAsFallback).
   Only the facade's regional frames (window.name "grccp-region:<key>", not the top) ask the background to load
   connect-streams.js into their main world; then this window gets a "grccp-streams-loaded" event, which the
   facade (main world of the top frame, same origin) listens for. Any other frame: nothing happens. */
'use strict';
(function () {
  var api = globalThis.browser || globalThis.chrome;
  if (window === window.top || window.name.indexOf('grccp-region:') !== 0) return;
  api.runtime.sendMessage({kind: 'load-streams', name: window.name}).then(function (answer) {
    window.dispatchEvent(new CustomEvent('grccp-streams-loaded', {detail: JSON.stringify(answer)}));
  });
})();
