/* The emulated CCP's visible panel: region, link status, agent state picker, contacts with their actions.
   Only for people watching the demo; tests drive the protocol, not these buttons. */
'use strict';

(function () {
  var byId = function (id) { return document.getElementById(id); };
  var stateSelect = byId('agent-state');

  stateSelect.addEventListener('change', function () {
    var states = CCP.agent().configuration.agentStates;
    var state = states.filter(function (s) { return s.name === stateSelect.value; })[0];
    CCP.callApi('putAgentState', {state: state, enqueueNextState: false});
  });

  function button(label, onClick) {
    var b = document.createElement('button');
    b.textContent = label;
    b.addEventListener('click', onClick);
    return b;
  }

  function contactItem(contact) {
    var li = document.createElement('li');
    var agentConnection = contact.connections.filter(function (c) { return c.type === 'agent'; })[0];
    var ids = {contactId: contact.contactId};
    var connectionIds = {contactId: contact.contactId, connectionId: agentConnection.connectionId};
    li.textContent = contact.type + ' — ' + contact.state.type + ' ';
    li.dataset.contactId = contact.contactId;
    var state = contact.state.type;
    if (state === 'connecting' || state === 'incoming') {
      li.appendChild(button('Accept', function () { CCP.callApi('acceptContact', ids); }));
      li.appendChild(button('Reject', function () { CCP.callApi('rejectContact', ids); }));
    } else if (state === 'connected') {
      li.appendChild(button('Hang up', function () { CCP.callApi('destroyConnection', connectionIds); }));
    } else if (state === 'ended') {
      li.appendChild(button('Clear contact', function () { CCP.callApi('clearContact', ids); }));
    }
    return li;
  }

  function render() {
    var status = CCP.status();
    var agent = CCP.agent();
    byId('region').textContent = status.region || '';
    var linkState = status.signedOut ? 'signed-out' : status.acknowledged ? 'connected' : 'loading';
    document.body.dataset.ccpState = linkState;
    byId('link-status').textContent = {
      'signed-out': 'Session expired — sign in again', connected: 'Connected (' + status.windows + ' windows)',
      loading: 'Connecting…'
    }[linkState];
    if (agent) {
      var names = agent.configuration.agentStates.map(function (s) { return s.name; });
      if (stateSelect.options.length !== names.length) {
        stateSelect.innerHTML = '';
        names.forEach(function (n) { stateSelect.appendChild(new Option(n, n)); });
      }
      stateSelect.value = agent.snapshot.agentAvailabilityState.state;
      byId('shown-state').textContent = 'Now: ' + agent.snapshot.state.name;
      var list = byId('contacts');
      list.innerHTML = '';
      agent.snapshot.contacts.forEach(function (c) { list.appendChild(contactItem(c)); });
    }
    byId('failover').textContent = (status.instanceState ? 'Global Resiliency: ' + status.instanceState + ' region. ' : '') +
      (status.lastFailover ? 'Last failover signal: ' + JSON.stringify(status.lastFailover) : '');
  }

  CCP.onChange(render);
})();
