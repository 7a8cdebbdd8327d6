// A frame the CCP's document made inside itself (test hook `emulator::inner-frame`): a single-page app such as
// Amazon's CCP may have frames of its own, and any of them can post to the top window, the host page's. It does so
// once, as soon as it runs: the message comes from the CCP's origin but from a window that is not the CCP's.
'use strict';
top.postMessage({event: 'emulator::from-inner-frame', data: {}}, '*');
