"""The background's stuck-failover check (bg:check-contacts): the tab asks the region's CCP for the agent's
snapshot with an api_request of its own (getAgentSnapshot, through ccp_requests) and answers with its summary
(cs:contacts)."""
from grccp.core.errors import ProtocolError
from grccp.core.runtime_messages import make_message
from grccp.core.snapshot import parse_agent_update


def check(requests, fields, respond):
    """Asks the region's CCP; respond(cs:contacts) once it answered, or failed to."""
    region = fields["region"]

    def answer(data, error):
        summary = None
        if error is None:
            try:
                summary = parse_agent_update(data).to_summary(requests.blocking_types)
            except ProtocolError as problem:
                error = f"the CCP's snapshot is malformed: {problem}"
        respond(make_message("cs:contacts", region=region, agent=summary, error=error))
    requests.call(region, "getAgentSnapshot", {"nextToken": None}, answer)
