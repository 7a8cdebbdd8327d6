"""Leaving the page during a contact asks first (issue 17 item 5; outage.askBeforeLeaving, off by default), in
Chromium and Firefox: while a call is in progress the page's beforeunload event is cancelled, which is what makes
the browser show its "Leave page?" prompt; once the contact is cleared, leaving asks nothing.

WebDriver accepts beforeunload prompts on its own (the WebDriver spec's default, which neither driver lets a test
turn off here), so the test reads what the browser saw: a listener of the page, registered after the extension's,
writes the event's defaultPrevented into session storage, which survives the real reload it then does."""
from .conftest import extension_config
from .extension_driver import configure, wait_for
from .test_config_changes import store
from .test_failover_engine import EAST, call_in_progress, open_ready, ready_on

RECORD_THE_QUESTION = """sessionStorage.removeItem('leaveAsked');
window.addEventListener('beforeunload', event => sessionStorage.setItem('leaveAsked', String(event.defaultPrevented)));"""


def contact_word(driver):
    """What the tab's panel says of its contacts (core.tab_config.CONTACT_WORDS)."""
    return driver.execute_script(
        "const host = document.getElementById('grccp-ccp-host'); return host && host.dataset.grccpContact")


def leaving_asks(driver):
    """Reloads the page (after the agent's click: browsers prompt only on a page the user interacted with) and
    says whether the browser was asked to prompt first."""
    driver.find_element("tag name", "h1").click()
    driver.execute_script(RECORD_THE_QUESTION)
    driver.refresh()
    wait_for(driver, lambda: ready_on(driver, EAST))
    return {"true": True, "false": False}[driver.execute_script("return sessionStorage.getItem('leaveAsked')")]


def test_leaving_the_page_asks_first_only_while_a_contact_is_in_progress(ccp_browser, emulator):
    driver = ccp_browser
    configure(driver, extension_config(emulator, outage={"askBeforeLeaving": True}))
    open_ready(driver, emulator)
    assert not leaving_asks(driver)
    contact = call_in_progress(driver, emulator)
    wait_for(driver, lambda: contact_word(driver) == "in-progress")
    assert leaving_asks(driver)
    wait_for(driver, lambda: contact_word(driver) == "in-progress")  # the reloaded page's panel sees it again
    assert leaving_asks(driver)
    emulator.client.hang_up(EAST, contact)
    emulator.client.clear(EAST, contact)
    wait_for(driver, lambda: contact_word(driver) == "none")
    assert not leaving_asks(driver)


def listener_asks(driver):
    """Whether the page's beforeunload would ask now (a synthetic event: nothing is left)."""
    return driver.execute_script(
        "const event = new Event('beforeunload', {cancelable: true}); window.dispatchEvent(event);"
        "return event.defaultPrevented")


def test_leaving_asks_nothing_unless_the_configuration_says_so_which_an_open_page_follows(ccp_browser, emulator):
    driver = ccp_browser
    configure(driver, extension_config(emulator))
    open_ready(driver, emulator)
    call_in_progress(driver, emulator)
    wait_for(driver, lambda: contact_word(driver) == "in-progress")
    assert not leaving_asks(driver)
    wait_for(driver, lambda: contact_word(driver) == "in-progress")
    loads = {region: len(emulator.client.region_state(region)["ccp_page_loads"]) for region in emulator.regions}
    store(driver, extension_config(emulator, outage={"askBeforeLeaving": True}))
    wait_for(driver, lambda: listener_asks(driver), message="the open page did not take the option over")
    # taken over in place: the CCPs were not loaded again (the call's panel stays as it is)
    assert {region: len(emulator.client.region_state(region)["ccp_page_loads"]) for region in emulator.regions} == loads
    assert leaving_asks(driver)
