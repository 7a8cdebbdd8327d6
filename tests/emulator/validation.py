"""Checks a control request's JSON body against a small field spec, naming the offending field on failure."""
import re


MISSING = object()  # default for fields whose absence differs from null (e.g. "leave this impairment as it is")


class ValidationError(Exception):
    def __init__(self, field, message):
        super().__init__(f"{field}: {message}")
        self.field = field


class Field:
    """`check(value)` returns an error message or None. Optional fields take `default` when absent."""

    def __init__(self, check, required=False, default=None):
        self.check = check
        self.required = required
        self.default = default


def one_of(*choices):
    return lambda v: None if v in choices else f"must be one of {', '.join(map(repr, choices))}"


def boolean(v):
    return None if isinstance(v, bool) else "must be true or false"


def text(v):
    return None if isinstance(v, str) and v.strip() else "must be a non-empty string"


def integer(low, high):
    def check(v):
        ok = isinstance(v, int) and not isinstance(v, bool) and low <= v <= high
        return None if ok else f"must be an integer from {low} to {high}"
    return check


def json_list(v):
    return None if isinstance(v, list) and 1 <= len(v) <= 10_000 else "must be a list of 1 to 10000 JSON values"


ORIGIN = re.compile(r"^https://[a-z0-9.-]+(:[0-9]{1,5})?$")


def origins_or_null(v):
    if v is None or (isinstance(v, list) and len(v) <= 50 and all(isinstance(o, str) and ORIGIN.match(o) for o in v)):
        return None
    return "must be null or a list of up to 50 origins like https://host[:port] (no path)"


def http_status_or_null(v):
    return None if v is None else integer(400, 599)(v)


def parse(body, spec):
    """Return a dict with every spec key (defaults filled); raise ValidationError naming the first bad field."""
    if not isinstance(body, dict):
        raise ValidationError("body", "must be a JSON object")
    unknown = sorted(set(body) - set(spec))
    if unknown:
        raise ValidationError(unknown[0], "unknown field")
    values = {}
    for name, field in spec.items():
        if name not in body:
            if field.required:
                raise ValidationError(name, "is required")
            values[name] = field.default
            continue
        problem = field.check(body[name])
        if problem:
            raise ValidationError(name, problem)
        values[name] = body[name]
    return values
