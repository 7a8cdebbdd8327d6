"""Epoch milliseconds <-> ISO-8601 UTC text ("2026-11-24T01:09:21.581Z", what JS Date.toISOString writes),
done by arithmetic instead of `datetime`, which is large under Brython and slow for 50,000 log lines."""
from .shapes import is_digits

# The years Date.toISOString writes with four digits; anything outside is refused rather than mis-formatted.
MIN_MS = -62167219200000      # 0000-01-01T00:00:00.000Z
MAX_MS = 253402300799999      # 9999-12-31T23:59:59.999Z

_DIGITS = "0123456789"
# "00".."99" by index, one concatenation each in a list comprehension. (A table of "000".."999" as well cost the
# content script's start ~8-16 ms under Brython, a CPU profile of an ACGR init in Chromium: the milliseconds are
# written with this one, once per line formatted.)
_TWO = tuple([tens + ones for tens in _DIGITS for ones in _DIGITS])
_DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)

# Log exports format tens of thousands of times from a handful of days: remember each day's date text.
_date_text_by_day = {}
_DATE_CACHE_LIMIT = 512


def _days_from_civil(year, month, day):
    """Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm)."""
    year -= month <= 2
    era = year // 400
    year_of_era = year - era * 400
    day_of_year = (153 * (month + (-3 if month > 2 else 9)) + 2) // 5 + day - 1
    day_of_era = year_of_era * 365 + year_of_era // 4 - year_of_era // 100 + day_of_year
    return era * 146097 + day_of_era - 719468


def _civil_from_days(days):
    """(year, month, day) of a day count since 1970-01-01 (inverse of _days_from_civil)."""
    days += 719468
    era = days // 146097
    day_of_era = days - era * 146097
    year_of_era = (day_of_era - day_of_era // 1460 + day_of_era // 36524 - day_of_era // 146096) // 365
    day_of_year = day_of_era - (365 * year_of_era + year_of_era // 4 - year_of_era // 100)
    month_index = (5 * day_of_year + 2) // 153
    day = day_of_year - (153 * month_index + 2) // 5 + 1
    month = month_index + (3 if month_index < 10 else -9)
    return year_of_era + era * 400 + (month <= 2), month, day


def _date_text(day_number):
    text = _date_text_by_day.get(day_number)
    if text is None:
        if len(_date_text_by_day) >= _DATE_CACHE_LIMIT:
            _date_text_by_day.clear()
        year, month, day = _civil_from_days(day_number)
        text = _TWO[year // 100] + _TWO[year % 100] + "-" + _TWO[month] + "-" + _TWO[day]
        _date_text_by_day[day_number] = text
    return text


# Log lines come in bursts within one second: remember the text up to the seconds of the last one formatted
# (string assembly, not arithmetic, is what costs under Brython).
_last_second = [None, ""]


def format_iso_ms(ms):
    """ISO-8601 UTC with milliseconds of an integer epoch-ms value within MIN_MS..MAX_MS."""
    second = ms // 1000
    if second != _last_second[0]:
        day_number = second // 86400
        in_day = second - day_number * 86400
        _last_second[1] = (_date_text(day_number) + "T" + _TWO[in_day // 3600] + ":" + _TWO[in_day // 60 % 60] + ":"
                           + _TWO[in_day % 60] + ".")
        _last_second[0] = second
    millis = ms - second * 1000
    return _last_second[1] + _DIGITS[millis // 100] + _TWO[millis % 100] + "Z"


def _is_leap(year):
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _number_of(text):
    """The unsigned decimal number written in `text`, or None unless it is all ASCII digits."""
    return int(text) if is_digits(text) else None


# An agent snapshot carries the same few timestamps every time it comes (its state's and its contacts' start):
# remember what each text parsed to.
_parsed_iso = {}
_PARSED_CACHE_LIMIT = 256


def parse_iso_ms(text):
    """Epoch ms of "YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)", or None if `text` is not that.
    Fractions beyond milliseconds are truncated, as JS Date does."""
    if not isinstance(text, str):
        return None
    if text in _parsed_iso:
        return _parsed_iso[text]
    ms = _parse_iso_ms(text)
    if len(_parsed_iso) >= _PARSED_CACHE_LIMIT:
        _parsed_iso.clear()
    _parsed_iso[text] = ms
    return ms


def _parse_iso_ms(text):
    if len(text) < 20 or len(text) > 40:
        return None
    if text[4] != "-" or text[7] != "-" or text[10] != "T" or text[13] != ":" or text[16] != ":":
        return None
    if _number_of(text[:4] + text[5:7] + text[8:10] + text[11:13] + text[14:16] + text[17:19]) is None:
        return None
    year, month, day = int(text[:4]), int(text[5:7]), int(text[8:10])
    hour, minute, second = int(text[11:13]), int(text[14:16]), int(text[17:19])
    if not 1 <= month <= 12 or hour > 23 or minute > 59 or second > 59:
        return None
    month_length = 29 if month == 2 and _is_leap(year) else _DAYS_IN_MONTH[month - 1]
    if not 1 <= day <= month_length:
        return None
    position, millis = 19, 0
    if text[position] == ".":
        zone_at = len(text) - 1 if text[-1] == "Z" else len(text) - 6
        fraction = text[position + 1:zone_at]
        if _number_of(fraction) is None:
            return None
        millis = int((fraction + "00")[:3])
        position = zone_at
    zone = text[position:]
    if zone == "Z":
        offset_minutes = 0
    elif len(zone) == 6 and zone[0] in "+-" and zone[3] == ":":
        zone_hours, zone_minutes = _number_of(zone[1:3]), _number_of(zone[4:6])
        if zone_hours is None or zone_minutes is None or zone_hours > 23 or zone_minutes > 59:
            return None
        offset_minutes = (zone_hours * 60 + zone_minutes) * (1 if zone[0] == "+" else -1)
    else:
        return None
    ms = ((_days_from_civil(year, month, day) * 24 + hour) * 60 + minute - offset_minutes) * 60000
    ms += second * 1000 + millis
    return ms if MIN_MS <= ms <= MAX_MS else None


def to_epoch_ms(value):
    """A timestamp as it arrives from JS after conversion -- epoch ms (int or float, truncated like JS Date)
    or ISO-8601 text -- as integer epoch ms; None if it is neither or out of range. Never raises."""
    if isinstance(value, str):
        return parse_iso_ms(value)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if not MIN_MS <= value <= MAX_MS:  # also refuses NaN, which compares false with everything
        return None
    return int(value)


# Canonical text (what format_iso_ms writes) comes back thousands of times a second in relayed log lines: text
# within the last whole second written or checked is recognised without parsing (under Brython, slicing and
# parsing a string cost microseconds per character; startswith and indexing do not).
_DIGIT_SET = frozenset(_DIGITS)
_last_canonical_second = [None]


def iso_text(value):
    """The canonical ISO text (as format_iso_ms writes it) of a timestamp to_epoch_ms accepts, or None. Text
    that is already canonical comes back as it is."""
    second = _last_canonical_second[0]
    if (isinstance(value, str) and second is not None and len(value) == 24 and value.startswith(second)
            and value[20] in _DIGIT_SET and value[21] in _DIGIT_SET and value[22] in _DIGIT_SET
            and value[23] == "Z"):
        return value
    ms = to_epoch_ms(value)
    if ms is None:
        return None
    text = format_iso_ms(ms)
    _last_canonical_second[0] = text[:20]  # "YYYY-MM-DDTHH:MM:SS."
    return text
