"""Staff account rules: creating users and keeping at least one admin."""

from flask_babel import gettext as _
from sqlalchemy import func, select

from ad_manager.audit import record
from ad_manager.extensions import db
from ad_manager.models import Role, User


class AccountError(ValueError):
    """A change to accounts that the rules refuse; ``field`` names the form field."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def create_user(email, password, role=Role.VIEWER, name="", language=None, actor=None,
                self_signup=False) -> User:
    """Create a staff account, refusing an email that is taken; the caller commits.

    ``self_signup`` records the new user as the author (the first-run page).
    """
    if find_user(email) is not None:
        raise AccountError(_("An account with this email already exists."), "email")
    user = User(email=normalise_email(email), name=name.strip(), role=Role(role).value,
                language=language or None)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    record("create", user, actor=user if self_signup else actor,
           summary=f"{user.email} ({user.role})")
    return user


def active_admin_count() -> int:
    return db.session.scalar(
        select(func.count(User.id)).where(User.role == Role.ADMIN.value, User.active.is_(True))
    )


def update_user(user: User, role, active: bool, name: str, language, actor) -> None:
    """Change role, active flag, name and language, keeping at least one active admin."""
    was_admin = user.role == Role.ADMIN.value and user.active
    stays_admin = Role(role) == Role.ADMIN and active
    if was_admin and not stays_admin and active_admin_count() <= 1:
        raise AccountError(_("The last active admin cannot lose the admin role."), "role")
    before = {"role": user.role, "active": user.active, "name": user.name,
              "language": user.language}
    user.role, user.active, user.name = Role(role).value, active, name.strip()
    user.language = language or None
    after = {"role": user.role, "active": user.active, "name": user.name,
             "language": user.language}
    changes = {k: [before[k], after[k]] for k in before if before[k] != after[k]}
    if changes:
        record("update", user, actor=actor, summary=user.email, changes=changes)
