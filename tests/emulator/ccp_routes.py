"""One instance's origin (`https://ccp.<region>.example.test:<port>`): the CCP page and its worker script, and the
endpoints the emulated SharedWorker talks to in place of Connect's backend:

  GET  /api/worker-config             region, ARN, timings
  GET  /api/snapshot?since=V&log_seq=S long poll for the agent snapshot, impairments and emitted log lines
  POST /api/call {method, params}      one CTI call (putAgentState, acceptContact, ...)
  GET  /api/active-region              {InstanceArn, TerminateActiveContacts} (the "presigned" polling URL)
  POST /api/viewport {window_id, width, height, host, closed, at?, painted_at?}  a CCP window's size in its host
                                       (test observability)
  POST /api/mark {window_id, kind, host, at}  a moment a CCP window lived through, e.g. "failover-relayed" (benchmark)
  POST /api/acgr {window_id, host, direction, event, data, at, seq}  an ACGR message a CCP window sent or got (tests)
  GET  /ccp-v2/heavy.css, /ccp-v2/heavy.js  the heavy-CCP mode's assets (heavy_ccp.py), linked while it is on

The CCP page carries the global sign-in cookie `lily-agent-config` the way the instance's sign-in state says, and
the framing headers its framing rules say (framing.py).
"""
import base64
import html
import json
import time

from .agent_model import DATE_KEYS, ApiError
from .config import CCP_PATH
from .framing import framing_headers, refuses
from .heavy_ccp import script, stylesheet
from .http_handler import Response, static_file
from .state import RAW_MESSAGE


class CcpOrigin:
    def __init__(self, state, instance, timings, static_dir, login_url):
        self._state = state
        self._instance = instance
        self._region = instance.region
        self._timings = timings
        self._static_dir = static_dir
        self._login_url = login_url

    def __call__(self, request):
        self._add_latency()
        path = request.path
        if request.method == "GET" and path == CCP_PATH:
            return self._ccp_page(request)
        heavy_asset = {"heavy.css": ("text/css", stylesheet), "heavy.js": ("text/javascript", script)}.get(
            path[len(CCP_PATH):]) if path.startswith(CCP_PATH) else None
        if heavy_asset:
            return Response(200, heavy_asset[1](self._static_dir), heavy_asset[0])
        if path.startswith(CCP_PATH):
            if path[len(CCP_PATH):] in LATE_SCRIPTS and self._regional().impairments["late_scripts_ms"]:
                # a busy server sends these after the rest of the page: its worker may answer the page first
                time.sleep(self._regional().impairments["late_scripts_ms"] / 1000)
            return static_file(self._static_dir, path[len(CCP_PATH):])
        api = {("GET", "/api/worker-config"): self._worker_config, ("GET", "/api/snapshot"): self._snapshot,
               ("POST", "/api/call"): self._call, ("GET", "/api/active-region"): self._active_region,
               ("POST", "/api/viewport"): self._viewport, ("POST", "/api/mark"): self._mark,
               ("POST", "/api/acgr"): self._acgr}
        handler = api.get((request.method, path))
        return handler(request) if handler else Response.not_found()

    def _regional(self):
        return self._state.region(self._region)

    def _add_latency(self):
        latency_ms = self._regional().impairments["latency_ms"]
        if latency_ms:
            time.sleep(latency_ms / 1000)  # emulates a slow region; only this request's thread waits

    def _ccp_page(self, request):
        outcome, response = self._ccp_page_response()
        rules = self._regional().framing
        framed_by = request.framing_origin()
        if outcome in ("ok", "signed-out"):
            response.headers.update(framing_headers(rules))
        self._state.record(self._region, "ccp_page_loads", {
            "outcome": outcome, "framed_by": framed_by,
            "framing_refused": bool(framed_by) and outcome in ("ok", "signed-out") and
            refuses(rules, framed_by, "https://" + request.headers.get("host", ""))})
        return response

    def _page_mode(self):
        return self._regional().impairments["ccp_page"]

    def _ccp_page_response(self):
        if self._page_mode() == "hang":
            self._state.record(self._region, "ccp_page_loads", {"outcome": "hanging"})  # observable while held
            lifted = self._state.wait_until(lambda: self._page_mode() != "hang", self._timings.hang_max_ms / 1000)
            if not lifted:
                return "timeout", Response(504, "CCP page timed out (impairment ccp_page=hang)")
        if self._page_mode() == "error":
            return "error", Response.html(503, "<h1>503 Service Unavailable</h1><p>Emulated CCP outage.</p>")
        if not self._regional().signed_in:
            # No worker, so no ACK: the host's load timer then starts its login flow (ccp-protocol.md 1.7).
            return "signed-out", Response.html(200, _SIGNED_OUT_PAGE.format(region=html.escape(self._region),
                                                                            login=html.escape(self._login_url)))
        page = static_file(self._static_dir, "index.html")
        page.headers["Set-Cookie"] = self._signin_cookie()
        if self._state.ccp_weight == "heavy":
            page.body = page.body.replace(b"</head>", HEAVY_ASSETS + b"</head>")
        return "ok", page

    def _signin_cookie(self):
        """`lily-agent-config` as global sign-in leaves it on the CCP's origin: base64 of a JSON object (what it
        holds is not public; Streams only checks that it decodes to a non-empty object), a value that does not
        parse, or none at all (the agent signed in to this instance directly)."""
        state = self._regional().global_signin
        attributes = "Path=/; Secure; SameSite=None"
        if state == "missing":
            return f"lily-agent-config=; Max-Age=0; {attributes}"
        config = {"globalSignIn": True, "instanceArn": self._instance.arn, "region": self._region}
        value = base64.b64encode(json.dumps(config).encode() if state != "parse_error" else b"not-json").decode()
        return f"lily-agent-config={value}; {attributes}"

    def _worker_config(self, _request):
        return Response.json(200, {"region": self._region, "instanceArn": self._instance.arn,
                                   "instances": [{"region": i.region, "arn": i.arn} for i in self._state.instances],
                                   "globalSignin": self._regional().global_signin,
                                   "loginUrl": self._login_url, "timings": self._timings.as_dict(),
                                   "dateKeys": list(DATE_KEYS), "impairments": dict(self._regional().impairments)})

    def _snapshot(self, request):
        try:
            since = int(request.query_value("since", "0"))
            log_seq = int(request.query_value("log_seq", "-1"))
        except ValueError:
            return Response.json(400, {"error": "since and log_seq must be integers", "field": "since"})
        if not self._regional().signed_in:
            return Response.json(401, {"error": "session expired"})
        changed = self._state.wait_for_change(self._region, since, self._timings.snapshot_long_poll_ms / 1000)
        with self._state.locked():
            regional = self._regional()
            if not regional.signed_in:
                return Response.json(401, {"error": "session expired"})
            start = regional.log_seq if log_seq < 0 else log_seq
            regional.logs_delivered = regional.log_seq  # a worker now has every line so far (benchmark pacing)
            return Response.json(200, {
                "version": regional.version, "snapshot_version": regional.snapshot_version, "changed": changed,
                "agent": {"snapshot": regional.agent.snapshot(), "configuration": regional.agent.configuration()},
                "impairments": dict(regional.impairments),
                "logs": [{"level": level, "text": text} for seq, level, text in regional.logs
                         if seq > start and level != RAW_MESSAGE],
                "raw": [message for seq, level, message in regional.logs if seq > start and level == RAW_MESSAGE],
                "log_seq": regional.log_seq,
            })

    def _call(self, request):
        try:
            call = json.loads(request.body or b"{}")
            method, params = call["method"], call.get("params") or {}
        except (ValueError, KeyError, TypeError):
            return Response.json(400, {"error": "body must be {method, params}", "field": "method"})
        regional = self._regional()
        if not regional.signed_in:
            return Response.json(401, {"error": "session expired"})
        if regional.impairments["api_latency_ms"]:
            time.sleep(regional.impairments["api_latency_ms"] / 1000)  # a slow CTI backend; the state is read after
        forced_status = regional.impairments["api_status"]
        if forced_status:
            self._state.record(self._region, "api_calls", {"method": method, "params": params, "ok": False})
            return Response.json(forced_status, {"error": f"emulated HTTP {forced_status}"})
        try:
            with self._state.mutate(self._region):
                data = regional.agent.call(method, params)
            result = {"data": data, "err": None}
        except ApiError as error:
            result = {"data": None, "err": error.as_dict()}
        self._state.record(self._region, "api_calls", {"method": method, "params": params, "ok": not result["err"]})
        return Response.json(200, result)

    def _viewport(self, request):
        try:
            report = json.loads(request.body or b"{}")
            entry = {"width": int(report["width"]), "height": int(report["height"]), "host": str(report["host"]),
                     "closed": bool(report["closed"]), "at": int(report.get("at") or 0) or None,
                     "painted_at": int(report.get("painted_at") or 0) or None}
            window_id = str(report["window_id"])[:64]
        except (ValueError, KeyError, TypeError):
            return Response.json(400, {"error": "body must be {window_id, width, height, host, closed}",
                                       "field": "window_id"})
        self._state.set_viewport(self._region, window_id, entry)
        return Response(204)

    def _mark(self, request):
        try:
            report = json.loads(request.body or b"{}")
            entry = {"window_id": str(report["window_id"])[:64], "kind": str(report["kind"])[:64],
                     "host": str(report["host"]), "at": int(report["at"])}
        except (ValueError, KeyError, TypeError, AttributeError):
            return Response.json(400, {"error": "body must be {window_id, kind, host, at}", "field": "kind"})
        self._state.record(self._region, "marks", entry)
        return Response(204)

    def _acgr(self, request):
        try:
            report = json.loads(request.body or b"{}")
            entry = {"window_id": str(report["window_id"])[:64], "host": str(report["host"]),
                     "direction": report["direction"], "event": str(report["event"])[:100], "data": report["data"],
                     "at": int(report["at"]), "seq": int(report["seq"])}
            if entry["direction"] not in ("from-host", "to-host", "ccp"):
                raise ValueError(entry["direction"])
        except (ValueError, KeyError, TypeError, AttributeError):
            return Response.json(400, {"error": "body must be {window_id, host, direction, event, data, at, seq}",
                                       "field": "direction"})
        self._state.record(self._region, "acgr", entry)
        return Response(204)

    def _active_region(self, _request):
        # The answer is read and the poll recorded under one lock: a test that sees the poll recorded knows the
        # worker's answer was fixed before any change it makes next.
        with self._state.locked():
            forced_status = self._regional().impairments["active_region_status"]
            answer = {"InstanceArn": self._state.active_arn,
                      "TerminateActiveContacts": self._state.terminate_active_contacts}
            self._state.record(self._region, "active_region_polls",
                               {"status": forced_status or 200, "instanceArn": None if forced_status else
                                answer["InstanceArn"]})
        if forced_status:
            return Response.json(forced_status, {"message": f"emulated HTTP {forced_status}"})
        return Response.json(200, answer)


LATE_SCRIPTS = ("ccp-dr.js", "ccp-gr.js")  # the protocol parts of the CCP page (impairment late_scripts_ms)
HEAVY_ASSETS = b'  <link rel="stylesheet" href="heavy.css">\n  <script src="heavy.js" defer></script>\n'

_SIGNED_OUT_PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>Sign in required</title></head>
<body data-ccp-state="signed-out"><h1>Amazon Connect ({region}) — emulated</h1>
<p>Your session has ended. <a href="{login}" target="_blank" rel="opener">Sign in</a>, then reload.</p></body></html>
"""
