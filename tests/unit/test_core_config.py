"""Configuration: validation rules and messages, normalisation, schema agreement on bounds/defaults, examples
and fixtures, and the helpers derived from a configuration."""
import copy
import glob
import os

import pytest
from jsonschema import Draft202012Validator

from core_testdata import (EAST, EAST_ARN, FIXTURES_DIR, WEST, WEST_ARN, EXAMPLES_DIR, example,
                           load_json, make_acgr_config, make_config, public_suffixes)
from grccp.core import config as cfg
from grccp.core.errors import ConfigError, FieldError


def errors_of(obj):
    with pytest.raises(ConfigError) as caught:
        cfg.parse_config(obj, public_suffixes())
    assert caught.value.errors, "a ConfigError always lists its problems"
    return [(error.path, error.rule) for error in caught.value.errors]


def with_change(change, name="legacy-dr-minimal"):
    obj = example(name)
    change(obj)
    return obj


def acgr_with_change(change):
    return with_change(change, "minimal")


# ---------------------------------------------------------------------------------------------------------
# Examples and fixtures


EXAMPLES = {"full": cfg.ACGR, "minimal": cfg.ACGR, "enterprise-policy": cfg.ACGR,
            "legacy-dr-full": cfg.LEGACY_DR, "legacy-dr-minimal": cfg.LEGACY_DR,
            "legacy-dr-enterprise-policy": cfg.LEGACY_DR}


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_examples_are_valid_for_schema_and_runtime(schema, name):
    obj = example(name)
    Draft202012Validator(schema).validate(obj)
    assert cfg.validate_config(obj) == []
    if name != "enterprise-policy" and "policy" not in name:
        assert cfg.parse_config(obj).protocol == EXAMPLES[name]


def test_every_example_file_is_listed():
    names = sorted(os.path.basename(path)[:-5] for path in glob.glob(os.path.join(EXAMPLES_DIR, "*.json")))
    assert names == sorted(EXAMPLES)


def test_the_acgr_examples_say_acgr_and_the_legacy_ones_predate_the_field():
    """The legacy examples are configurations written before `protocol` existed (the migration's input)."""
    for name, protocol in EXAMPLES.items():
        assert ("protocol" in example(name)) == (protocol == cfg.ACGR), name


SCHEMA_INVALID = {
    "bad-arn": ("regions/0/instanceArn", "arn-format"),
    "bad-protocol": ("protocol", "enum"),
    "legacy-missing-arn": ("regions/1/instanceArn", "required"),
    "bad-log-name": ("logs/logName", "log-name-format"),
    "bad-region": ("regions/0/region", "region-format"),
    "bool-as-string": ("loginPopup", "type"),
    "duplicate-allowlist": ("allowlist/1", "unique-items"),
    "empty-allowlist": ("allowlist", "min-items"),
    "http-allowlist": ("allowlist/0", "page-pattern"),
    "http-ccp-url": ("regions/0/ccpUrl", "https-url"),
    "http-login-url": ("loginUrl", "https-url"),
    "http-ringtone-url": ("softphone/ringtoneUrl", "https-url"),
    "max-entries-too-small": ("logs/maxEntriesPerRegion", "minimum"),
    "missing-login-url": ("loginUrl", "required"),
    "not-an-object": ("", "type"),
    "null-option-group": ("timeouts", "type"),
    "one-region": ("regions", "min-items"),
    "placement-side": ("placement/side", "enum"),
    "selector-missing": ("placement/selector", "required"),
    "three-regions": ("regions", "max-items"),
    "timeout-string": ("timeouts/ccpSynTimeout", "type"),
    "timeout-too-large": ("timeouts/ccpAckTimeout", "maximum"),
    "unknown-region-field": ("regions/1/name", "unknown-property"),
    "unknown-top-level": ("extra", "unknown-property"),
    "uppercase-host": ("regions/1/ccpUrl", "https-url"),
    "width-too-small": ("placement/width", "minimum"),
    "wildcard-inside-path": ("allowlist/0", "page-pattern"),
    "wildcard-tld": ("allowlist/0", "page-pattern"),
}

CROSS_FIELD_INVALID = {
    "acgr-arn-region-mismatch": ("regions/1/instanceArn", "arn-region-match"),
    "acgr-global-routing-mismatch": ("regions/1/ccpUrl", "ccp-host-region-match"),
    "acgr-same-aws-region": ("regions/1/region", "distinct-aws-regions"),
    "arn-region-mismatch": ("regions/1/instanceArn", "arn-region-match"),
    "duplicate-instance": ("regions/1/instanceArn", "distinct-instances"),
    "duplicate-region": ("regions/1/region", "distinct-regions"),
    "suffix-arn-mismatch": ("regions/0/instanceArn", "arn-region-match"),
    "same-ccp-origin": ("regions/1/ccpUrl", "distinct-ccp-origins"),
    "acgr-same-ccp-origin": ("regions/1/ccpUrl", "distinct-ccp-origins"),
    "allowlist-matches-ccp": ("allowlist/1", "allowlist-not-ccp-origin"),
    "acgr-allowlist-matches-login": ("allowlist/0", "allowlist-not-login-origin"),
    "wildcard-public-suffix": ("allowlist/1", "public-suffix-wildcard"),
}


def fixture_names(folder):
    return sorted(os.path.basename(p)[:-5] for p in glob.glob(os.path.join(FIXTURES_DIR, folder, "*.json")))


def test_fixture_tables_cover_every_file():
    assert fixture_names("config_invalid") == sorted(SCHEMA_INVALID)
    assert fixture_names("config_invalid_crossfield") == sorted(CROSS_FIELD_INVALID)


@pytest.mark.parametrize("name", sorted(SCHEMA_INVALID))
def test_schema_invalid_fixtures(schema, name):
    obj = load_json(os.path.join(FIXTURES_DIR, "config_invalid", name + ".json"))
    assert not Draft202012Validator(schema).is_valid(obj)
    assert errors_of(obj) == [SCHEMA_INVALID[name]]


@pytest.mark.parametrize("name", sorted(CROSS_FIELD_INVALID))
def test_cross_field_fixtures_pass_the_schema_but_not_the_runtime(schema, name):
    obj = load_json(os.path.join(FIXTURES_DIR, "config_invalid_crossfield", name + ".json"))
    assert Draft202012Validator(schema).is_valid(obj)
    assert errors_of(obj) == [CROSS_FIELD_INVALID[name]]


def test_arn_region_message_names_both_regions():
    obj = load_json(os.path.join(FIXTURES_DIR, "config_invalid_crossfield", "arn-region-mismatch.json"))
    with pytest.raises(ConfigError) as caught:
        cfg.parse_config(obj)
    assert str(caught.value.errors[0]) == (
        'regions/1/instanceArn: region "us-east-2" in the ARN does not match region "us-west-2"')
    assert caught.value.errors[0].to_dict() == {
        "path": "regions/1/instanceArn", "rule": "arn-region-match",
        "message": 'region "us-east-2" in the ARN does not match region "us-west-2"'}


# ---------------------------------------------------------------------------------------------------------
# Rules one by one


def test_every_problem_is_reported_in_one_pass():
    def change(obj):
        obj["regions"][0]["ccpUrl"] = "http://x.test/"
        obj["regions"][1]["region"] = "nowhere"
        obj["allowlist"] = ["https://crm.example.test/*", 5]
        obj["timeouts"] = {"ccpLoadTimeout": 10, "bogus": 1}
        obj["loginPopup"] = None
    assert errors_of(with_change(change)) == [
        ("regions/0/ccpUrl", "https-url"),
        ("regions/1/region", "region-format"),
        ("allowlist/1", "type"),
        ("loginPopup", "type"),
        ("timeouts/bogus", "unknown-property"),
        ("timeouts/ccpLoadTimeout", "minimum"),
    ]


def test_missing_required_fields():
    assert errors_of({}) == [("regions", "required"), ("loginUrl", "required"), ("allowlist", "required")]
    assert errors_of(with_change(lambda o: o["regions"][0].pop("ccpUrl"))) == [("regions/0/ccpUrl", "required")]


@pytest.mark.parametrize("value", [None, [], "x", 3, True])
def test_root_must_be_an_object(value):
    assert errors_of(value) == [("", "type")]


@pytest.mark.parametrize("url, ok", [
    ("https://ccp.example.test/ccp-v2/", True),
    ("https://ccp.example.test", True),
    ("https://ccp.example.test:8443", True),
    ("https://ccp.example.test:65535/x?y=1#z", True),
    ("https://127.0.0.1:8443/ccp", True),
    ("https://a-b.example.test/%20", True),
    ("http://ccp.example.test/", False),
    ("HTTPS://ccp.example.test/", False),
    ("https://Ccp.example.test/", False),
    ("https://ccp.example.test:0/", False),
    ("https://ccp.example.test:08443/", False),
    ("https://ccp.example.test:65536/", False),
    ("https://ccp.example.test:/", False),
    ("https://-ccp.example.test/", False),
    ("https://ccp-.example.test/", False),
    ("https://ccp..example.test/", False),
    ("https://ccp.example.test./", False),
    ("https://user@ccp.example.test/", False),
    ("https://ccp.example.test?x", False),
    ("https://ccp.example.test/a b", False),
    ("https://ccp.example.test/<script>", False),
    ("https://ccp.example.test/\n", False),
    ("https://", False),
    ("https://ccp.example.test/" + "a" * 2048, False),
])
def test_https_url_grammar(url, ok):
    assert (cfg.parse_https_url(url) is not None) == ok


@pytest.mark.parametrize("pattern, ok", [
    ("https://crm.example.test/*", True),
    ("https://crm.example.test/", True),
    ("https://crm.example.test/app", True),
    ("https://crm.example.test:8443/app/*", True),
    ("https://*.example.test/*", True),
    ("https://*.crm.example.test/x*", True),
    ("https://crm.example.test", False),
    ("https://crm.example.test*", False),
    ("https://*.test/*", False),
    ("https://*/*", False),
    ("https://*.*.example.test/*", False),
    ("https://crm.*.test/*", False),
    ("https://crm.example.test/**", False),
    ("https://crm.example.test/a?b", False),
    ("https://crm.example.test/a#b", False),
    ("http://crm.example.test/*", False),
    ("*://crm.example.test/*", False),
])
def test_page_pattern_grammar(pattern, ok):
    assert (cfg.parse_page_pattern(pattern) is not None) == ok


@pytest.mark.parametrize("key, ok", [
    ("us-east-1", True), ("us-gov-west-1", True), ("ap-northeast-2", True), ("us-east-1.blue", True),
    ("us-east-1.Blue_2-x", True), ("us-east-1.", False), ("us-east-1.a.b", False), ("us-east", False),
    ("useast-1", False), ("US-east-1", False), ("u-east-1", False), ("us--1", False), ("us-east-1x", False),
    ("us-east-1." + "a" * 54, True), ("us-east-1." + "a" * 55, False), (5, False),
])
def test_region_key_grammar(key, ok):
    assert cfg.is_region_key(key) == ok


@pytest.mark.parametrize("arn, region", [
    (EAST_ARN, "us-east-1"),
    (WEST_ARN, "us-west-2"),
    (EAST_ARN.replace("arn:aws:", "arn:aws-us-gov:"), "us-east-1"),
    (EAST_ARN.replace("arn:aws:", "arn:aws-cn:"), "us-east-1"),
    (EAST_ARN.replace("arn:aws:", "arn:aws-xx:"), None),
    (EAST_ARN.replace("111122223333", "11112222333"), None),
    (EAST_ARN.replace("instance/", "instances/"), None),
    (EAST_ARN.upper(), None),
    (EAST_ARN + "/queue/q", None),
    (EAST_ARN.replace("11111111-1111", "11111111_1111"), None),
    ("arn:aws:connect:us-east-1:111122223333:instance/11111111111141118111111111111111", None),
    (None, None),
])
def test_arn_grammar(arn, region):
    assert cfg.arn_region(arn) == region


def test_integral_floats_are_integers_and_other_numbers_are_not():
    config = cfg.parse_config(with_change(lambda o: o.update(timeouts={"ccpAckTimeout": 4000.0})))
    assert config.timeouts["ccpAckTimeout"] == 4000 and isinstance(config.timeouts["ccpAckTimeout"], int)
    for bad in (4000.5, True, float("nan"), float("inf"), "4000"):
        assert errors_of(with_change(lambda o: o.update(timeouts={"ccpAckTimeout": bad}))) == [
            ("timeouts/ccpAckTimeout", "type")]


def test_booleans_are_not_numbers_and_numbers_are_not_booleans():
    assert errors_of(with_change(lambda o: o.update(loginPopup=1))) == [("loginPopup", "type")]
    assert errors_of(with_change(lambda o: o.update(placement={"width": True}))) == [("placement/width", "type")]


def test_selector_mode_needs_a_selector_and_docked_mode_keeps_one():
    config = cfg.parse_config(with_change(lambda o: o.update(placement={"mode": "selector", "selector": "#x"})))
    assert config.placement == {"mode": "selector", "selector": "#x", "width": 360, "height": 600, "side": "right"}
    config = cfg.parse_config(with_change(lambda o: o.update(placement={"selector": "#x"})))
    assert config.placement["mode"] == "docked" and config.placement["selector"] == "#x"
    assert errors_of(with_change(lambda o: o.update(placement={"mode": "selector", "selector": ""}))) == [
        ("placement/selector", "min-length")]


def test_region_rules_run_on_whatever_is_readable():
    def change(obj):
        obj["regions"] = [obj["regions"][0], copy.deepcopy(obj["regions"][0]), "junk"]
    assert errors_of(with_change(change)) == [
        ("regions", "max-items"), ("regions/2", "type"),
        ("regions/1/region", "distinct-regions"), ("regions/1/instanceArn", "distinct-instances"),
        ("regions/1/ccpUrl", "distinct-ccp-origins"),
    ]


def test_dotted_region_keys_share_an_aws_region():
    def change(obj):
        obj["regions"] = [
            {"region": "us-east-1.blue", "ccpUrl": "https://blue.example.test/ccp-v2/", "instanceArn": EAST_ARN},
            {"region": "us-east-1.green", "ccpUrl": "https://green.example.test/ccp-v2/",
             "instanceArn": EAST_ARN.replace("11111111-1111-4111-8111-111111111111",
                                             "33333333-3333-4333-8333-333333333333")},
        ]
    config = cfg.parse_config(with_change(change))
    assert config.region_keys == ("us-east-1.blue", "us-east-1.green")
    assert [region.name for region in config.regions] == ["us-east-1", "us-east-1"]


BOTH_PROTOCOLS = pytest.mark.parametrize("example_name", ["legacy-dr-minimal", "minimal"])


@BOTH_PROTOCOLS
@pytest.mark.parametrize("first, second, same", [
    ("https://ccp.example.test/ccp-v2/", "https://ccp.example.test/other/", True),
    ("https://ccp.example.test:443/ccp-v2/", "https://ccp.example.test/ccp-v2/", True),   # 443 is no port
    ("https://ccp.example.test:8443/ccp-v2/", "https://ccp.example.test/ccp-v2/", False),
    ("https://a.ccp.example.test/ccp-v2/", "https://b.ccp.example.test/ccp-v2/", False),
])
def test_the_two_regions_need_two_ccp_origins(example_name, first, second, same):
    """Two CCPs on one origin would share one SharedWorker (the agent's session, the active-region poll)."""
    def change(obj):
        obj["regions"][0]["ccpUrl"], obj["regions"][1]["ccpUrl"] = first, second
    obj = with_change(change, example_name)
    if same:
        assert errors_of(obj) == [("regions/1/ccpUrl", "distinct-ccp-origins")]
        assert "regions/0" in str(cfg.validate_config(obj)[0]) and "https://ccp.example.test" in str(
            cfg.validate_config(obj)[0])
    else:
        assert cfg.validate_config(obj, public_suffixes()) == []


@BOTH_PROTOCOLS
@pytest.mark.parametrize("pattern, rule", [
    ("https://ccp.us-east-1.example.test:8443/*", "allowlist-not-ccp-origin"),
    ("https://ccp.us-west-2.example.test:8443/crm/", "allowlist-not-ccp-origin"),   # any path of the origin
    ("https://*.example.test:8443/*", "allowlist-not-ccp-origin"),                  # first hit: regions/0
    ("https://*.us-west-2.example.test:8443/*", "allowlist-not-ccp-origin"),
    ("https://login.example.test:8443/app/*", "allowlist-not-login-origin"),
    ("https://ccp.us-east-1.example.test/*", None),                                  # another port: another origin
    ("https://crm.example.test:8443/*", None),
    ("https://*.crm.example.test:8443/*", None),
])
def test_no_allowlisted_page_on_a_ccp_or_the_sign_in_origin(example_name, pattern, rule):
    obj = with_change(lambda o: o.update(allowlist=["https://crm.example.test/*", pattern]), example_name)
    if rule is None:
        assert cfg.validate_config(obj, public_suffixes()) == []
        return
    errors = cfg.validate_config(obj, public_suffixes())
    assert [(error.path, error.rule) for error in errors][0] == ("allowlist/1", rule)
    assert all(error.path == "allowlist/1" for error in errors)
    field = "loginUrl" if rule == "allowlist-not-login-origin" else "regions/"
    assert field in str(errors[0]) and pattern in str(errors[0])


@BOTH_PROTOCOLS
@pytest.mark.parametrize("host, covered", [
    ("co.uk", "co.uk"), ("github.io", "github.io"), ("s3.amazonaws.com", "s3.amazonaws.com"),
    ("kobe.jp", "kobe.jp"),               # every "x.kobe.jp" is a public suffix ("*.kobe.jp")
    ("c.kobe.jp", "c.kobe.jp"),
    ("xn--aroport-bya.ci", "xn--aroport-bya.ci"),  # "aéroport.ci": an IDN rule, in punycode as hosts are written
    ("example.co.uk", None), ("crm.example.test", None), ("example.github.io", None),
    ("city.kobe.jp", None),              # the list's exception to "*.kobe.jp"
    ("my.connect.aws", None),
])
def test_a_wildcard_must_not_reach_into_a_public_suffix(example_name, host, covered):
    obj = with_change(lambda o: o.update(allowlist=[f"https://*.{host}/*"]), example_name)
    assert cfg.validate_config(obj) == []  # without the list (a tab reading the background's configuration)
    errors = cfg.validate_config(obj, public_suffixes())
    if covered is None:
        assert errors == []
    else:
        assert [(error.path, error.rule) for error in errors] == [("allowlist/0", "public-suffix-wildcard")]
        assert f'"{covered}"' in errors[0].message and "Public Suffix List" in errors[0].message


def test_a_wildcard_over_a_domain_with_public_suffixes_under_it_names_one():
    obj = with_change(lambda o: o.update(allowlist=["https://*.amazonaws.com/*"]))
    [error] = cfg.validate_config(obj, public_suffixes())
    assert error.rule == "public-suffix-wildcard" and error.message.split('"')[3].endswith(".amazonaws.com")


# ---------------------------------------------------------------------------------------------------------
# The protocol and what each one asks


def test_a_configuration_without_protocol_is_legacy_dr(config):
    assert cfg.DEFAULT_PROTOCOL == cfg.LEGACY_DR and config.protocol == cfg.LEGACY_DR
    assert config.to_dict()["protocol"] == cfg.LEGACY_DR


def test_acgr_needs_no_instance_arn_and_keeps_none():
    config = make_acgr_config()
    assert config.protocol == cfg.ACGR
    assert [region.instance_arn for region in config.regions] == [None, None]
    assert [region.to_dict() for region in config.regions] == example("minimal")["regions"]
    assert cfg.parse_config(config.to_dict()).to_dict() == config.to_dict()


def test_legacy_dr_needs_every_instance_arn():
    def change(obj):
        for region in obj["regions"]:
            del region["instanceArn"]
    assert errors_of(with_change(change)) == [("regions/0/instanceArn", "required"),
                                              ("regions/1/instanceArn", "required")]
    assert errors_of(with_change(change) | {"protocol": "legacy-dr"}) == [("regions/0/instanceArn", "required"),
                                                                          ("regions/1/instanceArn", "required")]


def test_an_invalid_protocol_is_named_and_the_regions_are_checked_as_legacy_ones():
    assert errors_of(acgr_with_change(lambda o: o.update(protocol="acgr2"))) == [
        ("regions/0/instanceArn", "required"), ("regions/1/instanceArn", "required"), ("protocol", "enum")]
    assert errors_of(acgr_with_change(lambda o: o.update(protocol=None))) == [
        ("regions/0/instanceArn", "required"), ("regions/1/instanceArn", "required"), ("protocol", "type")]


def test_acgr_checks_an_instance_arn_when_given():
    def bad_format(obj):
        obj["regions"][0]["instanceArn"] = "arn:aws:connect:us-east-1:1:instance/x"
    assert errors_of(acgr_with_change(bad_format)) == [("regions/0/instanceArn", "arn-format")]

    def duplicate(obj):
        obj["regions"][0]["instanceArn"] = EAST_ARN
        obj["regions"][1]["instanceArn"] = EAST_ARN
    assert ("regions/1/instanceArn", "distinct-instances") in errors_of(acgr_with_change(duplicate))

    def one_given(obj):
        obj["regions"][1]["instanceArn"] = WEST_ARN
    config = cfg.parse_config(acgr_with_change(one_given))
    assert [region.instance_arn for region in config.regions] == [None, WEST_ARN]


def test_acgr_regions_must_be_different_aws_regions_legacy_ones_may_share_one():
    def same_aws_region(obj):
        obj["regions"][0]["region"] = "us-east-1.blue"
        obj["regions"][1]["region"] = "us-east-1.green"
        obj["regions"][1]["ccpUrl"] = "https://green.example.test/ccp-v2/"
    assert errors_of(acgr_with_change(same_aws_region)) == [("regions/1/region", "distinct-aws-regions")]

    def same_key(obj):
        obj["regions"][1]["region"] = "us-east-1"
    assert errors_of(acgr_with_change(same_key)) == [("regions/1/region", "distinct-regions")]

    def suffix_only_on_one(obj):
        obj["regions"][0]["region"] = "us-east-1.blue"
    config = cfg.parse_config(acgr_with_change(suffix_only_on_one))
    assert config.region_keys == ("us-east-1.blue", WEST) and config.region_named(EAST).key == "us-east-1.blue"


@pytest.mark.parametrize("host, region, rule", [
    ("us-east-1.example.my.connect.aws", "us-east-1", None),             # global routing, agreeing
    ("us-east-1.example.my.connect.aws", "us-east-1.blue", None),        # the key's AWS region agrees
    ("us-west-2.example.my.connect.aws", "us-east-1", "ccp-host-region-match"),
    ("example.my.connect.aws", "us-east-1", None),                       # no region in the host
    ("ccp.us-west-2.example.test", "us-east-1", None),                   # only the first label counts
    ("us-east.example.my.connect.aws", "us-east-1", None),               # not an AWS region name
])
def test_acgr_global_routing_hosts_must_name_their_region(host, region, rule):
    def change(obj):
        obj["regions"][0]["region"] = region
        obj["regions"][0]["ccpUrl"] = f"https://{host}/ccp-v2/"
    obj = acgr_with_change(change)
    if rule is None:
        assert cfg.parse_config(obj).regions[0].ccp_origin == f"https://{host}"
    else:
        assert errors_of(obj) == [("regions/0/ccpUrl", rule)]
        message = str(cfg.validate_config(obj)[0])
        assert "us-west-2" in message and "us-east-1" in message
    # legacy DR never had the rule: a stored legacy configuration keeps working
    legacy = with_change(lambda o: o["regions"][0].update(ccpUrl=f"https://{host}/ccp-v2/"))
    assert cfg.validate_config(legacy) == []


# ---------------------------------------------------------------------------------------------------------
# Normalised result


def test_defaults_are_applied(config):
    minimal = cfg.parse_config(example("legacy-dr-minimal"))
    assert minimal.to_dict() == config.to_dict()
    assert minimal.login_popup is True and minimal.login_popup_auto_close is True
    assert minimal.timeouts == {"ccpAckTimeout": 3000, "ccpSynTimeout": 1000, "ccpLoadTimeout": 5000}
    assert minimal.logs == {"maxEntriesPerRegion": 50000, "filterByLogLevel": False, "logName": "agent-log"}
    assert minimal.softphone == {"allowFramedSoftphone": True, "disableRingtone": False}
    assert minimal.page_options == {"enableAudioDeviceSettings": False, "enableVideoDeviceSettings": False,
                                    "enablePhoneTypeSettings": True, "showInactivityModal": True}


def test_to_dict_round_trips_and_is_a_copy(config):
    data = config.to_dict()
    assert cfg.parse_config(data).to_dict() == data
    data["timeouts"]["ccpAckTimeout"] = 1
    data["regions"].pop()
    assert config.timeouts["ccpAckTimeout"] == 3000 and len(config.regions) == 2


def test_parse_does_not_mutate_its_input():
    obj = example("minimal")
    before = copy.deepcopy(obj)
    cfg.parse_config(obj)
    assert obj == before


def test_region_lookups(config):
    east, west = config.regions
    assert (east.key, east.name, east.ccp_origin) == (EAST, EAST, "https://ccp.us-east-1.example.test:8443")
    assert config.first_region is east
    assert config.region(WEST) is west and config.region("eu-west-1") is None
    assert config.other_region(EAST) is west and config.other_region(WEST) is east
    assert config.login_origin == "https://login.example.test:8443"


def test_origin_drops_the_default_port():
    assert cfg.parse_https_url("https://a.test:443/x").origin == "https://a.test"
    assert cfg.parse_https_url("https://a.test/x").origin == "https://a.test"


def test_a_url_text_is_parsed_once_and_the_remembered_texts_stay_few():
    text = "https://remembered.example.test:8443/ccp-v2/"
    first = cfg.parse_https_url(text)
    assert cfg.parse_https_url(text) is first  # the rules that read the same URL share its parse
    assert cfg.parse_https_url("http://remembered.example.test/") is None
    assert cfg.parse_https_url("http://remembered.example.test/") is None
    for index in range(cfg.PARSED_URLS_KEPT + 1):
        assert cfg.parse_https_url(f"https://h{index}.example.test/").host == f"h{index}.example.test"
    assert len(cfg._parsed_urls) <= cfg.PARSED_URLS_KEPT
    assert cfg.parse_https_url(text).origin == "https://remembered.example.test:8443"


def test_region_name():
    assert cfg.region_name("us-east-1") == "us-east-1"
    assert cfg.region_name("us-east-1.blue") == "us-east-1"


# ---------------------------------------------------------------------------------------------------------
# The schema is the source of truth: the runtime tables must say the same


def _resolve(schema, node):
    return schema["$defs"][node["$ref"].rsplit("/", 1)[1]] if "$ref" in node else node


def test_option_tables_match_the_schema(schema):
    props = schema["properties"]
    assert tuple(props) == cfg.TOP_LEVEL_FIELDS
    assert tuple(schema["required"]) == cfg.REQUIRED_FIELDS
    assert schema["additionalProperties"] is False
    groups = dict(cfg.OPTION_GROUPS)
    groups[""] = cfg.TOP_LEVEL_OPTIONS
    for group, table in groups.items():
        members = props if group == "" else props[group]["properties"]
        if group:
            assert props[group]["additionalProperties"] is False
            assert set(members) == set(table), group
        for name, option in table.items():
            node = _resolve(schema, members[name])
            where = f"{group}/{name}"
            assert node.get("default") == option.default, where
            if option.kind == "boolean":
                assert node["type"] == "boolean", where
            elif option.kind == "integer":
                assert (node["type"], node["minimum"], node["maximum"]) == (
                    "integer", option.low, option.high), where
            elif option.kind == "choice":
                assert tuple(node["enum"]) == option.choices, where
            elif option.kind == "text":
                assert (node["type"], node["minLength"], node["maxLength"]) == (
                    "string", option.low, option.high), where
            elif option.kind == "https-url":
                assert members[name]["$ref"] == "#/$defs/httpsUrl", where
            else:
                assert option.kind == "log-name" and node["pattern"] == "^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"


def test_limits_match_the_schema(schema):
    props, defs = schema["properties"], schema["$defs"]
    assert props["regions"]["minItems"] == props["regions"]["maxItems"] == cfg.REGION_COUNT
    assert props["allowlist"]["maxItems"] == cfg.MAX_ALLOWLIST_ITEMS
    assert defs["httpsUrl"]["maxLength"] == defs["pagePattern"]["maxLength"] == cfg.MAX_URL_LENGTH
    assert defs["region"]["properties"]["region"]["maxLength"] == cfg.MAX_REGION_KEY_LENGTH
    assert tuple(defs["region"]["properties"]) == cfg.REGION_FIELDS
    assert tuple(defs["region"]["required"]) == cfg.REGION_REQUIRED
    # legacy DR (any protocol but a valid "acgr") requires every region field
    assert schema["if"] == {"properties": {"protocol": {"const": cfg.ACGR}}, "required": ["protocol"]}
    assert cfg.REGION_REQUIRED + tuple(schema["else"]["properties"]["regions"]["items"]["required"]) == (
        cfg.LEGACY_REGION_REQUIRED)
    assert tuple(props["protocol"]["enum"]) == cfg.PROTOCOLS
    for rule in cfg.CROSS_FIELD_RULES:
        assert f"'{rule}'" in schema["$comment"]


def test_schema_is_valid_draft_2020_12(schema):
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


# ---------------------------------------------------------------------------------------------------------
# Derived helpers


def test_content_script_matches_are_port_free_and_end_with_a_wildcard():
    config = make_config(allowlist=["https://crm.example.test/*", "https://crm.example.test:8443/*",
                                    "https://*.support.example.test/tickets", "https://a.test:443/x/*"])
    assert cfg.content_script_matches(config) == [
        "https://crm.example.test/*", "https://*.support.example.test/tickets*", "https://a.test/x/*"]


def test_host_permission_patterns(config):
    assert cfg.host_permission_patterns(config) == [
        "https://crm.example.test/*", "https://ccp.us-east-1.example.test/*",
        "https://ccp.us-west-2.example.test/*", "https://login.example.test/*"]
    wildcard = make_config(allowlist=["https://*.example.test/app/*"])
    assert cfg.host_permission_patterns(wildcard)[0] == "https://*.example.test/*"


@pytest.mark.parametrize("url, allowed", [
    ("https://crm.example.test/", True),
    ("https://crm.example.test", True),
    ("https://crm.example.test/app/page?x=1#y", True),
    ("https://CRM.Example.TEST/app", True),
    ("https://crm.example.test:443/app", True),
    ("https://crm.example.test:8443/app", False),
    ("http://crm.example.test/app", False),
    ("https://evil.test/?https://crm.example.test/", False),
    ("https://crm.example.test.evil.test/", False),
    ("https://user@crm.example.test/", False),
    ("https://crm.example.test@evil.test/", False),
    ("https://xcrm.example.test/", False),
    ("https://crm.\u212aexample.test/", False),
    ("", False), (None, False), (42, False),
])
def test_page_is_allowlisted_default_port(config, url, allowed):
    assert cfg.page_is_allowlisted(url, config) == allowed


@pytest.mark.parametrize("url, allowed", [
    ("https://crm.example.test:8443/app", True),
    ("https://crm.example.test:8443/app?q", True),
    ("https://crm.example.test:8443/app/", False),
    ("https://crm.example.test/app", False),
    ("https://support.example.test/tickets/1", True),
    ("https://eu.support.example.test/tickets/", True),
    ("https://support.example.test/ticketsX", True),
    ("https://support.example.test/other", False),
    ("https://xsupport.example.test/tickets/1", False),
])
def test_page_is_allowlisted_ports_paths_and_subdomains(url, allowed):
    config = make_config(allowlist=["https://crm.example.test:8443/app", "https://*.support.example.test/tickets*"])
    assert cfg.page_is_allowlisted(url, config) == allowed


def test_field_error_value_semantics():
    error = FieldError("a/b", "type", "bad")
    assert error == FieldError("a/b", "type", "bad") and len({error, FieldError("a/b", "type", "bad")}) == 1
    assert str(FieldError("", "type", "bad")) == "bad" and "a/b" in repr(error)


def test_paths_escape_like_json_pointers():
    assert errors_of(with_change(lambda o: o.update({"a/b~c": 1}))) == [("a~1b~0c", "unknown-property")]


@pytest.mark.parametrize("name, ok", [("agent-log", True), ("a", True), ("x" * 65, False), ("-log", False),
                                      ("my log", False), ("", False), ("../etc", False)])
def test_log_names(name, ok):
    assert (cfg.log_name_errors(name) == []) == ok
