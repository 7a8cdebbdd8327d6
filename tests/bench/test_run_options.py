"""`make bench`'s options and what it records per mode (the browser part is proven by `make bench-smoke`)."""
import pytest

from bench import run
from bench.run import Samples


def test_pairs_are_parsed_into_their_running_order():
    assert run.parse_pairs("acgr, legacy") == ["legacy", "acgr"]
    assert run.parse_pairs("acgr") == ["acgr"]
    for text in ("", "legacy,dr"):
        with pytest.raises(ValueError):
            run.parse_pairs(text)
    assert run.parse_args(["--smoke"]).pairs == list(run.PAIRS)
    assert run.parse_pairs("page-api-off,acgr-page-api") == ["acgr-page-api", "page-api-off"]


def samples(load_average, used=None):
    found = Samples()
    found.load_average = list(load_average)
    found.load = [used] if used else []
    return found


def test_mode_record_keeps_the_legacy_pairs_loads_at_its_top_and_the_acgr_pairs_in_its_own():
    used = {"cpu_s": 10.0, "share": 1.6}
    record = run.mode_record("loaded", {
        "legacy": {"extension": samples([1.5], used), "reference": samples([2.5], used)},
        "acgr": {"extension": samples([3.0], used), "reference": samples([])}})
    assert record["browser"] == "chromium" and record["loaded"]
    assert record["load_average_1m_at_start"]["reference"]["median"] == 2.5
    assert record["burners_used"]["extension"]["share"]["median"] == 1.6
    assert list(record["acgr"]["load_average_1m_at_start"]) == ["extension"]
    assert list(record["acgr"]["burners_used"]) == ["extension"]
    quiet = run.mode_record("quiet", {"acgr": {"extension": samples([1.0]), "reference": samples([1.0])}})
    assert "burners_used" not in quiet["acgr"] and "load_average_1m_at_start" not in quiet


def test_the_references_name_each_pairs_script_and_the_pinned_streams():
    references = run.references(["legacy", "acgr", "page-api", "acgr-page-api"])
    assert references["legacy"] == references["page-api"] == "connect-streams-dr-min.js"
    assert references["acgr"] == references["acgr-page-api"] == "connect-streams-min.js"
    assert references["amazon_connect_streams"].count(".") == 2


class FakeEmulator:
    """The CCPs and the sign-in page on `domain` (bench.topology), the CRM sites on example.test."""
    port = 8443
    regions = ("us-east-1", "us-west-2")

    def __init__(self, domain="example.test"):
        self.domain = domain
        self.login_url = f"https://login.{domain}:8443/login"

    def ccp_url(self, region):
        return f"https://ccp.{region}.{self.domain}:8443/ccp-v2/"

    def instance_arn(self, region):
        return f"arn:aws:connect:{region}:1:instance/x"

    def crm_url(self, path="/", site=0):
        return f"https://crm{'2' if site else ''}.example.test:8443{path}"


def test_the_page_api_pairs_opt_in_the_twin_page_or_only_another_page_of_its_origin():
    emulator = FakeEmulator()
    legacy, acgr = run.pair_configs("page-api", emulator), run.pair_configs("acgr-page-api", emulator)
    assert legacy["extension"]["pageApi"] == ["https://crm.example.test:8443/*"]
    assert "protocol" not in legacy["extension"]
    assert acgr["extension"]["protocol"] == "acgr" and acgr["extension"]["pageApi"] == legacy["extension"]["pageApi"]
    assert legacy["reference"] is None and "pageApi" not in run.pair_configs("legacy", emulator)["extension"]
    off = run.pair_configs("page-api-off", emulator)
    assert "pageApi" not in off["reference"] and "protocol" not in off["extension"]
    assert off["extension"]["pageApi"] == ["https://crm.example.test:8443/page-api/*"]
    assert off["extension"]["allowlist"] == off["reference"]["allowlist"] + off["extension"]["pageApi"]
