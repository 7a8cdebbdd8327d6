"""The extension's configuration: validation and normalisation (the runtime twin of
manifest/config.schema.json, which stays the source of truth: unit tests check that both agree on bounds,
defaults and on a generated corpus), plus what is derived from it -- content-script match patterns, host
permissions, the allowlist check of a page URL, region names. (The enterprise policy over it: effective_config.)

Two Global Resiliency protocols (`protocol`): "acgr" (Streams 2.16+, the CCPs say which region is active) and
"legacy-dr" (connect-streams-dr.js, the worker polls the active instance by ARN). A configuration without
`protocol` is legacy DR: everything written before the field existed keeps its meaning. Legacy DR needs each
region's instanceArn; ACGR does not use it (checked when given), tells the regions apart by their AWS region
names (which must differ) and accepts global-routing CCP hosts named after their region.

Written without `re` (large and slow under Brython): URL, ARN and region grammars are small hand scanners that
accept exactly what the schema's patterns accept."""

from .errors import ConfigError, FieldError
from .shapes import MAX_REGION_KEY_LENGTH, REGION_COUNT, is_digits

MAX_URL_LENGTH = 2048
MAX_ALLOWLIST_ITEMS = 100
MAX_SELECTOR_LENGTH = 1024

_LOWER = "abcdefghijklmnopqrstuvwxyz"
_DIGITS = "0123456789"
_ALNUM = _LOWER + _LOWER.upper() + _DIGITS
# Character classes as strings, for _all_in
_HOST_LABEL_CHARS = _LOWER + _DIGITS + "-"
# RFC 3986 characters of a path, query and fragment (no spaces, quotes, brackets or other delimiters).
_URL_TAIL_CHARS = _ALNUM + "._~:/?#@!$&'()*+,;=%-"
# An allowlist path prefix: a path only (no query or fragment), and "*" only as the final wildcard.
_PAGE_PATH_CHARS = _ALNUM + "._~:/@!$&'()+,;=%-"
_REGION_SUFFIX_CHARS = _ALNUM + "_-"
_LOG_NAME_CHARS = _ALNUM + "._-"
_HEX = frozenset("0123456789abcdef")
_ARN_PARTITIONS = ("aws", "aws-cn", "aws-us-gov")
_DEFAULT_HTTPS_PORT = 443
_AUTHORITY_CHARS = _ALNUM + ".-:"


# ----------------------------------------------------------------------------------------------------------
# Grammars shared with the schema's patterns


def region_name(key):
    """The AWS region of a region key: the part before the first "." ("us-east-1.blue" -> "us-east-1").
    The full key names the region everywhere; the CCP gets only this part."""
    return key.split(".", 1)[0]


def _all_in(text, allowed):
    """Whether every character of `text` is one of the string `allowed`: stripping them leaves nothing (one call;
    a loop over the characters costs microseconds each under Brython, and a configuration has thousands)."""
    return not text.strip(allowed)


def _is_host_label(text):
    return text != "" and text[0] != "-" and text[-1] != "-" and _all_in(text, _HOST_LABEL_CHARS)


def _is_host(text):
    """Lower-case DNS name (or dotted IPv4): labels of [a-z0-9-], not starting or ending with "-"."""
    for label in text.split("."):
        if not _is_host_label(label):
            return False
    return True


def _parse_port(text):
    """1..65535 written without leading zeros, as an int; None otherwise."""
    if len(text) > 5 or not is_digits(text) or text[0] == "0":
        return None
    port = int(text)
    return port if port <= 65535 else None


def _is_aws_region(text):
    """[a-z]{2}(-[a-z]+)+-[0-9]+, e.g. "us-east-1", "us-gov-west-1"."""
    parts = text.split("-")
    if len(parts) < 3 or len(parts[0]) != 2 or not _all_in(parts[0], _LOWER):
        return False
    for middle in parts[1:-1]:
        if middle == "" or not _all_in(middle, _LOWER):
            return False
    return is_digits(parts[-1])


def is_region_key(text):
    """An AWS region with an optional ".suffix" of [A-Za-z0-9_-]+ (at most MAX_REGION_KEY_LENGTH long)."""
    if not isinstance(text, str) or len(text) > MAX_REGION_KEY_LENGTH:
        return False
    base, dot, suffix = text.partition(".")
    if dot and (suffix == "" or not _all_in(suffix, _REGION_SUFFIX_CHARS)):
        return False
    return _is_aws_region(base)


def _is_uuid(text):
    if len(text) != 36:
        return False
    for position, char in enumerate(text):
        if position in (8, 13, 18, 23):
            if char != "-":
                return False
        elif char not in _HEX:
            return False
    return True


def arn_region(arn):
    """The region of "arn:<aws|aws-cn|aws-us-gov>:connect:<region>:<12 digits>:instance/<uuid>" (lower-case
    UUID), or None if `arn` is not a Connect instance ARN of that form."""
    if not isinstance(arn, str):
        return None
    parts = arn.split(":")
    if len(parts) != 6 or parts[0] != "arn" or parts[1] not in _ARN_PARTITIONS or parts[2] != "connect":
        return None
    region, account, resource = parts[3], parts[4], parts[5]
    if not _is_aws_region(region) or len(account) != 12 or not is_digits(account):
        return None
    if not resource.startswith("instance/") or not _is_uuid(resource[len("instance/"):]):
        return None
    return region


def _split_authority(text):
    """"host[:port]" -> (host, port int or None); None when the port part is malformed. The host is not
    checked here."""
    host, colon, port_text = text.partition(":")
    if not colon:
        return host, None
    port = _parse_port(port_text)
    return None if port is None else (host, port)


class HttpsUrl:
    """A configured https:// URL: lower-case host, optional port, optional path/query/fragment."""

    __slots__ = ("text", "host", "port")

    def __init__(self, text, host, port):
        self.text = text
        self.host = host
        self.port = port

    @property
    def origin(self):
        """As browsers write it (event.origin): no port when it is the default 443."""
        if self.port is None or self.port == _DEFAULT_HTTPS_PORT:
            return "https://" + self.host
        return f"https://{self.host}:{self.port}"


# A configuration's check reads each CCP URL and the sign-in URL in several rules (format, origin, distinct origins,
# the allowlist's reach): each text is parsed once (the whole check took ~5 ms under Brython warm, ~40 % of it
# parsing the same three URLs again). An HttpsUrl is never changed once made.
_parsed_urls = {}
PARSED_URLS_KEPT = 64


def parse_https_url(text):
    """An HttpsUrl, or None if `text` is not ^https://HOST(:PORT)?(/[tail chars]*)?$ (schema $defs/httpsUrl)."""
    if not isinstance(text, str):
        return None
    if text in _parsed_urls:
        return _parsed_urls[text]
    if len(_parsed_urls) >= PARSED_URLS_KEPT:
        _parsed_urls.clear()
    url = _parsed_urls[text] = _parse_https_url(text)
    return url


def _parse_https_url(text):
    if len(text) > MAX_URL_LENGTH or not text.startswith("https://"):
        return None
    authority, slash, tail = text[len("https://"):].partition("/")
    if slash and not _all_in(tail, _URL_TAIL_CHARS):
        return None
    split = _split_authority(authority)
    if split is None or not _is_host(split[0]):
        return None
    return HttpsUrl(text, split[0], split[1])


class PagePattern:
    """An allowlisted page pattern "https://[*.]host[:port]/path-prefix[*]". A "*." host also matches the bare
    domain (as browser match patterns do); without a final "*" the path must match exactly."""

    __slots__ = ("text", "host", "any_subdomain", "port", "path", "prefix")

    def __init__(self, text, host, any_subdomain, port, path, prefix):
        self.text = text
        self.host = host
        self.any_subdomain = any_subdomain
        self.port = port
        self.path = path
        self.prefix = prefix

    def matches(self, host, port, path):
        """Whether a page at host (lower-case), port (None = 443) and path (no query/fragment) matches."""
        if self.any_subdomain:
            if host != self.host and not host.endswith("." + self.host):
                return False
        elif host != self.host:
            return False
        if port != self.port:
            return False
        return path.startswith(self.path) if self.prefix else path == self.path

    def covers_origin(self, url):
        """Whether some page of the origin of `url` (an HttpsUrl) matches: its host and port do."""
        port = None if url.port == _DEFAULT_HTTPS_PORT else url.port
        return self.matches(url.host, port, self.path)

    @property
    def page_regex(self):
        """This entry as an anchored regular expression over page_key(host, port, path), the same in ECMA-262
        (without flags) and Python's re: what the content script's early start tests a page with, so that the
        rule is this class's and not written again in JavaScript (tests/unit/test_core_early_start_record.py
        holds it equal to matches()). Every character but ASCII letters and digits is escaped (an identity
        escape in both dialects); a "*." host's optional subdomains stop at ":" and "/"."""
        subdomains = "(?:[^:/]*\\.)?" if self.any_subdomain else ""
        tail = "[\\s\\S]*" if self.prefix else ""
        port = self.port or _DEFAULT_HTTPS_PORT
        return f"^{subdomains}{_regex_literal(self.host)}:{port}{_regex_literal(self.path)}{tail}$"

    @property
    def match_pattern(self):
        """The content-script match pattern: no port (Firefox ignores ports in match patterns; the script
        checks it) and always a final "*" (the script checks exact paths)."""
        host = "*." + self.host if self.any_subdomain else self.host
        return f"https://{host}{self.path}*"


def _regex_literal(text):
    return "".join(char if char in _ALNUM else "\\" + char for char in text)


def page_key(host, port, path):
    """"host:port/path" (the port always written) of a page at host (lower-case), port (None = 443) and path (no
    query or fragment): what PagePattern.page_regex is tested on. The early start writes it from `location`
    (boot/early_start.js)."""
    return f"{host}:{port or _DEFAULT_HTTPS_PORT}{path}"


def parse_page_pattern(text):
    """A PagePattern, or None if `text` is not a valid allowlist entry (schema $defs/pagePattern). A wildcard
    host needs at least two labels after "*." so that "*.com" cannot allowlist a whole top-level domain."""
    if not isinstance(text, str) or len(text) > MAX_URL_LENGTH or not text.startswith("https://"):
        return None
    authority, slash, tail = text[len("https://"):].partition("/")
    if not slash:
        return None
    prefix = tail.endswith("*")
    path = "/" + (tail[:-1] if prefix else tail)
    if not _all_in(path, _PAGE_PATH_CHARS):
        return None
    split = _split_authority(authority)
    if split is None:
        return None
    host, port = split
    any_subdomain = host.startswith("*.")
    if any_subdomain:
        host = host[2:]
        if "." not in host:
            return None
    if not _is_host(host):
        return None
    if port == _DEFAULT_HTTPS_PORT:
        port = None
    return PagePattern(text, host, any_subdomain, port, path, prefix)


def _is_log_name(text):
    """[A-Za-z0-9][A-Za-z0-9._-]{0,63}: safe inside a download file name."""
    return 1 <= len(text) <= 64 and text[0] in _ALNUM and _all_in(text, _LOG_NAME_CHARS)


# ----------------------------------------------------------------------------------------------------------
# The option groups: one table drives validation, defaults and normalisation (and tests compare it with the
# schema).


class Option:
    """One member of an option group. kind: "boolean" | "integer" | "choice" | "text" | "https-url" |
    "log-name". A member without default is optional and absent unless given."""

    __slots__ = ("kind", "default", "low", "high", "choices")

    def __init__(self, kind, default=None, low=None, high=None, choices=None):
        self.kind = kind
        self.default = default
        self.low = low
        self.high = high
        self.choices = choices


OPTION_GROUPS = {
    "placement": {
        "mode": Option("choice", "docked", choices=("docked", "selector")),
        "selector": Option("text", low=1, high=MAX_SELECTOR_LENGTH),
        "width": Option("integer", 360, 320, 4096),
        "height": Option("integer", 600, 460, 4096),
        "side": Option("choice", "right", choices=("right", "left")),
    },
    "softphone": {
        "allowFramedSoftphone": Option("boolean", True),
        "disableRingtone": Option("boolean", False),
        "ringtoneUrl": Option("https-url"),
    },
    "pageOptions": {
        "enableAudioDeviceSettings": Option("boolean", False),
        "enableVideoDeviceSettings": Option("boolean", False),
        "enablePhoneTypeSettings": Option("boolean", True),
        "showInactivityModal": Option("boolean", True),
    },
    "timeouts": {
        "ccpAckTimeout": Option("integer", 3000, 500, 60000),
        "ccpSynTimeout": Option("integer", 1000, 100, 60000),
        "ccpLoadTimeout": Option("integer", 5000, 1000, 120000),
    },
    "logs": {
        "maxEntriesPerRegion": Option("integer", 50000, 1000, 100000),
        "filterByLogLevel": Option("boolean", False),
        "logName": Option("log-name", "agent-log"),
    },
    "outage": {
        "askBeforeLeaving": Option("boolean", False),
        "notifications": Option("boolean", False),
        "keepAgentState": Option("boolean", False),
        "manualFailover": Option("boolean", False),
    },
}

ACGR = "acgr"
LEGACY_DR = "legacy-dr"
PROTOCOLS = (ACGR, LEGACY_DR)
# A configuration without `protocol` (every one written before it existed) is legacy DR.
DEFAULT_PROTOCOL = LEGACY_DR

TOP_LEVEL_OPTIONS = {
    "protocol": Option("choice", DEFAULT_PROTOCOL, choices=PROTOCOLS),
    "loginUrl": Option("https-url"),
    "loginPopup": Option("boolean", True),
    "loginPopupAutoClose": Option("boolean", True),
    # The page API may ask for a forced failover (connect.globalResiliency.forceFailover): the agent's Switch now.
    "pageApiForceFailover": Option("boolean", False),
}

REQUIRED_FIELDS = ("regions", "loginUrl", "allowlist")
TOP_LEVEL_FIELDS = ("protocol", "regions", "loginUrl", "loginPopup", "loginPopupAutoClose",
                    "allowlist", "pageApi", "pageApiForceFailover") + tuple(OPTION_GROUPS)
REGION_FIELDS = ("region", "ccpUrl", "instanceArn")
REGION_REQUIRED = ("region", "ccpUrl")
# Legacy DR finds the active instance by ARN: each region needs its own (the schema's top-level if/else).
LEGACY_REGION_REQUIRED = REGION_FIELDS

# Cross-field rules and the Public Suffix List's: not expressible in JSON Schema, enforced here only (the schema's
# $comment lists them).
CROSS_FIELD_RULES = ("arn-region-match", "distinct-regions", "distinct-instances", "distinct-aws-regions",
                     "ccp-host-region-match", "distinct-ccp-origins", "allowlist-not-ccp-origin",
                     "allowlist-not-login-origin", "public-suffix-wildcard", "page-api-allowlisted")

_INVALID = object()  # marks a value that produced a FieldError


def type_name(value):
    """How a JSON value's type is named in messages ("a string", "an array", "null", ...)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return "not JSON data"


def _join(path, name):
    """path + "/" + name, with name escaped as in a JSON Pointer ("~" -> "~0", "/" -> "~1")."""
    segment = str(name).replace("~", "~0").replace("/", "~1")
    return f"{path}/{segment}" if path else segment


class _Collector:
    """Gathers FieldErrors while one document is checked."""

    __slots__ = ("errors",)

    def __init__(self):
        self.errors = []

    def add(self, path, rule, message):
        self.errors.append(FieldError(path, rule, message))
        return _INVALID

    def object_members(self, value, path, known, required=()):
        """`value` as a dict after type, required-member and unknown-member checks (None if not an object)."""
        if not isinstance(value, dict):
            self.add(path, "type", f"must be an object, not {type_name(value)}")
            return None
        for name in required:
            if name not in value:
                self.add(_join(path, name), "required", "is required")
        for name in value:
            if name not in known:
                self.add(_join(path, name), "unknown-property", "is not a known setting")
        return value

    def string(self, value, path):
        if isinstance(value, str):
            return value
        return self.add(path, "type", f"must be a string, not {type_name(value)}")

    def option(self, option, value, path):
        """The normalised value of one option, or _INVALID."""
        kind = option.kind
        if kind == "boolean":
            if value is True or value is False:
                return value
            return self.add(path, "type", f"must be true or false, not {type_name(value)}")
        if kind == "integer":
            # JSON Schema's "integer" includes numbers like 3000.0; they normalise to int.
            if isinstance(value, float) and not isinstance(value, bool) and value.is_integer():
                value = int(value)
            if isinstance(value, bool) or not isinstance(value, int):
                return self.add(path, "type", f"must be an integer, not {type_name(value)}")
            if value < option.low:
                return self.add(path, "minimum", f"must be at least {option.low}")
            if value > option.high:
                return self.add(path, "maximum", f"must be at most {option.high}")
            return value
        text = self.string(value, path)
        if text is _INVALID:
            return text
        if kind == "choice":
            if text not in option.choices:
                allowed = " or ".join(f'"{choice}"' for choice in option.choices)
                return self.add(path, "enum", f"must be {allowed}")
            return text
        if kind == "text":
            if len(text) < option.low:
                return self.add(path, "min-length", "must not be empty")
            if len(text) > option.high:
                return self.add(path, "max-length", f"must be at most {option.high} characters")
            return text
        if kind == "https-url":
            return self.https_url(text, path)
        if kind == "log-name":
            if not _is_log_name(text):
                return self.add(path, "log-name-format",
                                "must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit")
            return text
        raise AssertionError(f"unknown option kind {kind}")

    def https_url(self, text, path):
        if parse_https_url(text) is None:
            return self.add(path, "https-url", f'"{_clip(text)}" is not an https:// URL with a lower-case host name '
                            f"(and optional port, path, query)")
        return text

    def group(self, name, members):
        """An option group with defaults applied (meaningful only if no error was collected)."""
        table = OPTION_GROUPS[name]
        if self.object_members(members, name, table) is None:
            return None
        normalised = {}
        for member, option in table.items():
            if member in members:
                normalised[member] = self.option(option, members[member], _join(name, member))
            elif option.default is not None:
                normalised[member] = option.default
        if name == "placement" and normalised.get("mode") == "selector" and "selector" not in members:
            self.add("placement/selector", "required", 'is required when mode is "selector"')
        return normalised


def _clip(text, limit=80):
    return text if len(text) <= limit else text[:limit] + "…"


# ----------------------------------------------------------------------------------------------------------
# The normalised configuration


class Region:
    """One of the two Connect instances. `key` is the configured string (may carry a ".suffix"), `name` the
    AWS region sent to the CCP (and, in ACGR, the region its CCP announces). `instance_arn` is None when not
    given (ACGR)."""

    __slots__ = ("key", "name", "ccp_url", "instance_arn", "ccp_origin")

    def __init__(self, key, ccp_url, instance_arn, ccp_origin):
        self.key = key
        self.name = region_name(key)
        self.ccp_url = ccp_url
        self.instance_arn = instance_arn
        self.ccp_origin = ccp_origin

    def to_dict(self):
        data = {"region": self.key, "ccpUrl": self.ccp_url}
        if self.instance_arn is not None:
            data["instanceArn"] = self.instance_arn
        return data


class Config:
    """A validated configuration with every default applied. Option groups are plain dicts with the schema's
    member names (they go into CCP messages as they are); treat everything as read-only."""

    __slots__ = ("protocol", "regions", "login_url", "login_origin", "login_popup", "login_popup_auto_close",
                 "allowlist", "page_patterns", "page_api", "page_api_force_failover", "placement", "softphone",
                 "page_options", "timeouts", "logs", "outage")

    def __init__(self, protocol, regions, login_url, login_origin, login_popup, login_popup_auto_close,
                 page_patterns, groups, page_api=(), page_api_force_failover=False):
        self.protocol = protocol
        self.regions = regions
        self.login_url = login_url
        self.login_origin = login_origin
        self.login_popup = login_popup
        self.login_popup_auto_close = login_popup_auto_close
        self.page_patterns = page_patterns
        self.allowlist = tuple(pattern.text for pattern in page_patterns)
        # The allowlisted patterns opted in to the page API (a subset of page_patterns, in allowlist order)
        self.page_api = tuple(pattern for pattern in page_patterns if pattern.text in page_api)
        self.page_api_force_failover = page_api_force_failover
        self.placement = groups["placement"]
        self.softphone = groups["softphone"]
        self.page_options = groups["pageOptions"]
        self.timeouts = groups["timeouts"]
        self.logs = groups["logs"]
        self.outage = groups["outage"]

    @property
    def region_keys(self):
        return tuple(region.key for region in self.regions)

    @property
    def first_region(self):
        """The region displayed first (the reference's ccpUrl region)."""
        return self.regions[0]

    def region(self, key):
        """The Region of `key`, or None."""
        for region in self.regions:
            if region.key == key:
                return region
        return None

    def region_named(self, name):
        """The Region whose AWS region is `name` (ACGR's regions differ by name), or None."""
        for region in self.regions:
            if region.name == name:
                return region
        return None

    def other_region(self, key):
        """The Region that is not `key` (`key` must be one of the two)."""
        return self.regions[1] if self.regions[0].key == key else self.regions[0]

    def shown_and_hidden(self, key):
        """(shown, hidden) region keys of a tab that shows `key` first (the first region if `key` is none)."""
        shown = key if self.region(key) is not None else self.regions[0].key
        return shown, self.other_region(shown).key

    def to_dict(self):
        """The normalised configuration as JSON-like data; parse_config(config.to_dict()) gives it back."""
        return {
            "protocol": self.protocol,
            "regions": [region.to_dict() for region in self.regions],
            "loginUrl": self.login_url,
            "loginPopup": self.login_popup,
            "loginPopupAutoClose": self.login_popup_auto_close,
            "allowlist": list(self.allowlist),
            "pageApi": [pattern.text for pattern in self.page_api],
            "pageApiForceFailover": self.page_api_force_failover,
            "placement": dict(self.placement),
            "softphone": dict(self.softphone),
            "pageOptions": dict(self.page_options),
            "timeouts": dict(self.timeouts),
            "logs": dict(self.logs),
            "outage": dict(self.outage),
        }


def _check_region(collector, value, path, acgr):
    """The Region of the item at `path`, or None when anything about it was refused."""
    members = collector.object_members(value, path, REGION_FIELDS,
                                       REGION_REQUIRED if acgr else LEGACY_REGION_REQUIRED)
    if members is None:
        return None
    key = ccp = _INVALID
    arn = None
    if "region" in members:
        key = collector.string(members["region"], _join(path, "region"))
        if key is not _INVALID and not is_region_key(key):
            key = collector.add(_join(path, "region"), "region-format",
                                f'"{_clip(key)}" is not an AWS region such as "us-east-1", optionally with a '
                                f'".suffix" of letters, digits, "_" or "-" (at most {MAX_REGION_KEY_LENGTH} '
                                f"characters)")
    if "ccpUrl" in members:
        ccp = collector.string(members["ccpUrl"], _join(path, "ccpUrl"))
        if ccp is not _INVALID:
            ccp = collector.https_url(ccp, _join(path, "ccpUrl"))
    if "instanceArn" in members:
        arn = collector.string(members["instanceArn"], _join(path, "instanceArn"))
        if arn is not _INVALID and arn_region(arn) is None:
            arn = collector.add(_join(path, "instanceArn"), "arn-format",
                                f'"{_clip(arn)}" is not an Amazon Connect instance ARN '
                                f'("arn:aws:connect:<region>:<12-digit account>:instance/<instance id>")')
    if _INVALID in (key, ccp, arn):
        return None
    if arn is not None and arn_region(arn) != region_name(key):
        collector.add(_join(path, "instanceArn"), "arn-region-match",
                      f'region "{arn_region(arn)}" in the ARN does not match region "{region_name(key)}"')
        return None
    url = parse_https_url(ccp)
    host_region = url.host.split(".", 1)[0]
    if acgr and _is_aws_region(host_region) and host_region != region_name(key):
        collector.add(_join(path, "ccpUrl"), "ccp-host-region-match",
                      f'the CCP host names region "{host_region}" (a global-routing address), not this '
                      f'region "{region_name(key)}"')
        return None
    return Region(key, ccp, arn, url.origin)


def _check_regions(collector, value, acgr):
    if not isinstance(value, list):
        collector.add("regions", "type", f"must be an array of two regions, not {type_name(value)}")
        return None
    if len(value) != REGION_COUNT:
        rule = "min-items" if len(value) < REGION_COUNT else "max-items"
        collector.add("regions", rule, f"must list exactly {REGION_COUNT} regions, not {len(value)}")
    regions = tuple(_check_region(collector, item, f"regions/{index}", acgr) for index, item in enumerate(value))
    _check_distinct(collector, value, acgr)
    return regions


def _check_distinct(collector, raw_regions, acgr):
    """The two region keys differ, the two instance ARNs differ and the two CCP origins differ (judged on the raw
    items that have them, so that one pass reports every problem); in ACGR the AWS regions differ too (the CCPs
    name regions, not keys)."""
    for member, rule, what in (("region", "distinct-regions", "region"),
                               ("instanceArn", "distinct-instances", "instance ARN")):
        seen = {}
        for index, item in enumerate(raw_regions):
            if isinstance(item, dict) and isinstance(item.get(member), str):
                text = item[member]
                if text in seen:
                    collector.add(f"regions/{index}/{member}", rule,
                                  f'"{_clip(text)}" is already the {what} of regions/{seen[text]}; the two '
                                  f"regions must differ")
                else:
                    seen[text] = index
    origins = {}
    for index, url in enumerate(_raw_urls(raw_regions, "ccpUrl")):
        if url is None:
            continue
        if url.origin in origins:
            collector.add(f"regions/{index}/ccpUrl", "distinct-ccp-origins",
                          f"the CCP origin {url.origin} is already that of regions/{origins[url.origin]}; two regions "
                          f"on one origin would share one CCP worker, so they must differ")
        else:
            origins[url.origin] = index
    if not acgr:
        return
    names = {}
    for index, item in enumerate(raw_regions):
        key = item.get("region") if isinstance(item, dict) else None
        if not is_region_key(key):
            continue
        name = region_name(key)
        if name in names and raw_regions[names[name]]["region"] != key:
            collector.add(f"regions/{index}/region", "distinct-aws-regions",
                          f'"{_clip(key)}" is in AWS region "{name}" like regions/{names[name]}; ACGR tells its two '
                          f"regions apart by AWS region, so they must be in different ones")
        else:
            names.setdefault(name, index)


def _raw_urls(items, member):
    """The HttpsUrl of each raw item's `member`, None where there is none (or it is not one)."""
    return [parse_https_url(item.get(member)) if isinstance(item, dict) else None for item in items]


def _check_allowlist(collector, members, public_suffixes):
    value = members["allowlist"]
    if not isinstance(value, list):
        collector.add("allowlist", "type", f"must be an array of page patterns, not {type_name(value)}")
        return None
    if not value:
        collector.add("allowlist", "min-items", "must list at least one page pattern")
        return None
    if len(value) > MAX_ALLOWLIST_ITEMS:
        collector.add("allowlist", "max-items", f"must list at most {MAX_ALLOWLIST_ITEMS} page patterns")
    embedded = _embedded_origins(members)
    patterns, seen = [], set()
    for index, item in enumerate(value):
        path = f"allowlist/{index}"
        text = collector.string(item, path)
        if text is _INVALID:
            continue
        pattern = parse_page_pattern(text)
        if pattern is None:
            collector.add(path, "page-pattern",
                          f'"{_clip(text)}" is not a page pattern "https://<host>[:<port>]/<path prefix>[*]" '
                          f'(lower-case host, which may start with "*." followed by at least two labels)')
        elif text in seen:
            collector.add(path, "unique-items", f'"{_clip(text)}" is listed twice')
        else:
            seen.add(text)
            patterns.append(pattern)
            _check_page_reach(collector, path, pattern, embedded, public_suffixes)
    return tuple(patterns)


def _check_page_api(collector, members, allowed):
    """The opted-in patterns of `pageApi` (each an allowlist entry, listed once), as texts."""
    value = members["pageApi"]
    if not isinstance(value, list):
        collector.add("pageApi", "type", f"must be an array of page patterns, not {type_name(value)}")
        return ()
    if len(value) > MAX_ALLOWLIST_ITEMS:
        collector.add("pageApi", "max-items", f"must list at most {MAX_ALLOWLIST_ITEMS} page patterns")
    listed = set(pattern.text for pattern in allowed or ())
    seen = set()
    for index, item in enumerate(value):
        path = f"pageApi/{index}"
        text = collector.string(item, path)
        if text is _INVALID:
            continue
        if parse_page_pattern(text) is None:
            collector.add(path, "page-pattern", f'"{_clip(text)}" is not a page pattern')
        elif text in seen:
            collector.add(path, "unique-items", f'"{_clip(text)}" is listed twice')
        elif allowed is not None and text not in listed:
            collector.add(path, "page-api-allowlisted", f'"{_clip(text)}" is not an allowlist entry: the page API is '
                                                        f"opted in per allowlisted pattern, written as in the allowlist")
        seen.add(text)
    return tuple(seen)


def _embedded_origins(members):
    """[(field, what, rule, HttpsUrl)] of the pages the extension embeds or opens: each region's CCP and the
    sign-in page (those given as valid URLs)."""
    raw_regions = members.get("regions") if isinstance(members.get("regions"), list) else []
    targets = [(f"regions/{index}/ccpUrl", "the CCP origin", "allowlist-not-ccp-origin", url)
               for index, url in enumerate(_raw_urls(raw_regions, "ccpUrl"))]
    targets.append(("loginUrl", "the sign-in origin", "allowlist-not-login-origin",
                    parse_https_url(members.get("loginUrl"))))
    return [target for target in targets if target[3] is not None]


def _check_page_reach(collector, path, pattern, embedded, public_suffixes):
    """An allowlisted page is never on a CCP or sign-in origin (the extension would run inside the pages it embeds:
    CCPs within a CCP, a content script beside the agent's sign-in), and a wildcard reaches into no public suffix
    (public_suffixes: core.public_suffixes.PublicSuffixList, or None when not checked)."""
    for field, what, rule, url in embedded:
        if pattern.covers_origin(url):
            collector.add(path, rule, f'"{_clip(pattern.text)}" matches {what} {url.origin} ({field}): the '
                                      f"extension must not run on the pages it embeds")
    if pattern.any_subdomain and public_suffixes is not None:
        covered = public_suffixes.suffix_covered(pattern.host)
        if covered is not None:
            collector.add(path, "public-suffix-wildcard",
                          f'"*.{pattern.host}" reaches into the public suffix "{covered}" (Public Suffix List), '
                          f"where anyone can register a site: name a domain of your own")


def validate_config(obj, public_suffixes=None):
    """Every FieldError of `obj` as a list (empty when valid). Never raises. public_suffixes: as parse_config's."""
    return _validate(obj, public_suffixes)[1]


def log_name_errors(log_name):
    """FieldErrors of a log name, by the configuration's own rule for logs/logName."""
    return [error for error in validate_config({"logs": {"logName": log_name}}) if error.path == "logs/logName"]


def parse_config(obj, public_suffixes=None):
    """The normalised Config of `obj` (JSON-like data), or ConfigError listing every problem found.
    public_suffixes (core.public_suffixes.PublicSuffixList): the list the allowlist's wildcards are checked
    against. Only a reader of a configuration checked with it before goes without (a tab reads the one the
    background checked): every configuration a person or a policy gives goes through effective_config, which
    needs it."""
    config, errors = _validate(obj, public_suffixes)
    if errors:
        raise ConfigError(errors)
    return config


def _validate(obj, public_suffixes):
    collector = _Collector()
    members = collector.object_members(obj, "", TOP_LEVEL_FIELDS, REQUIRED_FIELDS)
    if members is None:
        return None, collector.errors
    # As the schema's if/else: only a valid "acgr" selects ACGR's region rules (an invalid protocol is
    # reported below, and the regions are checked as legacy DR's meanwhile).
    acgr = members.get("protocol") == ACGR
    regions = _check_regions(collector, members["regions"], acgr) if "regions" in members else None
    allow = _check_allowlist(collector, members, public_suffixes) if "allowlist" in members else None
    page_api = _check_page_api(collector, members, allow) if "pageApi" in members else ()
    top = {}
    for name, option in TOP_LEVEL_OPTIONS.items():
        if name in members:
            top[name] = collector.option(option, members[name], name)
        else:
            top[name] = option.default
    groups = {name: collector.group(name, members[name] if name in members else {}) for name in OPTION_GROUPS}
    if collector.errors:
        return None, collector.errors
    login = parse_https_url(top["loginUrl"])
    config = Config(top["protocol"], regions, top["loginUrl"], login.origin, top["loginPopup"],
                    top["loginPopupAutoClose"], allow, groups, page_api, top["pageApiForceFailover"])
    return config, []


# ----------------------------------------------------------------------------------------------------------
# Derived from a valid configuration


def _unique(items):
    seen, result = set(), []
    for item in items:
        if item not in seen:
            seen.add(item)
            result.append(item)
    return result


def content_script_matches(config):
    """Port-free match patterns for registering the content script on the allowlisted pages."""
    return _unique(pattern.match_pattern for pattern in config.page_patterns)


def host_permission_patterns(config):
    """Port-free host-permission patterns ("https://<host>/*") for the allowlisted pages, the two CCP
    origins and the login origin, in that order, without duplicates."""
    hosts = ["*." + p.host if p.any_subdomain else p.host for p in config.page_patterns]
    hosts += [parse_https_url(region.ccp_url).host for region in config.regions]
    hosts.append(parse_https_url(config.login_url).host)
    return _unique(f"https://{host}/*" for host in hosts)


def api_permissions(config):
    """The optional API permissions the configuration needs (manifest optional_permissions)."""
    return ["notifications"] if config.outage["notifications"] else []


def _split_page_url(url):
    """(host, port or None for 443, path) of an https page URL as a browser reports it; None for anything
    else (including URLs carrying credentials). Lenient about path characters, strict about the authority."""
    if not isinstance(url, str) or len(url) > 65536 or url[:8].lower() != "https://":
        return None
    rest = url[8:]
    end = len(rest)
    for delimiter in "/?#":
        found = rest.find(delimiter)
        if 0 <= found < end:
            end = found
    authority = rest[:end]
    # Lower-case ASCII only: some non-ASCII letters lower-case into ASCII ones (the Kelvin sign into "k").
    if not _all_in(authority, _AUTHORITY_CHARS):
        return None
    split = _split_authority(authority.lower())
    if split is None or not _is_host(split[0]):
        return None
    path = rest[end:]
    for delimiter in "?#":
        path = path.partition(delimiter)[0]
    port = None if split[1] == _DEFAULT_HTTPS_PORT else split[1]
    return split[0], port, path or "/"


def page_api_matches(config):
    """Port-free match patterns of the pages opted in to the page API."""
    return _unique(pattern.match_pattern for pattern in config.page_api)


def page_api_origin_matches(config):
    """Port-free match patterns of every page of the opted-in pages' origins ("https://<host>/*")."""
    return _unique(f"https://{'*.' + p.host if p.any_subdomain else p.host}/*" for p in config.page_api)


def page_api_enabled(url, config):
    """Whether the page at `url` is opted in to the page API, port included. Never raises."""
    page = _split_page_url(url)
    return page is not None and any(pattern.matches(*page) for pattern in config.page_api)


def page_is_allowlisted(url, config):
    """Whether the page at `url` is allowlisted, port included (match patterns cannot check it). Never raises."""
    page = _split_page_url(url)
    if page is None:
        return False
    for pattern in config.page_patterns:
        if pattern.matches(*page):
            return True
    return False
