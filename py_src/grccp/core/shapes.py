"""Predicates for plain JSON-like data (dict, list, str, int, float, bool, None) and a field-table checker,
shared by every boundary of the core. Predicates never raise, whatever they are given."""

_INFINITY = float("inf")
_DIGIT_TEXT = "0123456789"
# What every boundary knows of regions: a configuration has two, and a region key is at most this long
# (config.is_region_key checks its grammar; messages and stored state, which only carry configured keys, check
# the length).
REGION_COUNT = 2
MAX_REGION_KEY_LENGTH = 64


def is_str(value):
    return isinstance(value, str)


def is_text(value):
    """A non-empty string."""
    return isinstance(value, str) and value != ""


def is_region_text(value):
    """Text that can be a region key: non-empty, at most MAX_REGION_KEY_LENGTH characters."""
    return isinstance(value, str) and 0 < len(value) <= MAX_REGION_KEY_LENGTH


def is_digits(value):
    """A non-empty string of ASCII digits only (one strip call: a loop over the characters costs microseconds
    each under Brython)."""
    return isinstance(value, str) and value != "" and not value.strip(_DIGIT_TEXT)


def is_bool(value):
    return value is True or value is False


def is_int(value):
    # bool is an int subclass in Python (and Brython), but true/false is never a number on the wire.
    return isinstance(value, int) and not isinstance(value, bool)


def is_count(value):
    """A non-negative integer (ids, epochs, millisecond timestamps)."""
    return is_int(value) and value >= 0


def is_number(value):
    """A finite int or float (not bool, not NaN, not infinite)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    return value == value and -_INFINITY < value < _INFINITY


def is_dict(value):
    return isinstance(value, dict)


def anything(_value):
    return True


def optional(check):
    """`check`, or None (JSON null; also what an absent member reads as)."""
    return lambda value: value is None or check(value)


def str_enum(values):
    allowed = frozenset(values)
    # The type test comes first: an unhashable value (a list, a dict) must not reach the set lookup.
    return lambda value: isinstance(value, str) and value in allowed


def list_of(check, max_items=None):
    def checks(value):
        if not isinstance(value, list) or (max_items is not None and len(value) > max_items):
            return False
        for item in value:
            if not check(item):
                return False
        return True
    return checks


def required(check):
    """A field table entry: the field must be present."""
    return (check, True)


def may(check):
    """A field table entry: the field may be absent (or null, if `check` accepts None)."""
    return (check, False)


def field_problem(obj, table, allow_extra=False):
    """The first problem of dict `obj` against `table` ({name: required(check) | may(check)}) as a short
    message naming the field, or None when it conforms."""
    if not isinstance(obj, dict):
        return "is not an object"
    known = 0  # the table's fields that obj has: all of obj's, unless it has others
    for name, (check, needed) in table.items():
        if name in obj:
            known += 1
            if not check(obj[name]):
                return f'field "{name}" has a wrong value'
        elif needed:
            return f'field "{name}" is missing'
    if not allow_extra and known != len(obj):  # looked for only then: a loop costs an exception under Brython
        for name in obj:
            if not isinstance(name, str) or name not in table:
                return f"unknown field {name!r}"
    return None


def same_data(first, second):
    """Whether two plain JSON-like values are the same, types included (== holds True, 1 and 1.0 equal, which
    a checked value and one that would fail its check must not be)."""
    if type(first) is not type(second):
        return False
    if type(first) is dict:
        if len(first) != len(second):
            return False
        for name, value in first.items():
            if name not in second or not same_data(value, second[name]):
                return False
        return True
    if type(first) is list:
        if len(first) != len(second):
            return False
        for index in range(len(first)):
            if not same_data(first[index], second[index]):
                return False
        return True
    return first == second


def conforms(table, allow_extra=False):
    """The predicate form of field_problem, for nesting tables."""
    return lambda value: field_problem(value, table, allow_extra) is None
