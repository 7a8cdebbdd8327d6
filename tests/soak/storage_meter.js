// The soak's storage meter, run first in the background of the soak's copy of the extension (never in the
// product): counts what the extension asks storage to write, as the characters of what is stored —
// chrome.storage.local.set (each key and its value as JSON text) and IndexedDB put (each Blob's size) — and
// answers the soak with the totals over BroadcastChannel('grccp-soak').
(function () {
  'use strict';
  var totals = {localCharacters: 0, localWrites: 0, archiveBytes: 0, archiveWrites: 0};
  var local = globalThis.chrome.storage.local;
  var set = local.set;
  local.set = function (items) {
    totals.localWrites += 1;
    Object.keys(items || {}).forEach(function (key) {
      totals.localCharacters += key.length + JSON.stringify(items[key]).length;
    });
    return set.apply(local, arguments);
  };
  var put = IDBObjectStore.prototype.put;
  IDBObjectStore.prototype.put = function (value) {
    totals.archiveWrites += 1;
    totals.archiveBytes += value instanceof Blob ? value.size : JSON.stringify(value).length;
    return put.apply(this, arguments);
  };
  var channel = new BroadcastChannel('grccp-soak');
  channel.onmessage = function () { channel.postMessage(totals); };
})();
