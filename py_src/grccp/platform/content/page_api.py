"""The page API on an opted-in page (README "Page API"): the relay between the real Streams in the page's main
world (extension/page_api/main.js, with its stand-in CCP windows) and this tab's CCP frames. The port to the page
is boot/page_port.js's; the CCP frames' messages come from the frame bridge (all but core.page_relay.NOT_HEARD);
core.page_relay judges both directions and the protocol's page view (core.protocols.page_view_for) turns the tab's
decisions into what the page's Streams hears. Nothing here reaches the tab's host rules."""
from browser import window

from grccp.core import page_relay, protocols
from grccp.core.config import page_api_enabled
from grccp.platform.shared import clock, webext

from . import frame_messages

_port = getattr(webext.global_scope, "grccpPagePort", None)  # registered on opted-in patterns only


def start(session):
    """The page API of a TabSession that just began (before its frames' messages flow), or None where the page is
    not opted in (its URL with the port)."""
    config = session.config
    if _port is None or not page_api_enabled(
            str(window.location.href), config):
        return None
    return PageApi(session)


class PageApi:
    def __init__(self, session):
        self._session = session
        config = session.config
        self.relay = page_relay.PageRelay(config.region_keys, protocols.page_view_for(config, session.rules.shown))
        for key, conduit in session.conduits.items():  # an early panel's CCPs may have acknowledged already
            self.relay.port_id[key] = conduit.port_id
        session.log(session.rules.shown, "INFO", "page API: this page is opted in; relaying for its Streams")
        frame_messages.relay_to_page(self._on_ccp, page_relay.NOT_HEARD)
        _port.receive(self._on_page)
        _port.post(webext.to_js({
            "kind": "config", "loginUrl": config.login_url, "timeouts": dict(config.timeouts),
            "active": self.relay.view.shown,
            "regions": [{"key": r.key, "name": r.name, "ccpUrl": r.ccp_url, "origin": r.ccp_origin}
                        for r in config.regions]}))

    def _on_page(self, data):
        self._perform(self.relay.on_page(webext.to_py(data), clock.now_ms()))

    def _on_ccp(self, region, data):
        self._perform(self.relay.on_ccp(str(region), webext.to_py(data), clock.now_ms()))

    def follow(self, rules):
        """The tab's host rules decided: the page's Streams hears what it must of it."""
        self._perform(self.relay.on_decisions(rules))

    def _perform(self, actions):
        for action in actions:
            if action[0] == "page":
                _port.post(webext.to_js({"kind": "to-host", "region": action[1], "msg": action[2]}))
            elif action[0] == "ccp":
                self._session.frames.post(action[1], action[2])
            elif action[0] == "facade":
                _port.post(webext.to_js(dict(action[1], kind="facade")))
            else:
                self._session.send("cs:page-request", request=action[1], **action[2])

    def stop(self):
        _port.stop()
