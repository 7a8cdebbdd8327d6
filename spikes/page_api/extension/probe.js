/* Spike-only measurement (MAIN world, first file of the page-API injection; not part of any design): the time this
   injection started, and every CSP violation the page's document reports from now on. */
'use strict';
window.__grccpSpikeProbe = {start: performance.now(), violations: []};
document.addEventListener('securitypolicyviolation', function (e) {
  window.__grccpSpikeProbe.violations.push({directive: e.violatedDirective, blocked: e.blockedURI,
                                            sample: e.sample, line: e.lineNumber});
}, true);
