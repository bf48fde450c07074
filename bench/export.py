"""Measure the streamed CSV export on a year of hourly counters for 100 creatives.

    /work/venv/bin/python bench/export.py [--database-url URL]

It fills ``stats_hourly`` with 8,760 hours × 100 creatives (876,000 rows) in a
fresh database (a temporary SQLite file by default; give an empty PostgreSQL
database's URL to measure that), then reads the whole export line by line and
prints the lines, the time, and the peak Python memory allocated meanwhile (which
must stay flat: the rows come from a server-side cursor, a chunk at a time).
"""

import argparse
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

HOURS, CREATIVES = 8760, 100


def fill(db, HourlyStat) -> None:
    start = datetime(2025, 11, 25, tzinfo=UTC)
    rows = []
    connection = db.session.connection()
    for hour_number in range(HOURS):
        hour = start + timedelta(hours=hour_number)
        for creative in range(CREATIVES):
            rows.append({"hour": hour, "site_id": 1, "layout_id": 1,
                         "placement_id": 1 + creative % 3, "zone_id": 1 + creative % 3,
                         "insert_id": 0, "campaign_id": 1 + creative // 4,
                         "creative_id": 1 + creative, "article_id": 0, "served": 10,
                         "rendered": 9, "viewable": 5, "clicks": 1, "filtered": 0})
        if len(rows) >= 20_000:
            connection.execute(HourlyStat.__table__.insert(), rows)
            rows = []
    if rows:
        connection.execute(HourlyStat.__table__.insert(), rows)
    db.session.commit()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    from ad_manager import create_app
    from ad_manager.extensions import db
    from ad_manager.models import HourlyStat
    from ad_manager.stats.export import csv_lines
    from ad_manager.stats.reports import Period

    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{folder}/bench.sqlite3"
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
        with app.app_context():
            db.create_all()
            started = time.perf_counter()
            fill(db, HourlyStat)
            elapsed = time.perf_counter() - started
            print(f"filled {HOURS * CREATIVES:,} hourly rows in {elapsed:.1f} s")
            tracemalloc.start()
            started, lines, size = time.perf_counter(), 0, 0
            for line in csv_lines(Period(start=date(2025, 11, 25), end=date(2026, 11, 24))):
                lines += 1
                size += len(line)
            peak = tracemalloc.get_traced_memory()[1]
            print(f"export: {lines:,} CSV lines ({size / 1e6:.1f} MB) in "
                  f"{time.perf_counter() - started:.1f} s, peak Python allocation "
                  f"{peak / 1e6:.1f} MB")
            db.session.remove()
            db.drop_all()
            db.engine.dispose()


if __name__ == "__main__":
    main()
