'use strict';
// Query: ?arn=<ARN to name as the next active instance>&region=<region to name as active (ACGR)>
//        &count=<how many of each message>. It posts both protocols' messages (legacy DR's and ACGR's).
(function () {
  var query = new URLSearchParams(location.search);
  var arn = query.get('arn');
  var region = query.get('region') || 'us-west-2';
  var count = Number(query.get('count') || 10);
  var messages = [
    {event: 'acknowledge', data: {id: 'impostor'}},
    {event: 'disasterRecovery::failover', data: {nextActiveArn: arn}},
    {event: 'disasterRecovery::failover', data: {isPrimary: false}},
    {event: 'disasterRecovery::failover_pending', data: {nextActiveArn: arn}},
    {event: 'globalResiliency::init', data: {instanceRegion: region, instanceState: 'active', activeRegion: region}},
    {event: 'globalResiliency::failover_detected', data: {activeRegion: region}},
    {event: 'globalResiliency::failover_initiated', data: {activeRegion: region}}
  ];
  for (var i = 0; i < count; i++) {
    messages.forEach(function (message) { parent.postMessage(message, '*'); });
  }
})();
