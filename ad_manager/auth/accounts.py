"""Staff account rules and services: creating users, changing them, keeping one admin."""

from flask_babel import gettext as _
from sqlalchemy import func, select

from ad_manager import saving
from ad_manager.audit import record
from ad_manager.extensions import db
from ad_manager.invalid import Invalid
from ad_manager.models import Role, User


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def create_user(email, password, role=Role.VIEWER, name="", language=None, actor=None,
                self_signup=False, active=True) -> User:
    """Create a staff account, refusing an email that is taken; the caller commits.

    ``self_signup`` records the new user as the author (the first-run page).
    """
    if find_user(email) is not None:
        raise Invalid.on("email", _("An account with this email already exists."))
    user = User(email=normalise_email(email), name=name.strip(), role=Role(role).value,
                language=language or None, active=active)
    user.set_password(password)
    return saving.add(user, summary=f"{user.email} ({user.role})",
                      actor=user if self_signup else actor)


def active_admin_count() -> int:
    return db.session.scalar(
        select(func.count(User.id)).where(User.role == Role.ADMIN.value, User.active.is_(True))
    )


def update_user(user: User, role, active: bool, name: str, language) -> User:
    """Change role, active flag, name and language, keeping at least one active admin.

    When the values change nothing, nothing is written.
    A new role or a deactivation ends the user's sessions: what they may do is
    read again at their next sign-in.
    """
    was_admin = user.role == Role.ADMIN.value and user.active
    stays_admin = Role(role) == Role.ADMIN and active
    if was_admin and not stays_admin and active_admin_count() <= 1:
        raise Invalid.on("role", _("The last active admin cannot lose the admin role."))
    changes = saving.change(user, {"role": Role(role).value, "active": active,
                                   "name": name.strip(), "language": language or None},
                            summary=user.email)
    if "role" in changes or "active" in changes:
        end_sessions(user)
    return user


def set_language(user: User, language: str | None) -> User:
    """Set the language a user's pages are shown in (None: the browser's)."""
    saving.change(user, {"language": language or None}, summary=user.email)
    return user


def change_password(user: User, current: str, new: str) -> User:
    """Change a user's password after checking the current one."""
    if not user.check_password(current):
        raise Invalid.on("current", _("This is not your current password."))
    user.set_password(new)
    record("password", user, summary=user.email)
    end_sessions(user)
    return user


def end_sessions(user: User, action: str | None = None) -> User:
    """End every session of ``user``, on every device and copies of the cookie
    included: each names the generation it began in, and this moves it on.

    ``action`` names the audit entry of a deliberate "sign out everywhere"; the
    caller commits.
    """
    user.session_generation += 1
    if action:
        record(action, user, summary=user.email)
    return user
