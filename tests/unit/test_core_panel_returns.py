"""A tab's panel taken out of the page's document: put back, but not for ever; the popup's warning."""
from grccp.core import panel_returns as pr


def test_the_panel_comes_back_until_the_page_removed_it_too_often_too_fast():
    returns = pr.PanelReturns()
    now = 1000
    for _ in range(pr.RETURN_LIMIT):
        assert returns.may_return(now)
        returns.returned(now)
        now += 1000
    assert not returns.may_return(now) and returns.gave_up and returns.count == pr.RETURN_LIMIT
    assert not returns.may_return(now + pr.RETURN_WINDOW_MS * 10)  # given up for good


def test_returns_spread_over_time_never_give_up():
    returns = pr.PanelReturns()
    for index in range(3 * pr.RETURN_LIMIT):
        now = index * (pr.RETURN_WINDOW_MS // (pr.RETURN_LIMIT - 1))
        assert returns.may_return(now)
        returns.returned(now)
    assert not returns.gave_up and returns.count == 3 * pr.RETURN_LIMIT


def test_warning_texts():
    assert pr.warning_text(1, False).startswith("A page removed the CCP panel once: it was put back")
    assert "a call in progress drops" in pr.warning_text(3, False) and "3 times" in pr.warning_text(3, False)
    assert pr.warning_text(5, True).startswith("A page keeps removing the CCP panel: it was put back 5 times and is"
                                               " not any more")
