"""The daily digest: each salesperson gets their campaigns' alerts by e-mail, once a day.

A campaign's alerts go to its salesperson; those of a campaign with nobody (or
someone no longer active) go to every active admin. Each person's digest is in
their language (their account's, else the dashboard's default). Sending is
recorded in ``alert_digest_sent`` with the day, in the same transaction: a second
run the same day sends nothing, and a digest the server refused is sent by the
next run.
"""

import contextlib
import smtplib
from collections import defaultdict
from datetime import datetime

from flask import current_app
from flask_babel import force_locale, format_date
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ad_manager.alerts import mail
from ad_manager.alerts.rules import KINDS, Alert, current_alerts
from ad_manager.alerts.wording import headings, sentence
from ad_manager.extensions import db
from ad_manager.models import DigestSent, Role, User
from ad_manager.stats.reports import zone_of


def recipients(alerts: list[Alert]) -> dict[User, list[Alert]]:
    """Give each staff member the alerts of their campaigns."""
    found: dict[User, list[Alert]] = defaultdict(list)
    admins = None
    for alert in alerts:
        seller = alert.campaign.salesperson
        if seller is not None and seller.active:
            found[seller].append(alert)
            continue
        if admins is None:
            admins = list(db.session.scalars(select(User).where(
                User.active.is_(True), User.role == Role.ADMIN.value).order_by(User.id)))
        for admin in admins:
            found[admin].append(alert)
    return found


def compose(user: User, alerts: list[Alert], day) -> tuple[str, str]:
    """Give the subject and text of ``user``'s digest, in the current locale."""
    base = (current_app.config.get("BASE_URL") or "").rstrip("/")
    groups = []
    for kind in KINDS:
        lines = [(a.campaign, sentence(a)) for a in alerts if a.kind == kind]
        if lines:
            groups.append((headings()[kind], lines))
    subject = _("Ad Manager: %(n)s delivery alert(s) on %(date)s", n=len(alerts),
                date=format_date(day, "medium"))
    # Not render_template: the dashboard's template context needs a request, a cron job has none.
    text = current_app.jinja_env.get_template("alerts/digest.txt").render(
        user=user, groups=groups, base=base, date=format_date(day, "full"))
    return subject, text


def send_digests(now: datetime) -> list[tuple[str, str]]:
    """Send today's digests not sent yet; give (e-mail address, what happened) for each."""
    day = now.astimezone(zone_of(current_app.config.get("BABEL_DEFAULT_TIMEZONE"))).date()
    done = []
    found = recipients(current_alerts(now))
    if not found:
        return done
    server = None
    try:
        for user, alerts in sorted(found.items(), key=lambda item: item[0].id):
            if db.session.scalar(select(DigestSent.id).where(DigestSent.user_id == user.id,
                                                            DigestSent.day == day)):
                done.append((user.email, "already sent"))
                continue
            db.session.add(DigestSent(user_id=user.id, day=day, alerts=len(alerts)))
            try:
                db.session.flush()
            except IntegrityError:  # another run is sending it right now
                db.session.rollback()
                done.append((user.email, "already sent"))
                continue
            locale = user.language or current_app.config.get("BABEL_DEFAULT_LOCALE", "fr")
            with force_locale(locale):
                subject, text = compose(user, alerts, day)
            try:
                server = server or mail.connect()
                server.send_message(mail.message(user.email, subject, text))
            except (smtplib.SMTPException, OSError) as error:
                db.session.rollback()
                done.append((user.email, f"not sent: {error}"))
                continue
            db.session.commit()
            done.append((user.email, f"sent {len(alerts)} alert(s)"))
    finally:
        if server is not None:
            with contextlib.suppress(smtplib.SMTPException, OSError):
                server.quit()
    return done
