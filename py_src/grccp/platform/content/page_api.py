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
        self._held = None  # what the page is told while the tab switches CCPs (hold_for_switch), in order
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

    def hold_for_switch(self):
        """The tab shows another region's CCP: until release(), what the page is told waits, in order. The page's
        Streams handlers run on the tab's thread (and on the CCP frames' when they are of the page's site), and the
        new region's first agent data and the failover's completion come within milliseconds of the switch: told
        at once, they ran before the new CCP was rendered."""
        if self._held is None:
            self._held = []

    def release(self):
        """The switch is rendered: the page hears what waited."""
        held, self._held = self._held or [], None
        for message in held:
            _port.post(message)

    def _to_page(self, message):
        message = webext.to_js(message)
        if self._held is None:
            _port.post(message)
        else:
            self._held.append(message)

    def _perform(self, actions):
        for action in actions:
            if action[0] == "page":
                self._to_page({"kind": "to-host", "region": action[1], "msg": action[2]})
            elif action[0] == "ccp":
                self._session.frames.post(action[1], action[2])
            elif action[0] == "facade":
                self._to_page(dict(action[1], kind="facade"))
            else:
                self._session.send("cs:page-request", request=action[1], **action[2])

    def stop(self):
        _port.stop()
