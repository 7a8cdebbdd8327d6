"""The options form as data (core.options_model): it covers every setting of the schema, round-trips valid
configurations, and places every validation problem at a field with a message naming the field and the rule."""
import pytest
from hypothesis import given, settings, strategies as st

from core_testdata import EAST_ARN, example
from grccp.core import options_model as om
from grccp.core.config import parse_config, validate_config


def schema_leaves(schema):
    """Paths of every setting in the configuration schema (regions' items for both regions)."""
    defs = schema["$defs"]
    paths = []
    for name, node in schema["properties"].items():
        if name == "regions":
            for index in range(2):
                paths += [f"regions/{index}/{member}" for member in defs["region"]["properties"]]
        elif node.get("type") == "object":
            paths += [f"{name}/{member}" for member in node["properties"]]
        else:
            paths.append(name)
    return paths


def test_the_form_has_one_field_per_setting(schema):
    assert sorted(om.FIELD_BY_PATH) == sorted(schema_leaves(schema))
    assert len({field.ident for field in om.FIELDS}) == len(om.FIELDS)
    assert {field.section for field in om.FIELDS} == {name for name, _, _ in om.SECTIONS}


@pytest.mark.parametrize("name", ["minimal", "full", "enterprise-policy", "legacy-dr-minimal", "legacy-dr-full",
                                  "legacy-dr-enterprise-policy"])
def test_valid_configurations_round_trip(name):
    obj = example(name)
    if "regions" not in obj:
        return
    assert parse_config(om.config_from_form(om.form_values(obj))).to_dict() == parse_config(obj).to_dict()


def test_an_empty_form_is_a_new_acgr_configuration_and_names_the_required_fields():
    values = om.form_values(None)
    assert values["protocol"] == "acgr" and om.form_values({}) == values
    errors = validate_config(om.config_from_form(values))
    required = {error.path for error in errors if error.rule == "required"}
    assert required == {"regions/0/region", "regions/0/ccpUrl", "regions/1/region", "regions/1/ccpUrl", "loginUrl"}
    assert required == {field.path for field in om.FIELDS if field.required("acgr")} - {"protocol", "allowlist"}
    assert {(error.path, error.rule) for error in errors} >= {("allowlist", "min-items")}
    inline, general = om.errors_by_field(errors)
    assert general == [] and set(inline) == required | {"allowlist"}


def test_an_empty_legacy_form_also_names_the_instance_arns():
    values = om.form_values(None)
    values["protocol"] = "legacy-dr"
    required = {error.path for error in validate_config(om.config_from_form(values)) if error.rule == "required"}
    assert required == {field.path for field in om.FIELDS if field.required("legacy-dr")} - {"protocol",
                                                                                              "allowlist"}
    assert {"regions/0/instanceArn", "regions/1/instanceArn"} <= required


def test_the_protocol_comes_first_and_a_stored_pre_acgr_configuration_shows_legacy_dr():
    assert om.FIELDS[0].path == "protocol" and om.SECTIONS[0][0] == "protocol"
    assert om.form_values(example("legacy-dr-full"))["protocol"] == "legacy-dr"
    assert om.form_values(example("full"))["protocol"] == "acgr"
    assert om.form_values({"logs": {"logName": "x"}})["protocol"] == "acgr"  # nothing but a policy's logs
    assert om.form_values({"protocol": "bogus"})["protocol"] == "bogus"  # shown as stored; the validator names it
    saved = om.config_from_form(om.form_values(example("legacy-dr-minimal")))
    assert saved["protocol"] == "legacy-dr"  # a save writes the protocol the form shows


def test_instance_arn_help_and_requirement_follow_the_protocol():
    arn = om.FIELD_BY_PATH["regions/0/instanceArn"]
    assert arn.required("legacy-dr") and not arn.required("acgr")
    assert "Optional" in arn.help_in("acgr") and "Required" in arn.help_in("legacy-dr")
    assert om.FIELD_BY_PATH["regions/0/ccpUrl"].required("acgr")


def test_messages_name_the_field_and_the_rule():
    values = om.form_values(example("legacy-dr-minimal"))
    values["regions/1/instanceArn"] = EAST_ARN
    values["timeouts/ccpAckTimeout"] = "3 s"
    values["allowlist"] = "https://crm.example.test/*\nhttp://plain.example.test/*"
    inline, general = om.errors_by_field(validate_config(om.config_from_form(values)))
    assert general == []
    arn_errors = inline["regions/1/instanceArn"]
    assert arn_errors[0] == ('Region 2: instance ARN: region "us-east-1" in the ARN does not match region '
                             '"us-west-2" (rule: arn-region-match)')
    assert arn_errors[1].startswith('Region 2: instance ARN: "arn:aws:connect:us-east-1:') and arn_errors[1].endswith(
        "is already the instance ARN of regions/0; the two regions must differ (rule: distinct-instances)")
    assert inline["timeouts/ccpAckTimeout"] == [
        "Acknowledge timeout (ms): must be an integer, not a string (rule: type)"]
    assert inline["allowlist"][0].startswith("Allowlisted pages, line 2: ") and "(rule: page-pattern)" in \
        inline["allowlist"][0]


def test_problems_without_a_field_go_above_the_form():
    inline, general = om.errors_by_field(validate_config({"regions": [], "loginUrl": "https://login.example.test",
                                                          "allowlist": ["https://a.example.test/*"], "extra": 1}))
    assert inline == {}
    assert general == ["extra: is not a known setting (rule: unknown-property)",
                       "regions: must list exactly 2 regions, not 0 (rule: min-items)"]


def test_a_region_that_is_not_an_object_shows_at_its_first_field():
    obj = example("legacy-dr-minimal")
    obj["regions"][1] = "us-west-2"
    inline, _ = om.errors_by_field(validate_config(obj))
    assert inline == {"regions/1/region": ["Region 2: region (regions/1): must be an object, not a string "
                                           "(rule: type)"]}


def test_two_equal_regions_are_refused_at_the_second():
    values = om.form_values(example("minimal"))
    values["regions/1/region"] = values["regions/0/region"]
    inline, _ = om.errors_by_field(validate_config(om.config_from_form(values)))
    assert any("(rule: distinct-regions)" in text for text in inline["regions/1/region"])


def test_empty_optional_fields_take_their_defaults():
    values = om.form_values(example("minimal"))
    values["timeouts/ccpAckTimeout"] = ""
    values["logs/logName"] = "  "
    values["softphone/ringtoneUrl"] = ""
    config = parse_config(om.config_from_form(values))
    assert config.timeouts["ccpAckTimeout"] == 3000 and config.logs["logName"] == "agent-log"
    assert "ringtoneUrl" not in config.softphone


def test_selector_mode_needs_a_selector():
    values = om.form_values(example("minimal"))
    values["placement/mode"] = "selector"
    inline, _ = om.errors_by_field(validate_config(om.config_from_form(values)))
    assert inline == {"placement/selector": ['CSS selector: is required when mode is "selector" (rule: required)']}


JSONISH = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=8),
                       lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8),
                                                                                        children, max_size=3),
                       max_leaves=12)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from(["protocol", "regions", "loginUrl", "allowlist", "placement", "timeouts",
                                       "logs", "x"]),
                       JSONISH, max_size=5) | JSONISH)
def test_any_stored_value_shows_in_the_form_without_raising(obj):
    values = om.form_values(obj)
    assert set(values) == set(om.FIELD_BY_PATH)
    inline, general = om.errors_by_field(validate_config(om.config_from_form(values)))
    for texts in list(inline.values()) + [general]:
        for text in texts:
            assert "(rule: " in text
