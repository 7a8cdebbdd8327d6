"""What the browser injects into a page, from the registered content scripts (bench.injected)."""
from bench.injected import injected_files, pattern_matches

URL = "https://crm.example.test:8443/hosts/bench-extension.html"


def test_match_patterns_ignore_the_port_and_match_hosts_and_paths():
    assert pattern_matches("https://crm.example.test/*", URL)
    assert pattern_matches("https://*.example.test/*", URL) and pattern_matches("*://*/*", URL)
    assert pattern_matches("https://crm.example.test/hosts/bench-extension.html*", URL + "?tab=b")
    assert not pattern_matches("https://crm.example.test/page-api/*", URL)
    assert not pattern_matches("https://crm2.example.test/*", URL)
    assert not pattern_matches("https://example.test.evil/*", URL)
    assert not pattern_matches("http://crm.example.test/*", URL)
    assert not pattern_matches("https://crm.example.test/hosts/bench.html", URL)


def test_the_files_of_the_registrations_that_match_in_order_once():
    registrations = [
        {"id": "guard", "matches": ["https://crm.example.test/*"], "js": ["boot/a.js", "runtime/r.js"]},
        {"id": "api", "matches": ["https://crm.example.test/page-api/*"], "js": ["vendor/streams.js"]},
        {"id": "frames", "matches": ["https://crm.example.test/*"], "js": ["page_api/region_frame.js", "boot/a.js"],
         "allFrames": True, "matchOriginAsFallback": True},
        {"id": "not-here", "matches": ["https://*/*"], "excludeMatches": ["https://crm.example.test/*"],
         "js": ["x.js"]},
    ]
    assert injected_files(registrations, URL) == ["boot/a.js", "runtime/r.js", "page_api/region_frame.js"]
    assert injected_files(registrations, "https://other.example.test/") == ["x.js"]
    assert injected_files([], URL) == []
