"""Background entry point (Chrome service worker / Firefox event page). Listeners are registered synchronously
at start-up so that the browser can wake the background for them."""
from grccp.platform import background_ui
from grccp.platform.background_engine import BackgroundEngine

engine = BackgroundEngine()
background_ui.install(engine)  # the popup's and the options page's requests
engine.start()
