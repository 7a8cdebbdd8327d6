"""Why a tab's CCP does not answer, when the reason is framing: a frame the browser refuses to show (the page's
origin is not an approved origin of the instance) looks to the tab like a CCP that never answers. When a tab
says its CCP is not answering, the background reads the CCP response's headers (with the host permission the
options page asked for; core.config_check.framing_refusal decides) and, if the browser refuses that page, tells
the tab (bg:framing-refused), whose conduit then says so instead of "not answering". One request per CCP URL at a
time, its answer reused for ANSWER_REUSE_MS (every tab of a site refreshes its frames)."""
from grccp.core import config_check
from grccp.core.runtime_messages import make_message
from grccp.platform.shared import clock, http, runtime_channel, webext

ANSWER_REUSE_MS = 30_000


class FramingWatch:
    def __init__(self):
        self._answers = {}  # CCP URL -> (answer, when ms)
        self._waiting = {}  # CCP URL -> [on_answer] while its request is out

    def check(self, config, tab_id, page_url, region_key, otherwise=None):
        """The tab's CCP of `region_key` does not answer: tells the tab if the browser refuses to show it there,
        else calls otherwise() (a sign-in cannot help a refused frame: the sign-in window waits for this)."""
        region = config.region(region_key) if config is not None else None
        if region is None or tab_id is None or not page_url:
            if otherwise is not None:
                otherwise()
            return
        page_origin = str(webext.global_scope.URL.new(page_url).origin)

        def answered(answer):
            detail = config_check.framing_refusal(region.key, page_origin, answer, region.ccp_origin)
            if detail is not None:
                runtime_channel.send_to_tab(tab_id, make_message("bg:framing-refused", region=region.key,
                                                                 detail=detail))
            elif otherwise is not None:
                otherwise()
        self._answer(region.ccp_url, answered)

    def _answer(self, url, on_answer):
        kept = self._answers.get(url)
        if kept is not None and clock.now_ms() - kept[1] < ANSWER_REUSE_MS:
            on_answer(kept[0])
            return
        self._waiting.setdefault(url, []).append(on_answer)
        if len(self._waiting[url]) > 1:
            return

        def got(answer):
            self._answers[url] = (answer, clock.now_ms())
            for waiter in self._waiting.pop(url, []):
                waiter(answer)
        http.probe(url, config_check.PROBE_TIMEOUT_MS, got)
