"""Staff accounts and their roles."""

import enum

from flask_login import UserMixin
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.security import check_password_hash, generate_password_hash

from ad_manager.extensions import db
from ad_manager.models.base import Timestamps


class Role(enum.StrEnum):
    """What a staff member may do; each role includes the ones below it."""

    VIEWER = "viewer"
    SALES = "sales"
    ADMIN = "admin"

    @property
    def rank(self) -> int:
        return list(Role).index(self)

    def includes(self, other: "Role") -> bool:
        """Tell whether this role has every right of ``other``."""
        return self.rank >= Role(other).rank


class User(UserMixin, Timestamps, db.Model):
    """A member of the publisher's staff who signs in to the dashboard."""

    __tablename__ = "user"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16), default=Role.VIEWER.value)
    active: Mapped[bool] = mapped_column(default=True)
    language: Mapped[str | None] = mapped_column(String(8), default=None)
    # Every session cookie names the generation it began in; bumping it ends them all.
    session_generation: Mapped[int] = mapped_column(default=0, server_default="0")

    def get_id(self) -> str:
        """Give what a session keeps of its user: the id and the session generation
        (Flask-Login's "alternative id"), so that ending sessions needs no cookie."""
        return f"{self.id}:{self.session_generation}"

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    @property
    def role_enum(self) -> Role:
        return Role(self.role)

    def can(self, role: Role | str) -> bool:
        """Tell whether this user holds at least ``role``."""
        return self.role_enum.includes(Role(role))

    def set_password(self, password: str) -> None:
        """Hash and keep a new password (scrypt, through Werkzeug)."""
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"
