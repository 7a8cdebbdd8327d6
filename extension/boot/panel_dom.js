// The panel's elements, made in one place for the content script's two ways of starting it: early, from JS, before
// the Brython runtime is ready (boot/early_start.js), and from Python (platform/content/ccp_panel.py, which also
// styles, fills and runs every panel, adopted or its own). A host element with a closed shadow root holding a
// stylesheet, the panel (a status line, the frames' box) and one CCP iframe per region. The frames are created
// in their box and the host is put into its container last: an iframe starts loading once it is in the
// document, and loads again if it is ever moved, so they never move.
(function () {
  'use strict';
  if (globalThis.grccpPanelDom) return;  // the browser may inject the file again into the same world
  // the reference's permissions for the CCP iframe (microphone for the softphone, clipboard, federated sign-in)
  var FRAME_ALLOW = 'microphone; camera; autoplay; clipboard-write; identity-credentials-get';

  function frame(key, url) {
    var element = document.createElement('iframe');
    element.setAttribute('allow', FRAME_ALLOW);
    element.setAttribute('title', 'Amazon Connect CCP (' + key + ')');
    element.setAttribute('data-region', key);
    element.src = url;
    return element;
  }

  globalThis.grccpPanelDom = {
    HOST_ID: 'grccp-ccp-host',  // the host's id, once Python runs the panel (an earlier instance's is found by it)
    frame: frame,
    /** The panel put into `container` with `css` as its stylesheet and a frame per [key, url] of `regions`, in
        their order: {host, style, status, frameBox, frames: {key: iframe}}. */
    build: function (container, css, regions) {
      var host = document.createElement('div');
      var shadow = host.attachShadow({mode: 'closed'});
      var style = document.createElement('style');
      style.textContent = css;
      var panel = document.createElement('section');
      panel.className = 'panel';
      panel.setAttribute('aria-label', 'Amazon Connect CCP');
      var status = document.createElement('div');
      status.className = 'status';
      status.setAttribute('role', 'status');
      var frameBox = document.createElement('div');
      frameBox.className = 'frames';
      panel.appendChild(status);
      panel.appendChild(frameBox);
      shadow.appendChild(style);
      shadow.appendChild(panel);
      var frames = {};
      regions.forEach(function (region) {
        frames[region[0]] = frame(region[0], region[1]);
        frameBox.appendChild(frames[region[0]]);
      });
      container.appendChild(host);
      return {host: host, style: style, status: status, frameBox: frameBox, frames: frames};
    }
  };
})();
