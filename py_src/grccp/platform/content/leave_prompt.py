"""The browser's own prompt before the page is left, while core.leave_prompt says the tab asks. The beforeunload
listener is there only while it must ask: one that is always there would keep Firefox from putting the page in
its back-forward cache."""
from browser import window


class LeavePrompt:
    def __init__(self):
        self._asking = False

    def hold(self, asking):
        """Asks from now on (True) or no more (False)."""
        if asking == self._asking:
            return
        self._asking = asking
        if asking:
            window.addEventListener("beforeunload", _ask)
        else:
            window.removeEventListener("beforeunload", _ask)


def _ask(event):
    event.preventDefault()
    event.returnValue = ""  # what browsers before the standard's preventDefault() looked at
