/* The reference integration itself (what a CRM writes): both instances, polling for the active region. */
'use strict';

(function () {
  var first = window.EMULATOR.instances[0];
  var standBy = window.EMULATOR.instances[1];
  globalConnect.core.initCCP(document.getElementById('ccp'), {
    ccpUrl: first.ccpUrl, region: first.region, instanceArn: first.instanceArn,
    loginUrl: window.EMULATOR.loginUrl, loginPopup: false, pollForFailover: true,
    softphone: {allowFramedSoftphone: true},
    standByRegion: {ccpUrl: standBy.ccpUrl, region: standBy.region, instanceArn: standBy.instanceArn},
    getPrimaryRegion: function (success) {
      success(first.region).then(function () { window.bench.primaryResolved = performance.now(); });
    }
  });
  var button = document.getElementById('download-logs');
  button.addEventListener('click', function () { window.bench.clickAt = Date.now(); }, true);
  button.addEventListener('click', function () { globalConnect.core.downloadLogs(); });
})();
