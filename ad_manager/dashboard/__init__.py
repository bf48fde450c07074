"""The staff web app: one module (views and forms) per area."""

from flask_babel import lazy_gettext as _l

from ad_manager.dashboard import (
    account,
    advertisers,
    articles,
    audit_log,
    availability,
    campaigns,
    client_links,
    creatives,
    home,
    inserts,
    layouts,
    reports,
    sites,
    users,
    zones,
)

# Every area's blueprint, registered by the factory in this order.
BLUEPRINTS = [
    home.bp,
    users.bp,
    account.bp,
    audit_log.bp,
    reports.bp,
    articles.bp,
    inserts.bp,
    sites.bp,
    zones.bp,
    advertisers.bp,
    campaigns.bp,
    client_links.bp,
    availability.bp,
    creatives.bp,
    layouts.bp,
]

# The main menu: (endpoint, label, least role). An entry shows once its area exists.
NAVIGATION = [
    ("home.index", _l("Home"), "viewer"),
    ("zones.index", _l("Zones"), "viewer"),
    ("campaigns.index", _l("Campaigns"), "viewer"),
    ("advertisers.index", _l("Advertisers"), "viewer"),
    ("inserts.index", _l("Inserts"), "viewer"),
    ("articles.index", _l("Articles"), "viewer"),
    ("layouts.index", _l("Layouts"), "viewer"),
    ("reports.index", _l("Reports"), "viewer"),
    ("sites.index", _l("Sites"), "admin"),
    ("users.index", _l("Users"), "admin"),
    ("audit.index", _l("Audit log"), "admin"),
]
