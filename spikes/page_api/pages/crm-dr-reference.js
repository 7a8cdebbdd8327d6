/* The reference integration, as its documentation shows it, on a page whose CSP forbids inline script. */
'use strict';
(function () {
  var a = window.EMULATOR.instances[0], b = window.EMULATOR.instances[1];
  globalConnect.core.onInit(function (connect, region) { record('init', {region: region}); });
  globalConnect.core.initCCP(document.getElementById('ccp'), {
    ccpUrl: a.ccpUrl, region: a.region, instanceArn: a.instanceArn, loginUrl: window.EMULATOR.loginUrl,
    loginPopup: false, pollForFailover: true,
    standByRegion: {ccpUrl: b.ccpUrl, region: b.region, instanceArn: b.instanceArn},
    getPrimaryRegion: function (success) {
      success().then(function () { record('resolved'); }, function (e) { record('rejected', String(e)); });
    }
  });
})();
