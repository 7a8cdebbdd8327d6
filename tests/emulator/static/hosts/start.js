'use strict';

(function () {
  var query = new URLSearchParams(location.search);
  var attempt = Number(query.get('attempt') || 0);
  var next = query.get('next') || '/';
  var status = document.getElementById('status');
  var deadline = Date.now() + 3000;
  (function look() {
    if (document.getElementById('grccp-ccp-host')) {
      status.textContent = 'Extension active: opening the CRM page…';
      location.replace(next);
    } else if (Date.now() < deadline) {
      setTimeout(look, 100);
    } else if (attempt < 20) {
      query.set('attempt', String(attempt + 1));
      location.replace(location.pathname + '?' + query.toString());
    } else {
      status.textContent = 'The extension did not appear on this page: is it installed and configured?';
    }
  })();
})();
