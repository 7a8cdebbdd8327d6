"""The options page's form, as data: one field per setting of the configuration schema, the values a form shows
for a (possibly partial or invalid) configuration, the configuration a form's values make, and where each
validation problem (config.FieldError) is shown. Pure: the page (platform.pages.options_form) only draws FIELDS and
moves strings and booleans in and out of them; every rule is config.validate_config's.

Form values: {field path: str for text/integer/choice/lines fields, bool for boolean fields}. A field's path is
the JSON-Pointer-like path of its setting ("regions/1/instanceArn", "timeouts/ccpAckTimeout"); its element id
is field_id(path).

The protocol is the form's first choice: a new configuration starts with ACGR, a stored one shows its own (one
written before `protocol` existed is legacy DR). What a field asks can depend on it (Field.required_in,
Field.help_in)."""

from .config import ACGR, LEGACY_DR, OPTION_GROUPS, PROTOCOLS, TOP_LEVEL_OPTIONS
from .shapes import REGION_COUNT, is_digits

PROTOCOL_FIELD = "protocol"
# What a new configuration (nothing stored) starts with: ACGR, the protocol Amazon Connect supports today.
NEW_CONFIGURATION_PROTOCOL = ACGR


class Field:
    """kind: "text" | "integer" | "boolean" | "choice" | "lines" (a list of strings, one per line).
    required: the protocols in which the setting is required (all of them: True; none: False). protocol_help:
    {protocol: text} said after the help in that protocol."""

    __slots__ = ("path", "label", "kind", "section", "help", "choices", "placeholder", "required_in",
                 "protocol_help")

    def __init__(self, path, label, kind, section, help_text="", choices=(), placeholder="", required=False,
                 protocol_help=None):
        self.path = path
        self.label = label
        self.kind = kind
        self.section = section
        self.help = help_text
        self.choices = choices
        self.placeholder = placeholder
        self.required_in = PROTOCOLS if required is True else (required or ())
        self.protocol_help = protocol_help or {}

    def required(self, protocol):
        return protocol in self.required_in

    def help_in(self, protocol):
        """The field's help in `protocol`."""
        extra = self.protocol_help.get(protocol, "")
        return f"{self.help} {extra}".strip() if extra else self.help

    @property
    def top_level(self):
        """The top-level setting this field belongs to (what an enterprise policy manages as a whole)."""
        return self.path.split("/", 1)[0]

    @property
    def ident(self):
        return field_id(self.path)


def field_id(path):
    return "f-" + path.replace("/", "-")


SECTIONS = (
    ("protocol", "Protocol", "How the two CCPs tell which region is active. Choose ACGR for Global Resiliency as "
                             "Amazon Connect supports it today; legacy DR only for a deployment still on "
                             "connect-streams-dr.js."),
    ("regions", "Regions", "The two Amazon Connect instances of the Global Resiliency setup. The first one is shown "
                           "first until the active region is known."),
    ("signin", "Sign-in", "The page that signs the agent in when a CCP does not answer."),
    ("pages", "Pages", "Where the CCP is embedded. HTTPS only; the browser asks for access to these pages and "
                       "the CCP and sign-in origins when you save."),
    ("placement", "Placement", "Where the CCP panel goes on those pages, and its size."),
    ("softphone", "Softphone", "Softphone options sent to both CCPs."),
    ("pageOptions", "CCP settings page", "Which settings the agent may change in the CCP."),
    ("timeouts", "Timeouts", "CCP conduit timeouts in milliseconds, as in amazon-connect-streams."),
    ("logs", "Logs", "The per-region log kept by the extension and downloaded from the popup."),
    ("outage", "Outage day", "What the extension does for the agent while a region fails."),
    ("pageApi", "Page API", "Allowlisted pages whose own scripts get the Amazon Connect Streams API (window.connect, "
                            "connect.globalResiliency), backed by the extension's CCPs: for CRM code written for "
                            "Streams. ACGR only for now. Off for every page unless listed here."),
)


def _region_fields(index):
    section = "regions"
    name = f"Region {index + 1}"
    return (
        Field(f"regions/{index}/region", f"{name}: region", "text", section,
              "An AWS region such as us-east-1, optionally with a .suffix (us-east-1.blue).",
              placeholder="us-east-1" if index == 0 else "us-west-2", required=True),
        Field(f"regions/{index}/ccpUrl", f"{name}: CCP URL", "text", section,
              "The instance's CCP page.", placeholder="https://example.my.connect.aws/ccp-v2/", required=True),
        Field(f"regions/{index}/instanceArn", f"{name}: instance ARN", "text", section,
              "Its region must be this region's AWS region.",
              placeholder="arn:aws:connect:<region>:<account>:instance/<id>", required=(LEGACY_DR,),
              protocol_help={ACGR: "Optional: ACGR names regions, not instances (checked when given).",
                             LEGACY_DR: "Required: legacy DR finds the active instance by its ARN."}),
    )


FIELDS = (
    Field(PROTOCOL_FIELD, "Global Resiliency protocol", "choice", "protocol", "",
          ((ACGR, "ACGR: Amazon Connect Global Resiliency (Streams 2.16 and later)"),
           (LEGACY_DR, "Legacy DR: connect-streams-dr.js (deprecated by Amazon)")),
          required=True,
          protocol_help={ACGR: "The CCPs say which region is active. Needs the two CCP URLs and the global "
                               "sign-in page; the region names are checked against what the CCPs announce.",
                         LEGACY_DR: "Each region's worker polls the active instance by ARN. Needs both instance "
                                    "ARNs."}),
) + _region_fields(0) + _region_fields(1) + (
    Field("loginUrl", "Sign-in URL", "text", "signin", "Opened when a CCP asks for a sign-in.",
          placeholder="https://example.my.connect.aws/login", required=True,
          protocol_help={ACGR: "ACGR: the global sign-in page, which signs the agent in to both regions."}),
    Field("loginPopup", "Open the sign-in page in a popup window", "boolean", "signin"),
    Field("loginPopupAutoClose", "Close the sign-in popup once the CCP answers", "boolean", "signin"),
    Field("allowlist", "Allowlisted pages", "lines", "pages",
          "One pattern per line: https://<host>[:<port>]/<path prefix>[*]; a host may start with *. "
          "(any subdomain).", placeholder="https://crm.example.com/*", required=True),
    Field("placement/mode", "Placement", "choice", "placement", "",
          (("docked", "Docked to a side of the window"), ("selector", "Inside the element a CSS selector finds"))),
    Field("placement/selector", "CSS selector", "text", "placement", "Required when the panel goes inside an element.",
          placeholder="#ccp-container"),
    Field("placement/side", "Docked side", "choice", "placement", "", (("right", "Right"), ("left", "Left"))),
    Field("placement/width", "Width (px)", "integer", "placement", "320 to 4096."),
    Field("placement/height", "Height (px)", "integer", "placement", "460 to 4096."),
    Field("softphone/allowFramedSoftphone", "Softphone in the embedded CCP", "boolean", "softphone"),
    Field("softphone/disableRingtone", "Disable the ringtone", "boolean", "softphone"),
    Field("softphone/ringtoneUrl", "Ringtone URL", "text", "softphone", "Optional; HTTPS.",
          placeholder="https://example.com/ring.mp3"),
    Field("pageOptions/enableAudioDeviceSettings", "Audio device settings", "boolean", "pageOptions"),
    Field("pageOptions/enableVideoDeviceSettings", "Video device settings", "boolean", "pageOptions"),
    Field("pageOptions/enablePhoneTypeSettings", "Phone type settings", "boolean", "pageOptions"),
    Field("pageOptions/showInactivityModal", "Inactivity dialog", "boolean", "pageOptions"),
    Field("timeouts/ccpAckTimeout", "Acknowledge timeout (ms)", "integer", "timeouts", "500 to 60000."),
    Field("timeouts/ccpSynTimeout", "Synchronize interval (ms)", "integer", "timeouts", "100 to 60000."),
    Field("timeouts/ccpLoadTimeout", "Load timeout (ms)", "integer", "timeouts",
          "1000 to 120000; then the sign-in flow starts."),
    Field("logs/maxEntriesPerRegion", "Entries kept per region", "integer", "logs", "1000 to 100000; oldest go first."),
    Field("logs/filterByLogLevel", "Download only INFO and above", "boolean", "logs"),
    Field("logs/logName", "Log name", "text", "logs", "Files are named <region>-<log name>.txt.",
          placeholder="agent-log"),
    Field("outage/askBeforeLeaving", "Ask before leaving the page during a contact or a pending failover",
          "boolean", "outage", "Reloading the tab whose CCP carries the softphone drops the call."),
    Field("outage/notifications", "Notifications: failover pending or complete, a region signed out or not answering",
          "boolean", "outage", "The browser asks for permission to show notifications when you save."),
    Field("outage/keepAgentState", "Keep the agent's state (Available, Lunch, ...) across a failover", "boolean",
          "outage", "Set in the new region once it is active, unless the agent chose another state there first."),
    Field("outage/manualFailover", "Offer a manual failover to the other region in the popup (legacy DR)", "boolean",
          "outage", "Ends the old region's contacts. The CCPs switch back at their next poll unless the traffic "
          "distribution group names the new region."),
    Field("pageApi", "Pages with the page API", "lines", "pageApi",
          "One allowlist entry per line, written exactly as in the allowlist. Their scripts see the agent's data "
          "and contacts, as with their own Streams copy.", placeholder="https://crm.example.com/*"),
    Field("pageApiForceFailover", "Let those pages force a failover (connect.globalResiliency.forceFailover)",
          "boolean", "pageApi", "What the popup's Switch now does: the contacts that hold the failover are cut off."),
)
FIELD_BY_PATH = {field.path: field for field in FIELDS}


def _option(path):
    """The config.Option of a path with a default, or None."""
    if "/" in path:
        group, member = path.split("/", 1)
        return OPTION_GROUPS.get(group, {}).get(member)
    return TOP_LEVEL_OPTIONS.get(path)


def _lookup(obj, path):
    """(True, value) of path in obj, or (False, None) when any step is missing or not a container."""
    value = obj
    for part in path.split("/"):
        if isinstance(value, dict) and part in value:
            value = value[part]
        elif isinstance(value, list) and is_digits(part) and int(part) < len(value):
            value = value[int(part)]
        else:
            return False, None
    return True, value


def _as_text(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def form_protocol(config_obj):
    """The protocol a form shows for a configuration object: its own; legacy DR for one written before
    `protocol` existed (it has regions); NEW_CONFIGURATION_PROTOCOL for a new one (no regions yet)."""
    source = config_obj if isinstance(config_obj, dict) else {}
    if PROTOCOL_FIELD in source:
        return source[PROTOCOL_FIELD]
    return TOP_LEVEL_OPTIONS[PROTOCOL_FIELD].default if "regions" in source else NEW_CONFIGURATION_PROTOCOL


def form_values(config_obj):
    """The form's values for a configuration object (raw: partial or invalid ones too; None = nothing stored):
    each setting's value where present and of a showable kind, else its default, else empty (the protocol:
    form_protocol)."""
    values = {}
    source = config_obj if isinstance(config_obj, dict) else {}
    for field in FIELDS:
        present, value = _lookup(source, field.path)
        option = _option(field.path)
        if field.path == PROTOCOL_FIELD:
            present, value = True, form_protocol(source)
        elif not present:
            value = option.default if option is not None else None
        if field.kind == "boolean":
            values[field.path] = value if isinstance(value, bool) else bool(option.default if option else False)
        elif field.kind == "lines":
            items = value if isinstance(value, list) else ([] if value is None else [value])
            values[field.path] = "\n".join(_as_text(item) for item in items)
        else:
            values[field.path] = _as_text(value)
    return values


def _integer(text):
    """An int for a plain decimal integer text, else the text unchanged (the validator names the problem)."""
    body = text[1:] if text[:1] == "-" else text
    if is_digits(body):
        return int(text)
    return text


def _set(target, path, value):
    parts = path.split("/")
    node = target
    for part in parts[:-1]:
        node = node.setdefault(part, {})
    node[parts[-1]] = value


def config_from_form(values):
    """The configuration object the form's values make. Text is trimmed; an empty text field is left out (so a
    required one is reported as required, and an optional one takes its default); integers are parsed when they
    are plain decimal integers and left as text otherwise (the validator then says what is wrong)."""
    config = {"regions": [{} for _ in range(REGION_COUNT)]}
    for field in FIELDS:
        value = values.get(field.path)
        if field.kind == "boolean":
            value = bool(value)
        elif field.kind == "lines":
            value = [line.strip() for line in str(value or "").split("\n") if line.strip()]
        else:
            value = str(value or "").strip()
            if value == "":
                continue
            if field.kind == "integer":
                value = _integer(value)
        if field.path.startswith("regions/"):
            _, index, member = field.path.split("/")
            config["regions"][int(index)][member] = value
        else:
            _set(config, field.path, value)
    return config


def field_of_error(path):
    """The field path an error at `path` is shown at, or None (shown above the form). Items of a list field
    (allowlist/3) show at the list; a problem with a whole region shows at its first field."""
    if path in FIELD_BY_PATH:
        return path
    parts = path.split("/")
    if parts[0] in ("allowlist", "pageApi"):
        return parts[0]
    if parts[0] == "regions" and len(parts) == 2 and is_digits(parts[1]):
        first = f"regions/{parts[1]}/region"
        return first if first in FIELD_BY_PATH else None
    return None


def error_text(error):
    """A message naming the field and the rule: "Region 2: instance ARN: region "us-east-1" in the ARN does not
    match region "us-west-2" (rule: arn-region-match)". `error` is a FieldError or its to_dict()."""
    path, rule, message = (error["path"], error["rule"], error["message"]) if isinstance(error, dict) else (
        error.path, error.rule, error.message)
    shown = field_of_error(path)
    if shown is not None:
        name = FIELD_BY_PATH[shown].label
        if shown != path:
            if path.startswith(("allowlist/", "pageApi/")):
                name = f"{name}, line {int(path.split('/')[1]) + 1}"
            else:
                name = f"{name} ({path})"
    else:
        name = path or "Configuration"
    return f"{name}: {message} (rule: {rule})"


def errors_by_field(errors):
    """({field path: [texts]}, [texts shown above the form]) of FieldErrors (or their dicts), in order."""
    inline, general = {}, []
    for error in errors:
        path = error["path"] if isinstance(error, dict) else error.path
        shown = field_of_error(path)
        if shown is None:
            general.append(error_text(error))
        else:
            inline.setdefault(shown, []).append(error_text(error))
    return inline, general
