"""The shared predicates of core.shapes that the other tests do not cover on their own."""
import pytest

from grccp.core.shapes import field_problem, is_digits, is_str, may, required, same_data


@pytest.mark.parametrize("value, digits", [
    ("0", True), ("0123456789", True), ("", False), ("12a", False), (" 1", False), ("１", False), ("٣", False),
    (12, False), (None, False),
])
def test_is_digits_takes_ascii_digits_only(value, digits):
    assert is_digits(value) is digits


TABLE = {"a": required(is_str), "b": may(is_str)}


@pytest.mark.parametrize("obj, problem", [
    ({"a": "x"}, None), ({"a": "x", "b": "y"}, None), ({}, 'field "a" is missing'),
    ({"a": 1}, 'field "a" has a wrong value'), ({"a": "x", "c": 1}, "unknown field 'c'"),
    ({"a": "x", 3: 1}, "unknown field 3"), ({"b": "y", "a": "x", "z": 0}, "unknown field 'z'"), ([], "is not an object"),
])
def test_field_problem_names_the_field(obj, problem):
    assert field_problem(obj, TABLE) == problem


def test_field_problem_may_allow_fields_beyond_the_table():
    assert field_problem({"a": "x", "c": 1}, TABLE, allow_extra=True) is None


@pytest.mark.parametrize("first, second, same", [
    ({"a": [1, {"b": True}], "c": None}, {"c": None, "a": [1, {"b": True}]}, True),
    ({"a": True}, {"a": 1}, False), ({"a": 1}, {"a": 1.0}, False), ([0], [False], False), ({"a": 1}, {"a": 1, "b": 2}, False),
    ({"a": 1}, {"b": 1}, False), ([1, 2], [2, 1], False), ([1], [1, 1], False), ("x", "x", True), (None, None, True),
    ({}, [], False),
])
def test_same_data_tells_types_apart(first, second, same):
    assert same_data(first, second) is same
    assert same_data(second, first) is same
