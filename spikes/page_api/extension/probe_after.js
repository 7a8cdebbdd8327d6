/* Spike-only measurement: connect-streams.js has been evaluated in this main world. */
'use strict';
window.__grccpSpikeProbe.libraryEvaluated = performance.now();
