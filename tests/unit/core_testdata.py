"""Shared test data for the core's unit tests: paths, the emulator's names and a few builders. (A distinct
module name, so that it cannot clash with other test directories' helpers.)"""
import functools
import json
import os

from rig import REPO

SCHEMA_PATH = os.path.join(REPO, "manifest", "config.schema.json")
EXAMPLES_DIR = os.path.join(REPO, "manifest", "examples")
FIXTURES_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures")


def load_json(path):
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)

EAST = "us-east-1"
WEST = "us-west-2"
EAST_ARN = "arn:aws:connect:us-east-1:111122223333:instance/11111111-1111-4111-8111-111111111111"
WEST_ARN = "arn:aws:connect:us-west-2:111122223333:instance/22222222-2222-4222-8222-222222222222"
EAST_CCP = "https://ccp.us-east-1.example.test:8443/ccp-v2/"
WEST_CCP = "https://ccp.us-west-2.example.test:8443/ccp-v2/"
LOGIN = "https://login.example.test:8443/login"


@functools.lru_cache(maxsize=None)
def public_suffixes():
    """The Public Suffix List the extension is built with (build/grccp_build/public_suffixes.py)."""
    from grccp.core.public_suffixes import PublicSuffixList
    from grccp_build.public_suffixes import rules_text
    return PublicSuffixList(rules_text())


def example(name):
    return load_json(os.path.join(EXAMPLES_DIR, name + ".json"))


def make_config(**overrides):
    """A legacy DR configuration (a pre-ACGR example) with `overrides`."""
    from grccp.core.config import parse_config
    obj = example("legacy-dr-minimal")
    obj.update(overrides)
    return parse_config(obj)


def make_acgr_config(**overrides):
    """An ACGR configuration (the minimal example) with `overrides`."""
    from grccp.core.config import parse_config
    obj = example("minimal")
    obj.update(overrides)
    return parse_config(obj)


def snapshot_data(state_name="Available", state_type="routable", contacts=(), acw=False):
    """agent::update data as the platform layer hands it over (Dates already ISO strings)."""
    return {
        "snapshot": {
            "state": {"agentStateARN": None, "name": "AfterCallWork" if acw else state_name,
                      "type": "system" if acw else state_type, "startTimestamp": "2026-01-01T10:00:05.000Z"},
            "agentAvailabilityState": {"state": "Available", "timeStamp": "2026-01-01T09:00:00.000Z"},
            "nextState": None,
            "snapshotTimestamp": "2026-01-01T10:00:05.000Z",
            "localTimestamp": 1767261605000,
            "skew": 0,
            "contacts": [
                {"contactId": contact_id, "initialContactId": contact_id, "type": contact_type,
                 "state": {"type": state, "timestamp": 1767261605000},
                 "queue": {"queueARN": "arn:aws:connect:us-east-1:111122223333:instance/aaaa/queue/q1"},
                 "attributes": {}, "connections": []}
                for contact_id, contact_type, state in contacts
            ],
        },
        "configuration": {
            "name": "Agent One", "username": "agent1",
            "routingProfile": {
                "queues": [{"queueARN": "arn:aws:connect:us-east-1:111122223333:instance/aaaa/queue/agent/agent-1"}],
            },
        },
    }
