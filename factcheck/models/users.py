"""People who work the desk."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, UTCDateTime, str_enum, utcnow
from .enums import Role


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Stored lower-cased; unique.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[Role] = mapped_column(str_enum(Role, "role"))
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    #: Rotated at logout, password change and deactivation; a session cookie that carries
    #: an older nonce is no longer valid (signed cookies cannot be revoked otherwise).
    session_nonce: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: E-mail at once for mentions, assignments and sign-off requests.
    email_now: Mapped[bool] = mapped_column(Boolean, default=True)
    #: A daily digest of everything else in the inbox.
    email_digest: Mapped[bool] = mapped_column(Boolean, default=True)
    #: When "my work" was last opened: what changed after it is unread.
    my_work_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def can(self, role: Role) -> bool:
        return self.active and self.role.at_least(role)

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"
