"""The page API's log download (globalConnect.core.downloadLogs; background/page_api_requests): the background opens
the options page in a tab in the background, its URL saying `?download-logs[&logName=<name>]
[&filterByLogLevel=true|false]`; the page makes the popup's download with those options (log_download: the same
files, the configuration's options where not given) instead of showing the form, and closes its tab once the
browser has written them."""
from browser import window

from grccp.platform.shared import windows

from . import log_download


def requested():
    """Whether this page was opened for a page API's log download (then it is under way)."""
    params = window.URLSearchParams.new(window.location.search)
    if not params.has("download-logs"):
        return False
    name = str(params.get("logName")) if params.has("logName") else None
    by_level = str(params.get("filterByLogLevel")) == "true" if params.has("filterByLogLevel") else None

    def done(result):
        for error in result["errors"]:
            print("page API log download:", error)
        windows.close_own_tab()
    log_download.download_logs(done, log_name=name, filter_by_level=by_level)
    return True
