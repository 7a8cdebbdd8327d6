"""Outbox: a switch's bookkeeping after the render, everything in order behind it, the held failover-detected
report first. (Behaviour the benchmark's switch_ms depends on: README, "switch".)"""
import pytest

from fake_effects import FakeRender, FakeTimers
from grccp.core.outbox import HOLD_MS, Outbox


class World:
    def __init__(self, hidden=False):
        self.timers = FakeTimers()
        self.frames = FakeRender()
        self.hidden = hidden
        self.out = []  # ("post", region, message) and ("send", message), in the order they left
        self.outbox = Outbox(lambda region, message: self.out.append(("post", region, message)),
                             self.send, self.frames.after_render,
                             self.timers.call_later, self.timers.cancel, lambda: self.hidden)


    def send(self, message, on_reply=None):
        self.out.append(("send", message) if on_reply is None else ("logs", message, on_reply))


@pytest.fixture
def world():
    return World()


def test_without_a_switch_everything_goes_at_once(world):
    world.outbox.post("A", "p1")
    world.outbox.send("s1")
    assert world.out == [("post", "A", "p1"), ("send", "s1")]


def test_a_switchs_work_runs_once_rendered_and_later_messages_queue_behind_it(world):
    world.outbox.after_switch(lambda: world.out.append(("work",)))
    world.outbox.post("A", "p1")
    world.outbox.send("s1")
    assert world.out == []
    world.frames.render()
    assert world.out == [("work",), ("post", "A", "p1"), ("send", "s1")]
    world.outbox.send("s2")
    assert world.out[-1] == ("send", "s2")  # nothing queued any more: at once


def test_messages_sent_by_the_switchs_work_keep_their_place(world):
    def work():
        world.outbox.post("B", "activate")
        world.outbox.send("complete")
    world.outbox.after_switch(work)
    world.outbox.send("earlier")
    world.frames.render()
    assert world.out == [("post", "B", "activate"), ("send", "complete"), ("send", "earlier")]


def test_the_held_report_goes_first_once_the_switch_is_rendered(world):
    world.outbox.hold("detected")
    world.timers.advance(HOLD_MS - 1)
    assert world.out == []
    world.outbox.after_switch(lambda: world.outbox.send("complete"))
    world.timers.advance(HOLD_MS)  # its timer was cancelled: it goes with the switch
    assert world.out == []
    world.frames.render()
    assert world.out == [("send", "detected"), ("send", "complete")]


def test_a_held_report_goes_after_its_time_or_before_any_other_send(world):
    world.outbox.hold("detected")
    world.timers.advance(HOLD_MS)
    assert world.out == [("send", "detected")]
    world.outbox.hold("detected again")
    world.outbox.send("health")
    assert world.out[1:] == [("send", "detected again"), ("send", "health")]
    world.outbox.hold("third")
    world.outbox.release_held()  # the page is being left
    assert world.out[-1] == ("send", "third")
    world.timers.advance(HOLD_MS)
    assert len(world.out) == 4


def test_a_hidden_tab_holds_nothing_and_waits_for_no_render():
    world = World(hidden=True)
    world.outbox.hold("detected")
    world.outbox.after_switch(lambda: world.outbox.send("complete"))
    assert world.out == [("send", "detected"), ("send", "complete")] and world.frames.waiting == []


def test_a_later_switch_supersedes_the_earlier_render_wait(world):
    world.outbox.after_switch(lambda: world.out.append(("first",)))
    world.outbox.after_switch(lambda: world.out.append(("second",)))
    assert len(world.frames.waiting) == 2
    world.frames.render()
    assert world.out == [("first",), ("second",)]


def test_work_that_raises_does_not_stop_the_rest(world):
    def broken():
        raise RuntimeError("boom")
    world.outbox.after_switch(broken)
    world.outbox.send("after")
    with pytest.raises(RuntimeError):
        world.frames.render()
    world.frames.render()
    assert world.out == [("send", "after")]


def test_a_log_batch_waits_behind_a_switch_and_releases_no_held_report(world):
    world.outbox.hold("detected")
    answer = lambda reply, error: None  # noqa: E731
    world.outbox.send_logs("batch 1", answer)
    assert world.out == [("logs", "batch 1", answer)]  # the report stays held: log lines are no state
    world.outbox.after_switch(lambda: world.outbox.send("complete"))
    world.outbox.send_logs("batch 2", answer)
    assert world.out == [("logs", "batch 1", answer)]
    world.frames.render()
    assert world.out[1:] == [("send", "detected"), ("send", "complete"), ("logs", "batch 2", answer)]
