"""Chromium can hold the background's reads of the enterprise policy (storage.managed) until an extension page
reads it, and then answers them all: so every extension page reads it too, again every RETRY_MS until one read is
answered (at most ATTEMPTS times)."""
from grccp.platform.shared import clock, storage

RETRY_MS = 900
ATTEMPTS = 20


def read_policy(on_policy):
    """on_policy(the policy, or None) once a read is answered."""
    answered = [False]

    def got(managed, error):
        if not answered[0]:
            answered[0] = True
            on_policy(managed or None)

    def read(attempts):
        if not answered[0] and attempts > 0:
            storage.get_all("managed", got)
            clock.call_later(RETRY_MS, lambda: read(attempts - 1))
    read(ATTEMPTS)
