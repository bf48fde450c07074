"""``GET /snippet/<site>/<layout>.json``: a layout's snippet parts, for CMS integrations.

What the dashboard's snippet page shows a web developer, as JSON, so that a CMS
plugin (integrations/wordpress) prints the current parts without anyone pasting
them again after each layout change. The parts are printed in every article page
anyway: nothing here is secret. Cached by readers' CMSs for a few minutes.
"""

import json

from flask import current_app, request
from sqlalchemy import select
from werkzeug.exceptions import NotFound

from ad_manager.extensions import db
from ad_manager.models import Layout, Site
from ad_manager.serving.page_query import KEY_PATTERN
from ad_manager.snippets import snippet_parts

MAX_AGE = 300


def snippet_json(site_key: str, layout_slug: str):
    """Give ``{"head", "placeholders", "script"}`` for a live layout of a live site."""
    if not KEY_PATTERN.fullmatch(site_key) or not KEY_PATTERN.fullmatch(layout_slug):
        raise NotFound("no such site or layout")
    site = db.session.scalar(select(Site).where(Site.key == site_key,
                                                Site.archived_at.is_(None)))
    layout = site and db.session.scalar(select(Layout).where(
        Layout.site_id == site.id, Layout.slug == layout_slug, Layout.archived_at.is_(None)))
    if layout is None:
        raise NotFound("no such site or layout")
    # Placeholders in the layout's order (jsonify would sort them): a plugin takes the
    # first one for the spot under the title.
    body = json.dumps(snippet_parts(site, layout, request.url_root), ensure_ascii=False)
    response = current_app.response_class(body, mimetype="application/json")
    response.cache_control.public = True
    response.cache_control.max_age = MAX_AGE
    return response
