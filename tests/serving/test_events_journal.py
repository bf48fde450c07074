"""The readers' events journal: a page's report is one line of its process's file,
decided (replays, order) and counted once by the fold, in the order it was written."""

from datetime import timedelta
from pathlib import Path

from ad_manager.models.base import utcnow
from ad_manager.stats import events_journal
from ad_manager.stats.counting import Reported
from ad_manager.stats.journal import Journal, database_fingerprint
from tests.factories import banner_shown, event_token, make_world, totals
from tests.serving.conftest import post_events


def files(app) -> list[Path]:
    return sorted(Path(app.config["COUNTS_JOURNAL_DIR"]).glob("*.events"))


def other_process(app) -> Journal:
    """Another process's events journal, in the same folder."""
    return Journal(Path(app.config["COUNTS_JOURNAL_DIR"]),
                   database_fingerprint(app.config["SQLALCHEMY_DATABASE_URI"]),
                   events_journal.EVENTS)


def report(world, view: str, *kinds: str, age: float = 0) -> Reported:
    shown = banner_shown(world, view)
    return Reported(utcnow() - timedelta(seconds=age), world.site.id, None, None,
                    tuple((shown, kind, "abc123" if kind == "rendered" else "")
                          for kind in kinds))


def test_a_batch_is_one_line_without_the_readers_address_counted_once(app, client):
    world = make_world()
    token = event_token(banner_shown(world))
    address = {"REMOTE_ADDR": "198.51.100.77"}
    assert post_events(client, [(token, "rendered"), (token, "viewable")],
                       environ_base=address).status_code == 204
    [own] = files(app)
    [line] = own.read_bytes().split(b"\0", 1)[0].splitlines()
    assert b"198.51.100" not in line
    assert totals() == (0, 1, 1, 0, 0)
    assert events_journal.events_journal().fold() == 0  # nothing added twice
    assert totals() == (0, 1, 1, 0, 0)


def test_a_report_sent_twice_before_a_fold_counts_once_and_is_a_replay_once(app):
    world = make_world()
    other = other_process(app)
    for _ in range(3):
        other.append(report(world, "twice", "rendered", "viewable"))
    assert other.fold() == 3
    assert totals() == (0, 1, 1, 0, 2)  # the second sending's two events: replays, once


def test_a_viewable_waits_for_its_rendered_from_another_process(app):
    """In background mode a viewable whose rendered is not counted yet holds its file's
    fold: the rendered may be in another process's file, folded later."""
    app.config.update(SNAPSHOT_REFRESH="background", EVENTS_ORDER_WAIT_SECONDS=30)
    world = make_world()
    first, second = other_process(app), other_process(app)
    first.append(report(world, "split", "viewable"))
    first.append(report(world, "after", "rendered"))
    assert first.fold() == 0  # waits, and what came after it in the file waits too
    assert totals() == (0, 0, 0, 0, 0)
    second.append(report(world, "split", "rendered"))
    second.close()
    assert first.fold() == 3
    assert totals() == (0, 2, 1, 0, 0)


def test_a_viewable_whose_rendered_never_comes_is_filtered_for_order_after_the_wait(app):
    app.config.update(SNAPSHOT_REFRESH="background", EVENTS_ORDER_WAIT_SECONDS=30)
    world = make_world()
    other = other_process(app)
    other.append(report(world, "alone", "viewable", age=31))
    other.append(report(world, "young", "viewable"))
    assert other.fold() == 1
    assert totals() == (0, 0, 0, 0, 1)
    app.config["EVENTS_ORDER_WAIT_SECONDS"] = 0  # (as if 30 s went by)
    assert other.fold() == 1
    assert totals() == (0, 0, 0, 0, 2)


def test_in_request_mode_order_is_decided_at_once(app):
    world = make_world()
    other = other_process(app)
    other.append(report(world, "alone", "viewable"))
    assert other.fold() == 1
    assert totals() == (0, 0, 0, 0, 1)


def test_an_unreadable_line_costs_only_itself(app):

    world = make_world()
    other = other_process(app)
    other.append(report(world, "before", "rendered"))
    other._write(b'[1, "torn"\n')
    other.append(report(world, "after", "rendered"))
    assert other.fold() == 3
    assert totals() == (0, 2, 0, 0, 0)


def test_after_a_failed_fold_every_report_waits_for_its_rendered(app):
    """After an outage every server has a backlog: a rendered acknowledged elsewhere
    long ago may not be added yet, so nothing is filtered for order right away."""
    import time

    app.config.update(SNAPSHOT_REFRESH="background", EVENTS_ORDER_WAIT_SECONDS=30)
    world = make_world()
    other = other_process(app)
    other.append(report(world, "old", "viewable", age=300))
    other.failed_at = time.time() - 5  # the database came back five seconds ago
    assert other.fold() == 0
    other.failed_at = time.time() - 31
    assert other.fold() == 1
    assert totals() == (0, 0, 0, 0, 1)
