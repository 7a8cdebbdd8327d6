"""The one sign-in window for every tab and region: opened for a region (the active region's need, or the agent's
"Sign in to <region>" in the popup), focused on the next requests (or opened again if it was closed meanwhile),
and closed, when the configuration says so, once that region's CCP answers (not when some other CCP does, while
the agent is still typing), also if it answers before the browser has said which window it opened (then as soon as
it says: a window left open would hold the agent's keyboard focus). Its id and region are kept in session storage,
so a background restart still knows them."""
from grccp.core.shapes import is_count, is_str
from grccp.platform.shared import storage, windows

STORAGE_KEY = "loginWindow"  # in session storage: {"id": window id, "region": region key} or None
OPENING = -1  # window_id while the browser has not answered the request to open it yet
WIDTH, HEIGHT = 480, 640


class SignInWindow:
    def __init__(self):
        self.window_id = None
        self.region = None  # the region it was opened for
        self._done_while_opening = False  # its region answered before the browser said which window it opened

    def listen(self):
        """Forgets the window when the user closes it (registered at start-up, so the browser wakes us for it)."""
        windows.on_window_removed(self._on_window_removed)

    def restore(self, stored):
        """What was stored before a restart (anything else: no window)."""
        if isinstance(stored, dict) and is_count(stored.get("id")) and is_str(stored.get("region")):
            self.window_id, self.region = stored["id"], stored["region"]

    def show(self, url, region):
        """Opens the window for `region`'s sign-in, or brings the open one to the front (it is for `region` from
        now on: the sign-in page is the same)."""
        self.region = region
        self._done_while_opening = False  # wanted again
        if self.window_id == OPENING:
            return  # another request is opening it right now
        if self.window_id is None:
            self._open(url)
            return

        def focused(error):
            if error:  # the remembered window is gone: open a new one
                self.window_id = None
                self._open(url)
            else:
                self._store()
        windows.focus(self.window_id, focused)

    def _open(self, url):
        self.window_id = OPENING

        def opened(window_id, error):
            self.window_id = window_id
            if self._done_while_opening:
                self._done_while_opening = False
                self._close()
            else:
                self._store()
        windows.open_popup(url, WIDTH, HEIGHT, opened)

    def close_for(self, region):
        """`region`'s CCP answers: if the window is for its sign-in, that sign-in is done."""
        if region != self.region:
            return
        if self.window_id == OPENING:
            self._done_while_opening = True
        else:
            self._close()

    def _close(self):
        if self.window_id is not None:
            windows.close(self.window_id)
        self._forget()

    def _on_window_removed(self, window_id):
        if window_id == self.window_id:
            self._forget()

    def _forget(self):
        self.window_id = self.region = None
        self._store()

    def _store(self):
        stored = None if self.window_id in (None, OPENING) else {"id": self.window_id, "region": self.region}
        storage.set_items("session", {STORAGE_KEY: stored})
