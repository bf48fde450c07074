"""Ad Manager: ad zones, related-link inserts and article layouts for news publishers."""

from pathlib import Path

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

from ad_manager import config as settings
from ad_manager.extensions import babel, csrf, db, htmx, limiter, login_manager, migrate
from ad_manager.web_request import AppRequest

PROJECT_DIR = Path(__file__).resolve().parent.parent


def create_app(config: dict | None = None) -> Flask:
    """Build the app: configuration, extensions, blueprints, error handlers, commands.

    ``config`` overrides settings (tests pass their database URL here). Nothing here
    touches the network or the database schema: ``flask --app app setup`` does that.
    """
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=str(PROJECT_DIR / "templates"),
        static_folder=str(PROJECT_DIR / "static"),
    )
    app.request_class = AppRequest
    configure(app, config)
    register_extensions(app)
    register_blueprints(app)
    serve_readers_directly(app)
    trust_proxies(app)  # outermost: the lane and Flask both see the reader's address
    register_errorhandlers(app)
    register_commands(app)
    return app


def configure(app: Flask, overrides: dict | None) -> None:
    """Load settings from the environment, then the caller's overrides."""
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.from_mapping(settings.load_config(app.instance_path))
    app.config.from_mapping(overrides or {})
    settings.finish_config(app.config, app.instance_path)


def trust_proxies(app: Flask) -> None:
    """Read the client address and scheme from the proxies we were told to trust.

    Rate limits and bot exclusion by IP range need the reader's address, not the load
    balancer's.
    """
    hops = int(app.config.get("PROXY_HOPS") or 0)
    if hops > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    """Turn on WAL and foreign keys on every SQLite connection."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        # With WAL, NORMAL survives any crash of the app; only a power cut may drop the
        # last commits. Full syncs on every commit halved the counting throughput.
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()


def register_extensions(app: Flask) -> None:
    """Bind the unbound extension instances of ``extensions.py`` to this app."""
    from ad_manager.i18n import select_locale, translation_directories
    from ad_manager.models.base import render_migration_item

    if not event.contains(Engine, "connect", _sqlite_pragmas):
        event.listen(Engine, "connect", _sqlite_pragmas)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(__file__).parent / "migrations"),
                     render_as_batch=True, compare_type=True, render_item=render_migration_item)
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None
    htmx.init_app(app)
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", ";".join(translation_directories()))
    babel.init_app(app, locale_selector=select_locale)
    limiter.init_app(app)
    staff_wing_only(app, limiter._check_request_limit)


def staff_wing_only(app: Flask, hook) -> None:
    """Run an extension's before-request ``hook`` for the staff wing only.

    Flask-Limiter checks its app-wide limits before every request; we set none (the
    sign-in limit is the view's own decorator, and the public wing counts its own
    limits in ``serving.rate_limits``), so on the serving wing's hot path the check
    would only cost time: about a quarter of a bare route's.
    """
    from flask import request

    from ad_manager.wings import PUBLIC_BLUEPRINTS

    hooks = app.before_request_funcs.setdefault(None, [])
    position = hooks.index(hook)

    def staff_hook():
        if request.blueprint in PUBLIC_BLUEPRINTS:
            return None
        return hook()

    hooks[position] = staff_hook


def register_blueprints(app: Flask) -> None:
    """Register the staff areas and the public wing; add security headers.

    The public wing (serving, tracking, media, demo pages, client report) never saves a session:
    the session interface only opens one for staff blueprints.
    """
    from ad_manager.auth.views import bp as auth_bp
    from ad_manager.dashboard import BLUEPRINTS
    from ad_manager.dashboard.templating import register_template_context
    from ad_manager.demo.pages import bp as demo_bp
    from ad_manager.input_guards import IdConverter, refuse_unreadable_form_input
    from ad_manager.security_headers import add_security_headers
    from ad_manager.serving.blueprint import bp as serving_bp
    from ad_manager.serving.client_report import bp as client_report_bp
    from ad_manager.serving.media import bp as media_bp
    from ad_manager.serving.sessions import StaffOnlySessionInterface
    from ad_manager.serving.tracking import bp as tracking_bp

    app.session_interface = StaffOnlySessionInterface()
    app.url_map.converters["int"] = IdConverter
    for blueprint in (serving_bp, tracking_bp, media_bp, demo_bp, client_report_bp):
        app.register_blueprint(blueprint)
    csrf.exempt(tracking_bp)  # tokens, not cookies, vouch for events: nothing to forge
    app.register_blueprint(auth_bp)
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    app.before_request(refuse_unreadable_form_input)
    app.after_request(add_security_headers)
    register_template_context(app)


def register_errorhandlers(app: Flask) -> None:
    from ad_manager.errors import register_errorhandlers as register

    register(app)


def serve_readers_directly(app: Flask) -> None:
    """Answer decisions, events and clicks by the serving lane, before Flask's dispatch."""
    from ad_manager.serving.lane import serve_readers_directly as install

    install(app)


def register_commands(app: Flask) -> None:
    from ad_manager.cli import COMMANDS

    for command in COMMANDS:
        app.cli.add_command(command)
