"""Log download in an extension page (popup or options): the background flushes its logs to storage and says
which chunks hold each region's log (bg:log-export); the page makes one file per region (log_files) and saves
them all in the same task, before any browser UI can close a popup. The page's button and status line show the
progress and the outcome the same way in the popup and the options page."""
from grccp.core.errors import MessageError
from grccp.core.runtime_messages import make_message, parse_reply
from grccp.platform.shared import downloads, runtime_channel

from . import dom
from .log_files import region_file


def download_logs(on_done, log_name=None, filter_by_level=None):
    """Asks the background for every region's log and saves one file per region. on_done(result) with result
    {"files": [file names as given], "saved": [paths the browser reports], "errors": [messages]} once every
    download completed or failed."""
    request = {}
    if log_name is not None:
        request["logName"] = log_name
    if filter_by_level is not None:
        request["filterByLogLevel"] = filter_by_level

    def got_plan(reply, error):
        try:
            fields = parse_reply(reply, error, "bg:log-export")
        except MessageError as problem:
            on_done({"files": [], "saved": [], "errors": [str(problem)]})
            return
        _save_files(fields["files"], fields["filterByLogLevel"], on_done,
                    lambda: runtime_channel.send(make_message("popup:log-export-done", exportId=fields["exportId"])))

    runtime_channel.send(make_message("popup:download-logs", **request), got_plan)


def _save_files(plans, filter_by_level, on_done, on_read):
    """Every region's file made at once (reads issued together); on_read() once every file is made (the
    background may delete what it held back for them); the downloads start together then."""
    result = {"files": [plan["fileName"] for plan in plans], "saved": [], "errors": []}
    blobs = [None] * len(plans)
    left = [len(plans)]
    if not plans:
        on_read()
        on_done(result)
        return

    def got_file(index, blob, error):
        if error:
            result["errors"].append(error)
        else:
            blobs[index] = blob
        left[0] -= 1
        if left[0] == 0:
            on_read()
            start_downloads()

    def start_downloads():
        waiting = [len([blob for blob in blobs if blob is not None])]

        def saved(path, problem):
            if problem:
                result["errors"].append(problem)
            else:
                result["saved"].append(path)
            waiting[0] -= 1
            if waiting[0] == 0:
                on_done(result)
        if waiting[0] == 0:
            on_done(result)
        for index, blob in enumerate(blobs):
            if blob is not None:
                downloads.save(plans[index]["fileName"], blob, saved)

    def maker(index):
        return lambda blob, error: got_file(index, blob, error)
    for index, plan in enumerate(plans):
        region_file(plan, filter_by_level, maker(index))


def download_with_status(button, status, on_finished, log_name=None, filter_by_level=None):
    """download_logs with the page's button disabled meanwhile and its status line (data-state working, done or
    error) saying what happens; on_finished() once done (the page decides whether the button is usable)."""
    button.disabled = True
    dom.set_attr(status, "data-state", "working")
    dom.set_text(status, "Saving the logs…")

    def done(result):
        if result["errors"]:
            dom.set_attr(status, "data-state", "error")
            dom.set_text(status, "Not saved: " + "; ".join(result["errors"]))
        else:
            dom.set_attr(status, "data-state", "done")
            dom.set_text(status, "Saved " + ", ".join(result["files"]))
        on_finished()
    download_logs(done, log_name=log_name, filter_by_level=filter_by_level)
