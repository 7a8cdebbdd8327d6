/* Talks to both emulated CCPs with bare postMessage (no Streams), as an ACGR host would, recording every message
   a CCP posts up as record('from-ccp', {region, event, hasData, data}) (heartbeats only counted). Like Streams'
   GRProxyIframeConduit it relays failover_pending / _initiated / _complete and heartbeat_syn / _ack from one CCP
   to the other, unless the relay is switched off (setRelay(false), or ?relay=0). */
'use strict';

(function () {
  var RELAYED = ['failover_pending', 'failover_initiated', 'failover_complete', 'heartbeat_syn', 'heartbeat_ack']
    .map(function (name) { return 'globalResiliency::' + name; });
  var HEARTBEATS = RELAYED.slice(3);
  var frames = {};
  var relay = pageOptions.get('relay', '1') !== '0';
  window.heartbeatsSeen = {};  // region -> count of heartbeat messages it posted

  window.EMULATOR.instances.forEach(function (instance) {
    var frame = document.createElement('iframe');
    frame.id = instance.region;
    frame.style.cssText = 'width: 400px; height: 300px;';
    document.getElementById('frames').appendChild(frame);
    frames[instance.region] = frame;
    frame.src = instance.ccpUrl;
  });

  function otherRegion(region) {
    return Object.keys(frames).filter(function (r) { return r !== region; })[0];
  }

  window.addEventListener('message', function (event) {
    var region = Object.keys(frames).filter(function (r) { return frames[r].contentWindow === event.source; })[0];
    if (!region) return;
    var m = event.data;
    var isObject = m !== null && typeof m === 'object';
    var name = isObject ? m.event : null;
    if (HEARTBEATS.indexOf(name) >= 0) {
      window.heartbeatsSeen[region] = (window.heartbeatsSeen[region] || 0) + 1;
    } else {
      record('from-ccp', {region: region, event: name, hasData: isObject && m.data !== undefined,
                          data: isObject ? plainCopy(m.data) : plainCopy(m)});
    }
    if (relay && RELAYED.indexOf(name) >= 0) frames[otherRegion(region)].contentWindow.postMessage(m, '*');
  });

  window.sendTo = function (region, message) { frames[region].contentWindow.postMessage(message, '*'); };
  window.setRelay = function (on) { relay = on; };
  window.reloadCcp = function (region) { frames[region].src = frames[region].src; };
})();
