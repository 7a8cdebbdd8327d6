/* A CRM page integrating both instances with the real Streams library in ACGR mode (connect.core.initCCP with
   secondaryCCPUrl, enableGlobalResiliency and loginUrl), recording what Streams reports. */
'use strict';

(function () {
  var primary = instanceOf(pageOptions.get('primary', window.EMULATOR.instances[0].region));
  var secondary = window.EMULATOR.instances.filter(function (i) { return i !== primary; })[0];
  var timeouts = pageOptions.timeouts();
  var params = {
    ccpUrl: primary.ccpUrl, secondaryCCPUrl: secondary.ccpUrl, enableGlobalResiliency: true,
    loginUrl: window.EMULATOR.loginUrl, loginPopup: pageOptions.loginPopup, softphone: {allowFramedSoftphone: true},
    ccpLoadTimeout: timeouts.ccpLoadTimeout, ccpAckTimeout: timeouts.ccpAckTimeout, ccpSynTimeout: timeouts.ccpSynTimeout
  };
  if (pageOptions.get('secondary') === 'none') delete params.secondaryCCPUrl;
  if (pageOptions.get('login') === 'none') delete params.loginUrl;
  window.contacts = {};  // contactId -> Streams Contact

  connect.core.initCCP(document.getElementById('ccp'), params);
  connect.core.onInitialized(function () {
    record('init', {activeRegion: connect.globalResiliency.getActiveRegion() || null});
  });
  connect.globalResiliency.onFailoverDetected(function (e) { record('failover-detected', e); });
  connect.globalResiliency.onFailoverPending(function (e) { record('failover-pending', e); });
  connect.globalResiliency.onFailoverCompleted(function (e) { record('failover-complete', e); });
  connect.globalResiliency.onConfigureError(function (error) { record('configure-error', String(error && error.message)); });

  connect.agent(function (agent) {
    window.agent = agent;
    record('agent', {state: agent.getState().name});
    agent.onRefresh(function (a) { record('agent-refresh', {state: a.getState().name, contacts: a.getContacts().length}); });
  });
  connect.contact(function (contact) {
    var id = contact.getContactId();
    window.contacts[id] = contact;
    record('contact', {id: id, type: contact.getType(), state: contact.getStatus().type});
    contact.onDestroy(function () { record('contact-destroy', {id: id}); });
  });

  /** The region whose CCP a person sees: the CCP iframe shown with a non-zero size. */
  window.visibleRegion = function () {
    var shown = ccpFrames().filter(function (f) { return f.visible; });
    return shown.length === 1 ? shown[0].region : null;
  };

  /** Streams' CCP iframes: [{region, src, visible, name}] in document order. */
  window.ccpFrames = function () {
    return Array.prototype.map.call(document.querySelectorAll('#ccp iframe'), function (frame) {
      var origin = new URL(frame.src).origin;
      var instance = window.EMULATOR.instances.filter(function (i) { return new URL(i.ccpUrl).origin === origin; })[0];
      return {region: instance ? instance.region : null, src: frame.src, name: frame.name,
              visible: frame.offsetWidth > 0 && frame.offsetHeight > 0};
    });
  };

  /** Error lines in Streams' own log, e.g. "'<event>' event handler failed." (ccp-protocol.md 9-26). */
  window.streamsErrors = function () {
    var log = connect.getLog();
    return log._rolledLogs.concat(log._logs).filter(function (e) { return e.level === 'ERROR'; }).map(function (e) {
      return e.text;
    });
  };
})();
