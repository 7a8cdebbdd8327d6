"""The page API's requests (cs:page-request from the content script of a page opted in to it), registered on the
BackgroundEngine with install(engine) before engine.start():

  force-failover  page code called connect.globalResiliency.forceFailover(): the agent's Switch now for the pending
                  failover, only if the configuration allows it (pageApiForceFailover), the sender's page (the
                  browser's word, port included) is opted in, and a failover is pending; otherwise refused (bg:error)

The sender is an allowlisted page's top frame (engine._refusal checked that first)."""
from grccp.core.config import page_api_enabled
from grccp.core.runtime_messages import make_message


def install(engine):
    def on_request(fields, sender, respond):
        problem = _force_failover(engine, sender)
        if problem:
            respond(make_message("bg:error", error=problem))
        return False
    engine.handle("cs:page-request", on_request)


def _force_failover(engine, sender):
    config = engine.config
    if not page_api_enabled(sender["url"], config):
        return "the page is not opted in to the page API"
    if not config.page_api_force_failover:
        return "forceFailover is not allowed by the configuration (pageApiForceFailover)"
    pending = engine.state.pending
    if pending is None:
        return "no failover is pending"
    engine.log(engine.state.active, "WARN", f"forceFailover from the page API of tab {sender['tab_id']}")
    return engine.switch_now(pending["target"], "page-api")
