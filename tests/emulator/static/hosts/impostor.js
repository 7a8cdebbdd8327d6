'use strict';
// Query: ?arn=<ARN to name as the next active instance>&count=<how many of each message>
(function () {
  var query = new URLSearchParams(location.search);
  var arn = query.get('arn');
  var count = Number(query.get('count') || 10);
  var messages = [
    {event: 'acknowledge', data: {id: 'impostor'}},
    {event: 'disasterRecovery::failover', data: {nextActiveArn: arn}},
    {event: 'disasterRecovery::failover', data: {isPrimary: false}},
    {event: 'disasterRecovery::failover_pending', data: {nextActiveArn: arn}}
  ];
  for (var i = 0; i < count; i++) {
    messages.forEach(function (message) { parent.postMessage(message, '*'); });
  }
})();
