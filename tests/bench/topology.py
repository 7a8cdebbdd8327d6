"""Where a pair's CCPs and sign-in page are, relative to the CRM page the bench opens (on crm.example.test):

  cross-site  the CCPs and the sign-in page on a domain of their own (emulator.config.CCP_OWN_DOMAIN), as in a real
              deployment (the CCP on Amazon's *.my.connect.aws, the sign-in on *.awsapps.com, the page on the
              customer's own site). Under site isolation (Chromium's, Firefox's Fission) the CCP frames then run in
              a process of their own, beside the page's main thread; Firefox partitions their cookies by the page's
              site (Total Cookie Protection).
  same-site   everything on example.test, the emulator's default (the e2e tests' topology): the CCP frames run in
              the page's process, on its main thread, so whatever that thread runs first (the extension's start)
              delays their own scripts.

The ACGR pair runs cross-site; `acgr-same-site` is the same pair on the same-site topology, so what the shared
thread costs stays measured. Every other pair stays same-site, as it was measured before this choice existed.

Firefox does not tell a cross-site CCP window that its frame was displayed again after display:none (how Streams
hides the stand-by CCP): no resize, and its IntersectionObserver reports nothing either, so the end of a reference
switch cannot be observed there and the cross-site pair measures no switch in Firefox (SWITCHES_UNOBSERVED)."""
from urllib.parse import urlsplit

from emulator.config import CCP_OWN_DOMAIN, DOMAIN

CROSS_SITE, SAME_SITE = "cross-site", "same-site"
CCP_DOMAINS = {SAME_SITE: DOMAIN, CROSS_SITE: CCP_OWN_DOMAIN}  # the emulator's ccp_domain of each topology
CROSS_SITE_PAIRS = ("acgr",)
# What the bench's copy of the extension is granted (its options page asks for the pages', the CCPs' and the
# sign-in page's origins): every topology's hosts, so one copy serves every pair.
HOST_PERMISSIONS = tuple(f"https://*.{domain}/*" for domain in dict.fromkeys(CCP_DOMAINS.values()))


SWITCHES_UNOBSERVED = ("not measured in Firefox: a cross-site CCP window hears nothing of its frame displayed again "
                       "after display:none (no resize, no IntersectionObserver entry), so the reference's switch has "
                       "no observable end")


def of_pair(pair):
    return CROSS_SITE if pair in CROSS_SITE_PAIRS else SAME_SITE


def switches_observed(pair, browser):
    """Whether `pair`'s switches can be timed from the CCP windows in `browser` ("chromium", "firefox")."""
    return not (of_pair(pair) == CROSS_SITE and browser == "firefox")


def needed(pairs):
    """The topologies `pairs` run on, each once, in the pairs' order (one emulator each)."""
    return list(dict.fromkeys(of_pair(pair) for pair in pairs))


def record(pairs, emulators):
    """What results.json says of each pair's topology: its name and the hosts of the page, the CCPs and the sign-in
    page (`emulators`: {topology: the Emulator serving it})."""
    found = {}
    for pair in pairs:
        emulator = emulators[of_pair(pair)]
        found[pair] = {"topology": of_pair(pair), "page": urlsplit(emulator.crm_url()).hostname,
                       "ccps": [urlsplit(emulator.ccp_url(region)).hostname for region in emulator.regions],
                       "login": urlsplit(emulator.login_url).hostname}
        if not switches_observed(pair, "firefox"):
            found[pair]["switch_ms"] = SWITCHES_UNOBSERVED
    return found
