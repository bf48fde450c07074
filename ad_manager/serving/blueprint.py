"""The ``serving`` blueprint: the loader, the decision and HTML creatives' documents.

Its responses go to scripts and frames on other sites' pages: they never carry a
cookie. Each route is listed here, so that importing a module never adds one.
"""

from flask import Blueprint

from ad_manager.serving.creative_html import html_creative
from ad_manager.serving.decision import serve
from ad_manager.serving.loader import embed_script, embed_style
from ad_manager.serving.openapi import openapi_json
from ad_manager.serving.snippet import snippet_json

bp = Blueprint("serving", __name__)
bp.add_url_rule("/embed.js", view_func=embed_script, methods=["GET"])
bp.add_url_rule("/embed.css", view_func=embed_style, methods=["GET"])
bp.add_url_rule("/serve", view_func=serve, methods=["GET", "OPTIONS"])
bp.add_url_rule("/h/<token>", view_func=html_creative, methods=["GET"])
bp.add_url_rule("/snippet/<site_key>/<layout_slug>.json", view_func=snippet_json,
                methods=["GET"])
bp.add_url_rule("/openapi.json", view_func=openapi_json, methods=["GET"])


@bp.after_request
def drop_cookies(response):
    """Make sure no serving response sets a cookie, whatever an extension did."""
    response.headers.pop("Set-Cookie", None)  # every one of them
    return response
