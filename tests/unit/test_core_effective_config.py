"""The configuration in force: the local configuration with the enterprise policy over it, as the background,
its save handler and the options page all compute it; and what a save stores."""
import pytest

from core_testdata import example, public_suffixes
from grccp.core import effective_config as ec
from grccp.core.config import parse_config
from grccp.core.errors import ConfigError

PSL = public_suffixes()


def test_merge_managed_policy_wins_per_top_level_field():
    local = example("full")
    policy = example("enterprise-policy")
    merged, managed = ec.merge_managed(local, policy)
    assert managed == ("protocol", "regions", "loginUrl", "allowlist", "timeouts", "logs")
    assert merged["placement"] == local["placement"]
    assert merged["timeouts"] == {"ccpLoadTimeout": 8000}  # whole field replaced, not merged member-wise
    config = parse_config(merged)
    assert config.timeouts["ccpAckTimeout"] == 3000 and config.logs["filterByLogLevel"] is True


def test_merge_managed_edge_cases():
    assert ec.merge_managed(None, None) == ({}, ())
    assert ec.merge_managed({"a": 1}, {}) == ({"a": 1}, ())
    assert ec.merge_managed(None, {"zz": 1, "loginUrl": "x"}) == ({"zz": 1, "loginUrl": "x"}, ("loginUrl", "zz"))
    with pytest.raises(ConfigError) as caught:
        ec.merge_managed([], "policy")
    assert [error.rule for error in caught.value.errors] == ["type", "type"]


def test_local_part_leaves_out_what_the_policy_sets():
    assert ec.local_part({"regions": [], "loginUrl": "x", "logs": {}}, ("regions", "logs")) == {"loginUrl": "x"}


def test_the_effective_configuration_with_and_without_a_policy():
    local, policy = example("full"), example("enterprise-policy")
    state = ec.effective_config(local, policy, PSL)
    assert state.local == local and state.managed == policy and state.errors == []
    assert state.managed_fields == ("protocol", "regions", "loginUrl", "allowlist", "timeouts", "logs")
    assert state.config.to_dict() == parse_config(ec.merge_managed(local, policy)[0]).to_dict()
    alone = ec.effective_config(local, None, PSL)
    assert alone.config.to_dict() == parse_config(local).to_dict() and alone.managed_fields == ()


def test_nothing_stored_is_not_configured_for_the_background_but_incomplete_for_a_form():
    background = ec.effective_config(None, None, PSL, allow_empty=True)
    assert (background.config, background.errors, background.managed_fields) == (None, [], ())
    form = ec.effective_config({}, None, PSL)
    assert form.config is None and {error.path for error in form.errors} >= {"regions", "loginUrl", "allowlist"}


def test_a_refused_configuration_keeps_its_errors_and_what_the_policy_manages():
    policy = {"logs": {"logName": "../x"}}
    state = ec.effective_config(example("minimal"), policy, PSL)
    assert state.config is None and [error.path for error in state.errors] == ["logs/logName"]
    assert state.managed_fields == ("logs",)
    garbage = ec.effective_config(["not", "an", "object"], "nor this", PSL, allow_empty=True)
    assert (garbage.local, garbage.managed, garbage.config, garbage.managed_fields) == (
        ["not", "an", "object"], "nor this", None, ())
    assert [error.rule for error in garbage.errors] == ["type", "type"]


def test_a_save_keeps_what_was_stored_for_the_fields_the_policy_sets():
    stored = example("full")
    policy = {"timeouts": {"ccpLoadTimeout": 8000}, "logs": {"logName": "policy-log"}}
    submitted = dict(example("minimal"), timeouts={"ccpLoadTimeout": 1}, logs={"logName": "typed"})
    local = ec.local_to_store(submitted, stored, policy)
    assert local["timeouts"] == stored["timeouts"] and local["logs"] == stored["logs"]  # the policy's: not stored
    assert local["regions"] == submitted["regions"] and local["allowlist"] == submitted["allowlist"]
    assert "placement" not in local  # what the form leaves out is left out


def test_a_save_stores_nothing_for_policy_fields_that_were_never_stored():
    local = ec.local_to_store(dict(example("minimal"), logs={"logName": "typed"}), None, {"logs": {}})
    assert "logs" not in local and local["loginUrl"] == example("minimal")["loginUrl"]
    assert ec.local_to_store({"logs": {}}, ["garbage"], {"logs": {}}) == {}


# ---------------------------------------------------------------------------------------------------------
# Migration: configurations and policies written before `protocol` existed keep their meaning


def test_a_stored_pre_acgr_configuration_is_legacy_dr_as_before():
    local = example("legacy-dr-full")
    assert "protocol" not in local
    state = ec.effective_config(local, None, PSL, allow_empty=True)
    assert state.errors == [] and state.config.protocol == "legacy-dr"
    assert [region.instance_arn for region in state.config.regions] == [r["instanceArn"] for r in local["regions"]]
    # the normalised configuration says so, and means the same
    assert parse_config(state.config.to_dict()).to_dict() == state.config.to_dict()


def test_a_pre_acgr_policy_is_legacy_dr_and_manages_the_protocol():
    policy = example("legacy-dr-enterprise-policy")
    assert "protocol" not in policy
    for local in (None, example("legacy-dr-full"), example("full")):  # even over a local ACGR choice
        state = ec.effective_config(local, policy, PSL)
        assert state.errors == [] and state.config.protocol == "legacy-dr", local
        assert state.managed_fields == ("protocol", "regions", "loginUrl", "allowlist", "timeouts", "logs")
    assert ec.merge_managed(example("full"), policy)[0]["protocol"] == "legacy-dr"
    assert policy == example("legacy-dr-enterprise-policy")  # not changed in place


def test_a_pre_acgr_policy_without_regions_leaves_the_protocol_to_the_user():
    policy = {"logs": {"filterByLogLevel": True}}
    assert ec.effective_config(example("full"), policy, PSL).config.protocol == "acgr"
    assert ec.effective_config(example("legacy-dr-full"), policy, PSL).config.protocol == "legacy-dr"
    assert ec.managed_fields(policy) == ("logs",)


def test_a_policy_that_says_acgr_is_acgr():
    state = ec.effective_config(example("legacy-dr-full"), example("enterprise-policy"), PSL)
    assert state.errors == [] and state.config.protocol == "acgr"


def test_a_save_under_a_pre_acgr_policy_does_not_store_the_protocol():
    policy = example("legacy-dr-enterprise-policy")
    local = ec.local_to_store(dict(example("full"), protocol="acgr"), None, policy)
    assert "protocol" not in local


def test_a_policy_is_checked_with_the_public_suffix_list():
    """Every configuration in force passes through here: the allowlist's wildcards are checked."""
    policy = {"allowlist": ["https://crm.example.test/*", "https://*.co.uk/*"]}
    state = ec.effective_config(example("minimal"), policy, PSL)
    assert state.config is None and [(e.path, e.rule) for e in state.errors] == [
        ("allowlist/1", "public-suffix-wildcard")]
