"""Replay keys in the database: remembered once, by concurrent folds without deadlock."""

import threading
from datetime import timedelta

import pytest

from ad_manager.extensions import db
from ad_manager.models.base import utcnow
from ad_manager.stats import replay_keys


def test_a_key_is_a_first_sighting_once(app):
    expires = utcnow() + timedelta(hours=1)
    rows = [{"key": f"{n:064x}", "expires_at": expires, "counted": True} for n in range(3)]
    assert replay_keys.remember(rows[:2]) == {rows[0]["key"], rows[1]["key"]}
    assert replay_keys.remember(rows) == {rows[2]["key"]}
    assert replay_keys.remember([]) == set()


def test_two_folds_remembering_the_same_keys_in_opposite_orders_both_finish(app, database_url):
    """Two servers' folds of one page's batch, sent to each (a resend): the keys are
    locked in one order by both, so one waits for the other instead of a deadlock."""
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite takes one writer at a time: no row locks to order")
    expires = utcnow() + timedelta(hours=1)
    keys = [f"{n:064x}" for n in range(3000)]
    start = threading.Barrier(2)
    first: list[set] = []
    errors: list[Exception] = []

    def fold(order):
        with app.app_context():
            try:
                rows = [{"key": key, "expires_at": expires, "counted": True} for key in order]
                start.wait(timeout=10)
                first.append(replay_keys.remember(rows))
                db.session.commit()
            except Exception as error:  # a deadlock would be one
                errors.append(error)
                db.session.rollback()
            finally:
                db.session.remove()

    threads = [threading.Thread(target=fold, args=(order,)) for order in (keys, keys[::-1])]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert sorted(len(found) for found in first) == [0, 3000]  # one saw them all first
