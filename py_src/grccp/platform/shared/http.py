"""The extension's own HTTP requests (fetch), used by the background's configuration check: with the host
permission the options page asked for, the response's headers are readable (no CORS), as the browser will see
them on a CCP frame."""
from . import clock, webext

_scope = webext.global_scope
ANSWERED_HEADERS = ("content-security-policy", "x-frame-options")


def probe(url, timeout_ms, on_answer):
    """GET `url` (cookies included, as a CCP frame sends them; redirects followed; never from cache);
    on_answer({"status", "url" (after redirects), "headers": {name: value} of ANSWERED_HEADERS}) or
    on_answer({"error": text}) for no answer within `timeout_ms`. The body is not read."""
    controller = _scope.AbortController.new()
    settled = []

    def settle(answer):
        if not settled:
            settled.append(True)
            clock.cancel(timer)
            on_answer(answer)

    def answered(response):
        headers = {}
        for name in ANSWERED_HEADERS:
            value = response.headers.get(name)
            if isinstance(value, str):
                headers[name] = value
        settle({"status": int(response.status), "url": str(response.url), "headers": headers})
        body = webext.optional(response, "body")
        if body is not None:
            body.cancel()

    def failed(problem):
        settle({"error": str(webext.optional(problem, "message") or problem)})

    def timed_out():
        settle({"error": f"no answer within {timeout_ms // 1000} s"})
        controller.abort()

    timer = clock.call_later(timeout_ms, timed_out)
    options = webext.to_js({"credentials": "include", "cache": "no-store", "redirect": "follow"})
    options.signal = controller.signal
    _scope.fetch(url, options).then(answered, failed)
