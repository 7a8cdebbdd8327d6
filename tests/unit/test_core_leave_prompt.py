"""core.leave_prompt: a tab asks before its page is left only when the configuration says so and a contact is in
progress or a failover pending."""
import pytest

from grccp.core.config import parse_config
from grccp.core.leave_prompt import asks_before_leaving

from core_testdata import example

NO_CONTACT = {"blockingContacts": [], "otherContactCount": 0}
ON_A_CALL = {"blockingContacts": [{"contactId": "c-1", "type": "voice"}], "otherContactCount": 0}
ON_A_CHAT = {"blockingContacts": [], "otherContactCount": 1}
ON = {"askBeforeLeaving": True}
OFF = {"askBeforeLeaving": False}


@pytest.mark.parametrize("summaries, pending_target, asks", [
    ([NO_CONTACT, NO_CONTACT], None, False),
    ([ON_A_CALL, NO_CONTACT], None, True),
    ([NO_CONTACT, ON_A_CHAT], None, True),          # a contact in either region, of any type
    ([NO_CONTACT, NO_CONTACT], "us-west-2", True),  # a pending failover waits for a contact this tab may not see
    ([], None, False),                              # no CCP has said anything yet
])
def test_asks_while_a_contact_is_in_progress_or_a_failover_pending(summaries, pending_target, asks):
    assert asks_before_leaving(ON, summaries, pending_target) is asks


def test_never_asks_unless_the_configuration_says_so():
    assert asks_before_leaving(OFF, [ON_A_CALL], "us-west-2") is False


def test_the_option_is_off_by_default_and_kept_by_a_round_trip():
    config = parse_config(example("minimal"))
    assert config.outage == {"askBeforeLeaving": False, "notifications": False, "keepAgentState": False,
                             "manualFailover": False}
    on = parse_config(dict(example("minimal"), outage={"askBeforeLeaving": True}))
    assert parse_config(on.to_dict()).outage == {"askBeforeLeaving": True, "notifications": False,
                                                 "keepAgentState": False, "manualFailover": False}
