"""LogShipper: a tab's log lines go to the background in batches, one per task, every FLUSH_MS; a hidden tab
sends all at once; a tab that is left sends what it holds; dropped frame messages are reported."""
import pytest

from core_testdata import EAST, WEST
from fake_effects import FakeTimers
from grccp.core import logs
from grccp.core.log_shipping import FLUSH_MS, SEND_SIZE, LogShipper


class World:
    def __init__(self, hidden=False):
        self.timers = FakeTimers()
        self.hidden = hidden
        self.sent = []  # (region, entries, the task that sent them)
        self.shipper = LogShipper((EAST, WEST), "tab-1", self.send, self.timers.now_ms, self.timers.call_later,
                                  lambda: self.hidden)

    def send(self, region, entries):
        self.sent.append((region, entries, self.timers.tasks))


def relayed(text, logger="worker"):
    return logs.parse_relayed_entry({"level": "INFO", "text": text, "loggerId": logger})


@pytest.fixture
def world():
    world = World()
    world.shipper.start()
    return world


def test_lines_go_in_one_batch_per_region_every_flush(world):
    world.shipper.agent_resource_id[EAST] = "agent-1"
    world.shipper.log(EAST, "INFO", "own line")
    world.shipper.take_relayed(EAST, relayed("from the worker"), 5)
    world.shipper.take_relayed(WEST, relayed("west"), 6)
    world.timers.advance(FLUSH_MS - 1)
    assert world.sent == []
    world.timers.advance(1)
    assert [(region, [e["text"] for e in entries]) for region, entries, _ in world.sent] == [
        (EAST, ["own line", "from the worker"]), (WEST, ["west"])]
    assert world.sent[0][1][0]["agentResourceId"] == "agent-1" and world.sent[0][1][0]["loggerId"] == "tab-1"
    assert world.sent[0][2] != world.sent[1][2]  # each batch in a task of its own


def test_own_lines_coming_back_are_dropped(world):
    world.shipper.take_relayed(EAST, relayed("echo", logger="tab-1"), 5)
    world.timers.advance(FLUSH_MS)
    assert world.sent == []


def test_a_flood_is_cut_into_batches_sent_one_per_task(world):
    for index in range(SEND_SIZE * 2 + 1):
        world.shipper.take_relayed(EAST, relayed(f"line {index}"), index)
    world.timers.advance(FLUSH_MS)
    assert [len(entries) for _, entries, _ in world.sent] == [SEND_SIZE, SEND_SIZE, 1]
    assert len({task for _, _, task in world.sent}) == 3 and world.timers.now == FLUSH_MS  # zero-delay tasks
    assert [entries[0]["text"] for _, entries, _ in world.sent] == ["line 0", f"line {SEND_SIZE}",
                                                                     f"line {SEND_SIZE * 2}"]


def test_a_hidden_tab_sends_its_batches_in_one_go():
    world = World(hidden=True)
    world.shipper.start()
    for index in range(SEND_SIZE + 1):
        world.shipper.take_relayed(EAST, relayed(f"line {index}"), index)
    world.timers.advance(FLUSH_MS)
    assert [len(entries) for _, entries, _ in world.sent] == [SEND_SIZE, 1]
    assert world.sent[0][2] == world.sent[1][2] and 0 not in world.timers.delays  # one task


def test_a_tab_that_is_left_sends_everything_at_once(world):
    world.shipper.log(WEST, "INFO", "last words")
    world.shipper.leave()
    assert [(region, entries[0]["text"]) for region, entries, _ in world.sent] == [(WEST, "last words")]


def test_a_visible_tab_that_is_left_sends_every_batch_in_the_same_task(world):
    """A tab left by navigation may still be visible when it is left: no later task of its runs."""
    world.shipper.count_drop("a message came from a window that is not a CCP frame")
    for index in range(SEND_SIZE + 1):
        world.shipper.take_relayed(EAST, relayed(f"line {index}"), index)
    world.shipper.leave()
    assert [(region, len(entries)) for region, entries, _ in world.sent] == [(EAST, SEND_SIZE), (EAST, 2), (WEST, 1)]
    assert len({task for _, _, task in world.sent}) == 1


def test_dropped_messages_are_reported_once_in_every_region(world):
    world.shipper.count_drop("a message came from a window that is not a CCP frame")
    world.shipper.count_drop("a message came from a window that is not a CCP frame")
    world.timers.advance(FLUSH_MS)
    texts = {region: [e["text"] for e in entries] for region, entries, _ in world.sent}
    assert texts == {region: ["dropped messages: 2× a message came from a window that is not a CCP frame"]
                     for region in (EAST, WEST)}
    world.timers.advance(FLUSH_MS)
    assert len(world.sent) == 2
