"""The one sign-in window for every tab and region: opened on the first request, focused on the next ones (or
opened again if it was closed meanwhile), closed once a CCP answers when the configuration says so. Its id is
kept in session storage, so a background restart still knows it."""
from grccp.platform.shared import storage, windows

STORAGE_KEY = "loginWindow"  # in session storage
OPENING = -1  # window_id while the browser has not answered the request to open it yet
WIDTH, HEIGHT = 480, 640


class SignInWindow:
    def __init__(self):
        self.window_id = None

    def listen(self):
        """Forgets the window when the user closes it (registered at start-up, so the browser wakes us for it)."""
        windows.on_window_removed(self._on_window_removed)

    def restore(self, window_id):
        """The id stored before a restart (or None)."""
        self.window_id = window_id

    def show(self, url):
        if self.window_id == OPENING:
            return  # another request is opening it right now
        if self.window_id is None:
            self._open(url)
            return

        def focused(error):
            if error:  # the remembered window is gone: open a new one
                self.window_id = None
                self._open(url)
        windows.focus(self.window_id, focused)

    def _open(self, url):
        self.window_id = OPENING

        def opened(window_id, error):
            self.window_id = window_id
            storage.set_items("session", {STORAGE_KEY: self.window_id})
        windows.open_popup(url, WIDTH, HEIGHT, opened)

    def close(self):
        """A CCP answers: the sign-in is done."""
        if self.window_id not in (None, OPENING):
            windows.close(self.window_id)
            self._forget()

    def _on_window_removed(self, window_id):
        if window_id == self.window_id:
            self._forget()

    def _forget(self):
        self.window_id = None
        storage.set_items("session", {STORAGE_KEY: None})
