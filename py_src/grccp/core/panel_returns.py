"""When the page takes the extension's panel out of its document (a single-page app re-rendering the element it
lives in, or a script removing it), the tab puts it back; its CCP frames load again (a frame taken out of the
document loses its window: a softphone call in progress drops). A page that keeps doing it is not fought for ever:
at most RETURN_LIMIT returns within RETURN_WINDOW_MS, then the panel stays away and the popup says so
(warning_text, from what the tab reported: GlobalState.on_panel_returned)."""

RETURN_LIMIT = 5
RETURN_WINDOW_MS = 60_000


class PanelReturns:
    """One tab's panel: how often it came back (`count`), and whether the tab gave up putting it back."""

    __slots__ = ("count", "gave_up", "_recent")

    def __init__(self):
        self.count = 0
        self.gave_up = False
        self._recent = []  # when the latest returns happened (ms)

    def may_return(self, now_ms):
        """Whether the panel may be put back now; False for good once RETURN_LIMIT returns fell within
        RETURN_WINDOW_MS."""
        if not self.gave_up:
            self._recent = [at for at in self._recent if now_ms - at < RETURN_WINDOW_MS]
            self.gave_up = len(self._recent) >= RETURN_LIMIT
        return not self.gave_up

    def returned(self, now_ms):
        """The panel is back in the document with new frames (put back by the tab, or by the page itself)."""
        self.count += 1
        self._recent.append(now_ms)


def warning_text(returns, gave_up):
    """The popup's warning about a tab whose page took the panel away `returns` times."""
    times = "once" if returns == 1 else f"{returns} times"
    if gave_up:
        return (f"A page keeps removing the CCP panel: it was put back {times} and is not any more. Reload the "
                f"page, or place the panel where the page does not re-render it.")
    return (f"A page removed the CCP panel {times}: it was put back and its CCPs loaded again (a call in "
            f"progress drops). Place the panel where the page does not re-render it.")
