/* The page's first script: a record for the tests, what the page can see of the extension when its own scripts
   start, and every message event any page listener could observe (the hand-over of the relay's port must not be
   one of them). */
'use strict';
window.recorded = [];
function record(kind, detail) {
  window.recorded.push({kind: kind, detail: detail === undefined ? null : detail, at: performance.now()});
}
record('first-script', {globalConnect: typeof window.globalConnect, connect: typeof window.connect,
                        grccpPageApi: typeof window.grccpPageApi});
window.observedMessages = [];
window.ccpWindows = {};  // origin -> a real CCP window, as any page script can learn it from the CCP's messages
window.addEventListener('message', function (e) {
  if (e.source && e.source !== window && /^https:\/\/ccp\./.test(e.origin)) window.ccpWindows[e.origin] = e.source;
  window.observedMessages.push({ports: e.ports.length, keys: e.data && typeof e.data === 'object' ? Object.keys(e.data) : [],
                               event: e.data && e.data.event, fromSelf: e.source === window});
}, true);
window.addEventListener('error', function (e) { record('page-error', String(e.message)); });
/** Promise-style wrapper for tests: resolves {ok, err, ms} once Streams' callback fires. */
window.callStreams = function (run) {
  return new Promise(function (resolve) {
    var start = performance.now();
    run({success: function () { resolve({ok: true, ms: performance.now() - start}); },
         failure: function (err) { resolve({ok: false, err: String(err), ms: performance.now() - start}); }});
  });
};
