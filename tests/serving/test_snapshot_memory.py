"""A whole snapshot is taken out of the cycle collector's way (``gc.freeze``): that is
safe only because nothing in it refers back to itself, so a replaced snapshot is
freed by reference counting alone."""

import gc
import weakref

from ad_manager.extensions import db
from ad_manager.models.version import current_versions
from ad_manager.serving import snapshot_loader
from ad_manager.serving.snapshot_loader import load_snapshot
from tests.factories import make_inventory


def test_a_replaced_snapshot_is_freed_without_the_cycle_collector(app, monkeypatch):
    things = make_inventory()
    monkeypatch.setattr(snapshot_loader, "settled", lambda snapshot: snapshot)
    version = current_versions(db.session.connection())
    gc.collect()
    gc.disable()
    try:
        snapshot = load_snapshot(version)
        site = snapshot.site("journal")
        [layout] = site.layouts
        booked = site.campaigns_by_zone[things["top"].id]
        parts = [snapshot, site, site.site, layout, layout.placements[0],
                 layout.placements[1].insert, booked, booked.campaigns[0],
                 booked.campaigns[0].creatives[0], site.articles, site.articles.newest[0]]
        watched = [weakref.ref(part) for part in parts]
        del snapshot, site, layout, booked, parts
        alive = [ref() for ref in watched if ref() is not None]
    finally:
        gc.enable()
    assert alive == []


def test_a_server_process_freezes_what_it_holds_after_a_whole_build(app):
    make_inventory()
    app.config["SNAPSHOT_REFRESH"] = "background"
    gc.unfreeze()
    try:
        load_snapshot(current_versions(db.session.connection()))
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
