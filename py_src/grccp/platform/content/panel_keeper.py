"""The panel on a page that may take it away (issue 15): attributes the page sets on the host (hidden, inert, ...)
are removed; a panel the page takes out of the document (a re-render of the element it lives in, a script) is put
back, as often as core.panel_returns allows. Either way, once it is back its CCP frames have new windows that
load the CCPs again (a call in progress drops): the tab session restarts both conduits (on_renewed). The tab
logs each return and reports it to the background, whose popup warns about it."""
from grccp.core.panel_returns import PanelReturns
from grccp.platform.shared import clock, runtime_channel

from . import frame_messages
from .ccp_panel import OWN_ATTRIBUTES


class PanelKeeper:
    def __init__(self, panel, on_renewed, log, region_keys, send):
        """log(region, level, text): a line in the region's log (each line goes to every region's); send(kind,
        **fields) to the background (cs:panel-returned)."""
        self.panel = panel
        self.returns = PanelReturns()
        self._on_renewed = on_renewed
        self._log_line = log
        self._region_keys = region_keys
        self._send = send
        frame_messages.watch_panel(panel.host, OWN_ATTRIBUTES, self._foreign_attribute, self._left, self._back)
        self._foreign_attribute()  # any the page set before the watch (on an adopted early panel: ccp_panel)

    def _foreign_attribute(self):
        changed = self.panel.keep_own_attributes()
        if changed:
            self._log("WARN", f"the page changed the CCP panel's attributes ({', '.join(changed)}): put back")

    def _left(self):
        """The host is out of the document (called again on each change of the document until it is back)."""
        if self.returns.gave_up or not runtime_channel.extension_present():
            return  # (an orphan's panel taken off by the new instance of the extension: tab_host)
        if not self.returns.may_return(clock.now_ms()):
            self._log("WARN", f"the page keeps removing the CCP panel ({self.returns.count} times): it is not put "
                              f"back any more")
            self._report(gave_up=True)
            return
        self.panel.put_back()  # in selector placement, once the element exists again

    def _back(self):
        self.returns.returned(clock.now_ms())
        self._log("WARN", f"the page removed the CCP panel (or moved it): it is back ({self.returns.count} so "
                          f"far), and its CCPs loaded again")
        self._report(gave_up=False)
        self._on_renewed()

    def _report(self, gave_up):
        self._send("cs:panel-returned", returns=self.returns.count, gaveUp=gave_up)

    def _log(self, level, text):
        for key in self._region_keys:
            self._log_line(key, level, text)
