"""The Public Suffix List as the validator reads it (core.public_suffixes, with the data the build makes from the
pinned package publicsuffixlist): the same answers as the package's own parser for every rule of the list and the
names around each, and what an allowlist wildcard may cover."""
import json

import pytest
from publicsuffixlist import PublicSuffixList as PackageList

from core_testdata import public_suffixes
from grccp.core.public_suffixes import PublicSuffixList
from grccp_build import public_suffixes as build_data


def test_the_data_is_every_rule_in_ascii():
    rules = build_data.rules_text().split("\n")
    assert len(rules) > 9000 and all(rule.isascii() and rule == rule.strip() and rule for rule in rules)
    assert {"co.uk", "github.io", "*.kobe.jp", "!city.kobe.jp", "xn--aroport-bya.ci"} <= set(rules)


def test_the_data_file_hands_the_rules_to_a_global():
    [(path, data)] = build_data.data_file().items()
    assert path == "data/public_suffixes.js"
    text = data.decode("ascii")
    assignment = next(line for line in text.splitlines() if line.startswith("globalThis."))
    name, _, value = assignment.partition(" = ")
    assert name == "globalThis." + build_data.GLOBAL_NAME
    assert json.loads(value.rstrip(";")) == build_data.rules_text()


def names_around(rule):
    base = rule.lstrip("!").replace("*.", "")
    return {base, "x." + base, "www." + base, "x.y." + base, base.split(".", 1)[-1]}


def test_is_public_suffix_agrees_with_the_package_on_every_rule_and_the_names_around_it():
    ours, package = public_suffixes(), PackageList()
    checked = 0
    for rule in build_data.rules_text().split("\n"):
        for name in names_around(rule):
            assert ours.is_public_suffix(name) == package.is_public(name), name
            checked += 1
    assert checked > 40000


@pytest.mark.parametrize("name, covered", [
    ("co.uk", "co.uk"), ("example.co.uk", None), ("kobe.jp", "kobe.jp"), ("city.kobe.jp", None),
    ("c.kobe.jp", "c.kobe.jp"), ("www.ck", None), ("example.test", None),
])
def test_suffix_covered_is_the_name_or_a_rule_under_it(name, covered):
    assert public_suffixes().suffix_covered(name) == covered


def test_a_rule_under_a_name_is_found_past_an_exception():
    rules = PublicSuffixList("com\n!www.shop.example.com\n*.shop.example.com\n")
    assert rules.suffix_covered("example.com") == "*.shop.example.com"
    assert rules.suffix_covered("www.shop.example.com") is None
    assert rules.is_public_suffix("x.shop.example.com") and not rules.is_public_suffix("www.shop.example.com")
