"""A reader's address, never stored: a keyed hash of it, salted by the day and truncated.

Rate limits and the "one address" anomaly need to tell readers apart; we keep no IP
address. ``reader_key`` is an HMAC of the address with the app's secret key and the
UTC day, so the same reader gives a different key tomorrow, and it is cut short: at
anomaly length (24 bits) every key stands for hundreds of IPv4 addresses, so a key
can't be turned back into the address even by whoever holds the secret.
"""

import hashlib
import hmac
from collections.abc import Mapping
from datetime import date

from flask import current_app
from sqlalchemy.dialects import postgresql, sqlite

from ad_manager.extensions import db
from ad_manager.models.stats import ReaderDaily

# Hex digits kept for figures kept for days.
STORED_KEY_DIGITS = 6


def reader_key(remote_addr: str | None, day: date, digits: int = STORED_KEY_DIGITS) -> str:
    """Give the day's truncated keyed hash of a reader's address."""
    secret = str(current_app.config["SECRET_KEY"]).encode()
    message = f"{day.isoformat()}|{remote_addr or ''}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()[:digits]


# A reader row's key: (site, placement, campaign, creative, reader key), 0 where one
# does not apply; its measures: rendered and clicks.
ReaderDims = tuple[int, int, int, int, str]
READER_MEASURES = ("rendered", "clicks")
_upserts: dict = {}


def _upsert(dialect: str):
    if dialect not in _upserts:
        table = ReaderDaily.__table__
        insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)
        _upserts[dialect] = insert.on_conflict_do_update(
            index_elements=["day", "site_id", "placement_id", "campaign_id", "creative_id",
                            "reader"],
            set_={m: table.c[m] + insert.excluded[m] for m in READER_MEASURES})
    return _upserts[dialect]


def write_reader_counts(day: date, counts: Mapping[ReaderDims, Mapping[str, int]]) -> None:
    """Add readers' counts of ``day`` to the database, in the caller's transaction."""
    rows = [{"day": day, "site_id": dims[0], "placement_id": dims[1], "campaign_id": dims[2],
             "creative_id": dims[3], "reader": dims[4],
             **{m: int(counts[dims].get(m, 0) or 0) for m in READER_MEASURES}}
            for dims in sorted(counts)]
    rows = [row for row in rows if any(row[m] for m in READER_MEASURES)]
    if rows:
        db.session.execute(_upsert(db.session.get_bind().dialect.name), rows)
