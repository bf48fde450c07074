"""Staff sessions the server can end: each names its user's session generation and
says when it was last used.

The session is a signed cookie, kept by the browser, not by us: on its own the
server could never end one, and a copy of the cookie would open the dashboard
until the key changed. So the id Flask-Login keeps in it is "user id:generation"
(``User.get_id``): signing out, signing out everywhere, a new password, a new role
or a deactivation bump the user's generation (``auth.accounts.end_sessions``), and
every cookie of an older generation, copies included, signs nobody in. A session
unused for ``SESSION_IDLE_MINUTES`` ends too. The check runs wherever the
dashboard reads the signed-in user, never in the public wing.
"""

import time

from flask import current_app, flash, session
from flask_babel import gettext as _
from flask_login import login_user, logout_user

from ad_manager.extensions import db, login_manager
from ad_manager.models import User

LAST_SEEN = "_seen"
# The last-seen time is rewritten at most this often (seconds): not a new cookie per click.
TOUCH_EVERY = 60


def _idle() -> bool:
    """Tell whether this session was unused longer than the idle limit (or never said)."""
    seen = session.get(LAST_SEEN)
    limit = current_app.config["SESSION_IDLE_MINUTES"] * 60
    return not isinstance(seen, int) or time.time() - seen > limit


def _touch() -> None:
    now = int(time.time())
    if now - session.get(LAST_SEEN, 0) >= TOUCH_EVERY:
        session[LAST_SEEN] = now


def _ended() -> None:
    """Forget a session that signs nobody in any more, and say so once."""
    session.pop("_user_id", None)
    session.pop(LAST_SEEN, None)
    flash(_("Your session has ended: please sign in again."), "info")


@login_manager.user_loader
def load_user(session_id: str):
    """Give the signed-in user back from the session while it is still theirs: the
    generation it began in is the user's current one, and it was used lately."""
    user_id, _colon, generation = session_id.partition(":")
    user = None
    if user_id.isdigit() and generation.isdigit() and not _idle():
        user = db.session.get(User, int(user_id))
    if user is None or user.session_generation != int(generation):
        _ended()
        return None
    _touch()
    return user


def begin_session(user: User) -> User:
    """Sign ``user`` in in this browser, in the user's current generation."""
    login_user(user)
    session[LAST_SEEN] = int(time.time())
    return user


def close_session() -> None:
    """Forget the signed-in user in this browser (its generation is ended by the caller)."""
    logout_user()
    session.pop(LAST_SEEN, None)
