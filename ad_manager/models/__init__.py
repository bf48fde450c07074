"""The domain models, one module per area; importing this registers them all."""

from ad_manager.models.alerts import DigestSent
from ad_manager.models.audit import AuditEntry
from ad_manager.models.base import utcnow
from ad_manager.models.catalog import Article, Insert, InsertPick
from ad_manager.models.client_link import ClientLink
from ad_manager.models.inventory import Advertiser, Campaign, Creative, Zone
from ad_manager.models.layout import Layout, Placement
from ad_manager.models.site import Site
from ad_manager.models.stats import (
    DailyStat,
    FoldedBatch,
    HourlyStat,
    JournalMark,
    ReaderDaily,
    SeenEvent,
)
from ad_manager.models.user import Role, User
from ad_manager.models.version import CampaignChange, InventoryVersion

__all__ = [
    "Advertiser",
    "Article",
    "AuditEntry",
    "Campaign",
    "CampaignChange",
    "ClientLink",
    "Creative",
    "DailyStat",
    "DigestSent",
    "FoldedBatch",
    "HourlyStat",
    "Insert",
    "InsertPick",
    "InventoryVersion",
    "JournalMark",
    "Layout",
    "Placement",
    "ReaderDaily",
    "Role",
    "SeenEvent",
    "Site",
    "User",
    "Zone",
    "utcnow",
]
