"""Where each pair's CCPs are (bench.topology): the ACGR pair cross-site, its same-site twin and every other pair on
the CRM page's site, one emulator per topology, and what results.json records of it."""
from bench import run, topology
from bench.test_run_options import FakeEmulator
from emulator.config import CCP_OWN_DOMAIN, DOMAIN


def test_the_acgr_pair_runs_cross_site_and_its_twin_and_the_others_same_site():
    assert topology.of_pair("acgr") == topology.CROSS_SITE
    for pair in ("acgr-same-site", "legacy", "page-api", "acgr-page-api", "page-api-off"):
        assert topology.of_pair(pair) == topology.SAME_SITE
    assert topology.CCP_DOMAINS == {topology.SAME_SITE: DOMAIN, topology.CROSS_SITE: CCP_OWN_DOMAIN}
    assert CCP_OWN_DOMAIN.split(".")[-2:] != DOMAIN.split(".")[-2:]  # another registrable domain: another site


def test_switches_are_timed_except_where_the_ccp_window_cannot_see_their_end():
    assert topology.switches_observed("acgr", "chromium") and not topology.switches_observed("acgr", "firefox")
    assert topology.switches_observed("acgr-same-site", "firefox") and topology.switches_observed("legacy", "firefox")


def test_one_emulator_per_topology_the_pairs_need_in_their_order():
    assert topology.needed(["legacy", "acgr", "acgr-same-site", "page-api"]) == [topology.SAME_SITE,
                                                                                 topology.CROSS_SITE]
    assert topology.needed(["acgr"]) == [topology.CROSS_SITE]
    assert topology.needed(["acgr-same-site", "page-api-off"]) == [topology.SAME_SITE]


def test_the_extension_copy_is_granted_both_topologies_hosts():
    assert topology.HOST_PERMISSIONS == (f"https://*.{DOMAIN}/*", f"https://*.{CCP_OWN_DOMAIN}/*")


def test_results_record_each_pairs_topology_and_hosts():
    emulators = {name: FakeEmulator(domain) for name, domain in topology.CCP_DOMAINS.items()}
    found = topology.record(["acgr", "acgr-same-site"], emulators)
    assert found["acgr"] == {"topology": "cross-site", "page": f"crm.{DOMAIN}",
                             "ccps": [f"ccp.us-east-1.{CCP_OWN_DOMAIN}", f"ccp.us-west-2.{CCP_OWN_DOMAIN}"],
                             "login": f"login.{CCP_OWN_DOMAIN}", "switch_ms": topology.SWITCHES_UNOBSERVED}
    assert "switch_ms" not in found["acgr-same-site"]
    assert found["acgr-same-site"]["topology"] == "same-site" and found["acgr-same-site"]["login"] == f"login.{DOMAIN}"


def test_the_same_site_twin_is_an_acgr_pair_with_a_block_of_its_own():
    assert run.parse_pairs("acgr-same-site,acgr") == ["acgr", "acgr-same-site"]
    assert run.PAIR_BLOCK["acgr-same-site"] == "acgr_same_site"
    assert run.pair_configs("acgr-same-site", FakeEmulator(DOMAIN))["extension"]["protocol"] == "acgr"
    assert run.references(["acgr-same-site"])["acgr-same-site"] == run.ACGR_REFERENCE_SCRIPT
