// Benchmark probe, put into the popup of the bench's copy of the extension (never the product): records when
// the popup's log download calls the background, storage and downloads APIs and makes its Blobs, so the bench
// can say what the click-to-files time is made of. Times: performance.now() of the popup page.
(function () {
  'use strict';
  var log = window.__benchDownload = [];
  function mark(name) { log.push([name, performance.now()]); }
  function wrap(owner, method, label) {
    var original = owner[method];
    if (typeof original !== 'function') return;
    owner[method] = function () {
      var args = Array.prototype.slice.call(arguments);
      var name = label(args);
      if (!name) return original.apply(owner, args);
      mark(name + ':call');
      var index = args.findIndex(function (a) { return typeof a === 'function'; });
      if (index >= 0) {
        var callback = args[index];
        args[index] = function () { mark(name + ':answer'); return callback.apply(this, arguments); };
        return original.apply(owner, args);
      }
      var result = original.apply(owner, args);
      if (result && typeof result.then === 'function') result.then(function () { mark(name + ':answer'); });
      return result;
    };
  }
  wrap(chrome.runtime, 'sendMessage', function (args) {
    var type = args[0] && args[0].type;
    return type === 'popup:get-status' ? null : 'message ' + type;
  });
  wrap(chrome.storage.local, 'get', function () { return 'storage.get'; });
  wrap(chrome.downloads, 'download', function () { return 'downloads.download'; });
  var NativeBlob = window.Blob;
  window.Blob = function (parts, options) {
    mark('blob:start');
    var blob = new NativeBlob(parts, options);
    mark('blob:made');
    return blob;
  };
  window.Blob.prototype = NativeBlob.prototype;
})();
