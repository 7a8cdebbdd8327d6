/* The active-region endpoint as the worker reaches it (legacy DR's presigned polling URL, ccp-protocol.md 5.3; the
   ACGR worker asks the same emulated traffic distribution group). */
'use strict';

/** GET the active-region endpoint with a timeout; retry HTTP >= 500 / 429 (and 401/403 once, as the real worker
    does after fetching a fresh presigned URL). Resolves with the parsed body ({} if not JSON); rejects {status}. */
function fetchActiveRegion(timings) {
  var attemptsLeft = timings.dr_poll_attempts;
  var authRetried = false;
  function attempt() {
    attemptsLeft--;
    var abort = new AbortController();
    var timer = setTimeout(function () { abort.abort(); }, timings.dr_poll_timeout_ms);
    return fetch('/api/active-region', {signal: abort.signal, cache: 'no-store'}).then(function (response) {
      clearTimeout(timer);
      if (response.ok) return response.json().catch(function () { return {}; });
      var retryable = response.status >= 500 || response.status === 429;
      if ((response.status === 401 || response.status === 403) && !authRetried) {
        authRetried = true;
        return attempt();
      }
      if (retryable && attemptsLeft > 0) {
        return new Promise(function (resolve) { setTimeout(resolve, timings.dr_retry_delay_ms); }).then(attempt);
      }
      throw {status: response.status};
    }, function () {
      clearTimeout(timer);
      throw {status: 0};
    });
  }
  return attempt();
}
