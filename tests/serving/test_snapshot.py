"""The in-memory inventory snapshot: what it holds, and how fast edits reach it."""

import threading
import time
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

from ad_manager.delivery.link_choice import normalise_url
from ad_manager.delivery.snapshot import Snapshot
from ad_manager.delivery.snapshot_build import build_snapshot
from ad_manager.delivery.snapshot_holder import SnapshotHolder
from ad_manager.extensions import db
from ad_manager.models import Advertiser, Article, Campaign, CampaignChange, Creative
from ad_manager.models.version import (
    CAMPAIGN_CHANGES_KEPT,
    current_inventory_version,
    current_versions,
    prune_campaign_changes,
    record_campaign_changes,
)
from ad_manager.serving import snapshot_loader
from ad_manager.serving.snapshot_loader import current_snapshot, holder, load_snapshot
from tests.factories import banner_pair, make_campaign, make_inventory


def test_snapshot_holds_the_sites_layout_zones_campaigns_and_articles(app):
    things = make_inventory()
    snapshot = load_snapshot(current_inventory_version(db.session.connection()))
    site = snapshot.site("journal")
    assert site.site.allowed_origins == ("https://www.journal.example", "http://127.0.0.1:*")
    [layout] = site.layouts
    assert [p.kind for p in layout.placements] == ["zone", "insert", "insert", "zone"]
    assert layout.placements[0].zone.size_map[1] == {"min_width": 768, "sizes": ["728x90"]}
    assert layout.placements[1].insert.rule.rules == ("section",)
    [campaign] = site.campaigns_by_zone[things["top"].id].campaigns
    assert campaign.id == things["campaign"].id
    assert {(c.width, c.height) for c in campaign.creatives} == {(728, 90), (320, 100)}
    assert things["column"].id not in site.campaigns_by_zone
    assert len(site.articles) == 4
    assert layout.campaign_ids == {things["campaign"].id}


def test_finished_paused_and_archived_campaigns_are_left_out(app):
    things = make_inventory()
    now = datetime.now(UTC)
    make_campaign([things["top"]], name="finie", creatives=banner_pair(),
                  starts_at=now - timedelta(days=9),
                  ends_at=now - timedelta(days=1))
    make_campaign([things["top"]], name="en pause", state="paused", creatives=banner_pair())
    make_campaign([things["top"]], name="archivée", archived_at=now,
                  creatives=banner_pair())
    upcoming = make_campaign([things["top"]], name="à venir",
                             starts_at=now + timedelta(days=2), creatives=banner_pair())
    make_campaign([things["top"]], name="sans créa", creatives=[
        Creative(kind="text", headline="x", click_url="https://x.example/", active=False),
        Creative(kind="image", width=728, height=90, click_url="https://x.example/"),
        Creative(kind="html", width=728, height=90, html="", click_url="https://x.example/")])
    db.session.commit()
    site = load_snapshot(1).site("journal")
    ids = {c.id for c in site.campaigns_by_zone[things["top"].id].campaigns}
    assert ids == {things["campaign"].id, upcoming.id}


def test_every_inventory_write_bumps_the_version_and_article_writes_the_catalogs(app):
    def version():
        return current_versions(db.session.connection())

    things = make_inventory()
    before, catalog, campaigns = version()
    assert before > 0
    things["top"].label = "Annonce"
    db.session.commit()
    assert version() == (before + 1, catalog, campaigns)
    things["campaign"].weight = 5
    db.session.commit()
    assert version() == (before + 1, catalog, campaigns + 1)  # the campaigns alone are read
    things["articles"][0].title = "Nouveau titre"
    db.session.commit()
    assert version() == (before + 1, catalog + 1, campaigns + 1)  # the articles alone too
    db.session.delete(things["articles"][1])
    db.session.commit()
    assert version() == (before + 2, catalog + 1, campaigns + 1)  # a deletion rebuilds
    db.session.rollback()
    assert version() == (before + 2, catalog + 1, campaigns + 1)  # nothing written, no bump
    assert current_inventory_version(db.session.connection()) == before + 2


def logged() -> dict[int, set[int]]:
    """Give the campaigns' change log: the campaign ids of each version."""
    found: dict[int, set[int]] = {}
    for version, campaign_id in db.session.execute(
            db.select(CampaignChange.version, CampaignChange.campaign_id)):
        found.setdefault(version, set()).add(campaign_id)
    return found


def test_each_move_of_the_campaigns_counter_logs_the_campaigns_it_changed(app):
    things = make_inventory()
    campaign = things["campaign"]
    other = make_campaign([things["column"]], name="Autre", creatives=banner_pair())
    start = current_versions(db.session.connection())[2]
    assert logged()[start] == {other.id}  # its creation
    creative = other.creatives[0]
    campaign.weight = 3
    creative.active = False  # a creative counts as its campaign's change
    db.session.commit()
    assert logged()[start + 1] == {campaign.id, other.id}
    campaign.zones.append(things["column"])  # a booking too
    db.session.flush()
    campaign.name = "Renommée"  # a second flush in the same transaction: its own version
    db.session.commit()
    assert logged()[start + 2] == {campaign.id}
    assert logged()[start + 3] == {campaign.id}
    campaign.weight = 9
    db.session.flush()
    db.session.rollback()  # rolled back: neither the counter nor the log moved
    things["articles"][0].title = "Autre titre"  # articles are not campaigns
    db.session.commit()
    assert current_versions(db.session.connection())[2] == start + 3
    assert max(logged()) == start + 3
    # Every value the counter took has its campaigns logged.
    assert set(logged()) == set(range(1, start + 4))


def test_campaign_changes_commit_in_the_order_of_their_versions(app):
    """A writer waits for the one before it to commit before it takes the next value:
    a reader that sees a value of the campaigns' counter sees every change logged up
    to it (the row lock on PostgreSQL, the single writer on SQLite)."""
    engine = db.engine
    start = current_versions(db.session.connection())[2]
    db.session.commit()
    second_done = threading.Event()

    def second_writer():
        with engine.begin() as connection:
            record_campaign_changes(connection, [102])
        second_done.set()

    with engine.connect() as first:
        first.begin()
        assert record_campaign_changes(first, [101]) == start + 1
        writer = threading.Thread(target=second_writer)
        writer.start()
        try:
            assert not second_done.wait(0.5), "the second writer did not wait for the first"
            with engine.connect() as reader:
                assert current_versions(reader)[2] == start
            first.commit()
        finally:
            writer.join(10)
    assert second_done.is_set()
    assert current_versions(db.session.connection())[2] == start + 2
    assert logged() == {start + 1: {101}, start + 2: {102}}


def test_dashboard_edit_reaches_the_snapshot_at_the_next_check(app):
    app.config["SNAPSHOT_CHECK_SECONDS"] = 0
    things = make_inventory()
    first = current_snapshot()
    assert first.site("journal").campaigns_by_zone[things["top"].id].campaigns[0].weight == 1
    assert current_snapshot() is first  # nothing changed: the same snapshot, no rebuild
    things["campaign"].weight = 7
    db.session.commit()
    second = current_snapshot()
    assert second is not first
    assert second.site("journal").campaigns_by_zone[things["top"].id].campaigns[0].weight == 7


def test_edit_reaches_serving_within_two_seconds_by_the_real_clock(app, client):
    app.config["SNAPSHOT_CHECK_SECONDS"] = 1.0
    things = make_inventory()
    query = "/serve?site=journal&layout=article&vw=1280"
    assert client.get(query).json["placements"][0]["ad"]["type"] == "image"
    things["campaign"].state = "paused"
    db.session.commit()
    edited = time.monotonic()
    while client.get(query).json["placements"][0]["ad"]["type"] != "house":
        assert time.monotonic() - edited < 2.0, "the edit did not reach serving in 2 s"
        time.sleep(0.05)


def test_version_is_read_at_most_once_per_check_interval():
    clock = [100.0]
    reads = []
    version = [1]

    def read_version():
        reads.append(clock[0])
        return version[0]

    holder = SnapshotHolder(lambda v, _previous: Snapshot(version=v), read_version,
                            check_seconds=1.0,
                            clock=lambda: clock[0])
    assert holder.get().version == 1
    version[0] = 2
    clock[0] = 100.9
    assert holder.get().version == 1  # within the second: no look at the database
    assert reads == [100.0]
    clock[0] = 101.0
    assert holder.get().version == 2  # an edit reaches readers within 1 s (+ build time)
    assert reads == [100.0, 101.0]


def test_after_a_long_build_the_holder_rests_before_the_next_one():
    """A build sharing the worker with readers: edits every second on an inventory that
    takes 3 s to build leave the process building a third of its time, not always."""
    clock = [0.0]
    version = [1]

    def slow_load(v, _previous):
        clock[0] += 3.0
        return Snapshot(version=v)

    holder = SnapshotHolder(slow_load, lambda: version[0], check_seconds=1.0,
                            clock=lambda: clock[0])
    holder.get()
    version[0] = 2
    clock[0] = 4.0
    assert holder.get().version == 2  # built from 4 s to 7 s
    version[0] = 3
    clock[0] = 12.9
    assert holder.get().version == 2  # resting: 2 × 3 s after the build
    clock[0] = 13.0
    assert holder.get().version == 3


def test_failed_refresh_keeps_serving_the_last_snapshot():
    clock = [0.0]
    failing = [False]

    def read_version():
        if failing[0]:
            raise OSError("database unreachable")
        return 1

    holder = SnapshotHolder(lambda v, _previous: Snapshot(version=v), read_version,
                            check_seconds=1.0,
                            clock=lambda: clock[0])
    first = holder.get()
    failing[0] = True
    clock[0] = 5.0
    assert holder.get() is first
    clock[0] = 5.5
    assert holder.get() is first  # and it does not retry before the next interval


def test_holder_is_one_per_app(app):
    assert holder() is holder()


def test_a_new_article_joins_the_snapshot_without_a_rebuild(app):
    app.config["SNAPSHOT_CHECK_SECONDS"] = 0
    things = make_inventory()
    first = current_snapshot()
    site = things["site"]
    db.session.add(Article(site_id=site.id, url="https://www.journal.example/politique/neuf",
                           title="Tout neuf", section="politique",
                           published_at=datetime.now(UTC)))
    things["articles"][0].status = "hidden"
    db.session.commit()
    second = current_snapshot()
    journal, before = second.site("journal"), first.site("journal")
    assert journal.campaigns_by_zone is before.campaigns_by_zone  # shared, not rebuilt
    assert journal.layouts is before.layouts
    assert journal.articles.newest[0].title == "Tout neuf"
    assert things["articles"][0].id not in journal.articles.by_id
    assert len(journal.articles) == len(before.articles)
    assert journal.known_articles[normalise_url(
        "https://www.journal.example/politique/neuf")].title == "Tout neuf"
    rebuilt = load_snapshot(current_versions(db.session.connection())).site("journal")
    assert journal.articles == rebuilt.articles  # the same index as a full read


def test_background_refresher_brings_edits_without_a_request_waiting(app, client):
    app.config.update(SNAPSHOT_REFRESH="background", SNAPSHOT_CHECK_SECONDS=0.1)
    things = make_inventory()
    try:
        first = current_snapshot()
        things["campaign"].weight = 9
        db.session.commit()
        deadline = time.monotonic() + 5
        while holder()._snapshot is first:  # no request asks: the thread rebuilds
            assert time.monotonic() < deadline, "the refresher did not rebuild in 5 s"
            time.sleep(0.05)
        [campaign] = current_snapshot().site("journal").campaigns_by_zone[
            things["top"].id].campaigns
        assert campaign.weight == 9
    finally:
        holder().stop()


def test_delivery_figures_are_refreshed_and_kept_when_the_store_fails():
    clock = [0.0]
    figures = [{7: (1, 1)}]

    def load_delivered(campaign_ids):
        if figures[0] is None:
            raise OSError("redis unreachable")
        return figures[0]

    holder = SnapshotHolder(lambda v, _previous: Snapshot(version=v), lambda: 1,
                            load_delivered=load_delivered, check_seconds=1.0,
                            delivered_seconds=5.0, clock=lambda: clock[0])
    holder.get()
    assert holder.delivered == {7: (1, 1)}
    figures[0] = {7: (2, 2)}
    clock[0] = 4.0
    holder.get()
    assert holder.delivered == {7: (1, 1)}  # not before 5 s
    clock[0] = 5.0
    holder.get()
    assert holder.delivered == {7: (2, 2)}
    figures[0] = None
    clock[0] = 11.0
    assert holder.get().version == 1
    assert holder.delivered == {7: (2, 2)}  # the last known figures


def test_a_new_snapshot_reads_the_figures_of_its_new_campaigns_only():
    """An edit a second must not re-read 10,000 campaigns' figures every second: the
    campaigns the new snapshot adds are read alone, the others at the next full read."""
    clock = [0.0]
    held = {1: frozenset({7})}
    reread = {}
    version = [1]
    asked = []

    def load_delivered(campaign_ids):
        asked.append(sorted(campaign_ids))
        return {cid: (cid * 10 + len(asked), 0) for cid in campaign_ids}

    holder = SnapshotHolder(
        lambda v, _previous: SimpleNamespace(version=v, campaign_ids=held[v],
                                             campaigns_reread=reread.get(v, frozenset())),
        lambda: version[0], load_delivered=load_delivered, check_seconds=1.0,
        delivered_seconds=5.0, clock=lambda: clock[0])
    holder.get()
    assert asked == [[7]] and holder.delivered == {7: (71, 0)}
    held[2], version[0], clock[0] = frozenset({7, 8}), 2, 1.0  # campaign 8 sold
    holder.get()
    assert asked == [[7], [8]]
    assert holder.delivered == {7: (71, 0), 8: (82, 0)}
    held[3], version[0], clock[0] = frozenset({8}), 3, 2.0  # 7 paused: nothing to read
    holder.get()
    assert asked == [[7], [8]]
    clock[0] = 5.0  # the full read, for the campaigns the snapshot holds
    holder.get()
    assert asked == [[7], [8], [8]] and holder.delivered == {8: (83, 0)}
    # 8 edited (its goal may count clicks now): read again; a whole build reads all.
    held[4], reread[4], version[0], clock[0] = frozenset({8, 9}), frozenset({8}), 4, 6.0
    holder.get()
    assert asked[-1] == [8, 9]
    held[5], reread[5], version[0], clock[0] = frozenset({8, 9}), None, 5, 7.0
    holder.get()
    assert asked[-1] == [8, 9] and len(asked) == 5


def test_figures_of_new_campaigns_that_cannot_be_read_are_read_with_all_later():
    clock = [0.0]
    version = [1]
    fail = [False]
    asked = []

    def load_delivered(campaign_ids):
        if fail[0]:
            raise OSError("database unreachable")
        asked.append(sorted(campaign_ids))
        return dict.fromkeys(campaign_ids, (1, 1))

    holder = SnapshotHolder(
        lambda v, _previous: SimpleNamespace(version=v, campaign_ids=frozenset(range(v)),
                                             campaigns_reread=frozenset()),
        lambda: version[0], load_delivered=load_delivered, check_seconds=1.0,
        delivered_seconds=5.0, clock=lambda: clock[0])
    holder.get()
    fail[0], version[0], clock[0] = True, 3, 1.0
    assert holder.get().version == 3  # the new snapshot serves, with the figures known
    assert holder.delivered == {0: (1, 1)}
    fail[0], clock[0] = False, 5.5
    holder.get()  # tried with all at once (failed too), then after the usual wait
    assert asked == [[0]]
    clock[0] = 6.0
    holder.get()
    assert asked == [[0], [0, 1, 2]]
    assert holder.delivered == dict.fromkeys(range(3), (1, 1))


def bookings(snapshot: Snapshot) -> dict:
    """Give every site's bookings as comparable values: campaigns by zone and insert
    (order within a tier aside), and each layout's campaigns."""
    found = {}
    for key, site in snapshot.sites.items():
        for kind, booked in (("zone", site.campaigns_by_zone),
                             ("insert", site.campaigns_by_insert)):
            for target, entry in booked.items():
                found[(key, kind, target)] = sorted(
                    (tier_rank, campaign.id, campaign.weight, campaign.state,
                     tuple(c.id for c in campaign.creatives))
                    for tier_rank, tier in enumerate(entry.tiers) for campaign in tier)
        for layout in site.layouts:
            found[(key, "layout", layout.id)] = sorted(layout.campaign_ids)
    return found


def test_campaign_edits_are_read_alone_and_equal_a_full_rebuild(app, monkeypatch):
    """A sales team's day: a weight changed, a campaign booked into another zone, a
    creative added, one paused, a campaign paused, one archived, a new one sold. Each
    reaches the snapshot by reading that campaign only, and the result is what a whole
    rebuild gives."""
    things = make_inventory()
    campaign = things["campaign"]
    other = make_campaign([things["top"], things["column"]], name="Autre",
                          creatives=banner_pair())
    db.session.commit()
    snapshot = load_snapshot(current_versions(db.session.connection()))
    read, rebuilds = reading(monkeypatch)

    def edit(change) -> list[int]:
        """Make the change, load the snapshot from the last one; give the ids read."""
        nonlocal snapshot
        change()
        db.session.commit()
        version = current_versions(db.session.connection())
        read.clear()
        snapshot = load_snapshot(version, snapshot)
        [ids] = read
        assert snapshot.version == version
        assert rebuilds == [], "a campaign edit rebuilt the whole snapshot"
        whole = load_snapshot(version)
        rebuilds.clear()
        assert bookings(snapshot) == bookings(whole)
        return ids

    assert edit(lambda: setattr(campaign, "weight", 4)) == [campaign.id]
    assert edit(lambda: campaign.zones.append(things["column"])) == [campaign.id]
    assert edit(lambda: campaign.creatives.append(
        Creative(kind="image", width=300, height=250, image_file="carre.png",
                 click_url="https://librairie.example/"))) == [campaign.id]
    assert edit(lambda: setattr(campaign.creatives[0], "active", False)) == [campaign.id]
    assert edit(lambda: setattr(other, "state", "paused")) == [other.id]  # it leaves
    assert [c.id for c in snapshot.site("journal").campaigns_by_zone[
        things["top"].id].campaigns] == [campaign.id]
    assert edit(lambda: setattr(campaign, "archived_at", datetime.now(UTC))) == [campaign.id]
    assert things["top"].id not in snapshot.site("journal").campaigns_by_zone
    new = []
    assert edit(lambda: new.append(make_campaign([things["top"]], name="Nouvelle",
                                                 creatives=banner_pair()))) == [new[0].id]
    assert len(snapshot.site("journal").campaigns_by_zone[things["top"].id].campaigns) == 1


def reading(monkeypatch) -> tuple[list, list]:
    """Count what ``load_snapshot`` reads: the ids of the campaigns it reads (by each
    ``campaign_rows`` call) and its whole rebuilds."""
    read, rebuilds = [], []

    def campaign_rows(live):
        found = snapshot_loader_campaign_rows(live)
        read.append(sorted(campaign.id for campaign in found))
        return found

    snapshot_loader_campaign_rows = snapshot_loader.campaign_rows
    monkeypatch.setattr(snapshot_loader, "campaign_rows", campaign_rows)
    monkeypatch.setattr(snapshot_loader, "build_snapshot",
                        lambda *a, **k: rebuilds.append(1) or build_snapshot(*a, **k))
    return read, rebuilds


def bulk_campaigns(zone, count: int) -> list[Campaign]:
    """``count`` live campaigns booked into ``zone``, written just now in one flush."""
    now = datetime.now(UTC)
    advertiser = Advertiser(name="Importé")
    campaigns = [Campaign(advertiser=advertiser, name=f"Import {n}", state="active",
                          starts_at=now - timedelta(days=1), ends_at=now + timedelta(days=30),
                          weight=1 + n % 5, zones=[zone], creatives=banner_pair())
                 for n in range(count)]
    db.session.add_all(campaigns)
    db.session.commit()
    return campaigns


def test_an_edit_right_after_a_bulk_import_reads_that_campaign_alone(app, monkeypatch):
    """Campaigns written a moment ago are not read again at the next edit: the process
    reads the campaigns logged since its snapshot's counter, whatever the clocks say."""
    things = make_inventory()
    imported = bulk_campaigns(things["top"], 300)
    snapshot = load_snapshot(current_versions(db.session.connection()))
    read, rebuilds = reading(monkeypatch)
    imported[7].weight = 9
    db.session.commit()
    version = current_versions(db.session.connection())
    snapshot = load_snapshot(version, snapshot)
    assert read == [[imported[7].id]]  # one campaign's rows, not 300
    assert rebuilds == []
    assert snapshot.version == version
    assert bookings(snapshot) == bookings(load_snapshot(version))
    weights = {c.id: c.weight for c in snapshot.site("journal").campaigns_by_zone[
        things["top"].id].campaigns}
    assert len(weights) == 301 and weights[imported[7].id] == 9


def test_a_snapshot_older_than_the_kept_change_log_is_rebuilt(app, monkeypatch):
    things = make_inventory()
    other = make_campaign([things["top"]], name="Autre", creatives=banner_pair())
    behind = load_snapshot(current_versions(db.session.connection()))
    things["campaign"].weight = 4
    db.session.commit()
    current = load_snapshot(current_versions(db.session.connection()), behind)
    # A day later the rollup job prunes the log; one more edit comes after.
    later = datetime.now(UTC) + CAMPAIGN_CHANGES_KEPT + timedelta(minutes=1)
    assert prune_campaign_changes(db.session.connection(), later) > 0
    db.session.commit()
    assert logged() == {}
    other.weight = 2
    db.session.commit()
    version = current_versions(db.session.connection())
    read, rebuilds = reading(monkeypatch)
    # The process that saw the pruned change reads the one edit since.
    up_to_date = load_snapshot(version, current)
    assert (read, rebuilds) == ([[other.id]], [])
    # The one whose snapshot is older than every change kept cannot: it rebuilds.
    read.clear()
    rebuilt = load_snapshot(version, behind)
    assert rebuilds == [1]
    whole = load_snapshot(version)
    assert bookings(rebuilt) == bookings(whole) == bookings(up_to_date)
    assert {c.id: c.weight for c in rebuilt.site("journal").campaigns_by_zone[
        things["top"].id].campaigns} == {things["campaign"].id: 4, other.id: 2}
