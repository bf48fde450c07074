"""The decisions' per-process rate limit counts in fixed windows, as ``limits`` would."""

from limits import parse

from ad_manager.serving.rate_limits import LocalWindows


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_a_window_allows_its_amount_then_refuses_until_it_ends():
    clock = Clock()
    windows = LocalWindows(clock)
    limit = parse("3 per minute")
    assert [windows.hit(limit, "adm:", "serve", "reader-a") for _ in range(4)] == [
        True, True, True, False]
    assert windows.hit(limit, "adm:", "serve", "reader-b")  # another reader: own window
    clock.now += 59
    assert not windows.hit(limit, "adm:", "serve", "reader-a")
    clock.now += 1  # the window began at the first hit and lasts a minute
    assert windows.hit(limit, "adm:", "serve", "reader-a")


def test_ended_windows_are_dropped():
    clock = Clock()
    windows = LocalWindows(clock)
    limit = parse("1 per second")
    for reader in range(100):
        windows.hit(limit, "adm:", "serve", str(reader))
    clock.now += 5
    windows.hit(limit, "adm:", "serve", "last")
    assert len(windows._windows) == 1  # the last reader's alone
    assert not windows.hit(limit, "adm:", "serve", "last")


def test_limits_of_different_lengths_keep_their_own_windows():
    clock = Clock()
    windows = LocalWindows(clock)
    per_second, per_hour = parse("1 per second"), parse("2 per hour")
    assert windows.hit(per_second, "r") and windows.hit(per_hour, "r")
    clock.now += 2  # sweeps the per-second window, keeps the hour's
    assert windows.hit(per_second, "r") and windows.hit(per_hour, "r")
    clock.now += 2
    assert windows.hit(per_second, "r") and not windows.hit(per_hour, "r")
