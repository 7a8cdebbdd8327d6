"""The control API: drive scenarios (active instance, contacts, agent state, sessions, impairments, log lines) and
read the whole state. A request is fully validated before anything changes; a bad one gets HTTP 400 naming the field."""
import json

from .agent_model import ACTIVE_CONTACT_STATES, CONTACT_TYPES, ApiError
from .framing import X_FRAME_OPTIONS
from .state import CCP_WEIGHTS, GLOBAL_SIGNIN_STATES, no_impairments
from .validation import (MISSING, Field, ValidationError, boolean, http_status_or_null, integer, json_list, one_of,
                         origins_or_null, parse, text)

LOG_LEVELS = ("TRACE", "DEBUG", "INFO", "LOG", "WARN", "ERROR")


class ControlApi:
    def __init__(self, state):
        self._state = state
        region = one_of(*state.regions)
        self._routes = {
            ("GET", "/state"): ({}, self._get_state),
            ("POST", "/reset"): ({}, self._reset),
            ("POST", "/active"): ({"region": Field(region), "instance_arn": Field(text),
                                   "terminate_active_contacts": Field(boolean, default=False)}, self._set_active),
            ("POST", "/contacts"): ({"region": Field(region, required=True),
                                     "type": Field(one_of(*CONTACT_TYPES), default="voice"),
                                     "phone_number": Field(text, default="+15555550100"),
                                     "force": Field(boolean, default=False)}, self._route_contact),
            ("POST", "/contacts/accept"): (self._contact_spec(region), self._accept),
            ("POST", "/contacts/hang_up"): (self._contact_spec(region), self._hang_up),
            ("POST", "/contacts/clear"): (self._contact_spec(region), self._clear),
            ("POST", "/agent/state"): ({"region": Field(region, required=True),
                                        "state": Field(text, required=True)}, self._set_agent_state),
            ("POST", "/session/expire"): ({"region": Field(region)}, self._expire_session),
            ("POST", "/session/sign_in"): ({}, self._sign_in),
            ("POST", "/session/global_signin"): ({"region": Field(region, required=True),
                                                  "state": Field(one_of(*GLOBAL_SIGNIN_STATES), required=True)},
                                                 self._set_global_signin),
            ("POST", "/impair"): ({"region": Field(region, required=True),
                                   "no_ack": Field(boolean, default=MISSING),
                                   "active_region_status": Field(http_status_or_null, default=MISSING),
                                   "api_status": Field(http_status_or_null, default=MISSING),
                                   "ccp_page": Field(one_of("ok", "error", "hang"), default=MISSING),
                                   "latency_ms": Field(integer(0, 60_000), default=MISSING),
                                   "api_latency_ms": Field(integer(0, 60_000), default=MISSING),
                                   "late_scripts_ms": Field(integer(0, 60_000), default=MISSING)}, self._impair),
            ("POST", "/impair/clear"): ({"region": Field(region)}, self._clear_impairments),
            ("POST", "/impair/login"): ({"status": Field(http_status_or_null, default=None),
                                         "unreachable": Field(boolean, default=False)}, self._impair_login),
            ("POST", "/ccp/weight"): ({"weight": Field(one_of(*CCP_WEIGHTS), required=True)}, self._set_ccp_weight),
            ("POST", "/framing"): ({"region": Field(region, required=True),
                                    "approved_origins": Field(origins_or_null, default=MISSING),
                                    "x_frame_options": Field(one_of(None, *X_FRAME_OPTIONS), default=MISSING)},
                                   self._set_framing),
            ("POST", "/logs"): ({"region": Field(region, required=True), "count": Field(integer(1, 10_000), required=True),
                                 "level": Field(one_of(*LOG_LEVELS), default="INFO"),
                                 "text": Field(text, default="emulator log line")}, self._emit_logs),
            ("POST", "/raw"): ({"region": Field(region, required=True), "messages": Field(json_list, required=True)},
                               self._emit_raw),
        }

    @staticmethod
    def _contact_spec(region):
        return {"region": Field(region, required=True), "contact_id": Field(text)}

    def handle(self, method, path, raw_body):
        """Return (HTTP status, JSON-able body)."""
        route = self._routes.get((method, path))
        if route is None:
            known = any(p == path for _, p in self._routes)
            return (405 if known else 404), {"error": f"no route {method} {path}"}
        spec, action = route
        try:
            body = json.loads(raw_body.decode("utf-8")) if raw_body.strip() else {}
        except (UnicodeDecodeError, ValueError) as error:
            return 400, {"error": f"body: not JSON ({error})", "field": "body"}
        try:
            return 200, action(parse(body, spec))
        except ValidationError as error:
            return 400, {"error": str(error), "field": error.field}
        except ApiError as error:
            return error.status_code, {"error": str(error), "type": error.error_type}

    # ----- actions (arguments already validated) -----------------------------------------------------------------

    def _get_state(self, _):
        return self._state.as_dict()

    def _reset(self, _):
        self._state.reset()
        return self._state.as_dict()

    def _set_active(self, args):
        if (args["region"] is None) == (args["instance_arn"] is None):
            raise ValidationError("region", "give exactly one of region or instance_arn")
        arn = args["instance_arn"] or self._state.region(args["region"]).instance.arn
        with self._state.mutate(snapshot=False):
            self._state.active_arn = arn
            self._state.terminate_active_contacts = args["terminate_active_contacts"]
        return self._state.as_dict()["active"]

    def _route_contact(self, args):
        with self._state.mutate(args["region"]):
            contact_id = self._agent(args).route_contact(args["type"], args["phone_number"], args["force"])
        return {"contact_id": contact_id}

    def _accept(self, args):
        return self._on_contact(args, ("incoming", "connecting", "pending"),
                                lambda agent, cid: agent.accept_contact({"contactId": cid}))

    def _hang_up(self, args):
        return self._on_contact(args, ACTIVE_CONTACT_STATES, lambda agent, cid: agent.hang_up(cid))

    def _clear(self, args):
        return self._on_contact(args, ("ended",), lambda agent, cid: agent.clear_contact({"contactId": cid}))

    def _on_contact(self, args, default_states, operation):
        """Apply to the given contact, or to the oldest one in one of `default_states`."""
        with self._state.mutate(args["region"]):
            agent = self._agent(args)
            contact_id = args["contact_id"] or next(
                (c["contactId"] for c in agent.contacts() if c["state"]["type"] in default_states), None)
            if contact_id is None:
                raise ApiError("NoSuchContact", f"no contact in state {'/'.join(default_states)}", 409)
            operation(agent, contact_id)
        return {"contact_id": contact_id}

    def _set_agent_state(self, args):
        if args["state"] not in [s["name"] for s in self._agent(args).agent_states]:
            raise ValidationError("state", "unknown agent state name")
        with self._state.mutate(args["region"]):
            self._agent(args).set_state_by_name(args["state"])
        return {"state": args["state"]}

    def _expire_session(self, args):
        """Sign the agent out (one region, or both): the CCP stops acknowledging and the worker reports auth_fail."""
        with self._state.mutate(args["region"], snapshot=False):
            for name in ([args["region"]] if args["region"] else self._state.regions):
                self._state.region(name).signed_in = False
        return {"signed_in": {n: r.signed_in for n, r in self._state.regions.items()}}

    def _sign_in(self, _):
        sign_in_everywhere(self._state)
        return {"signed_in": {n: r.signed_in for n, r in self._state.regions.items()}}

    def _set_global_signin(self, args):
        """How the instance's CCP answers validate_global_signin from now on (its page sets the cookie on load)."""
        with self._state.mutate(args["region"], snapshot=False):
            self._state.region(args["region"]).global_signin = args["state"]
        return {"global_signin": {n: r.global_signin for n, r in self._state.regions.items()}}

    def _impair(self, args):
        changes = {k: v for k, v in args.items() if k != "region" and v is not MISSING}
        with self._state.mutate(args["region"], snapshot=False):
            self._state.region(args["region"]).impairments.update(changes)
        return self._state.region(args["region"]).impairments

    def _clear_impairments(self, args):
        with self._state.mutate(args["region"], snapshot=False):
            for name in ([args["region"]] if args["region"] else self._state.regions):
                self._state.region(name).impairments = no_impairments()
        return {}

    def _impair_login(self, args):
        """The global sign-in page answers `status` instead of 200, or (unreachable) nothing at all."""
        with self._state.locked():
            self._state.login_impairment = dict(args)
        return dict(args)

    def _set_ccp_weight(self, args):
        """The CCP page both instances serve from the next page load: light, or heavy (heavy_ccp.py)."""
        with self._state.locked():
            self._state.ccp_weight = args["weight"]
        return {"ccp_weight": args["weight"]}

    def _set_framing(self, args):
        """Who may frame the region's CCP from its next page load: the approved origins its CSP frame-ancestors
        lists (null: no such header) and its X-Frame-Options (null: none). Unnamed ones stay as they are."""
        changes = {k: v for k, v in args.items() if k != "region" and v is not MISSING}
        with self._state.mutate(args["region"], snapshot=False):
            self._state.region(args["region"]).framing.update(changes)
        return dict(self._state.region(args["region"]).framing)

    def _emit_logs(self, args):
        texts = [f"{args['text']} #{n}" for n in range(1, args["count"] + 1)]
        self._state.add_logs(args["region"], args["level"], texts)
        return {"texts": texts}

    def _emit_raw(self, args):
        self._state.add_raw(args["region"], args["messages"])
        return {"count": len(args["messages"])}

    def _agent(self, args):
        return self._state.region(args["region"]).agent


def sign_in_everywhere(state):
    """Global sign-in: one login signs the agent in to both instances (used by the login page too), and leaves
    the global sign-in cookie valid where it was missing or corrupt (an instance whose CCP does not answer the
    validation keeps not answering: that is its version, not a sign-in)."""
    with state.mutate(snapshot=False):
        for region in state.regions.values():
            region.signed_in = True
            if region.global_signin in ("missing", "parse_error"):
                region.global_signin = "valid"
