"""Background entry point (Chrome service worker / Firefox event page). Listeners are registered synchronously
at start-up so that the browser can wake the background for them."""
from grccp.platform.background import failover_reports, page_api_requests, page_requests
from grccp.platform.background.engine import BackgroundEngine

engine = BackgroundEngine()
failover_reports.install(engine)  # the tabs' failover reports
page_requests.install(engine)  # the popup's and the options page's requests
page_api_requests.install(engine)  # the page API's requests (opted-in pages)
engine.start()
