"""The ``serving`` blueprint: the embed loader and the decision endpoint share it.

Pages of other origins call these routes on every article view, so they never set a
cookie nor vary on one: the reader's browser keeps nothing of ours.
"""

from flask import Blueprint

bp = Blueprint("serving", __name__)


@bp.after_request
def drop_cookies(response):
    """Remove any cookie and any ``Vary: Cookie`` a shared hook may have added."""
    response.headers.remove("Set-Cookie")
    vary = [v for v in response.vary if v.lower() != "cookie"]
    response.vary.clear()
    response.vary.update(vary)
    return response
