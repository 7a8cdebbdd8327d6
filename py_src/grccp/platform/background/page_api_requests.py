"""The page API's requests, registered on the BackgroundEngine with install(engine) before engine.start():

cs:page-request from the content script of a page opted in to the page API (its top frame: engine._refusal checked
that the page is allowlisted first):
  force-failover  page code called connect.globalResiliency.forceFailover(): the agent's Switch now for the pending
                  failover, only if the configuration allows it (pageApiForceFailover), the sender's page (the
                  browser's word, port included) is opted in, and a failover is pending; otherwise refused (bg:error)
  download-logs   page code called globalConnect.core.downloadLogs(options): the popup's download, with those
                  options (the configuration's where not given), made by the options page opened for it in a tab
                  in the background (pages/page_log_download: it saves the files and closes its tab); one a tab at
                  a time (DOWNLOAD_GAP_MS)
cs:load-streams from a regional frame of a page opted in (legacy DR's regional realms, page_api/region_frame.js):
  Streams is loaded into that frame's main world if the tab's page is opted in, the protocol has regional
  realms, the region is configured, and core.regional_realms admits the frame; answered bg:streams-loaded."""
from grccp.core import protocols
from grccp.core.config import page_api_enabled
from grccp.core.regional_realms import RegionalLoads
from grccp.core.runtime_messages import DOWNLOAD_LOGS_REQUEST, make_message
from grccp.platform.shared import clock, scripting, webext, windows

from . import content_scripts

DOWNLOAD_GAP_MS = 10_000
LOG_DOWNLOAD_PAGE = "options.html"


def install(engine):
    loads = RegionalLoads()
    downloads = {}  # tab id -> when its page last asked for a log download

    def on_request(fields, sender, respond):
        if fields["request"] == DOWNLOAD_LOGS_REQUEST:
            problem = _download_logs(engine, fields, sender, downloads)
        else:
            problem = _force_failover(engine, sender)
        if problem:
            respond(make_message("bg:error", error=problem))
        return False

    def on_load_streams(fields, sender, respond):
        problem = _streams_problem(engine.config, fields, sender) or loads.admit(
            sender["tab_id"], fields["document"], sender["frame_id"])
        if problem:
            respond(make_message("bg:error", error=problem))
            return False

        def loaded(error):
            respond(make_message("bg:error", error=error) if error else make_message("bg:streams-loaded"))
        scripting.inject_main(sender["tab_id"], sender["frame_id"], content_scripts.FILES["streams"], loaded)
        return True
    engine.handle("cs:page-request", on_request)
    engine.handle("cs:load-streams", on_load_streams)


def _force_failover(engine, sender):
    config = engine.config
    if not page_api_enabled(sender["url"], config):
        return "the page is not opted in to the page API"
    if not config.page_api_force_failover:
        return "forceFailover is not allowed by the configuration (pageApiForceFailover)"
    pending = engine.state.pending
    if pending is None:
        return "no failover is pending"
    engine.log(engine.state.active, "WARN", f"forceFailover from the page API of tab {sender['tab_id']}")
    return engine.switch_now(pending["target"], "page-api")


def _download_logs(engine, fields, sender, downloads):
    if not page_api_enabled(sender["url"], engine.config):
        return "the page is not opted in to the page API"
    now = clock.now_ms()
    if now - downloads.get(sender["tab_id"], -DOWNLOAD_GAP_MS) < DOWNLOAD_GAP_MS:
        return "a log download of this page is under way"
    downloads[sender["tab_id"]] = now
    encode = webext.global_scope.encodeURIComponent
    query = "&".join(f"{name}={encode(str(fields[name]).lower() if name == 'filterByLogLevel' else fields[name])}"
                     for name in ("logName", "filterByLogLevel") if fields.get(name) is not None)
    engine.log(engine.state.active, "INFO", f"log download from the page API of tab {sender['tab_id']}")
    windows.open_in_background(webext.extension_url(LOG_DOWNLOAD_PAGE) + "?download-logs&" + query)
    return None


def _streams_problem(config, fields, sender):
    """Why Streams is not loaded into the sender's frame (the sender's tab is allowlisted: engine._refusal), or
    None."""
    if not sender["frame_id"] or not page_api_enabled(sender["tab_url"], config):
        return "not a frame of a page opted in to the page API"
    if not protocols.page_view_class(config).REGIONAL_REALMS:
        return "the protocol's page API has no regional realms"
    if fields["region"] not in config.region_keys:
        return "not a configured region"
    return None
