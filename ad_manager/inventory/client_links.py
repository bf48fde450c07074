"""Client links of a campaign: made and revoked by sales, each step in the audit log.

The public page that opens a link (``serving/client_report.py``) only reads the
link and notes when it was opened; it never reaches this module, which writes
through ``saving`` (and so knows the signed-in person).
"""

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from ad_manager import saving
from ad_manager.extensions import db
from ad_manager.invalid import Invalid
from ad_manager.models import Campaign, ClientLink, utcnow
from ad_manager.models.client_link import LIFETIME, new_token, token_hash


def create_client_link(campaign: Campaign, created_by=None,
                       now: datetime | None = None) -> tuple[ClientLink, str]:
    """Add a link to ``campaign``'s report, good for 90 days; give it and its token.

    The token is given once: only its hash is stored.
    """
    if campaign.archived:
        raise Invalid.on("campaign", _("Restore the campaign before sharing its report."))
    now = now or utcnow()
    token = new_token()
    link = ClientLink(campaign_id=campaign.id, created_by_id=getattr(created_by, "id", None),
                      created_at=now, expires_at=now + LIFETIME, token_hash=token_hash(token))
    saving.add(link, summary=campaign.name)
    return link, token


def revoke_client_link(link: ClientLink, now: datetime | None = None) -> bool:
    """Revoke a link from now on; give whether it was still open (revoking twice does nothing)."""
    if link.revoked_at is not None:
        return False
    saving.change(link, {"revoked_at": now or utcnow()},
                  summary=link.campaign.name)
    return True


def campaign_links(campaign: Campaign) -> list[ClientLink]:
    """Give a campaign's links, newest first."""
    return list(db.session.scalars(select(ClientLink).where(
        ClientLink.campaign_id == campaign.id).order_by(ClientLink.created_at.desc(),
                                                        ClientLink.id.desc())))
