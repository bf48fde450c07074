"""The ``serving`` blueprint: the loader and the decision share it.

Its responses go to scripts on other sites' pages: they never carry a cookie.
"""

from flask import Blueprint

bp = Blueprint("serving", __name__)


@bp.after_request
def drop_cookies(response):
    """Make sure no serving response sets a cookie, whatever an extension did."""
    response.headers.pop("Set-Cookie", None)  # every one of them
    return response
