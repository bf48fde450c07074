"""Delivery alerts: which campaigns raise one, and the daily digest e-mailed to each
salesperson in their language through a real SMTP server (aiosmtpd), once a day."""

import email
import socket
from datetime import UTC, datetime, timedelta
from email import policy

import pytest
from aiosmtpd.controller import Controller

from ad_manager.alerts.rules import current_alerts
from ad_manager.extensions import db
from ad_manager.models import DigestSent
from ad_manager.stats.counters import add_counts
from tests.factories import image_creative, make_campaign, make_site, make_zone


class Inbox:
    """What the SMTP server received, as parsed messages."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


@pytest.fixture
def inbox(app):
    """A local SMTP server on a free port, and the app's mail settings pointing at it."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    found = Inbox()
    controller = Controller(found, hostname="127.0.0.1", port=port)
    controller.start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_USE_TLS=False,
                      MAIL_FROM="alertes@journal.example", BASE_URL="https://ads.example.fr")
    yield found
    controller.stop()


def count(site, zone, campaign, creative_id=0, hours_ago=1, **measures):
    """Add counts of the campaign in the zone an hour ago (or ``hours_ago``)."""
    hour = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    add_counts(hour - timedelta(hours=hours_ago),
               {(site.id, 0, 0, zone.id, 0, campaign.id, creative_id, 0): measures})
    db.session.commit()


def world(staff):
    """Behind (sales), ending below goal (an English admin's), refused and flagged (nobody's)."""
    site = make_site()
    zone = make_zone(site)
    behind = make_campaign([zone], name="Boulangerie Martin", days=(-10, 10),
                           goal_impressions=1000, salesperson_id=staff["sales"].id)
    count(site, zone, behind, rendered=100)  # 500 expected by now
    ending = make_campaign([zone], name="Garage du Port", days=(-28, 2),
                           goal_impressions=3000, salesperson_id=staff["admin"].id)
    count(site, zone, ending, rendered=2900)  # on pace, but 100 short two days before the end
    refused = make_campaign([zone], name="Fromagerie", creatives=[image_creative(name="Bannière")])
    count(site, zone, refused, refused.creatives[0].id, rendered=20, not_placed=30)
    flagged = make_campaign([zone], name="Cave à vins")
    count(site, zone, flagged, hours_ago=0, rendered=100, clicks=40)
    staff["admin"].language = "en"
    db.session.commit()
    return behind, ending, refused, flagged


def test_each_kind_of_alert_is_raised(app, staff):
    world(staff)
    found = {(a.kind, a.campaign.name) for a in current_alerts(datetime.now(UTC))}
    assert found == {("behind", "Boulangerie Martin"), ("ending", "Garage du Port"),
                     ("refused", "Fromagerie"), ("anomaly", "Cave à vins")}


def test_behind_share_is_a_setting(app, staff):
    world(staff)
    app.config["ALERT_BEHIND_SHARE"] = 0.9  # 400 behind of 500 expected is 80 %
    kinds = {a.kind for a in current_alerts(datetime.now(UTC))}
    assert "behind" not in kinds


def test_digest_goes_to_each_salesperson_in_their_language_once_a_day(app, staff, inbox,
                                                                       runner):
    world(staff)
    result = runner.invoke(args=["alerts", "send-digest"])
    assert result.exit_code == 0, result.output
    by_address = {m["To"]: m for m in inbox.messages}
    assert set(by_address) == {staff["sales"].email, staff["admin"].email}
    french = by_address[staff["sales"].email]
    assert "alerte(s) de diffusion" in french["Subject"]
    text = french.get_content()
    assert "Bonjour Sales," in text and "En retard sur leur rythme" in text
    assert "Boulangerie Martin: 400 impressions de retard" in text
    assert "https://ads.example.fr/campaigns/" in text
    assert "Garage du Port" not in text  # the admin's
    english = by_address[staff["admin"].email]
    assert "delivery alert(s)" in english["Subject"]
    body = english.get_content()
    assert "Ending below their goal" in body and "Garage du Port: ends on" in body
    # Campaigns with nobody go to the admins.
    assert "Fromagerie: pages had no place for the creative Bannière 30 times out of 50" in body
    assert "Cave à vins: on " in body and "CTR of 40.0%" in body
    assert french["From"] == "alertes@journal.example"

    again = runner.invoke(args=["alerts", "send-digest"])
    assert again.exit_code == 0 and "already sent" in again.output
    assert len(inbox.messages) == 2
    assert db.session.query(DigestSent).count() == 2


def test_a_refused_digest_is_not_recorded_and_goes_next_time(app, staff, inbox, runner,
                                                              closed_port):
    world(staff)
    port, app.config["MAIL_PORT"] = app.config["MAIL_PORT"], closed_port
    result = runner.invoke(args=["alerts", "send-digest"])
    assert result.exit_code == 1 and "not sent" in result.output
    assert db.session.query(DigestSent).count() == 0
    app.config["MAIL_PORT"] = port
    assert runner.invoke(args=["alerts", "send-digest"]).exit_code == 0
    assert len(inbox.messages) == 2


def test_without_smtp_settings_nothing_is_sent(app, staff, runner):
    world(staff)
    result = runner.invoke(args=["alerts", "send-digest"])
    assert result.exit_code == 0 and "MAIL_SERVER is not set" in result.output
    assert db.session.query(DigestSent).count() == 0
