"""The early start's record (core.early_start_record) and the allowlist entries' expressions it carries
(config.PagePattern.page_regex over config.page_key): they decide as PagePattern.matches does, in Python's re and
in ECMA-262 (node, as the content script's early start runs them)."""
import json
import random
import re
import shutil
import subprocess

import pytest

from core_testdata import EAST, WEST, make_acgr_config, make_config
from grccp.core import config as cfg
from grccp.core.early_start_record import RECORD_KEY, VERSION, early_start_record
from grccp.core.effective_config import effective_config
from grccp.core.runtime_messages import parse_reply

ALLOWLIST = ["https://crm.example.test:8443/app", "https://*.support.example.test/tickets*",
             "https://crm.example.test/", "https://a-b.example.test/x.y$(z)+~'@!;=,&%20/*"]
URLS = [
    "https://crm.example.test:8443/app", "https://crm.example.test:8443/app?q#f", "https://crm.example.test:8443/app/",
    "https://crm.example.test/app", "https://crm.example.test:443/", "https://crm.example.test/?x",
    "https://crm.example.test/x", "https://support.example.test/tickets/1", "https://eu.support.example.test/tickets",
    "https://a.b.support.example.test/ticketsX", "https://support.example.test/other",
    "https://xsupport.example.test/tickets/1", "https://support.example.test.evil.test/tickets",
    "https://evil.test/tickets/.support.example.test:443/tickets", "https://crm.example.test:84430/app",
    "https://a-b.example.test/x.y$(z)+~'@!;=,&%20/", "https://a-b.example.test/x.y$(z)+~'@!;=,&%20/more",
    "https://a-b.example.test/xxy$(z)+~'@!;=,&%20/", "https://a-b.example.test/x.y$(z)+~'@!;=,&%20",
    "https://ab.example.test/x.y$(z)+~'@!;=,&%20/",
]


def keys_of(urls):
    """(url, config.page_key) of each URL the allowlist rule can decide (the early start's `location` gives the same
    parts: lower-case host, the port, the path without query or fragment)."""
    split = [(url, cfg._split_page_url(url)) for url in urls]
    return [(url, cfg.page_key(*page)) for url, page in split if page is not None]


def by_regex(config, key):
    return any(re.fullmatch(pattern.page_regex, key) for pattern in config.page_patterns)


@pytest.mark.parametrize("url, key", keys_of(URLS))
def test_each_entry_s_expression_decides_as_the_rule(url, key):
    config = make_config(allowlist=ALLOWLIST)
    assert by_regex(config, key) == cfg.page_is_allowlisted(url, config)


def test_random_entries_and_pages_decide_as_the_rule():
    rng = random.Random(12)
    hosts = ["crm.example.test", "example.test", "a.crm.example.test", "crm.example.testx", "xcrm.example.test"]
    paths = ["/", "/a", "/a/", "/a.b", "/a(b)", "/a$", "/ab", "/a%2f"]
    for _ in range(300):
        host = rng.choice(hosts[:3])
        entry = "https://" + rng.choice(["", "*."]) + host + rng.choice(["", ":443", ":8443"]) + rng.choice(
            paths) + rng.choice(["", "*"])
        pattern = cfg.parse_page_pattern(entry)
        for _ in range(10):
            url = "https://" + rng.choice(hosts) + rng.choice(["", ":443", ":8443", ":9"]) + rng.choice(
                paths) + rng.choice(["", "?q", "#f"])
            page = cfg._split_page_url(url)
            assert bool(re.fullmatch(pattern.page_regex, cfg.page_key(*page))) == pattern.matches(*page), (entry, url)


@pytest.mark.skipif(shutil.which("node") is None, reason="node is part of the toolchain (make setup)")
def test_ecma_262_decides_as_python_re():
    """The early start runs `new RegExp(source).test(key)`: the same answers as Python's re on every case."""
    config = make_config(allowlist=ALLOWLIST)
    sources = [pattern.page_regex for pattern in config.page_patterns]
    keys = [key for _, key in keys_of(URLS)]
    script = ("const [sources, keys] = JSON.parse(process.argv[1]);"
              "console.log(JSON.stringify(keys.map((k) => sources.map((s) => new RegExp(s).test(k)))));")
    completed = subprocess.run(["node", "-e", script, json.dumps([sources, keys])], capture_output=True, text=True,
                               check=True)
    assert json.loads(completed.stdout) == [[bool(re.search(s, k)) for s in sources] for k in keys]


def settings_of(local, managed=None):
    from core_testdata import public_suffixes
    return effective_config(local, managed, public_suffixes(), allow_empty=True)


def test_the_record_of_a_configuration_in_force():
    local = make_acgr_config().to_dict()
    policy = {"loginPopup": False}
    settings = settings_of(local, policy)
    record = early_start_record(settings, WEST, 7)
    assert RECORD_KEY == "earlyStart" and record["version"] == VERSION
    assert record["source"] == {"config": local, "policy": policy}
    assert record["pages"] == [pattern.page_regex for pattern in settings.config.page_patterns]
    # what a bg:welcome carries (the tab session starts from it while the background's answer has not come)
    assert record["config"] == settings.config.to_dict() and record["config"]["loginPopup"] is False
    assert record["activeRegion"] == WEST and record["epoch"] == 7
    welcome = {"type": "bg:welcome", "allowed": True, "config": record["config"],
               "activeRegion": record["activeRegion"], "epoch": record["epoch"], "failover": None}
    assert parse_reply(welcome, None, "bg:welcome")["config"] == record["config"]
    json.dumps(record)  # plain data, as storage keeps it


def test_no_record_without_a_configuration_or_a_state():
    assert early_start_record(settings_of(None), EAST, 0) is None
    refused = make_acgr_config().to_dict()
    refused["allowlist"] = ["http://crm.example.test/"]
    assert settings_of(refused).config is None
    assert early_start_record(settings_of(refused), EAST, 0) is None
    assert early_start_record(settings_of(make_acgr_config().to_dict()), None, 0) is None
