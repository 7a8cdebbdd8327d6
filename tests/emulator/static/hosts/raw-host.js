/* Talks to an emulated CCP with bare postMessage (no Streams), recording every message the CCP posts up as
   record('from-ccp', {event, hasData, data}) with Dates written as {$date: <ISO>} so tests can see them. */
'use strict';

(function () {
  var frame = document.getElementById('ccp');
  var instance = instanceOf(pageOptions.get('region', window.EMULATOR.instances[0].region));

  window.addEventListener('message', function (event) {
    if (event.source !== frame.contentWindow) return;
    var m = event.data;
    var isObject = m !== null && typeof m === 'object';
    record('from-ccp', {event: isObject ? m.event : null, hasData: isObject && m.data !== undefined,
                        data: isObject ? plainCopy(m.data) : plainCopy(m)});
  });
  frame.src = instance.ccpUrl;
  window.sendToCcp = function (message) { frame.contentWindow.postMessage(message, '*'); };
  window.sendFromSibling = function (message) { document.getElementById('sibling').contentWindow.postToCcp(message); };
})();
