"""The advertiser's client link: one campaign's report without an account, no cookie,
nothing of other campaigns, and the same 404 for every link that is not a good one."""

from datetime import timedelta

import pytest

from ad_manager.extensions import db
from ad_manager.models import utcnow
from tests.conftest import sign_in
from tests.factories import (
    banner_shown,
    count_events,
    make_campaign,
    make_client_link,
    make_world,
)


@pytest.fixture
def shared(app):
    """make_world with two banners counted today, a second campaign counted on the same
    site, and a client link to the first campaign."""
    world = make_world()
    now = utcnow()
    for view in ("a", "b"):
        banner = banner_shown(world, view)
        count_events(world, now, [(banner, "served"), (banner, "rendered")])
    count_events(world, now, [(banner_shown(world, "a"), "viewable")])
    other = make_campaign([world.zone], name="Concurrent secret")
    count_events(world, now, [(banner_shown(world, "z", campaign=other.id), "rendered")])
    link, token = make_client_link(world.campaign)
    return world, other, link, token


def assert_private(response):
    assert "Set-Cookie" not in response.headers
    assert "Cookie" not in response.headers.get("Vary", "")
    assert "no-store" in response.headers["Cache-Control"]
    assert response.headers["Referrer-Policy"] == "no-referrer"


def test_client_link_shows_the_campaigns_report_without_a_cookie(client, shared):
    world, _other, link, token = shared
    response = client.get(f"/client/{world.campaign.id}/{token}")
    assert response.status_code == 200
    assert_private(response)
    page = response.text
    assert "Rentrée littéraire" in page and "Bannière" in page and "<svg" in page
    days = page.split('class="campaign-days"')[1].split("<tbody>")[1].split("</tbody>")[0]
    assert days.count("<tr") == 11  # every day of the flight so far: 10 days ago to today
    total = page.split('class="campaign-days"')[1].split("<tfoot>")[1]
    assert '<td class="num">2</td>' in total  # two impressions
    assert "<script" not in page and "csrf" not in page.lower()
    assert "Concurrent secret" not in page  # nothing of another campaign
    db.session.refresh(link)
    assert link.last_opened_at is not None


def test_client_link_speaks_the_readers_language(client, shared):
    world, _other, _link, token = shared
    address = f"/client/{world.campaign.id}/{token}"
    assert "Impressions par jour" in client.get(address).text
    english = client.get(address, headers={"Accept-Language": "en-GB,en;q=0.8"})
    assert "Impressions per day" in english.text and 'lang="en"' in english.text


def test_signed_in_staff_opening_a_client_link_gets_no_cookie(app, client, shared, staff):
    world, _other, _link, token = shared
    assert sign_in(client, staff["viewer"].email).status_code == 302
    response = client.get(f"/client/{world.campaign.id}/{token}")
    assert response.status_code == 200
    assert_private(response)
    assert "Sign out" not in response.text and "Déconnexion" not in response.text


def test_every_wrong_link_is_the_same_404_without_a_cookie(client, shared):
    world, other, _link, token = shared
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    expired_link, expired = make_client_link(world.campaign,
                                             expires_at=utcnow() - timedelta(minutes=1))
    revoked_link, revoked = make_client_link(world.campaign, revoked_at=utcnow())
    for address in (f"/client/{world.campaign.id}/{tampered}",
                    f"/client/{other.id}/{token}",  # a good token, another campaign
                    f"/client/{world.campaign.id + 1000}/{token}",
                    f"/client/{world.campaign.id}/{token}x",
                    f"/client/{world.campaign.id}/{'a' * 500}",
                    f"/client/99999999999/{token}",
                    f"/client/0{world.campaign.id}/{token}",
                    f"/client/abc/{token}",
                    f"/client/{world.campaign.id}/{expired}",
                    f"/client/{world.campaign.id}/{revoked}"):
        response = client.get(address)
        assert response.status_code == 404, address
        assert_private(response)
        assert "Rentrée littéraire" not in response.text
        assert "Concurrent secret" not in response.text
    assert expired_link.last_opened_at is None and revoked_link.last_opened_at is None
