"""What the browser injects into a page: the extension's registered content scripts (chrome.scripting
.getRegisteredContentScripts(), as the browser holds them) whose match patterns match the page's URL. Pure, so it is
unit-tested (tests/bench/test_injected.py); the bench's page-API-off pair sizes these files (bench.page_api_sides)."""
import re
from urllib.parse import urlsplit

# An async WebDriver script for an extension page: the registered content scripts, or the error's text
ASK_REGISTERED_SCRIPTS = ("const done = arguments[arguments.length - 1];"
                          "chrome.scripting.getRegisteredContentScripts().then(done, (e) => done(String(e)));")


def pattern_matches(pattern, url):
    """Whether a content-script match pattern ("<scheme>://<host>/<path>", "*." hosts, "*" in the path, no port:
    it matches every port) matches a page's URL (its path and query)."""
    scheme, _, rest = pattern.partition("://")
    host, _, path = rest.partition("/")
    page = urlsplit(url)
    name = page.hostname or ""
    if scheme not in ("*", page.scheme):
        return False
    if host != "*" and name != host and not (host.startswith("*.") and (name == host[2:] or name.endswith(host[1:]))):
        return False
    page_path = page.path + (f"?{page.query}" if page.query else "")
    return re.fullmatch(".*".join(map(re.escape, ("/" + path).split("*"))), page_path) is not None


def injected_files(registrations, url):
    """The files of every registration whose `matches` match `url` (a top-level page; none of its
    `excludeMatches`), in registration order, each once."""
    files = []
    for script in registrations:
        if any(pattern_matches(p, url) for p in script.get("matches") or []) and not any(
                pattern_matches(p, url) for p in script.get("excludeMatches") or []):
            files += [name for name in script.get("js") or [] if name not in files]
    return files
