/* Talks to an emulated CCP with bare postMessage (no Streams), recording every message the CCP posts up. */
'use strict';

(function () {
  var frame = document.getElementById('ccp');
  var instance = instanceOf(pageOptions.get('region', window.EMULATOR.instances[0].region));
  window.addEventListener('message', function (event) {
    if (event.source !== frame.contentWindow) return;
    var m = event.data || {};
    var d = m.data && typeof m.data === 'object' ? m.data : {};
    record('from-ccp', {event: m.event, hasData: m.data !== undefined, id: d.id || null, requestId: d.requestId || null,
                        err: d.err || null, text: d.text || null, contextLayer: d.contextLayer || null,
                        timeIsDate: d.time instanceof Date,
                        snapshotDates: d.snapshot ? d.snapshot.snapshotTimestamp instanceof Date : null});
  });
  frame.src = instance.ccpUrl;
  window.sendToCcp = function (message) { frame.contentWindow.postMessage(message, '*'); };
  window.sendFromSibling = function (message) { document.getElementById('sibling').contentWindow.postToCcp(message); };
})();
