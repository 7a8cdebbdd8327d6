import pytest

from grccp.core.report_queue import ReportQueue

from fake_effects import FakeRender as Tasks  # callbacks queued until the test runs them: the page's message queue


def test_work_waits_for_a_task_of_its_own_and_runs_in_order():
    tasks, done = Tasks(), []
    queue = ReportQueue(tasks.after_render)
    queue.add(lambda: done.append(1))
    queue.add(lambda: done.append(2))
    assert done == [] and len(tasks.waiting) == 1  # one task for everything queued meanwhile
    tasks.render()
    assert done == [1, 2] and tasks.waiting == []


def test_flush_runs_it_now_and_the_task_then_finds_nothing():
    tasks, done = Tasks(), []
    queue = ReportQueue(tasks.after_render)
    queue.add(lambda: done.append(1))
    queue.flush()
    assert done == [1]
    tasks.render()
    assert done == [1]
    queue.add(lambda: done.append(2))
    tasks.render()
    assert done == [1, 2]


def test_work_added_while_running_runs_after_it_in_the_same_task():
    tasks, done = Tasks(), []
    queue = ReportQueue(tasks.after_render)
    queue.add(lambda: (done.append(1), queue.add(lambda: done.append(3))))
    queue.add(lambda: done.append(2))
    tasks.render()
    assert done == [1, 2, 3] and tasks.waiting == []


def test_work_that_raises_leaves_the_rest_for_the_next_task():
    tasks, done = Tasks(), []
    queue = ReportQueue(tasks.after_render)

    def broken():
        raise RuntimeError("a bug")
    queue.add(lambda: done.append(1))
    queue.add(broken)
    queue.add(lambda: done.append(2))
    with pytest.raises(RuntimeError):
        tasks.render()
    assert done == [1]
    tasks.render()
    assert done == [1, 2]


def test_held_work_waits_for_the_release_then_runs_in_order_in_one_task():
    tasks, done = Tasks(), []
    queue = ReportQueue(tasks.after_render, held_until=["start"])
    queue.add(lambda: done.append(1))
    queue.add(lambda: done.append(2))
    assert tasks.waiting == []
    queue.release()
    assert done == [] and len(tasks.waiting) == 1
    tasks.render()
    assert done == [1, 2]
    queue.release()  # again: nothing held, nothing scheduled
    queue.add(lambda: done.append(3))
    assert len(tasks.waiting) == 1
    tasks.render()
    assert done == [1, 2, 3]


def test_a_flush_runs_held_work_now_and_later_work_still_waits_for_the_release():
    tasks, done = Tasks(), []
    queue = ReportQueue(tasks.after_render, held_until=["start"])
    queue.add(lambda: done.append(1))
    queue.flush()  # the page is being left
    assert done == [1] and tasks.waiting == []
    queue.add(lambda: done.append(2))
    assert tasks.waiting == []
    queue.release()
    tasks.render()
    assert done == [1, 2]


def test_releasing_with_nothing_held_schedules_nothing():
    tasks = Tasks()
    queue = ReportQueue(tasks.after_render, held_until=["start"])
    queue.release()
    assert tasks.waiting == []


def test_work_held_until_steps_waits_for_every_one_of_them_once():
    tasks, done = Tasks(), []
    queue = ReportQueue(tasks.after_render, held_until=[("east", "handshake"), ("west", "handshake"),
                                                          ("east", "announced"), ("west", "announced")])
    queue.add(lambda: done.append(1))
    for step in [("east", "handshake"), ("west", "handshake"), ("east", "announced"), ("east", "announced")]:
        queue.done(step)
        assert tasks.waiting == []  # a step done twice is not another step
    queue.done(("west", "announced"))
    assert len(tasks.waiting) == 1
    tasks.render()
    assert done == [1]
    queue.done(("west", "announced"))  # after the release: changes nothing
    queue.add(lambda: done.append(2))
    assert len(tasks.waiting) == 1


def test_a_step_no_one_waits_for_releases_nothing_and_a_release_ends_the_wait_for_the_rest():
    tasks, done = Tasks(), []
    queue = ReportQueue(tasks.after_render, held_until=["handshake"])
    queue.add(lambda: done.append(1))
    queue.done("announced")
    assert tasks.waiting == []
    queue.release()  # the longest hold passed
    tasks.render()
    assert done == [1]
    queue.done("handshake")
    assert tasks.waiting == []


def test_work_held_until_no_step_is_not_held():
    tasks, done = Tasks(), []
    queue = ReportQueue(tasks.after_render, held_until=[])
    queue.add(lambda: done.append(1))
    tasks.render()
    assert done == [1]
