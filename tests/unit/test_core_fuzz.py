"""Hostile input: every parser of the core raises nothing but its own error type, whatever it is given --
arbitrary JSON-like values, and valid inputs with parts replaced, removed or retyped."""
import copy
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core_testdata import EAST, example, public_suffixes, snapshot_data
from grccp.core import ccp_messages as cm
from grccp.core import config as cfg
from grccp.core import global_state as gs
from grccp.core import health as hl
from grccp.core import acgr, effective_config, legacy_dr, log_chunks, logs, snapshot
from grccp.core.errors import ConfigError, MessageError, ProtocolError, StateError
from grccp.core.runtime_messages import MESSAGE_TYPES, parse_message
from test_core_runtime_messages import VALID as VALID_RUNTIME_MESSAGES

LEGACY_PARSERS = cm.parser_table(legacy_dr.LegacyDrRules.CCP_EVENTS)
ACGR_PARSERS = cm.parser_table(acgr.AcgrRules.CCP_EVENTS)
FUZZ = settings(max_examples=200, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=12),
                    st.sampled_from(["", "us-east-1", "ready", "INFO", "voice", "2026-01-01T00:00:00.000Z",
                                     "acknowledge", "https://crm.example.test/", cfg.region_name("x.y")]))
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4),
    st.dictionaries(st.one_of(st.text(max_size=8), st.integers(), st.sampled_from(
        ["event", "data", "type", "region", "snapshot", "state", "contacts", "id", "level", "text", "time"])),
        inner, max_size=4)), max_leaves=12)


def _paths(node, path=()):
    yield path
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, child in items:
        yield from _paths(child, path + (key,))


keys = st.one_of(st.text(max_size=8), st.integers(), st.sampled_from(["extra", "type", "event", "us-east-1"]))


def _node(obj, path):
    for key in path:
        obj = obj[key]
    return obj


@st.composite
def mutated(draw, originals):
    """A deep copy of one of `originals` with up to three parts replaced by arbitrary values, removed, or
    added (with keys of any type)."""
    obj = copy.deepcopy(draw(st.sampled_from(originals)))
    for _ in range(draw(st.integers(0, 3))):
        path = draw(st.sampled_from(list(_paths(obj))))
        how = draw(st.sampled_from(["replace", "delete", "add"]))
        node = _node(obj, path)
        if how == "add" and isinstance(node, (dict, list)):
            if isinstance(node, dict):
                node[draw(keys)] = draw(values)
            else:
                node.append(draw(values))
        elif not path:
            return draw(values)
        else:
            parent = _node(obj, path[:-1])
            if how == "delete" and isinstance(parent, dict):
                del parent[path[-1]]
            else:
                parent[path[-1]] = draw(values)
    return obj


def hostile(originals):
    return st.one_of(values, mutated(originals))


def only_raises(function, value, allowed):
    try:
        function(value)
    except allowed:
        pass


# Valid inputs the mutations start from
CONFIGS = [example(name) for name in ("full", "minimal", "enterprise-policy", "legacy-dr-full", "legacy-dr-minimal",
                                      "legacy-dr-enterprise-policy")]
SNAPSHOTS = [snapshot_data(contacts=[("c-1", "voice", "connected"), ("c-2", "chat", "ended")], acw=True)]
CCP_MESSAGES = [
    {"event": "acknowledge", "data": {"id": "1-abc"}},
    {"event": "agent::update", "data": SNAPSHOTS[0]},
    {"event": "disasterRecovery::failover", "data": {"isPrimary": False, "nextActiveArn": "arn:x"}},
    {"event": "disasterRecovery::failover_pending", "data": {"nextActiveArn": "arn:x"}},
    {"event": "disasterRecovery::force_offline", "data": {"softFailover": True, "nextActiveArn": "arn:x"}},
    {"event": "log", "data": {"level": "INFO", "text": "t", "time": 5, "objects": [], "exception": None,
                              "loggerId": "w", "tabId": None, "contextLayer": "SharedWorker"}},
    {"event": "api_response", "data": {"requestId": "r", "data": {}, "err": None}},
    {"event": "auth_fail", "data": {"authorize": True}},
    {"event": acgr.INIT, "data": {"instanceRegion": "us-east-1", "instanceState": "active",
                                  "activeRegion": "us-east-1"}},
    {"event": acgr.FAILOVER_DETECTED, "data": {"activeRegion": "us-west-2"}},
    {"event": acgr.FAILOVER_PENDING, "data": {"activeRegion": "us-west-2"}},
    {"event": acgr.FAILOVER_INITIATED, "data": {"activeRegion": "us-west-2"}},
    {"event": acgr.FAILOVER_COMPLETE, "data": {"activeRegion": "us-west-2", "activeCcpUrl": "https://x"}},
    {"event": acgr.HEARTBEAT_SYN, "data": {"seq": 1}},
    {"event": acgr.GLOBAL_SIGNIN_INVALID, "data": {"errorType": "LILY_AGENT_CONFIG_MISSING", "error": "x"}},
]
RUNTIME_MESSAGES = [dict(fields, type=name) for name, fields in VALID_RUNTIME_MESSAGES.items()]


def _stored_state():
    state = gs.GlobalState((EAST, "us-west-2"), epoch=4)
    state.on_ccp_health(1, EAST, hl.READY, 1)
    state.on_agent_update(EAST, snapshot.parse_agent_update(SNAPSHOTS[0]).to_summary(snapshot.VOICE_CONTACT_TYPES), 2)
    state.on_failover_pending("us-west-2", "c-1", 3)
    state.on_switch_complete("us-west-2", 4)
    state.on_failover_detected(EAST, False, 5)
    state.on_failover_pending(EAST, "c-2", 6, contact_type="chat")
    state.on_switch_now(EAST, 7)
    state.on_region_announced(EAST, "us-east-1", None)
    return json.loads(json.dumps(state.to_dict()))


LOG_REGION = "us-east-1"


def _stored_log():
    """The meta record of a log with closed chunks and skipped records, and local chunks 0-6 of every kind a
    restore may find: records (formats 3-5), JSON lines (format 2), mixed with junk, empty (and none beyond);
    the same as segments 0-2 of chunks 0-8 (format 5)."""
    log = log_chunks.ChunkedLog(LOG_REGION, 6, json.dumps, chunk_size=2)
    entries = [logs.make_entry("INFO", f"x{n}", n, "l") for n in range(6)] + [logs.intake_relayed(
        logs.parse_relayed_entry(CCP_MESSAGES[5]["data"]), "me", None, 0)]
    log.add(entries)
    meta = json.loads(json.dumps(log.take_changes()["local"][log_chunks.meta_key(LOG_REGION)]))
    records = [json.dumps(entry) for entry in entries]
    texts = [log_chunks.RECORD_SEPARATOR.join(records[:2]), "\n".join(records[2:5]), records[5],
             log_chunks.RECORD_SEPARATOR.join([records[6], "junk", "{}"]), "", "\n".join(["[1]", records[0]]),
             log_chunks.RECORD_SEPARATOR.join(records)]
    stored = {log_chunks.chunk_key(LOG_REGION, index): text for index, text in enumerate(texts)}
    stored.update({log_chunks.segment_key(LOG_REGION, index, segment): texts[(index + segment) % len(texts)]
                   for index in range(9) for segment in range(3)})
    return meta, stored


STORED_LOG_META, STORED_LOG_CHUNKS = _stored_log()
# Meta records that are valid or nearly so, naming the chunks above.
plausible_log_metas = st.fixed_dictionaries({
    "version": st.sampled_from([log_chunks.NDJSON_FORMAT_VERSION, log_chunks.LOCAL_RECORDS_FORMAT_VERSION,
                                log_chunks.FORMAT_VERSION]),
    "capacity": st.integers(1, 9), "nextLine": st.integers(0, 9), "first": st.integers(0, 8),
    "skip": st.integers(0, 4), "counts": st.lists(st.integers(0, 5), min_size=1, max_size=6)},
    optional={"segments": st.integers(0, 4), "unarchived": st.lists(st.integers(0, 9), max_size=3)})


@FUZZ
@given(hostile(CONFIGS))
def test_config_parser(value):
    only_raises(cfg.parse_config, value, ConfigError)
    assert isinstance(cfg.validate_config(value), list)


@FUZZ
@given(hostile(CONFIGS), hostile(CONFIGS))
def test_managed_merge(local, managed):
    only_raises(lambda _: cfg.parse_config(effective_config.merge_managed(local, managed)[0]), None, ConfigError)
    state = effective_config.effective_config(local, managed, public_suffixes(), allow_empty=True)
    assert (state.config is None) or state.errors == []


@FUZZ
@given(hostile(CCP_MESSAGES + [{"event": name, "data": {}} for name in cm.ALL_EVENTS + legacy_dr.ALL_EVENTS +
                               acgr.ALL_EVENTS]))
def test_ccp_message_parser(value):
    only_raises(lambda message: cm.parse_ccp_message(message, LEGACY_PARSERS), value, ProtocolError)
    only_raises(lambda message: cm.parse_ccp_message(message, ACGR_PARSERS), value, ProtocolError)


ACGR_CONFIG = cfg.parse_config(example("minimal"))


@FUZZ
@given(st.lists(st.tuples(st.sampled_from(ACGR_CONFIG.region_keys), hostile(CCP_MESSAGES)), max_size=12))
def test_acgr_rules_take_any_sequence_of_messages(sequence):
    """Whatever well-formed or hostile messages come in whatever order, the rules decide without raising and
    always show one configured region."""
    rules = acgr.AcgrRules(ACGR_CONFIG)
    for region, message in sequence:
        try:
            event, payload = cm.parse_ccp_message(message, ACGR_PARSERS)
        except ProtocolError:
            continue
        if event in rules.CCP_EVENTS:
            rules.on_ccp_event(region, event, payload)
        elif event == cm.AGENT_UPDATE:
            rules.on_agent_update(region, payload)
        assert {rules.shown, rules.hidden} == set(ACGR_CONFIG.region_keys)


@FUZZ
@given(hostile(SNAPSHOTS))
def test_snapshot_parser(value):
    only_raises(snapshot.parse_agent_update, value, ProtocolError)


@FUZZ
@given(hostile([message["data"] for message in CCP_MESSAGES if message["event"] == "log"]))
def test_relayed_log_parser(value):
    def parse_and_take(data):
        relayed = logs.parse_relayed_entry(data)
        entry = logs.intake_relayed(relayed, "me", None, 0)
        assert entry is None or logs.entry_problem(entry) is None
    only_raises(parse_and_take, value, ProtocolError)


@FUZZ
@given(hostile(RUNTIME_MESSAGES + [{"type": name} for name in MESSAGE_TYPES]))
def test_runtime_message_parser(value):
    only_raises(parse_message, value, MessageError)


@FUZZ
@given(hostile([_stored_state()]))
def test_stored_state_loader(value):
    def load(data):
        state = gs.GlobalState.from_dict(data)
        assert gs.GlobalState.from_dict(state.to_dict()).to_dict() == state.to_dict()
    only_raises(load, value, StateError)


@FUZZ
@given(st.one_of(hostile([STORED_LOG_META]), plausible_log_metas))
def test_stored_log_loader(value):
    def restore(meta):
        problem = log_chunks.meta_problem(meta)
        log = log_chunks.ChunkedLog.restore(LOG_REGION, meta, STORED_LOG_CHUNKS, json.dumps, json.loads,
                                            chunk_size=2)
        assert problem is None and len(log) == sum(log.counts) - log.skip <= log.capacity
        assert log_chunks.meta_problem(log.meta()) is None  # what it stores next restores again
    only_raises(restore, value, StateError)


@FUZZ
@given(st.one_of(values, st.text(), st.builds(lambda a, b: "https://" + a + "/" + b, st.text(max_size=30),
                                               st.text(max_size=10))))
def test_page_check_and_grammar_helpers(value):
    config = cfg.parse_config(example("full"))
    assert cfg.page_is_allowlisted(value, config) in (True, False)
    assert cfg.parse_https_url(value) is None or isinstance(value, str)
    assert cfg.parse_page_pattern(value) is None or isinstance(value, str)
    assert cfg.arn_region(value) is None or isinstance(value, str)
    assert cfg.is_region_key(value) in (True, False)
