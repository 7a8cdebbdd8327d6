// The panel's elements and stylesheet, made in one place for the content script's two ways of starting it: early,
// from JS, before the Brython runtime is ready (boot/early_start.js), and from Python (platform/content/ccp_panel.py,
// which fills and runs every panel, adopted or its own). A host element with a closed shadow root holding the
// stylesheet, the panel (a status line, the frames' box) and one CCP iframe per region, the shown one at full size
// from the start (a frame resized while its document loads may never tell it a resize, in Firefox). The frames are
// created in their box and the host is put into its container last: an iframe starts loading once it is in the
// document, and loads again if it is ever moved, so they never move.
(function () {
  'use strict';
  if (globalThis.grccpPanelDom) return;  // the browser may inject the file again into the same world
  // the reference's permissions for the CCP iframe (microphone for the softphone, clipboard, federated sign-in)
  var FRAME_ALLOW = 'microphone; camera; autoplay; clipboard-write; identity-credentials-get';
  var STYLE = '\n' +
    '.panel { box-sizing: border-box; display: flex; flex-direction: column; width: 100%; height: 100%;\n' +
    '  min-width: 320px; min-height: 460px; background: #fff; color: #16191f; border: 1px solid #d1d5db;\n' +
    '  font: 13px/1.4 system-ui, sans-serif; box-shadow: 0 4px 16px rgba(0,0,0,.18); }\n' +
    // One line high while still empty (the early panel's, until Python fills it): filling it must not resize the
    // frames, or the CCP documents, loaded by then, lay themselves out again.
    '.status { padding: 4px 8px; min-height: 1.4em; background: #232f3e; color: #fff; white-space: nowrap;\n' +
    '  overflow: hidden; text-overflow: ellipsis; }\n' +
    '.status[data-level="warn"] { background: #8a5a00; }\n' +
    '.status[data-level="bad"] { background: #b0260f; }\n' +
    '.frames { position: relative; flex: 1; }\n' +
    // Both frames laid out at full size, stacked; the stand-by clipped to nothing (not painted, nothing to click:
    // markStandby also makes it inert). A switch changes no frame's size, so no CCP document lays itself out again
    // (a large single-page app takes tens to hundreds of ms). The clipped frame is as far out of view as a 0 x 0
    // one (its IntersectionObserver says so), so the browser throttles it no more than it did one (its timers and
    // softphone keep running).
    'iframe { border: 0; position: absolute; top: 0; left: 0; width: 100%; height: 100%; clip-path: inset(50%);\n' +
    '  pointer-events: none; }\n' +
    '.frames[data-shown="0"] > iframe:nth-child(1), .frames[data-shown="1"] > iframe:nth-child(2) {\n' +
    '  clip-path: none; pointer-events: auto; }\n' +
    // Firefox (the only engine with -moz-orient) also moves the stand-by out of the frames' box, whose overflow it
    // clips (overflow: clip: no scroll container, nothing scrolls it back): its IntersectionObserver does not follow
    // a clip-path, so only a frame out of view tells its CCP, and the tests, that it is hidden. Chromium keeps the
    // frame in place and the box unclipped (moved out, its switch measured slower, 91 vs 52 ms, README "Heavy-CCP
    // pair"; with the box's overflow clipped, a Chromium CCP window unclipped by a switch did not say it was shown
    // within 30 s, 4 e2e runs of 4).
    '@supports (-moz-orient: inline) {\n' +
    '  .frames { overflow: clip; }\n' +
    '  iframe { translate: 0 110%; }\n' +
    '  .frames[data-shown="0"] > iframe:nth-child(1), .frames[data-shown="1"] > iframe:nth-child(2) {\n' +
    '    translate: none; } }\n';

  // The host's `:host` rules: all: initial, then its place and size, each !important (ccp_panel.py's docstring
  // says why). Docked: fixed to the bottom corner, above the page.
  function hostStyle(placement) {
    var width = Math.max(320, parseInt(placement.width === undefined ? 360 : placement.width, 10));
    var height = Math.max(460, parseInt(placement.height === undefined ? 600 : placement.height, 10));
    var rules = ['all: initial', 'display: block', 'box-sizing: border-box', 'width: ' + width + 'px',
                 'height: ' + height + 'px', 'opacity: 1', 'visibility: visible', 'pointer-events: auto', 'zoom: 1',
                 'content-visibility: visible'];
    if (placement.mode === 'selector') {
      rules.push('position: relative');
    } else {
      var side = placement.side === 'left' ? 'left' : 'right';
      rules.push('position: fixed', 'bottom: 0', side + ': 0', 'z-index: 2147483646');
    }
    return ':host { ' + rules.map(function (rule) { return rule + ' !important'; }).join('; ') + '; }\n';
  }

  function css(placement) {
    return hostStyle(placement) + STYLE;
  }

  function frame(key, url) {
    var element = document.createElement('iframe');
    element.setAttribute('allow', FRAME_ALLOW);
    element.setAttribute('title', 'Amazon Connect CCP (' + key + ')');
    element.setAttribute('data-region', key);
    element.src = url;
    return element;
  }

  // A stand-by frame is inert (nothing in it can take focus or a click) and hidden from screen readers: an agent
  // must never act in the region that is not shown. Marked from the frame's creation, the early panel's included
  // (Python adopts it 0.2 s to seconds later), and again on every switch.
  function markStandby(element, standby) {
    if (standby) {
      element.setAttribute('inert', '');
      element.setAttribute('aria-hidden', 'true');
    } else {
      element.removeAttribute('inert');
      element.removeAttribute('aria-hidden');
    }
  }

  // While held (boot/early_start.js: made before its container is parsed, at the top of the document), the host is
  // out of view at its final size, so that its frames lay out once, and invisible (nothing in it can be reached by
  // keyboard or assistive technology before it is in place); release() puts it in place.
  var HOLDING = ':host { position: fixed !important; top: 0 !important; left: -200vw !important; ' +
    'visibility: hidden !important; }\n';

  globalThis.grccpPanelDom = {
    HOST_ID: 'grccp-ccp-host',  // the host's id, once Python runs the panel (an earlier instance's is found by it)
    css: css,
    frame: frame,
    markStandby: markStandby,
    /** The panel put into `container`, styled for `placement` ({mode, selector, width, height, side}), with a frame
        per [key, url] of `regions` in their order, the one at index `shown` (0 if not given) shown, the others
        stand-by: {host, style, status, frameBox, frames: {key: iframe}, holding}. `held`: the panel is held out of
        view and invisible (its `holding` stylesheet) until release() moves it into its container. */
    build: function (container, placement, regions, shown, held) {
      var host = document.createElement('div');
      var shadow = host.attachShadow({mode: 'closed'});
      var style = document.createElement('style');
      style.textContent = css(placement);
      var panel = document.createElement('section');
      panel.className = 'panel';
      panel.setAttribute('aria-label', 'Amazon Connect CCP');
      var status = document.createElement('div');
      status.className = 'status';
      status.setAttribute('role', 'status');
      var frameBox = document.createElement('div');
      frameBox.className = 'frames';
      frameBox.setAttribute('data-shown', String(shown || 0));
      panel.appendChild(status);
      panel.appendChild(frameBox);
      shadow.appendChild(style);
      if (held) {
        var holding = document.createElement('style');
        holding.textContent = HOLDING;
        shadow.appendChild(holding);
      }
      shadow.appendChild(panel);
      var frames = {};
      regions.forEach(function (region, index) {
        frames[region[0]] = frame(region[0], region[1]);
        markStandby(frames[region[0]], index !== (shown || 0));
        frameBox.appendChild(frames[region[0]]);
      });
      container.appendChild(host);
      return {host: host, style: style, status: status, frameBox: frameBox, frames: frames,
              holding: held ? holding : null};
    },
    /** Moves a held panel (build's `held`) into `container`, as its last child, without loading its frames again
        (moveBefore), and shows it there. */
    release: function (parts, container) {
      container.moveBefore(parts.host, null);
      parts.holding.remove();
      parts.holding = null;
    }
  };
})();
