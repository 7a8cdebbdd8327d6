"""The eval/Function tripwire the other tests rely on really sees such calls made by extension code."""
from selenium.webdriver.support.ui import WebDriverWait


def test_tripwire_counts_calls_from_extension_code(ccp_browser):
    driver = ccp_browser
    driver.get(driver.extension_base_url + "test/probe.html")
    WebDriverWait(driver, 10).until(lambda d: d.execute_script("return window.__grccpTripwire"))
    counts = driver.execute_script("return window.__grccpTripwire")
    assert counts["eval"] == 1 and counts["Function"] == 1
