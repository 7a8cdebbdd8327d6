"""The configuration check end to end in Chromium and Firefox (issue 17, item 2): the background fetches each CCP
and the sign-in page with the host permission the options page asked for, reads the CCP's framing headers (the
emulator sends Connect's `Content-Security-Policy: frame-ancestors` and a proxy's `X-Frame-Options` on request), and
the options page shows findings that name the fix — after the button, and after every save."""
from .conftest import extension_config
from .extension_driver import background_status, configure, host_state, open_allowlisted, wait_for
from .test_options import fill
from .ui_pages import OptionsPage, Popup

EAST, WEST = "us-east-1", "us-west-2"


def check_results(page):
    """(status state, status text, [(ok, check, region, message)]) once the check has finished."""
    wait_for(page.driver, lambda: page.driver.execute_script(
        "return document.getElementById('check-status').dataset.state") in ("ok", "problems", "error"),
        30, "the configuration check never finished")
    return page.driver.execute_script(
        "const s = document.getElementById('check-status');"
        "return [s.dataset.state, s.textContent, [...document.querySelectorAll('#check-results li')].map("
        "  li => [li.dataset.ok === 'true', li.dataset.check, li.dataset.region || null, li.textContent])];")


def run_check(page):
    page.focus()
    page.driver.find_element("id", "check-config").click()
    return check_results(page)


def test_saving_a_good_configuration_checks_it(ccp_browser, emulator):
    driver = ccp_browser
    config = extension_config(emulator)
    with OptionsPage(driver) as page:
        fill(page, config)
        page.save()
        assert page.wait_status("saved", "refused", "invalid", "error")["state"] == "saved"
        state, text, results = check_results(page)
    assert state == "ok", results
    assert text == f"All {len(results)} checks passed."
    # each CCP answers and lets each allowlisted site embed it, the sign-in page answers, two instances
    assert sorted((check, region) for _, check, region, _ in results) == sorted(
        [("ccp-answers", EAST), ("ccp-answers", WEST)] + [("ccp-frames-origin", region) for region in (EAST, WEST)
                                                          for _ in config["allowlist"]]
        + [("login-answers", None), ("distinct-instances", None)])


def test_a_refusing_instance_and_a_failing_sign_in_page_are_named_with_the_fix(ccp_browser, emulator):
    driver = ccp_browser
    configure(driver, extension_config(emulator))
    crm, crm2 = emulator.crm_url(""), emulator.crm_url("", site=1)
    emulator.client.set_framing(WEST, approved_origins=[crm2])  # Application integration lists only crm2
    emulator.client.set_framing(EAST, x_frame_options="DENY")
    emulator.client.impair_login(status=503)
    with OptionsPage(driver) as page:
        state, text, results = run_check(page)
        problems = [message for ok, _, _, message in results if not ok]
        assert state == "problems" and text.startswith(f"{len(problems)} problem(s) found")
        assert problems == [
            f"{EAST} sends X-Frame-Options: DENY, so no other site may embed its CCP: remove that header (a proxy "
            f"in front of the instance?) or approve origins with Application integration (the allowlist's {crm}/* "
            "cannot show the CCP)",
            f"{EAST} sends X-Frame-Options: DENY, so no other site may embed its CCP: remove that header (a proxy "
            f"in front of the instance?) or approve origins with Application integration (the allowlist's {crm2}/* "
            "cannot show the CCP)",
            f"{WEST} does not list {crm} as an approved origin: add it under Application integration in the Amazon "
            f"Connect console (the allowlist's {crm}/* cannot show the CCP)",
            f"the sign-in URL {emulator.login_url} answered HTTP 503: check the URL; agents cannot sign in",
        ]
        # fixed by the administrator: the next check passes
        emulator.client.set_framing(WEST, approved_origins=[crm, crm2])
        emulator.client.set_framing(EAST, x_frame_options=None)
        emulator.client.impair_login()
        state, _, results = run_check(page)
        assert state == "ok", results


def test_an_unreachable_sign_in_page_is_reported_as_not_answering(ccp_browser, emulator):
    driver = ccp_browser
    configure(driver, extension_config(emulator))
    emulator.client.impair_login(unreachable=True)
    with OptionsPage(driver) as page:
        state, _, results = run_check(page)
    (problem,) = [message for ok, _, _, message in results if not ok]
    assert state == "problems"
    assert problem.startswith(f"the sign-in URL {emulator.login_url} did not answer (")


def test_a_ccp_the_browser_refuses_to_show_on_the_page_is_said_so_with_the_fix(ccp_browser, emulator):
    """At run time (issue 17 item 2): a CCP frame the browser refuses (the page's origin is not an approved origin
    of the instance) is named as that, with the fix, in the panel and the popup — not as "not answering", and no
    sign-in window opens; once
    the administrator approves the origin, the frame's next refresh shows the CCP."""
    driver = ccp_browser
    configure(driver, extension_config(emulator))
    crm, crm2 = emulator.crm_url("").rstrip("/"), emulator.crm_url("", site=1).rstrip("/")
    emulator.client.set_framing(EAST, approved_origins=[crm2])  # the page at crm is not approved
    open_allowlisted(driver, emulator.crm_url())
    page = driver.current_window_handle
    fix = f"{EAST} does not list {crm} as an approved origin: add it under Application integration"
    state = wait_for(driver, lambda: (lambda s: s if s["state"] == "refused-framing" else None)(host_state(driver)),
                     timeout=60, message="the panel never said that the browser refuses the CCP")
    assert state["status"].startswith(f"{EAST} — the browser refuses to show the CCP on this site: {fix}")
    status = background_status(driver)
    assert [region["health"] for region in status["regions"]] == ["refused_framing", "ready"]
    assert [region["signInNeeded"] for region in status["regions"]] == [False, False]
    assert driver.window_handles == [page]  # a sign-in cannot help a refused frame: no sign-in window
    assert [problem["path"] for problem in status["regionProblems"]] == ["regions/0/ccpUrl"]
    with Popup(driver) as popup:
        shown = popup.wait(lambda s: s["regions"][0]["health"] == "refused_framing" and s["problems"])
        assert shown["regions"][0]["healthText"] == "Blocked"
        assert len(shown["problems"]) == 1 and fix in shown["problems"][0]
    driver.switch_to.window(page)
    emulator.client.set_framing(EAST, approved_origins=None)  # approved (no frame-ancestors at all)
    wait_for(driver, lambda: host_state(driver)["state"] == "ready", timeout=90,
             message="the CCP never showed after its origin was approved")
    wait_for(driver, lambda: background_status(driver)["regionProblems"] == [])
