"""The configuration check's verdicts (core.config_check): framing as browsers decide it from the CCP's headers,
and findings that name the fix."""
import pytest

from core_testdata import EAST, EAST_CCP, LOGIN, WEST, WEST_CCP, make_acgr_config
from grccp.core import config_check
from grccp.core.config_check import frame_allowed, frame_ancestors

CRM = "https://crm.example.com"
CCP_ORIGIN = "https://ccp.us-east-1.example.test:8443"


@pytest.mark.parametrize("csp, allowed", [
    ("frame-ancestors 'self' https://crm.example.com", True),
    ("frame-ancestors 'self' https://other.example.com", False),
    ("frame-ancestors 'none'", False),
    ("frame-ancestors", False),
    ("frame-ancestors *", True),
    ("frame-ancestors https:", True),
    ("frame-ancestors crm.example.com", True),                 # no scheme: the CCP's own (https)
    ("frame-ancestors http://crm.example.com", True),          # http upgrades to https
    ("frame-ancestors https://*.example.com", True),
    ("frame-ancestors https://*.crm.example.com", False),       # a wildcard does not cover the bare domain
    ("frame-ancestors https://crm.example.com:8443", False),
    ("frame-ancestors https://crm.example.com:*", True),
    ("frame-ancestors https://CRM.Example.com/some/path", True),  # case-insensitive; the path is not compared
    ("frame-ancestors 'self'", False),
    ("default-src 'self'; frame-ancestors https://crm.example.com; frame-ancestors 'none'", True),  # first wins
    ("frame-ancestors https://crm.example.com, frame-ancestors 'none'", False),  # every policy must allow
    ("default-src 'none'", True),                              # no frame-ancestors: nothing restricts framing
])
def test_frame_ancestors_decide_as_a_browser_does(csp, allowed):
    assert frame_allowed({"content-security-policy": csp}, CRM, CCP_ORIGIN) is allowed


@pytest.mark.parametrize("xfo, parent, allowed", [
    ("DENY", CRM, False),
    ("SAMEORIGIN", CRM, False),
    ("SAMEORIGIN", CCP_ORIGIN, True),
    ("sameorigin, SAMEORIGIN", CCP_ORIGIN, True),
    ("SAMEORIGIN, DENY", CCP_ORIGIN, False),     # differing values refuse
    ("ALLOW-FROM https://crm.example.com", CRM, True),  # ignored by browsers
    (None, CRM, True),
])
def test_x_frame_options_applies_without_frame_ancestors(xfo, parent, allowed):
    headers = {} if xfo is None else {"x-frame-options": xfo}
    assert frame_allowed(headers, parent, CCP_ORIGIN) is allowed


def test_frame_ancestors_override_x_frame_options():
    headers = {"content-security-policy": "frame-ancestors https://crm.example.com", "x-frame-options": "DENY"}
    assert frame_allowed(headers, CRM, CCP_ORIGIN)
    assert frame_ancestors("script-src 'self'") is None


def _config(allowlist=("https://crm.example.com/*",)):
    return make_acgr_config(allowlist=list(allowlist))


def _page(url, csp=None, status=200):
    headers = {} if csp is None else {"content-security-policy": csp}
    return {"status": status, "url": url, "headers": headers}


def _answers(east=None, west=None, login=None):
    return {"ccp:" + EAST: east or _page(EAST_CCP), "ccp:" + WEST: west or _page(WEST_CCP),
            "login": login or _page(LOGIN)}


def _problems(results):
    return [result["message"] for result in results if not result["ok"]]


def test_probes_each_ccp_and_the_sign_in_page():
    config = _config()
    assert config_check.probes(config) == [("ccp:" + EAST, EAST_CCP), ("ccp:" + WEST, WEST_CCP), ("login", LOGIN)]


def test_a_good_deployment_has_no_problem_and_says_what_was_checked():
    results = config_check.findings(_config(), _answers())
    assert _problems(results) == []
    assert {result["check"] for result in results} == {config_check.CHECK_CCP, config_check.CHECK_FRAMING,
                                                      config_check.CHECK_LOGIN, config_check.CHECK_DISTINCT}


def test_an_origin_missing_from_the_approved_origins_names_region_origin_and_fix():
    west = _page(WEST_CCP, "frame-ancestors 'self' https://other.example.com")
    (problem,) = _problems(config_check.findings(_config(), _answers(west=west)))
    assert problem.startswith(f"{WEST} does not list https://crm.example.com as an approved origin: add it under "
                              "Application integration")


def test_a_wildcard_entry_needs_every_subdomain_approved():
    config = _config(["https://*.example.com/*"])
    west = _page(WEST_CCP, "frame-ancestors https://example.com https://app.example.com")
    (problem,) = _problems(config_check.findings(config, _answers(west=west)))
    assert f"{WEST} does not list https://*.example.com as an approved origin" in problem
    east = _page(EAST_CCP, "frame-ancestors https://example.com https://*.example.com")
    assert _problems(config_check.findings(config, _answers(east=east))) == []


def test_a_port_in_the_allowlist_is_part_of_the_origin():
    config = _config(["https://crm.example.com:8443/app/*"])
    west = _page(WEST_CCP, "frame-ancestors https://crm.example.com")
    (problem,) = _problems(config_check.findings(config, _answers(west=west)))
    assert "https://crm.example.com:8443 as an approved origin" in problem


def test_x_frame_options_deny_is_named():
    west = _page(WEST_CCP)
    west["headers"]["x-frame-options"] = "DENY"
    (problem,) = _problems(config_check.findings(_config(), _answers(west=west)))
    assert problem.startswith(f"{WEST} sends X-Frame-Options: DENY")


def test_a_ccp_that_does_not_answer_is_named_and_its_framing_not_guessed():
    results = config_check.findings(_config(), _answers(east={"error": "timed out after 10 s"},
                                                        west=_page(WEST_CCP, status=503)))
    problems = _problems(results)
    assert problems == [f"{EAST}: the CCP URL {EAST_CCP} did not answer (timed out after 10 s): check the URL (the "
                        "instance's alias and /ccp-v2/) and that the instance is running",
                        f"{WEST}: the CCP URL {WEST_CCP} answered HTTP 503: check the URL (the instance's alias and "
                        "/ccp-v2/) and that the instance is running"]
    assert not [r for r in results if r["check"] in (config_check.CHECK_FRAMING, config_check.CHECK_DISTINCT)]


def test_a_failing_sign_in_page_is_named():
    (problem,) = _problems(config_check.findings(_config(), _answers(login=_page(LOGIN, status=500))))
    assert problem == f"the sign-in URL {LOGIN} answered HTTP 500: check the URL; agents cannot sign in"
    missing = dict(_answers())
    del missing["login"]
    assert _problems(config_check.findings(_config(), missing))[0].endswith("did not answer (no answer): check the "
                                                                             "URL; agents cannot sign in")


def test_two_ccp_urls_that_lead_to_one_instance_are_named():
    results = config_check.findings(_config(), _answers(west=_page(EAST_CCP + "home")))
    (problem,) = _problems(results)
    assert problem.startswith(f"both CCP URLs lead to {CCP_ORIGIN}: the two regions must be two instances")


def test_at_run_time_a_refused_page_origin_is_named_with_the_fix():
    """A tab whose CCP does not answer: the background reads the CCP's headers for that page's origin
    (platform.background.framing_watch)."""
    refusing = _page(WEST_CCP, "frame-ancestors 'self' https://other.example.com")
    assert config_check.framing_refusal(WEST, CRM, refusing, "https://unused.example") == (
        f"{WEST} does not list {CRM} as an approved origin: add it under Application integration in the Amazon "
        f"Connect console (pages at {CRM} cannot show the CCP)")
    assert config_check.framing_refusal(WEST, "https://other.example.com", refusing, "https://unused.example") is None
    deny = {"status": 200, "url": WEST_CCP, "headers": {"x-frame-options": "DENY"}}
    assert config_check.framing_refusal(WEST, CRM, deny, "https://unused.example").startswith(
        f"{WEST} sends X-Frame-Options: DENY, so no other site may embed its CCP")


@pytest.mark.parametrize("answer", [{"error": "no answer within 10 s"}, _page(WEST_CCP, "frame-ancestors 'none'", 503)])
def test_at_run_time_a_ccp_that_does_not_answer_is_not_called_refused(answer):
    assert config_check.framing_refusal(WEST, CRM, answer, "https://unused.example") is None
