"""The served-counts journal: each decision's served counts are one line of its
process's file, added to the counters once, whatever dies or fails in between."""

import os
import signal
import subprocess
import sys
import textwrap
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.exc import OperationalError

from ad_manager.extensions import db
from ad_manager.models import JournalMark
from ad_manager.stats import journal as journal_module
from ad_manager.stats import served_journal
from ad_manager.stats.journal import Journal, database_fingerprint
from ad_manager.stats.served_journal import SERVED, journal
from tests.factories import make_inventory, totals
from tests.serving.conftest import READER

QUERY = "/serve?site=journal&layout=article&vw=1280"  # one ad per page view (no links)


def files(app) -> list[Path]:
    return sorted(Path(app.config["COUNTS_JOURNAL_DIR"]).glob("*.counts"))


def written(path: Path) -> bytes:
    """Give what a process wrote into its file: zeros follow it while it is mapped."""
    return path.read_bytes().split(b"\0", 1)[0]


def test_a_decision_writes_its_served_counts_to_the_journal_and_they_are_added_once(
        app, client):
    make_inventory()
    for _ in range(3):
        assert client.get(QUERY, headers=READER).status_code == 200
    assert totals()[0] == 3
    [own] = files(app)
    assert own.stat().st_size == journal_module.ROTATE_BYTES  # its map's size, given at once
    assert len(written(own).splitlines()) == 3
    assert db.session.get(JournalMark, own.name).position == len(written(own))
    assert journal().fold() == 0  # nothing new: nothing added twice
    assert totals()[0] == 3


def test_the_page_keeps_its_ads_while_the_database_refuses_the_counts_and_none_is_lost(
        app, client, monkeypatch):
    make_inventory()
    assert client.get(QUERY, headers=READER).status_code == 200

    def locked(*args, **kwargs):
        raise OperationalError("INSERT INTO stats_hourly", {}, Exception("database is locked"))

    monkeypatch.setattr(served_journal, "add_counts", locked)
    for _ in range(2):
        response = client.get(QUERY, headers=READER)
        assert response.status_code == 200
        assert response.json["placements"][0]["ad"]["type"] == "image"
    assert totals()[0] == 1
    monkeypatch.undo()  # the database takes writes again: the next fold adds the two
    assert client.get(QUERY, headers=READER).status_code == 200
    assert totals()[0] == 4


def test_bots_served_counts_are_journaled_as_filtered_with_their_reason(app, client):
    make_inventory()
    assert client.get(QUERY, headers={**READER, "User-Agent": "curl/8.5"}).status_code == 200
    row = db.session.execute(sa.text(
        "SELECT sum(served), sum(filtered), sum(filtered_bot) FROM stats_hourly")).one()
    assert tuple(row) == (0, 1, 1)


WRITER = textwrap.dedent("""
    import os, sys, time
    from datetime import UTC, datetime
    from pathlib import Path
    from ad_manager.stats.journal import Journal
    from ad_manager.stats.served_journal import SERVED
    journal = Journal(Path(sys.argv[1]), sys.argv[2], SERVED)
    hour = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    for n in range(5):
        journal.append({(hour, (int(sys.argv[3]), 0, 0, 0, 0, 0, 0, 0)): {"served": 2}})
    journal._write(b'[[1,[')  # killed in the middle of writing a line
    print("written", flush=True)
    time.sleep(60)
""")


def test_a_killed_process_journal_is_added_by_the_next_fold_then_deleted(app):
    """A worker SIGKILLed keeps its answered decisions' counts: its file's lock goes with
    it, and any other process's fold adds the file (but the unfinished last line)."""
    folder = Path(app.config["COUNTS_JOURNAL_DIR"])
    fingerprint = database_fingerprint(app.config["SQLALCHEMY_DATABASE_URI"])
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(folder), fingerprint, "7"],
                              stdout=subprocess.PIPE, text=True,
                              cwd=Path(__file__).resolve().parents[2])
    try:
        assert writer.stdout.readline().strip() == "written"
        assert journal().fold() == 0  # alive and holding its file: not ours to add
        assert totals()[0] == 0
    finally:
        writer.send_signal(signal.SIGKILL)
        writer.wait()
    assert journal().fold() == 5
    assert totals()[0] == 10
    assert files(app) == []
    assert db.session.scalar(sa.select(sa.func.count()).select_from(JournalMark)) == 0
    assert journal().fold() == 0
    assert totals()[0] == 10


def test_a_file_folded_halfway_goes_on_from_its_mark(app):
    """The mark moves with the counts: a fold that stopped after a step (a process that
    died, a database that failed) goes on where it stopped, adding nothing twice."""
    from datetime import UTC, datetime

    hour = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    fingerprint = database_fingerprint(app.config["SQLALCHEMY_DATABASE_URI"])
    other = Journal(Path(app.config["COUNTS_JOURNAL_DIR"]), fingerprint, SERVED)
    for _ in range(4):
        other.append({(hour, (1, 0, 0, 0, 0, 0, 0, 0)): {"served": 1}})
    assert other.fold() == 4
    for _ in range(3):
        other.append({(hour, (1, 0, 0, 0, 0, 0, 0, 0)): {"served": 1}})
    other.close()  # as if its process had gone: another journal finishes it
    assert journal().fold() == 3
    assert totals()[0] == 7


def test_identical_lines_are_added_as_often_as_written_and_a_torn_one_is_skipped(app):
    """Decisions that showed the same things write the same line: the fold reads it once
    and adds it as often as it was written; an unreadable line costs only itself."""
    from datetime import UTC, datetime

    hour = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    fingerprint = database_fingerprint(app.config["SQLALCHEMY_DATABASE_URI"])
    other = Journal(Path(app.config["COUNTS_JOURNAL_DIR"]), fingerprint, SERVED)
    for n in range(7):
        other.append({(hour, (1, 0, 0, 0, 0, 0, 0, 0)): {"served": 1},
                      (hour, (1, 0, 2, 0, 0, 0, 0, 0)): {"served": n % 2 + 1}})
    other._write(b'[[1,"not a line"\n')
    other.append({(hour, (1, 0, 0, 0, 0, 0, 0, 0)): {"filtered": 1, "filtered_bot": 1}})
    assert other.fold() == 9
    served = db.session.execute(sa.text(
        "SELECT placement_id, sum(served), sum(filtered), sum(filtered_bot) "
        "FROM stats_hourly GROUP BY placement_id ORDER BY placement_id")).all()
    assert [tuple(row) for row in served] == [(0, 7, 1, 1), (2, 4 * 1 + 3 * 2, 0, 0)]


def test_files_of_another_database_are_left_alone(app):
    from datetime import UTC, datetime

    hour = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    stranger = Journal(Path(app.config["COUNTS_JOURNAL_DIR"]),
                       database_fingerprint("sqlite:////elsewhere/other.sqlite3"), SERVED)
    stranger.append({(hour, (1, 0, 0, 0, 0, 0, 0, 0)): {"served": 1}})
    stranger.close()
    assert journal().fold() == 0
    assert totals()[0] == 0
    assert len(files(app)) == 1


def test_a_process_starts_a_new_file_past_the_size_limit_and_the_old_one_is_deleted(
        app, client, monkeypatch):
    monkeypatch.setattr(journal_module, "ROTATE_BYTES", 100)  # two lines a file
    make_inventory()
    for _ in range(6):
        assert client.get(QUERY, headers=READER).status_code == 200
    assert totals()[0] == 6
    remaining = files(app)
    assert len(remaining) == 1  # the current one; those it filled were added and deleted
    assert journal()._sequence > 1
    assert os.path.basename(remaining[0]).endswith(f"-{journal()._sequence}.counts")


def test_a_journal_folder_that_cannot_be_written_costs_the_page_nothing(app, client, tmp_path):
    """A misconfigured folder (here a file stands where it should be) or a full disk:
    the decision answers and its served counts go straight to the database."""
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("")
    app.config["COUNTS_JOURNAL_DIR"] = str(blocked / "journal")
    app.extensions.pop("ad_manager.counts_journal", None)
    make_inventory()
    for _ in range(2):
        response = client.get(QUERY, headers=READER)
        assert response.status_code == 200
        assert response.json["placements"][0]["ad"]["type"] == "image"
    assert totals()[0] == 2


def test_a_journal_file_that_cannot_be_opened_costs_the_page_nothing_either(
        app, client, monkeypatch):
    make_inventory()

    def refused(*args, **kwargs):
        raise PermissionError("permission denied")

    monkeypatch.setattr(journal_module.os, "open", refused)
    for _ in range(2):
        assert client.get(QUERY, headers=READER).status_code == 200
    monkeypatch.undo()
    assert client.get(QUERY, headers=READER).status_code == 200  # the journal works again
    assert totals()[0] == 3
    assert len(files(app)) == 1


def test_a_rotated_file_stays_its_process_until_that_process_folds(app, monkeypatch):
    """Its own fold may be reading it as its live file: another process's fold would
    read the same mark and add the same lines."""
    monkeypatch.setattr(journal_module, "ROTATE_BYTES", 100)  # two lines a file
    hour = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    fingerprint = database_fingerprint(app.config["SQLALCHEMY_DATABASE_URI"])
    own = Journal(Path(app.config["COUNTS_JOURNAL_DIR"]), fingerprint, SERVED)
    other = Journal(Path(app.config["COUNTS_JOURNAL_DIR"]), fingerprint, SERVED)
    for _ in range(3):
        own.append({(hour, (1, 0, 0, 0, 0, 0, 0, 0)): {"served": 1}})
    assert len(files(app)) == 2
    assert other.fold() == 0
    assert own.fold() == 3
    assert totals()[0] == 3
    assert len(files(app)) == 1  # the rotated one, added and deleted


def test_a_closed_file_is_cut_to_what_was_written(app):
    hour = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    fingerprint = database_fingerprint(app.config["SQLALCHEMY_DATABASE_URI"])
    other = Journal(Path(app.config["COUNTS_JOURNAL_DIR"]), fingerprint, SERVED)
    for _ in range(2):
        other.append({(hour, (1, 0, 0, 0, 0, 0, 0, 0)): {"served": 1}})
    other.close()
    [path] = files(app)
    assert path.read_bytes().count(b"\n") == 2 and b"\0" not in path.read_bytes()


def test_lines_end_where_the_zeros_of_a_mapped_file_begin(tmp_path):
    """A file still mapped, or left by a killed process, has zeros after what was
    written; a line whose newline was copied before its middle is not complete."""
    from ad_manager.stats.journal import _complete_lines

    path = tmp_path / "lines"
    path.write_bytes(b"first\nsecond\n" + b"\0" * 100)
    with path.open("rb") as file:
        assert _complete_lines(file, 10) == [b"first", b"second"]
    path.write_bytes(b"first\nsec\0nd\n" + b"\0" * 100)
    with path.open("rb") as file:
        assert _complete_lines(file, 10) == [b"first"]


def test_complete_lines_are_read_a_block_at_a_time_and_a_torn_end_is_left(monkeypatch, tmp_path):
    from ad_manager.stats.journal import _complete_lines

    monkeypatch.setattr(journal_module, "READ_BYTES", 8)  # lines longer than a block
    path = tmp_path / "lines"
    path.write_bytes(b"")
    with path.open("rb") as file:
        assert _complete_lines(file, 10) == []
    path.write_bytes(b"first line\nsecond, longer line\nthird\ntorn")
    with path.open("rb") as file:
        assert _complete_lines(file, 10) == [b"first line"]  # a block holds one at most
        file.seek(11)
        assert _complete_lines(file, 10) == [b"second, longer line"]
    monkeypatch.setattr(journal_module, "READ_BYTES", 1024)
    with path.open("rb") as file:
        assert _complete_lines(file, 2) == [b"first line", b"second, longer line"]
        file.seek(37)
        assert _complete_lines(file, 10) == []  # "torn" waits for its newline
