"""The one place that reads the environment.

Everything the app can be told from outside (secrets, database, Redis, tuning) is
gathered here into a plain dict that ``create_app`` loads; nothing else in the
package looks at ``os.environ``.
"""

import os
import secrets
from pathlib import Path

DEFAULTS = {
    "SQLALCHEMY_TRACK_MODIFICATIONS": False,
    "WTF_CSRF_TIME_LIMIT": None,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    "BABEL_DEFAULT_LOCALE": "fr",
    "BABEL_DEFAULT_TIMEZONE": "Europe/Paris",
    "LANGUAGES": ("fr", "en"),
    # The currency of campaign prices and revenue in reports (ISO 4217 code).
    "CURRENCY": "EUR",
    # A staff session unused for this many minutes ends (auth/sessions.py).
    "SESSION_IDLE_MINUTES": 60,
    # Failed logins allowed per client address before the login form is throttled.
    "LOGIN_THROTTLE": "5 per minute",
    "RATELIMIT_HEADERS_ENABLED": False,
    "REDIS_URL": None,
    "REDIS_PREFIX": "adm:",
    # Count into Redis only if it keeps every change across a restart (appendonly yes).
    "REDIS_REQUIRE_APPENDONLY": True,
    # How long a Redis command may wait before it fails (a stopped Redis never holds a worker).
    "REDIS_TIMEOUT_SECONDS": 1.0,
    # Hourly counters older than this many days are rolled up into daily rows.
    "ROLLUP_AFTER_DAYS": 35,
    "UPLOAD_MAX_BYTES": 300 * 1024,
    # Where uploaded creative images are kept; None means instance/uploads.
    "UPLOAD_FOLDER": None,
    # Reverse proxies in front of the app (load balancer, nginx) whose X-Forwarded-*
    # headers are trusted; 0 when the app faces readers directly.
    "PROXY_HOPS": 0,
    "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
    # How often (seconds) a process checks whether inventory changed and rebuilds
    # its serving snapshot: dashboard edits reach readers within this delay.
    "SNAPSHOT_CHECK_SECONDS": 0.5,
    # Who refreshes the snapshot and delivery figures: "background" (a thread per
    # process, off the request path) or "request" (the request that finds it due).
    "SNAPSHOT_REFRESH": "background",
    # How often (seconds) each process re-reads campaigns' delivery (goals, daily caps).
    "DELIVERED_REFRESH_SECONDS": 5.0,
    # Where each process journals the served counts of its decisions, and what pages
    # report (events, clicks), before adding them to the database (stats/journal.py,
    # stats/events_journal.py): a folder on this server's own disk, kept across
    # restarts; None means instance/counts-journal.
    "COUNTS_JOURNAL_DIR": None,
    # How long (seconds) a journalled viewable or click whose rendered is not counted
    # yet waits for it (it may be in another process's or server's journal) before it
    # is filtered for "order"; counted from the database's return after an outage.
    "EVENTS_ORDER_WAIT_SECONDS": 30,
    # How often (seconds) each process adds its journal to the counters (background mode).
    # Every 5 s, not every second: a fold adds one row per distinct thing served, so with
    # a thousand campaigns in a page's zones a fold a second cost a tenth of the decisions.
    "COUNTS_FOLD_SECONDS": 5.0,
    # True: a zone shows only the largest size among a campaign's fitting creatives
    # (an image beats a text ad); False: every fitting creative shares by its weight.
    "PREFER_LARGEST_CREATIVE": False,
    # New articles one site may discover per hour from the pages that load the embed:
    # a flood of made-up URLs stops there instead of filling the catalogue.
    "DISCOVERY_PER_HOUR": 200,
    # Ports an address staff type (feed, sitemap, article to preview) may name
    # (outbound.py), comma-separated.
    "FETCH_PORTS": "80,443",
    # Tests only (honoured when TESTING is on): loopback "host:port" pairs of local
    # test servers that may be fetched. Never set it elsewhere.
    "FETCH_TEST_ADDRESSES": (),
    # Rate limits of readers' requests (serving/rate_limits.py): past them a request is
    # answered but counts nothing (filtered as "rate"). Empty turns one off. Readers
    # behind one address (an office, a mobile carrier) share its limits.
    "RATE_LIMIT_SERVE_PER_READER": "120 per minute",  # per app process (in memory)
    "RATE_LIMIT_EVENTS_PER_READER": "240 per minute",
    "RATE_LIMIT_EVENTS_PER_VIEW": "30 per minute",
    "RATE_LIMIT_CLICKS_PER_READER": "30 per minute",
    "RATE_LIMIT_CLICKS_PER_VIEW": "5 per minute",
    # Delivery alerts (home page, daily digest): a live campaign this share behind its
    # expected delivery; one ending within this many days below its goal; a creative
    # pages had no place for in this share of its last 24 hours' deliveries.
    "ALERT_BEHIND_SHARE": 0.10,
    "ALERT_ENDING_DAYS": 3,
    "ALERT_NOT_PLACED_SHARE": 0.10,
    # The dashboard's address, for links in e-mails (e.g. "https://ads.example.fr").
    "BASE_URL": "",
    # SMTP for the daily alert digest, read from MAIL_* variables; no server, no e-mail.
    "MAIL_SERVER": None,
    "MAIL_PORT": 587,
    "MAIL_USERNAME": "",
    "MAIL_PASSWORD": "",
    "MAIL_USE_TLS": True,
    "MAIL_FROM": "",
}

# Read from the environment under their own names (the usual ones of mail settings).
MAIL_SETTINGS = ("MAIL_SERVER", "MAIL_PORT", "MAIL_USERNAME", "MAIL_PASSWORD", "MAIL_USE_TLS",
                 "MAIL_FROM")


def _env_bool(value: str) -> bool:
    """Read a boolean the way people write one in a shell."""
    return value.strip().lower() in {"1", "true", "yes", "on"}


def sqlite_url(instance_path: str) -> str:
    """Give the URL of the embedded SQLite database under ``instance/``."""
    return "sqlite:///" + str(Path(instance_path) / "ad_manager.sqlite3")


def instance_secret_key(instance_path: str) -> str:
    """Return the secret key kept in ``instance/``, creating it on first use.

    Keeping it on disk means sessions survive a restart of a server that was given
    no ``SECRET_KEY``.
    """
    path = Path(instance_path) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def load_config(instance_path: str, environ=None) -> dict:
    """Build the configuration from defaults and the environment.

    ``SECRET_KEY``, ``DATABASE_URL``, ``REDIS_URL`` and ``MAIL_*`` are read as they are; any
    ``AD_MANAGER_NAME=value`` becomes the setting ``NAME`` (numbers and booleans
    converted when the default is one).
    """
    env = os.environ if environ is None else environ
    config = dict(DEFAULTS)
    for name, value in env.items():
        if not name.startswith("AD_MANAGER_"):
            continue
        key = name.removeprefix("AD_MANAGER_")
        default = config.get(key)
        if isinstance(default, bool):
            config[key] = _env_bool(value)
        elif isinstance(default, float):
            config[key] = float(value)
        elif isinstance(default, int):
            config[key] = int(value)
        else:
            config[key] = value
    for key in MAIL_SETTINGS:
        if env.get(key):
            value = env[key]
            config[key] = (_env_bool(value) if key == "MAIL_USE_TLS"
                           else int(value) if key == "MAIL_PORT" else value)
    config["SECRET_KEY"] = env.get("SECRET_KEY") or None
    # Keys SECRET_KEY replaced, comma-separated: what they signed (sessions, forms,
    # tokens) is still accepted, nothing new is signed with them (README, "Rotating
    # the secret key").
    config["SECRET_KEY_FALLBACKS"] = [
        key.strip() for key in env.get("SECRET_KEY_FALLBACKS", "").split(",") if key.strip()]
    config["SQLALCHEMY_DATABASE_URI"] = env.get("DATABASE_URL") or sqlite_url(instance_path)
    if env.get("REDIS_URL"):
        config["REDIS_URL"] = env["REDIS_URL"]
    if _env_bool(env.get("AD_MANAGER_HTTPS", "")):
        config["SESSION_COOKIE_SECURE"] = True
        config["REMEMBER_COOKIE_SECURE"] = True
    return config


def finish_config(config: dict, instance_path: str) -> dict:
    """Fill what depends on other settings once overrides are in."""
    if not config.get("SECRET_KEY"):
        config["SECRET_KEY"] = instance_secret_key(instance_path)
    fallbacks = list(config.get("SECRET_KEY_FALLBACKS") or [])
    if fallbacks and not config.get("WTF_CSRF_SECRET_KEY"):
        # Flask checks sessions against the fallbacks itself; a form's signed CSRF
        # token is checked against the same keys (itsdangerous signs with the last).
        config["WTF_CSRF_SECRET_KEY"] = [*fallbacks, config["SECRET_KEY"]]
    url = config["SQLALCHEMY_DATABASE_URI"]
    if url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgres://")
    elif url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    config["SQLALCHEMY_DATABASE_URI"] = url
    if not config.get("UPLOAD_FOLDER"):
        config["UPLOAD_FOLDER"] = str(Path(instance_path) / "uploads")
    config.setdefault("RATELIMIT_STORAGE_URI", config.get("REDIS_URL") or "memory://")
    if config["RATELIMIT_STORAGE_URI"].startswith("redis"):
        seconds = float(config["REDIS_TIMEOUT_SECONDS"])
        config.setdefault("RATELIMIT_STORAGE_OPTIONS", {
            "socket_timeout": seconds, "socket_connect_timeout": seconds})
    return config
