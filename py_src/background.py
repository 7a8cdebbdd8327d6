"""Background entry point (Chrome service worker / Firefox event page). Listeners are registered synchronously
at start-up so that the browser can wake the background for them."""
from grccp.platform.background_engine import BackgroundEngine

engine = BackgroundEngine()
engine.start()
