/* A CRM page integrating both instances with the real legacy DR artifact (connect-streams-dr.js), polling for
   the active region, recording every DR callback. */
'use strict';

(function () {
  var first = window.EMULATOR.instances[0];
  var standBy = window.EMULATOR.instances[1];
  var primary = pageOptions.get('primary', first.region);
  var timeouts = pageOptions.timeouts();

  globalConnect.core.onInit(function (regionalConnect, region) { record('init', {region: region}); });
  globalConnect.core.onFailoverComplete(function (event) { record('failover-complete', event); });
  globalConnect.core.onFailoverPending(function (event) { record('failover-pending', event); });

  globalConnect.core.initCCP(document.getElementById('global-ccp'), {
    ccpUrl: first.ccpUrl, region: first.region, instanceArn: first.instanceArn,
    loginUrl: window.EMULATOR.loginUrl, loginPopup: pageOptions.loginPopup, pollForFailover: true,
    softphone: {allowFramedSoftphone: true},
    ccpLoadTimeout: timeouts.ccpLoadTimeout, ccpAckTimeout: timeouts.ccpAckTimeout, ccpSynTimeout: timeouts.ccpSynTimeout,
    standByRegion: {ccpUrl: standBy.ccpUrl, region: standBy.region, instanceArn: standBy.instanceArn},
    getPrimaryRegion: function (success) {
      success(primary).then(function () { record('primary-resolved', {region: primary}); },
                            function (error) { record('primary-rejected', String(error)); });
    }
  });

  /** The visible region, judged as a person would: the regional frame with a non-zero size. */
  window.visibleRegion = function () {
    var doc = document.getElementById('globalCCP').contentDocument;
    var shown = window.EMULATOR.instances.map(function (i) { return i.region; }).filter(function (region) {
      var frame = doc && doc.getElementById(region);
      return frame && frame.offsetWidth > 0 && frame.offsetHeight > 0;
    });
    return shown.length === 1 ? shown[0] : null;
  };

  /** Whether each region's Streams got its first ACK. */
  window.regionsInitialized = function () {
    var regions = (globalConnect.core && globalConnect.core.regions) || {};
    var result = {};
    Object.keys(regions).forEach(function (key) {
      var c = regions[key].connect;
      result[key] = Boolean(c && c.core && c.core.initialized);
    });
    return result;
  };
})();
