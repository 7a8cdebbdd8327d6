"""Configuration values that carry markup or script are shown as text in the popup and the options page: no
element is created from them and nothing runs."""
from .conftest import extension_config
from .extension_driver import configure, wait_for

MARKUP = "<img src=x onerror=\"window.__pwned=1\">"
INJECTED = ("return [document.querySelectorAll('img, iframe, object, embed').length,"
            " document.querySelectorAll('script:not([src])').length, window.__pwned === undefined,"
            " document.body.innerText]")


def test_markup_in_configuration_values_is_rendered_as_text(ccp_browser, emulator):
    driver = ccp_browser
    config = extension_config(emulator)
    config["regions"][1]["region"] = "us-west-2" + MARKUP           # refused: shown in the problems list
    config["loginUrl"] = emulator.login_url + "/<script>window.__pwned=1</script>"
    config["placement"] = {"mode": "selector", "selector": MARKUP}
    configure(driver, config)
    for page in ("popup.html", "options.html"):
        driver.get(driver.extension_base_url + page)
        wait_for(driver, lambda: "<img" in driver.execute_script("return document.body.innerText")
                 or "<img" in " ".join(driver.execute_script(
                     "return [...document.querySelectorAll('input, textarea')].map(e => e.value)")))
        media, inline_scripts, clean, _ = driver.execute_script(INJECTED)
        assert media == 0 and inline_scripts == 0 and clean, page
